#!/usr/bin/env bash
# Generates samples/motion-demo/: short clips whose motion is real and unambiguous (a square that moves left,
# a bar that turns clockwise, a ball that bounces three times, ...), questions about them in the benchmark's
# format, and the outputs of openly labelled rule-based "models". Not VLM4D data. Needs ffmpeg.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=samples/motion-demo
mkdir -p "$OUT/clips"
BG=0x1e1e1e
ENC=(-c:v libx264 -preset veryslow -crf 30 -pix_fmt yuv420p -an -movflags +faststart -fflags +bitexact -flags:v +bitexact -map_metadata -1)
clip() { # name, filter graph over [0] (background) and [1] (a 24x24 white square)
  ffmpeg -hide_banner -loglevel error -y -f lavfi -i "color=c=$BG:s=160x120:d=3:r=15" -f lavfi -i "color=c=white:s=24x24:d=3:r=15" \
    -filter_complex "$2" "${ENC[@]}" "$OUT/clips/$1.mp4"
}
bar() { # name, angle expression (ffmpeg's rotate: positive = clockwise on screen)
  ffmpeg -hide_banner -loglevel error -y -f lavfi \
    -i "color=c=$BG:s=120x120:d=3:r=15,drawbox=x=20:y=56:w=80:h=8:color=white:t=fill,drawbox=x=90:y=48:w=18:h=24:color=red:t=fill,rotate=a='$2':c=$BG,pad=160:120:20:0:color=$BG" \
    "${ENC[@]}" "$OUT/clips/$1.mp4"
}
clip moves-left "[0][1]overlay=x='128-t*36':y=48:shortest=1"
clip moves-right "[0][1]overlay=x='8+t*36':y=48:shortest=1"
clip not-moving "[0][1]overlay=x=68:y=48:shortest=1"
# Grows from 16 to 64 pixels: coming towards the camera.
clip towards-camera "[1]scale=w='16+t*16':h='16+t*16':eval=frame[s];[0][s]overlay=x='(W-w)/2':y='(H-h)/2':shortest=1:eval=frame"
# Touches the ground at t = 0.5, 1.5 and 2.5 s: three bounces.
clip bounces-three-times "[0][1]overlay=x=68:y='88-72*abs(cos(PI*t))':shortest=1"
# Only a square: the question asks about a red circle.
clip no-circle "[0][1]overlay=x='8+t*36':y=20:shortest=1"
bar turns-clockwise 't*PI/3'
bar turns-counter-clockwise '-t*PI/3'
node scripts/make-motion-demo-outputs.js

#!/usr/bin/env bash
# Draws media/icon.png, the extension's 128x128 icon for the marketplaces and the Extensions view: the
# activity-bar glyph of media/vlm4d.svg in white on a rounded square, screenshotted by headless Chromium
# (the marketplaces take PNG only). Rerun after changing the glyph.
#   VLM4D_CHROMIUM   the browser (default /usr/bin/chromium)
set -euo pipefail
cd "$(dirname "$0")/.."
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
# The glyph's paths, minus the <svg> wrapper, drawn at 4.5x (24 px -> 108 px) inside the square.
glyph="$(sed -e '1d' -e '$d' media/vlm4d.svg | sed -e 's/currentColor/#ffffff/g')"
cat >"$tmp/icon.html" <<HTML
<!doctype html><html><head><style>html,body{margin:0;padding:0;background:transparent;overflow:hidden}</style></head><body>
<svg xmlns="http://www.w3.org/2000/svg" width="128" height="128" viewBox="0 0 128 128">
  <rect width="128" height="128" rx="24" fill="#1f4e79"/>
  <g transform="translate(10 10) scale(4.5)" fill="none" stroke="#ffffff" stroke-width="1.5" stroke-linecap="round" stroke-linejoin="round">
$glyph
  </g>
</svg>
</body></html>
HTML
"${VLM4D_CHROMIUM:-/usr/bin/chromium}" --headless --no-sandbox --disable-gpu --hide-scrollbars --force-device-scale-factor=1 \
  --default-background-color=00000000 --window-size=128,128 --screenshot="$tmp/icon.png" "file://$tmp/icon.html" 2>/dev/null
cp "$tmp/icon.png" media/icon.png
echo "media/icon.png written"

// Frame rate, frame count and duration of an MP4 clip, read from its header (mp4box parses the boxes), so the
// player can step frame by frame and mark the frames a model was given. Browsers do not expose a frame rate.
import * as fs from 'fs';
import { createFile } from 'mp4box';
import type { FrameSampling } from './model';
import { sampledFrames } from './sampling';

export interface VideoInfo {
  fps: number;
  frameCount: number;
  durationSeconds: number;
}

/** Clips larger than this are not read whole to find their header; the player then works without frame numbers. */
export const MAX_PROBE_BYTES = 256 * 1024 * 1024;

/** Headers read, by path, with the size and mtime they were read at (clips are stepped through with j/k often). */
const probed = new Map<string, { size: number; mtimeMs: number; info: VideoInfo | null }>();
const MAX_PROBED = 500;

/** The first video track's frame count and rate; null when the file is not a readable MP4 (or too large). */
export function probeMp4(file: string): VideoInfo | null {
  let bytes: Buffer;
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
    const known = probed.get(file);
    if (known && known.size === stat.size && known.mtimeMs === stat.mtimeMs) return known.info;
    if (stat.size > MAX_PROBE_BYTES) return null;
    bytes = fs.readFileSync(file);
  } catch {
    return null;
  }
  const info = probeMp4Bytes(bytes);
  if (probed.size >= MAX_PROBED) probed.delete(probed.keys().next().value as string);
  probed.set(file, { size: stat.size, mtimeMs: stat.mtimeMs, info });
  return info;
}

export function probeMp4Bytes(bytes: Uint8Array): VideoInfo | null {
  let found: VideoInfo | null = null;
  const mp4 = createFile();
  mp4.onReady = (info) => {
    const track = info.videoTracks[0];
    if (!track || !track.timescale || !track.nb_samples) return;
    const durationSeconds = track.duration / track.timescale;
    if (!(durationSeconds > 0)) return;
    found = { frameCount: track.nb_samples, durationSeconds, fps: track.nb_samples / durationSeconds };
  };
  mp4.onError = () => undefined;
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer & { fileStart: number };
  buffer.fileStart = 0;
  try {
    mp4.appendBuffer(buffer);
    mp4.flush();
  } catch {
    return null;
  }
  return found;
}

/** The frames a run was given, over this clip, and a sentence saying how they were derived. */
export function framesGiven(sampling: FrameSampling, info: VideoInfo | null): { frames: number[] | null; note: string } {
  if (!info) return { frames: null, note: 'Frame rate unknown: the frames the model was given cannot be marked.' };
  const frames = sampledFrames(sampling, info.frameCount, info.durationSeconds);
  const over = `${info.frameCount} frames at ${+info.fps.toFixed(3)} fps`;
  switch (sampling.kind) {
    case 'frames':
      return { frames, note: `${sampling.count} frames given: numpy.linspace over the clip's ${over}.` };
    case 'fps':
      return { frames, note: `${frames?.length ?? 0} frames given (${sampling.fps} fps, at most ${sampling.cap}): numpy.linspace over the clip's ${over}.` };
    case 'unknown':
      return { frames: null, note: `The run's frame sampling is unknown (not in its file name); the clip has ${over}.` };
  }
}

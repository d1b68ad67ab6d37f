// Which frames of a clip the model was given. The authors sample with
// numpy.linspace(0, frame_count - 1, N, dtype=int) over all decoded frames.
import type { FrameSampling } from './model';

/** numpy.linspace(start, stop, num) cast to int (truncation), as the authors' loader does. */
export function linspaceInt(start: number, stop: number, num: number): number[] {
  if (num <= 0) return [];
  if (num === 1) return [Math.trunc(start)];
  const step = (stop - start) / (num - 1);
  const out: number[] = [];
  for (let i = 0; i < num; i++) out.push(Math.trunc(i === num - 1 ? stop : i * step + start));
  return out;
}

/** How many frames the model saw: N for `_Nframe`; for `_1fps`, min(cap, int(duration)) at 1 fps. */
export function sampledFrameCount(sampling: FrameSampling, durationSeconds: number): number | null {
  switch (sampling.kind) {
    case 'frames':
      return sampling.count;
    case 'fps':
      return Math.min(sampling.cap, Math.trunc(durationSeconds * sampling.fps));
    case 'unknown':
      return null;
  }
}

/** Zero-based indices of the decoded frames the model was given, or null when the sampling is unknown. */
export function sampledFrames(sampling: FrameSampling, frameCount: number, durationSeconds: number): number[] | null {
  const n = sampledFrameCount(sampling, durationSeconds);
  if (n === null || frameCount <= 0) return null;
  return linspaceInt(0, frameCount - 1, n);
}

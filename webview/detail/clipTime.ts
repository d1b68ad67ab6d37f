// A time in the clip as chains of thought cite it ("00:02-00:03"): minutes and seconds to a tenth, 00:02.5.
// Shown beside every frame number, so a claim about a time can be matched to a frame at a glance.

/** `seconds` as mm:ss.s (tenths, truncated: frame n at 2.49 s reads 00:02.4, never the next tenth). */
export function clipTime(seconds: number): string {
  const tenths = Math.max(0, Math.floor(seconds * 10 + 1e-6));
  const m = Math.floor(tenths / 600);
  const s = (tenths % 600) / 10;
  return `${String(m).padStart(2, '0')}:${s.toFixed(1).padStart(4, '0')}`;
}

/** When frame `frame` starts, at `fps`. */
export const frameStart = (frame: number, fps: number): number => frame / fps;

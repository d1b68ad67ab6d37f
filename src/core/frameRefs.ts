// Where a chain of thought names what it looked at: "in the second image", "Frame 5", "Frames 2-4", "the last
// frame", "00:02-00:03", "at 1.5 seconds". Each becomes a reference the detail view can turn into a link that
// seeks the player. The k-th image or frame a model names is the k-th frame it was given (its sampled frames,
// in order); a time is a time in the clip. Pure text rules, no DOM: the same reading in every view and test.
//
// What is not taken, on purpose: clock positions in rotation answers ("from 12:00 to 3:00"), read as times only
// when they fall inside the clip (a 3-minute mark in a 10-second clip is a clock face); durations ("in the last
// 5 seconds"), since only ranges and "at/around N seconds" name a moment; "the next frame", which names none.

export type FrameRef =
  /** Sampled frames `from`..`to` (0-based, inclusive) of the frames the model was given. */
  | { kind: 'sampled'; start: number; end: number; from: number; to: number }
  /** Seconds `from`..`to` in the clip. */
  | { kind: 'time'; start: number; end: number; from: number; to: number };

export interface FrameRefContext {
  /** How many frames the model was given, when known: a reference past them is not taken. */
  sampledCount: number | null;
  /** The clip's length in seconds, when known: a time past it is not taken. */
  durationSeconds: number | null;
}

const ORDINALS: Record<string, number> = {
  first: 1,
  second: 2,
  third: 3,
  fourth: 4,
  fifth: 5,
  sixth: 6,
  seventh: 7,
  eighth: 8,
  ninth: 9,
  tenth: 10,
  eleventh: 11,
  twelfth: 12,
};
const NOUN = '(?:frame|image|picture|keyframe|snapshot)s?';
const ORDINAL = `(${Object.keys(ORDINALS).join('|')}|last|final|\\d{1,3}(?:st|nd|rd|th))`;
/** "the second image", "the 3rd frame", "the last frame". */
const ORDINAL_REF = new RegExp(`\\b${ORDINAL}\\s+${NOUN}\\b`, 'gi');
/** "Frame 5", "frames 2-4", "Image #3", "frames 2 to 4", "frames 2 and 3". */
const NUMBER_REF = new RegExp(`\\b${NOUN}\\s*#?\\s*(\\d{1,3})(?:\\s*(?:-|–|to|through|and)\\s*(\\d{1,3}))?\\b`, 'gi');
/** "00:02", "0:02.5", "00:02-00:03". */
const CLOCK = '(\\d{1,2}):([0-5]\\d)(?:\\.(\\d+))?';
const CLOCK_REF = new RegExp(`(?<![\\d:])${CLOCK}(?:\\s*(?:-|–|to)\\s*${CLOCK})?(?![\\d:])`, 'g');
/** "19.0-20.5 seconds", "at 1.5 s", "around 3 seconds". */
const SECONDS_REF =
  /\b(?:(at|around|about|by)\s+)?(\d{1,4}(?:\.\d+)?)(?:\s*(?:-|–|to)\s*(\d{1,4}(?:\.\d+)?))?\s*(?:s|sec|secs|seconds)\b/gi;

function ordinalValue(word: string, count: number | null): number | null {
  const w = word.toLowerCase();
  if (w === 'last' || w === 'final') return count;
  return ORDINALS[w] ?? (/^\d+/.test(w) ? Number.parseInt(w, 10) : null);
}

const clockSeconds = (m: string, s: string, frac: string | undefined): number =>
  Number(m) * 60 + Number(s) + (frac ? Number(`0.${frac}`) : 0);

/** The references in `text`, in order, none overlapping another. */
export function frameReferences(text: string, ctx: FrameRefContext): FrameRef[] {
  const found: FrameRef[] = [];
  const fits = (k: number) => k >= 1 && (ctx.sampledCount === null || k <= ctx.sampledCount);
  const inClip = (t: number) => t >= 0 && (ctx.durationSeconds === null ? t < 60 : t <= ctx.durationSeconds + 0.5);
  for (const m of text.matchAll(ORDINAL_REF)) {
    const k = ordinalValue(m[1] as string, ctx.sampledCount);
    if (k !== null && fits(k))
      found.push({ kind: 'sampled', start: m.index, end: m.index + m[0].length, from: k - 1, to: k - 1 });
  }
  for (const m of text.matchAll(NUMBER_REF)) {
    const a = Number(m[1]);
    const b = m[2] === undefined ? a : Number(m[2]);
    if (b < a || !fits(a) || !fits(b)) continue;
    found.push({ kind: 'sampled', start: m.index, end: m.index + m[0].length, from: a - 1, to: b - 1 });
  }
  for (const m of text.matchAll(CLOCK_REF)) {
    const a = clockSeconds(m[1] as string, m[2] as string, m[3]);
    const b = m[4] === undefined ? a : clockSeconds(m[4], m[5] as string, m[6]);
    if (b < a || !inClip(a) || !inClip(b)) continue;
    found.push({ kind: 'time', start: m.index, end: m.index + m[0].length, from: a, to: b });
  }
  for (const m of text.matchAll(SECONDS_REF)) {
    // A single number names a moment only after "at"/"around"; alone it is a duration ("for 2 seconds").
    if (m[3] === undefined && m[1] === undefined) continue;
    const a = Number(m[2]);
    const b = m[3] === undefined ? a : Number(m[3]);
    if (b < a || !inClip(a) || !inClip(b)) continue;
    const lead = m[1] ? m[1].length + m[0].slice(m[1].length).search(/\S/) : 0;
    found.push({ kind: 'time', start: m.index + lead, end: m.index + m[0].length, from: a, to: b });
  }
  found.sort((x, y) => x.start - y.start || y.end - x.end);
  const out: FrameRef[] = [];
  for (const r of found) if (!out.length || r.start >= (out[out.length - 1] as FrameRef).end) out.push(r);
  return out;
}

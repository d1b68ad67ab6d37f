// The long text of predictions (responses, the judge's readings, extra judge fields), kept beside the
// database. Each file's texts are one joined string with offsets: large strings go straight to V8's
// large-object space and cross threads as one copy, where tens of thousands of small strings would each
// be copied and garbage-collected.

/** Texts joined by a separator that user text cannot contain in a search (it is stripped from needles). */
export const SEPARATOR = '\u0000';
const NULL_MARK = '\u0001';

export interface PackedTexts {
  text: string;
  /** offsets[i] is where text i starts; text i ends one character before offsets[i + 1]. */
  offsets: Int32Array;
}

export function packTexts(items: readonly (string | null)[]): PackedTexts {
  const offsets = new Int32Array(items.length + 1);
  const parts: string[] = new Array<string>(items.length);
  let at = 0;
  for (let i = 0; i < items.length; i++) {
    offsets[i] = at;
    const s = items[i] ?? NULL_MARK;
    parts[i] = s;
    at += s.length + 1;
  }
  offsets[items.length] = at;
  return { text: parts.join(SEPARATOR) + SEPARATOR, offsets };
}

export function unpackText(p: PackedTexts, i: number): string | null {
  const s = p.text.slice(p.offsets[i] as number, (p.offsets[i + 1] as number) - 1);
  return s === NULL_MARK ? null : s;
}

/** Indices of the texts that `pattern` (global, no separator inside) matches, each once. */
export function matchingTexts(p: PackedTexts, pattern: RegExp): number[] {
  const out: number[] = [];
  pattern.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = pattern.exec(p.text)) !== null) {
    // The text holding the match: the last offset <= its index.
    let lo = 0;
    let hi = p.offsets.length - 2;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((p.offsets[mid] as number) <= m.index) lo = mid;
      else hi = mid - 1;
    }
    out.push(lo);
    pattern.lastIndex = p.offsets[lo + 1] as number;
    if (m[0].length === 0) pattern.lastIndex++;
  }
  return out;
}

/** A case-insensitive, literal search pattern for `text` (separators removed). */
export function searchPattern(text: string): RegExp {
  const literal = text.split(SEPARATOR).join('').replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(literal, 'gi');
}

// The long text of predictions (responses, the judge's readings, extra judge fields), kept beside the
// database. Each file's texts are one UTF-8 buffer with offsets: a parser thread encodes them and moves the
// buffer to the index's thread without copying (a joined string had to be copied across, which cost more
// than encoding), and single texts are decoded when shown. A search decodes a file's texts once, as one
// string with a separator after each text, and keeps that string instead of the bytes.

/** Follows every text: user text cannot contain it in a search (it is stripped from needles). */
export const SEPARATOR = '\u0000';
const NULL_MARK = '\u0001';

export interface PackedTexts {
  /** The texts in UTF-8, each followed by SEPARATOR; emptied once `text` holds them. */
  bytes: Uint8Array;
  /** byteOffsets[i] is where text i starts in `bytes`; text i ends one byte before byteOffsets[i + 1]. */
  byteOffsets: Int32Array;
  /** offsets[i] is where text i starts in the decoded text (UTF-16 units), laid out the same way. */
  offsets: Int32Array;
  /** The decoded texts, each followed by SEPARATOR, once a search needed them all. */
  text?: string;
}

// A leading U+FEFF is part of a text, not a byte order mark: keep it, or the offsets would shift.
const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
const encoder = new TextEncoder();

export const EMPTY_TEXTS: PackedTexts = { bytes: new Uint8Array(0), byteOffsets: new Int32Array(1), offsets: new Int32Array(1) };

export function packTexts(items: readonly (string | null)[]): PackedTexts {
  const n = items.length;
  const byteOffsets = new Int32Array(n + 1);
  const offsets = new Int32Array(n + 1);
  let chars = 0;
  for (let i = 0; i < n; i++) chars += (items[i] ?? NULL_MARK).length + 1;
  // Mostly ASCII: one byte a character, and room to grow when it is not.
  let bytes = new Uint8Array(chars + (chars >> 3) + 16);
  let at = 0;
  let charAt = 0;
  for (let i = 0; i < n; i++) {
    byteOffsets[i] = at;
    offsets[i] = charAt;
    const s = items[i] ?? NULL_MARK;
    charAt += s.length + 1;
    // Worst case three bytes a UTF-16 unit, plus the separator.
    if (bytes.length - at < s.length * 3 + 1) {
      const grown = new Uint8Array(Math.max(bytes.length * 2, at + s.length * 3 + 1));
      grown.set(bytes.subarray(0, at));
      bytes = grown;
    }
    at = s.length < 32 ? writeShort(s, bytes, at) : at + encoder.encodeInto(s, bytes.subarray(at)).written;
    bytes[at++] = 0; // SEPARATOR
  }
  byteOffsets[n] = at;
  offsets[n] = charAt;
  return { bytes: at === bytes.length ? bytes : bytes.slice(0, at), byteOffsets, offsets };
}

/** Writes a short text at `at`, returning where it ends: ASCII byte by byte (cheaper than a call into the encoder). */
function writeShort(s: string, bytes: Uint8Array, at: number): number {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x80) return at - i + encoder.encodeInto(s, bytes.subarray(at - i)).written;
    bytes[at++] = c;
  }
  return at;
}

/** The buffers a parser thread moves to the index's thread. */
export function transferables(p: PackedTexts): ArrayBuffer[] {
  return [p.bytes.buffer as ArrayBuffer, p.byteOffsets.buffer as ArrayBuffer, p.offsets.buffer as ArrayBuffer];
}

export function unpackText(p: PackedTexts, i: number): string | null {
  const s =
    p.text !== undefined
      ? p.text.slice(p.offsets[i] as number, (p.offsets[i + 1] as number) - 1)
      : decoder.decode(p.bytes.subarray(p.byteOffsets[i] as number, (p.byteOffsets[i + 1] as number) - 1));
  return s === NULL_MARK ? null : s;
}

/** All the texts as one string, each followed by SEPARATOR (decoded once, then kept instead of the bytes). */
export function joinedText(p: PackedTexts): string {
  if (p.text === undefined) {
    p.text = decoder.decode(p.bytes);
    p.bytes = EMPTY_TEXTS.bytes;
  }
  return p.text;
}

/** Indices of the texts that `pattern` (global, no separator inside) matches, each once. */
export function matchingTexts(p: PackedTexts, pattern: RegExp): number[] {
  const text = joinedText(p);
  const out: number[] = [];
  pattern.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = pattern.exec(text)) !== null) {
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

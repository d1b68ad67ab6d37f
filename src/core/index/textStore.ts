// The long text of predictions (responses, the judge's readings, extra judge fields), kept beside the
// database. Each file's texts are one UTF-8 buffer with offsets: a parser thread encodes them and moves the
// buffer to the index's thread without copying (a joined string had to be copied across, which cost more
// than encoding), and single texts are decoded when shown.
//
// A search does not decode them. The buffer is read as Latin-1 instead (one character a byte, several
// times faster than decoding UTF-8, and half the memory of the decoded text), and that string replaces the
// bytes. An ASCII needle matches there exactly where it matches the decoded text, case-insensitively too:
// the bytes of a UTF-8 sequence are all 0x80 or above, and no Latin-1 character from 0x80 up matches an
// ASCII letter under the `i` flag. Other needles are tried on each text decoded.

/** Follows every text: user text cannot contain it in a search (it is stripped from needles). */
export const SEPARATOR = '\u0000';
const NULL_MARK = '\u0001';

export interface PackedTexts {
  /** The texts in UTF-8, each followed by a 0 byte (SEPARATOR); emptied once `latin1` holds them. */
  bytes: Uint8Array;
  /** offsets[i] is where text i starts; text i ends one byte before offsets[i + 1]. */
  offsets: Int32Array;
  /** The same bytes as a string of Latin-1 characters, once a search needed it. */
  latin1?: string;
}

// A leading U+FEFF is part of a text, not a byte order mark: keep it.
const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
const encoder = new TextEncoder();

export const EMPTY_TEXTS: PackedTexts = { bytes: new Uint8Array(0), offsets: new Int32Array(1) };

/**
 * Packs texts into one buffer. With `utf8Bytes` every text is already UTF-8 bytes read as Latin-1
 * characters (parse.ts readResultText): each character is written as the byte it stands for.
 */
export function packTexts(items: readonly (string | null)[], utf8Bytes = false): PackedTexts {
  const n = items.length;
  const offsets = new Int32Array(n + 1);
  let chars = 0;
  for (let i = 0; i < n; i++) chars += (items[i] ?? NULL_MARK).length + 1;
  if (utf8Bytes) return packBytes(items, offsets, chars);
  // Mostly ASCII: one byte a character, and room to grow when it is not.
  let bytes = new Uint8Array(chars + (chars >> 3) + 16);
  let at = 0;
  for (let i = 0; i < n; i++) {
    offsets[i] = at;
    const s = items[i] ?? NULL_MARK;
    // Worst case three bytes a UTF-16 unit, plus the separator.
    if (bytes.length - at < s.length * 3 + 1) {
      const grown = new Uint8Array(Math.max(bytes.length * 2, at + s.length * 3 + 1));
      grown.set(bytes.subarray(0, at));
      bytes = grown;
    }
    at = s.length < 32 ? writeShort(s, bytes, at) : at + encoder.encodeInto(s, bytes.subarray(at)).written;
    bytes[at++] = 0; // SEPARATOR
  }
  offsets[n] = at;
  return { bytes: at === bytes.length ? bytes : bytes.slice(0, at), offsets };
}

/** packTexts for texts that are bytes already: one byte a character, so the size is known. */
function packBytes(items: readonly (string | null)[], offsets: Int32Array, size: number): PackedTexts {
  const bytes = Buffer.allocUnsafeSlow(size);
  let at = 0;
  for (let i = 0; i < items.length; i++) {
    offsets[i] = at;
    const s = items[i] ?? NULL_MARK;
    if (s.length < 32) for (let k = 0; k < s.length; k++) bytes[at + k] = s.charCodeAt(k);
    else bytes.write(s, at, 'latin1');
    at += s.length;
    bytes[at++] = 0; // SEPARATOR
  }
  offsets[items.length] = at;
  return { bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, at), offsets };
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
  return [p.bytes.buffer as ArrayBuffer, p.offsets.buffer as ArrayBuffer];
}

export function unpackText(p: PackedTexts, i: number): string | null {
  const from = p.offsets[i] as number;
  const to = (p.offsets[i + 1] as number) - 1;
  const s =
    p.latin1 !== undefined
      ? Buffer.from(p.latin1.slice(from, to), 'latin1').toString('utf8')
      : decoder.decode(p.bytes.subarray(from, to));
  return s === NULL_MARK ? null : s;
}

/** The texts' bytes as Latin-1 characters (made once, then kept instead of the bytes). */
function latin1Of(p: PackedTexts): string {
  if (p.latin1 === undefined) {
    p.latin1 = Buffer.from(p.bytes.buffer, p.bytes.byteOffset, p.bytes.byteLength).toString('latin1');
    p.bytes = EMPTY_TEXTS.bytes;
  }
  return p.latin1;
}

function ascii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) >= 0x80) return false;
  return true;
}

/** Indices of the texts that `pattern` (global, no separator inside) matches, each once. */
export function matchingTexts(p: PackedTexts, pattern: RegExp): number[] {
  const out: number[] = [];
  const n = p.offsets.length - 1;
  if (!ascii(pattern.source)) {
    for (let i = 0; i < n; i++) {
      pattern.lastIndex = 0;
      if (pattern.test(unpackText(p, i) ?? '')) out.push(i);
    }
    return out;
  }
  const text = latin1Of(p);
  pattern.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = pattern.exec(text)) !== null) {
    // The text holding the match: the last offset <= its index.
    let lo = 0;
    let hi = n - 1;
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
  const literal = text
    .split(SEPARATOR)
    .join('')
    .replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(literal, 'gi');
}

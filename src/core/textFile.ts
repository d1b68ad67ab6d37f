// Reading a JSON file's text: its size checked against what a string can hold, its encoding found (UTF-8
// with or without a byte order mark, UTF-16 with one), and what cannot be JSON refused from its first
// bytes. Reasons describe a file's start without quoting it: the file may not be a result file at all.
import { constants as bufferConstants, isAscii } from 'buffer';
import * as fs from 'fs';
import { errorText } from './discovery';

export type Read<T> = { ok: true; value: T; warnings: string[] } | { ok: false; reason: string };

/**
 * The longest text a JavaScript string can hold (V8: 2^29 - 24 characters, 0x1fffffe8). A file is read
 * whole into one string, one character a byte at most (Latin-1 or UTF-8), so a larger file cannot be read.
 */
export const MAX_STRING_CHARS = bufferConstants.MAX_STRING_LENGTH;

export interface ReadLimits {
  /** Files larger than this are refused with a reason naming the limit. */
  maxFileBytes: number;
}

/** The limits in force; tests pass lower ones rather than writing half a gigabyte. */
export const DEFAULT_READ_LIMITS: Readonly<ReadLimits> = Object.freeze({ maxFileBytes: MAX_STRING_CHARS });

/** Reads a file as text (a byte order mark removed, UTF-16 decoded), refusing early what cannot be JSON. */
export function readJsonText(filePath: string, limits: ReadLimits = DEFAULT_READ_LIMITS): Read<string> {
  const file = readJsonBytes(filePath, limits);
  if (!file.ok) return file;
  const { bytes, encoding } = file.value;
  if (encoding !== 'utf8')
    return withText(
      () => decodeUtf16(bytes, encoding),
      (text) => text,
    );
  return withText(
    () => bytes.toString('utf8'),
    (text) => text,
  );
}

export interface ResultText {
  text: string;
  /** Every string in `text` is UTF-8 bytes read as Latin-1 characters (see readResultText). */
  utf8Bytes: boolean;
}

/**
 * A result file's text, read the cheap way when that loses nothing. Decoding UTF-8 costs more than parsing
 * the JSON after it, and one character beyond ASCII makes the whole text two bytes a character (slower to
 * parse, twice the memory). So a file is read as Latin-1 (one character a byte) unless it holds JSON
 * `\u` escapes: its strings are then its UTF-8 bytes, one character each (`utf8Bytes`), which
 * `bytesToText` turns into text; the long responses are kept as bytes (textStore.ts stores bytes anyway).
 * A file that is all ASCII reads the same either way (`utf8Bytes` false). A UTF-16 file is decoded.
 */
export function readResultText(filePath: string, limits: ReadLimits = DEFAULT_READ_LIMITS): Read<ResultText> {
  const file = readJsonBytes(filePath, limits);
  if (!file.ok) return file;
  const { bytes: b, encoding } = file.value;
  if (encoding !== 'utf8')
    return withText(
      () => decodeUtf16(b, encoding),
      (text) => ({ text, utf8Bytes: false }),
    );
  const ascii = isAscii?.(b) ?? false;
  if (!ascii && b.indexOf('\\u') >= 0)
    return withText(
      () => b.toString('utf8'),
      (text) => ({ text, utf8Bytes: false }),
    );
  return withText(
    () => b.toString('latin1'),
    (text) => ({ text, utf8Bytes: !ascii }),
  );
}

/** Text from a string of UTF-8 bytes read as Latin-1 (see readResultText); ASCII comes back as it is. */
export function bytesToText(s: string): string {
  return BEYOND_ASCII.test(s) ? Buffer.from(s, 'latin1').toString('utf8') : s;
}
const BEYOND_ASCII = /[\u0080-\uffff]/;

function withText<T>(decode: () => string, make: (text: string) => T): Read<T> {
  let text: string;
  try {
    text = decode();
  } catch (e) {
    // The size check keeps files within what a string holds; this is the engine's own refusal, if any.
    return { ok: false, reason: `cannot read the file as text: ${errorText(e)}` };
  }
  if (text.trim() === '') return { ok: false, reason: 'empty file (only whitespace)' };
  return { ok: true, value: make(text), warnings: [] };
}

type Encoding = 'utf8' | 'utf16le' | 'utf16be';

/**
 * A file's bytes (a UTF-8 byte order mark left out) and their encoding; what cannot be JSON is refused
 * from its first bytes, before the rest is read.
 */
function readJsonBytes(filePath: string, limits: ReadLimits): Read<{ bytes: Buffer; encoding: Encoding }> {
  let buf: Buffer;
  let encoding: Encoding;
  try {
    const size = fs.statSync(filePath).size;
    if (size === 0) return { ok: false, reason: 'empty file' };
    if (size > limits.maxFileBytes) return { ok: false, reason: tooLarge(size, limits.maxFileBytes) };
    // Look at the start before reading everything: a large garbage file is rejected at once.
    const head = Buffer.alloc(Math.min(size, 4096));
    const fd = fs.openSync(filePath, 'r');
    try {
      fs.readSync(fd, head, 0, head.length, 0);
    } finally {
      fs.closeSync(fd);
    }
    encoding = encodingOf(head);
    const headProblem = checkHead(head, encoding);
    if (headProblem) return { ok: false, reason: headProblem };
    buf = fs.readFileSync(filePath);
  } catch (e) {
    const text = errorText(e);
    return {
      ok: false,
      reason: text.startsWith('ENOENT') ? `file disappeared during the scan (${text})` : `cannot read file: ${text}`,
    };
  }
  const bom = encoding === 'utf8' && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf;
  return { ok: true, value: { bytes: bom ? buf.subarray(3) : buf, encoding }, warnings: [] };
}

function tooLarge(size: number, limit: number): string {
  const mib = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MiB`;
  const why = limit >= MAX_STRING_CHARS ? ', the longest text a JavaScript string can hold' : '';
  return `file too large to read: ${size.toLocaleString('en-US')} bytes (${mib(size)}), over the limit of ${limit.toLocaleString('en-US')} bytes (${mib(limit)}${why}); split it into smaller files`;
}

/** UTF-16 by its byte order mark, or by the zero bytes beside ASCII of a file written without one. */
function encodingOf(head: Buffer): Encoding {
  if (head[0] === 0xff && head[1] === 0xfe) return 'utf16le';
  if (head[0] === 0xfe && head[1] === 0xff) return 'utf16be';
  if (head.length >= 4 && head[0] !== 0 && head[1] === 0 && head[2] !== 0 && head[3] === 0) return 'utf16le';
  if (head.length >= 4 && head[0] === 0 && head[1] !== 0 && head[2] === 0 && head[3] !== 0) return 'utf16be';
  return 'utf8';
}

function decodeUtf16(buf: Buffer, encoding: 'utf16le' | 'utf16be'): string {
  let b = buf.subarray(0, buf.length - (buf.length % 2));
  if (encoding === 'utf16be') b = Buffer.from(b).swap16();
  const text = b.toString('utf16le');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function checkHead(head: Buffer, encoding: Encoding): string | null {
  const text = encoding === 'utf8' ? null : decodeUtf16(head, encoding);
  let i = 0;
  if (text === null && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) i = 3;
  const at = (k: number): number => (text === null ? (head[k] as number) : text.charCodeAt(k));
  const end = text === null ? head.length : text.length;
  while (i < end && (at(i) === 0x20 || at(i) === 0x0a || at(i) === 0x0d || at(i) === 0x09)) i++;
  if (i >= end) return null;
  const c = at(i);
  if (c === 0x5b /* [ */ || c === 0x7b /* { */) return null;
  if (text === null && head.includes(0)) return 'not JSON: the file holds binary data';
  return `not JSON: expected "[" or "{" at the start, found ${describeChar(c)}`;
}

/** A character described by its kind; only punctuation is shown (it says what the file is, not what it holds). */
export function describeChar(c: number): string {
  if ((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)) return 'a letter';
  if (c >= 0x30 && c <= 0x39) return 'a digit';
  if (c === 0x22) return 'a quoted string';
  if (c > 0x20 && c < 0x7f) return `"${String.fromCharCode(c)}"`;
  return c < 0x20 ? 'a control character' : 'a character beyond ASCII';
}

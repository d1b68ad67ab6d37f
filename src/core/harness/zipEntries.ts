// The few entries of a zip archive (an .xlsx workbook) that a reader asks for, each inflated with Node's
// own zlib under a budget of uncompressed bytes: a zip bomb stops at the budget with a clear message,
// whatever sizes its headers claim.
import * as zlib from 'zlib';

/** Uncompressed bytes one workbook may inflate to, all entries read together. */
export const MAX_UNZIPPED_BYTES = 256 * 1024 * 1024;

export type Unzipped = { ok: true; entries: Map<string, Buffer> } | { ok: false; reason: string };

interface Entry {
  method: number;
  compressedSize: number;
  localOffset: number;
}

/** The central directory: entry name → where its data is. */
function centralDirectory(zip: Buffer): Map<string, Entry> | string {
  // The end-of-central-directory record sits in the last 22 bytes plus a comment of up to 64 KiB.
  let eocd = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 0xffff); i--) {
    if (zip.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return 'not a zip archive (no central directory): an .xlsx workbook is one';
  const count = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  if (count === 0xffff || at === 0xffffffff) return 'a ZIP64 archive: workbooks this large are not read';
  const out = new Map<string, Entry>();
  for (let n = 0; n < count; n++) {
    if (at + 46 > zip.length || zip.readUInt32LE(at) !== 0x02014b50) return 'damaged zip archive (central directory)';
    const nameLength = zip.readUInt16LE(at + 28);
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength);
    out.set(name, {
      method: zip.readUInt16LE(at + 10),
      compressedSize: zip.readUInt32LE(at + 20),
      localOffset: zip.readUInt32LE(at + 42),
    });
    at += 46 + nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
  }
  return out;
}

/**
 * Inflates the entries named in `wanted` that exist (a name absent from the archive is simply not in the
 * result). Everything is bounded by `budget` uncompressed bytes.
 */
export function unzipEntries(zip: Buffer, wanted: (name: string) => boolean, budget = MAX_UNZIPPED_BYTES): Unzipped {
  const dir = centralDirectory(zip);
  if (typeof dir === 'string') return { ok: false, reason: dir };
  const entries = new Map<string, Buffer>();
  let left = budget;
  for (const [name, e] of dir) {
    if (!wanted(name)) continue;
    const local = e.localOffset;
    if (local + 30 > zip.length || zip.readUInt32LE(local) !== 0x04034b50)
      return { ok: false, reason: `damaged zip archive (entry ${name})` };
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const data = zip.subarray(start, start + e.compressedSize);
    let out: Buffer;
    if (e.method === 0) out = data;
    else if (e.method === 8) {
      try {
        out = zlib.inflateRawSync(data, { maxOutputLength: Math.max(1, left) });
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || err instanceof RangeError)
          return { ok: false, reason: tooLarge(budget) };
        return { ok: false, reason: `damaged zip archive (entry ${name}: ${(err as Error).message})` };
      }
    } else return { ok: false, reason: `entry ${name} is compressed with method ${e.method}, not deflate` };
    left -= out.length;
    if (left < 0) return { ok: false, reason: tooLarge(budget) };
    entries.set(name, out);
  }
  return { ok: true, entries };
}

function tooLarge(budget: number): string {
  return `the workbook unpacks to more than ${Math.round(budget / 1024 / 1024)} MB (a zip bomb, or far larger than any results sheet): not read`;
}

// Posting lists of one block of texts (textIndex.ts): for each key (a token, a pair of adjacent tokens), the
// block's texts holding it, as ascending local indices, or as a bitmap when that is smaller. A list of c
// texts takes c units (16 bits each when the block has at most 65,536 texts, else 32); a bitmap takes
// ceil(n / bits) units. A key gets a list only when it is shorter than the bitmap, so a range of exactly the
// bitmap's length is a bitmap. The common words of responses are in most texts: as bitmaps they take an
// eighth of a byte a text instead of two bytes.

export interface PostingLists {
  /** The keys, ascending (32 bits when they fit). */
  keys: Int32Array | Float64Array;
  /** Where each key's units start in `units` (one more entry than keys). */
  starts: Int32Array;
  units: Uint16Array | Int32Array;
  /** Texts in the block. */
  n: number;
}

/** Units of a bitmap of `n` texts. */
const bitmapUnits = (n: number, units: Uint16Array | Int32Array): number =>
  Math.ceil(n / (units instanceof Uint16Array ? 16 : 32));

/**
 * The tables a build works in, kept from one block to the next: a new set each block left the process's
 * RSS ~40 MB higher at 10x than the lists themselves (freed memory that was not given back).
 */
export class PostingScratch {
  private slotKey = new Float64Array(0);
  private count = new Int32Array(0);
  private last = new Int32Array(0);
  private slotOf = new Int32Array(0);
  private gathered = new Float64Array(0);

  /** Room for `numbers` numbers (a block's occurrences, gathered before they are grouped); contents undefined. */
  buffer(numbers: number): Float64Array {
    if (this.gathered.length < numbers) this.gathered = new Float64Array(numbers);
    return this.gathered;
  }

  tables(size: number, m: number): { slotKey: Float64Array; count: Int32Array; last: Int32Array; slotOf: Int32Array } {
    if (this.slotKey.length < size) {
      this.slotKey = new Float64Array(size);
      this.count = new Int32Array(size);
      this.last = new Int32Array(size);
    }
    if (this.slotOf.length < m) this.slotOf = new Int32Array(Math.max(m, this.slotOf.length * 2));
    const slotKey = this.slotKey.subarray(0, size).fill(-1);
    const count = this.count.subarray(0, size).fill(0);
    const last = this.last.subarray(0, size).fill(-1);
    return { slotKey, count, last, slotOf: this.slotOf };
  }

  /** Drops the tables (once every block is built). */
  release(): void {
    this.slotKey = new Float64Array(0);
    this.count = new Int32Array(0);
    this.last = new Int32Array(0);
    this.slotOf = new Int32Array(0);
    this.gathered = new Float64Array(0);
  }
}

/**
 * The lists of (key, text) occurrences, given flat as key, text, key, text, ... with texts ascending
 * (repeats of a pair are counted once). Keys are integers from 0 to 2^53.
 */
export function postingLists(
  occurrences: ArrayLike<number>,
  n: number,
  scratch: PostingScratch = new PostingScratch(),
): PostingLists {
  const m = occurrences.length >> 1;
  // An open-addressing table of the keys (Maps cost more than the rest of the index's build).
  let size = 16;
  while (size < 2 * m) size *= 2;
  const mask = size - 1;
  /** A key's first slot: a multiplicative hash of its low 32 bits, mixed with its high bits. */
  const home = (key: number): number => (Math.imul(key | 0, 0x9e3779b1) ^ ((key / 0x100000000) | 0)) & mask;
  const { slotKey, count, last, slotOf } = scratch.tables(size, m);
  let distinct = 0;
  for (let j = 0; j < m; j++) {
    const key = occurrences[2 * j] as number;
    let h = home(key);
    while (slotKey[h] !== key && slotKey[h] !== -1) h = (h + 1) & mask;
    if (slotKey[h] === -1) {
      slotKey[h] = key;
      distinct++;
    }
    slotOf[j] = h;
    const text = occurrences[2 * j + 1] as number;
    if (last[h] !== text) {
      last[h] = text;
      count[h] = (count[h] as number) + 1;
    }
  }
  const sorted = new Float64Array(distinct);
  for (let h = 0, k = 0; h < size; h++) if (slotKey[h] !== -1) sorted[k++] = slotKey[h] as number;
  sorted.sort();
  const keys = (sorted[distinct - 1] ?? 0) <= 0x7fffffff ? Int32Array.from(sorted) : sorted;
  const wide = n > 0x10000;
  const bits = wide ? 32 : 16;
  const bitmap = Math.ceil(n / bits);
  const starts = new Int32Array(distinct + 1);
  // Reused by slot: where the key's next text goes (a list), or -1 - where its bitmap starts.
  const next = count;
  for (let k = 0; k < distinct; k++) {
    const key = keys[k] as number;
    let h = home(key);
    while (slotKey[h] !== key) h = (h + 1) & mask;
    const c = count[h] as number;
    starts[k + 1] = (starts[k] as number) + (c < bitmap ? c : bitmap);
    next[h] = c < bitmap ? (starts[k] as number) : -1 - (starts[k] as number);
  }
  const units = wide ? new Int32Array(starts[distinct] as number) : new Uint16Array(starts[distinct] as number);
  last.fill(-1);
  for (let j = 0; j < m; j++) {
    const h = slotOf[j] as number;
    const text = occurrences[2 * j + 1] as number;
    if (last[h] === text) continue;
    last[h] = text;
    const at = next[h] as number;
    if (at < 0) {
      const unit = -1 - at + Math.floor(text / bits);
      units[unit] = (units[unit] as number) | (1 << (text % bits));
    } else {
      units[at] = text;
      next[h] = at + 1;
    }
  }
  return { keys, starts, units, n };
}

/** Sets `flags[i]` for each text i holding the key at position `k`. */
export function markTexts(p: PostingLists, k: number, flags: Uint8Array): void {
  const from = p.starts[k] as number;
  const to = p.starts[k + 1] as number;
  const units = p.units;
  const bitmap = bitmapUnits(p.n, units);
  if (to - from !== bitmap) {
    for (let j = from; j < to; j++) flags[units[j] as number] = 1;
    return;
  }
  const bits = units instanceof Uint16Array ? 16 : 32;
  for (let w = 0; w < bitmap; w++) {
    let x = units[from + w] as number;
    while (x !== 0) {
      const low = x & -x;
      flags[w * bits + 31 - Math.clz32(low)] = 1;
      x ^= low;
    }
  }
}

/** Bytes held. */
export function postingBytes(p: PostingLists): number {
  return p.keys.byteLength + p.starts.byteLength + p.units.byteLength;
}

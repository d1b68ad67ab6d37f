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
 * The lists of (key, text) occurrences, given flat as key, text, key, text, ... with texts ascending
 * (repeats of a pair are counted once).
 */
export function postingLists(occurrences: readonly number[], n: number): PostingLists {
  const count = new Map<number, number>();
  const last = new Map<number, number>();
  for (let k = 0; k < occurrences.length; k += 2) {
    const key = occurrences[k] as number;
    const text = occurrences[k + 1] as number;
    if (last.get(key) === text) continue;
    last.set(key, text);
    count.set(key, (count.get(key) ?? 0) + 1);
  }
  const sorted = Float64Array.from(count.keys()).sort();
  const keys = (sorted[sorted.length - 1] ?? 0) <= 0x7fffffff ? Int32Array.from(sorted) : sorted;
  const wide = n > 0x10000;
  const bits = wide ? 32 : 16;
  const bitmap = Math.ceil(n / bits);
  const starts = new Int32Array(keys.length + 1);
  const slot = new Map<number, number>();
  for (let k = 0; k < keys.length; k++) {
    const c = count.get(keys[k] as number) as number;
    starts[k + 1] = (starts[k] as number) + (c < bitmap ? c : bitmap);
    slot.set(keys[k] as number, c < bitmap ? (starts[k] as number) : -1 - (starts[k] as number));
  }
  const units = wide ? new Int32Array(starts[keys.length] as number) : new Uint16Array(starts[keys.length] as number);
  last.clear();
  for (let k = 0; k < occurrences.length; k += 2) {
    const key = occurrences[k] as number;
    const text = occurrences[k + 1] as number;
    if (last.get(key) === text) continue;
    last.set(key, text);
    const at = slot.get(key) as number;
    if (at < 0) {
      const unit = -1 - at + Math.floor(text / bits);
      units[unit] = (units[unit] as number) | (1 << (text % bits));
    } else {
      units[at] = text;
      slot.set(key, at + 1);
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

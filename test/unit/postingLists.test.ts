import * as assert from 'node:assert/strict';
import { markTexts, postingLists } from '../../src/core/index/postingLists';
import { prng } from '../support/fixtures';

describe('posting lists of a block (lists and bitmaps)', () => {
  it('gives back each key’s texts, for keys held by one text fewer, as many and one more than a bitmap’s length', () => {
    const rnd = prng(5);
    for (const n of [1, 15, 16, 17, 100, 300, 65_536, 65_537, 70_000]) {
      const units = Math.ceil(n / (n > 0x10000 ? 32 : 16));
      // Key k's texts: a random sample of the size asked (at most n), as a sorted list.
      const sizes = [1, units - 1, units, units + 1, n, Math.floor(rnd() * n) + 1].filter((c) => c >= 1 && c <= n);
      const want = sizes.map((c) => {
        const picked = new Set<number>();
        while (picked.size < c) picked.add(Math.floor(rnd() * n));
        return [...picked].sort((a, b) => a - b);
      });
      // In text order, as a block is read; some texts name a key twice.
      const holds = want.map((texts) => new Set(texts));
      const occurrences: number[] = [];
      for (let text = 0; text < n; text++)
        holds.forEach((texts, key) => {
          if (!texts.has(text)) return;
          occurrences.push(key * 7, text);
          if (rnd() < 0.1) occurrences.push(key * 7, text);
        });
      const p = postingLists(occurrences, n);
      assert.deepEqual(
        [...p.keys],
        want.map((_, k) => k * 7),
        `keys, n = ${n}`,
      );
      want.forEach((texts, k) => {
        const flags = new Uint8Array(n);
        markTexts(p, k, flags);
        const got = [...flags.keys()].filter((i) => flags[i]);
        assert.deepEqual(got, texts, `key ${k} (${texts.length} texts), n = ${n}`);
      });
    }
  });
});

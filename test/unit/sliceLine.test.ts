// Slice discovery against a brute-force enumeration: every conjunction of up to three feature values counted
// row by row, scored by the formula, filtered by support and sorted; the lattice walk with its pruning must
// return exactly the same top slices, with the same counts and scores.
import * as assert from 'node:assert/strict';
import type { Slice, SliceInput } from '../../src/core/slices/sliceLine';
import { findSlices } from '../../src/core/slices/sliceLine';
import { prng } from '../support/fixtures';

function bruteForce(input: SliceInput, alpha: number, minSupport: number, top: number, maxLevel = 3): Slice[] {
  const n = input.failed.length;
  const e = input.failed.filter(Boolean).length / n;
  const F = input.features.length;
  const counts = new Map<string, { where: Record<string, string>; n: number; failed: number }>();
  const subsets: number[][] = [];
  for (let a = 0; a < F; a++) {
    subsets.push([a]);
    for (let b = a + 1; b < F; b++) {
      subsets.push([a, b]);
      for (let c = b + 1; c < F; c++) subsets.push([a, b, c]);
    }
  }
  for (let i = 0; i < n; i++) {
    for (const fs of subsets) {
      if (fs.length > maxLevel) continue;
      const where: Record<string, string> = {};
      for (const f of fs) where[input.features[f] as string] = (input.values[f] as string[])[i] as string;
      const key = JSON.stringify(where);
      const s = counts.get(key) ?? { where, n: 0, failed: 0 };
      s.n++;
      if (input.failed[i]) s.failed++;
      counts.set(key, s);
    }
  }
  // A slice with as many rows as one of its sub-slices (one predicate fewer) holds the same rows: not listed.
  const redundant = (where: Record<string, string>, n: number) => {
    const keys = Object.keys(where);
    return (
      keys.length > 1 &&
      keys.some(
        (k) =>
          counts.get(JSON.stringify(Object.fromEntries(keys.filter((x) => x !== k).map((x) => [x, where[x]]))))?.n ===
          n,
      )
    );
  };
  return [...counts.values()]
    .filter((s) => s.n >= minSupport && !redundant(s.where, s.n))
    .map((s) => ({
      ...s,
      failureRate: s.failed / s.n,
      score: alpha * (s.failed / s.n / e - 1) - (1 - alpha) * (n / s.n - 1),
    }))
    .filter((s) => s.score > 0)
    .sort(
      (a, b) =>
        b.score - a.score || b.failed - a.failed || (JSON.stringify(a.where) < JSON.stringify(b.where) ? -1 : 1),
    )
    .slice(0, top);
}

/** Rows with planted failure pockets, so that some conjunctions stand out and many do not. */
function synthetic(seed: number, rows: number): SliceInput {
  const rnd = prng(seed);
  const features = ['split', 'perspective', 'motion', 'model', 'truthLabel', 'chosenLabel'];
  const card = [2, 3, 4, 7, 6, 7];
  const values: string[][] = features.map(() => []);
  const failed: boolean[] = [];
  for (let i = 0; i < rows; i++) {
    const v = card.map((c) => Math.floor(rnd() * rnd() * c));
    v.forEach((x, f) => (values[f] as string[]).push(`${features[f]}-${x}`));
    let p = 0.3;
    if (v[2] === 1 && v[3] === 2) p = 0.85;
    if (v[0] === 1 && v[4] === 0 && v[5] === 3) p = 0.95;
    if (v[1] === 2) p += 0.1;
    failed.push(rnd() < p);
  }
  return { features, values, failed };
}

describe('slice discovery (SliceLine)', () => {
  for (const [seed, alpha, minSupport, top] of [
    [1, 0.95, 20, 10],
    [2, 0.98, 100, 20],
    [3, 0.99, 5, 15],
    [4, 0.97, 60, 5],
  ] as const) {
    it(`finds the same top ${top} slices as a brute-force count (seed ${seed}, α ${alpha}, support ${minSupport})`, () => {
      const input = synthetic(seed, 3000);
      const got = findSlices(input, { alpha, minSupport, top });
      const want = bruteForce(input, alpha, minSupport, top);
      assert.ok(want.length > 0);
      assert.equal(got.slices.length, want.length);
      got.slices.forEach((s, i) => {
        const w = want[i] as Slice;
        assert.deepEqual(s.where, w.where, `slice ${i}`);
        assert.equal(s.n, w.n);
        assert.equal(s.failed, w.failed);
        assert.ok(Math.abs(s.score - w.score) < 1e-12);
      });
    });
  }

  it('finds the same slices as a brute-force count with a feature of many values (its counts kept by key)', () => {
    // Most rows a clip of their own; clip-7 on a pocket of model-2 answering chosenLabel-3, all failed, and
    // on as many other rows: the pocket is a slice of three predicates, counted by key (too many cells).
    const base = synthetic(5, 600);
    const rnd = prng(6);
    const at = (f: string, i: number) => (base.values[base.features.indexOf(f)] as string[])[i];
    const pocket = (i: number) => at('model', i) === 'model-2' && at('chosenLabel', i) === 'chosenLabel-0';
    const clips = base.failed.map((_, i) => (pocket(i) || rnd() < 0.05 ? 'clip-7' : `clip-${Math.floor(rnd() * 400)}`));
    const input: SliceInput = {
      features: [...base.features, 'clip'],
      values: [...base.values, clips],
      failed: base.failed.map((f, i) => f || pocket(i)),
    };
    const got = findSlices(input, { minSupport: 4, top: 15 });
    const want = bruteForce(input, 0.95, 4, 15);
    assert.ok(
      want.some((s) => 'clip' in s.where && Object.keys(s.where).length === 3),
      'a slice of three predicates names a clip',
    );
    assert.deepEqual(
      got.slices.map((s) => [s.where, s.n, s.failed]),
      want.map((s) => [s.where, s.n, s.failed]),
    );
  });

  it('prunes: counts fewer candidates than there are conjunctions', () => {
    const input = synthetic(5, 3000);
    const r = findSlices(input, { alpha: 0.95, minSupport: 40, top: 5 });
    assert.ok(r.pruned.reduce((a, b) => a + b, 0) > 0);
    assert.deepEqual(
      r.slices,
      bruteForce(input, 0.95, 40, 5).map((s) => ({ ...s })),
    );
  });

  it('stops at the level asked for, and finds nothing when nothing fails more than average', () => {
    const input = synthetic(6, 1000);
    const one = findSlices(input, { maxLevel: 1, minSupport: 10, top: 50 });
    assert.ok(one.slices.every((s) => Object.keys(s.where).length === 1));
    assert.deepEqual(one.slices, bruteForce(input, 0.95, 10, 50, 1));
    const flat: SliceInput = { features: ['a'], values: [['x', 'y', 'x', 'y']], failed: [true, true, true, true] };
    assert.deepEqual(findSlices(flat, { minSupport: 1 }).slices, []);
  });

  it('does not list a slice holding exactly the rows of one of its sub-slices', () => {
    const base = synthetic(7, 2000);
    // A feature with one value everywhere, and one that repeats another feature: neither narrows anything.
    const input: SliceInput = {
      features: [...base.features, 'promptMode', 'copy'],
      values: [...base.values, base.failed.map(() => 'cot'), [...(base.values[3] as string[])]],
      failed: base.failed,
    };
    const r = findSlices(input, { minSupport: 10, top: 30 });
    assert.ok(r.slices.length > 0);
    assert.ok(r.slices.every((s) => !('promptMode' in s.where) && !('copy' in s.where && 'model' in s.where)));
    assert.deepEqual(r.slices, bruteForce(input, 0.95, 10, 30));
  });
});

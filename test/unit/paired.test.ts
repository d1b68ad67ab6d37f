import * as assert from 'node:assert/strict';
import type { PairedItem } from '../../src/core/compare/paired';
import { mcnemarExactP, pairedCounts, pairedStats, seededRandom } from '../../src/core/compare/paired';

/** Two-sided exact binomial p at 1/2, summed with exact integers: the independent check of McNemar's p. */
function binomialP(fixed: number, broken: number): number {
  const n = fixed + broken;
  if (!n) return 1;
  let c = 1n;
  let tail = 0n;
  for (let i = 0; i <= Math.min(fixed, broken); i++) {
    tail += c;
    c = (c * BigInt(n - i)) / BigInt(i + 1);
  }
  return Math.min(1, (2 * Number((tail * 10n ** 15n) / 2n ** BigInt(n))) / 1e15);
}

/** `clips` clips of `per` questions each, where every question of a clip agrees (the worst case for independence). */
function clustered(clips: number, per: number, seed: number): PairedItem[] {
  const random = seededRandom(seed);
  const out: PairedItem[] = [];
  for (let c = 0; c < clips; c++) {
    const a = random() < 0.55;
    const b = random() < 0.6;
    for (let q = 0; q < per; q++) out.push({ cluster: `clip${c}`, a, b });
  }
  return out;
}

describe('paired comparison of two runs', () => {
  it('counts every kind of pair as a brute-force tally does', () => {
    const items = clustered(300, 2, 5).map((x, i) => ({ ...x, a: i % 3 === 0 ? !x.a : x.a }));
    const c = pairedCounts(items);
    const count = (f: (x: PairedItem) => boolean) => items.filter(f).length;
    assert.deepEqual(c, {
      n: items.length,
      aCorrect: count((x) => x.a),
      bCorrect: count((x) => x.b),
      bothCorrect: count((x) => x.a && x.b),
      onlyAFailed: count((x) => !x.a && x.b),
      onlyBFailed: count((x) => x.a && !x.b),
      bothFailed: count((x) => !x.a && !x.b),
    });
    assert.equal(c.bothCorrect + c.onlyAFailed + c.onlyBFailed + c.bothFailed, c.n);
  });

  it("gives McNemar's exact p-value of a direct binomial sum, also for thousands of pairs", () => {
    for (const [f, b] of [
      [0, 0],
      [1, 0],
      [5, 5],
      [3, 12],
      [40, 25],
      [200, 260],
      [900, 1100],
    ] as const) {
      const want = binomialP(f, b);
      const got = mcnemarExactP(f, b);
      assert.ok(Math.abs(got - want) <= 1e-9 + 1e-9 * want, `${f}/${b}: ${got} vs ${want}`);
    }
    assert.equal(mcnemarExactP(7, 3), mcnemarExactP(3, 7), 'symmetric');
  });

  it('is reproducible for a seed, and the interval holds the difference', () => {
    const items = clustered(400, 2, 9);
    const s1 = pairedStats(items, { seed: 3 });
    const s2 = pairedStats(items, { seed: 3 });
    assert.deepEqual(s1, s2);
    assert.equal(s1.delta, (s1.bCorrect - s1.aCorrect) / s1.n);
    const [lo, hi] = s1.ci95 as [number, number];
    assert.ok(lo <= (s1.delta as number) && (s1.delta as number) <= hi);
  });

  it('resamples clips, not questions: with one question a clip both intervals agree; with k agreeing questions a clip it is about sqrt(k) wider', () => {
    const single = pairedStats(clustered(500, 1, 11), { seed: 4 });
    assert.deepEqual(single.ci95, single.ci95Naive, 'each clip one question: the same draws, the same interval');
    const four = pairedStats(clustered(500, 4, 11), { seed: 4 });
    const width = (ci: [number, number] | null) => (ci ? ci[1] - ci[0] : NaN);
    const ratio = width(four.ci95) / width(four.ci95Naive);
    assert.ok(ratio > 1.6 && ratio < 2.5, `clustered / naive width ${ratio.toFixed(2)} (sqrt(4) = 2 expected)`);
    // Four copies of each clip's question add no evidence: the clustered interval is the one of the clips alone.
    assert.deepEqual(four.ci95, single.ci95);
  });

  it('has no difference or interval for no pairs', () => {
    const s = pairedStats([]);
    assert.equal(s.n, 0);
    assert.equal(s.delta, null);
    assert.equal(s.ci95, null);
    assert.equal(s.mcnemarP, 1);
  });
});

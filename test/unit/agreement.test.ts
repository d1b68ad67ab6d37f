// Reviewer agreement: Cohen's kappa per tag and for verdict overrides against a direct computation from the
// definition (observed agreement and chance agreement counted item by item), on seeded random annotations.
import * as assert from 'node:assert/strict';
import { agreement, cohensKappa } from '../../src/core/agreement';
import type { Annotations } from '../../src/core/annotations/format';
import { emptyAnnotations } from '../../src/core/annotations/format';
import { prng } from '../support/fixtures';

const TAGS = ['direction-reversal', 'missed-motion', 'judge-error'];

/** Two reviewers: B copies A most of the time; some keys only one of them annotated. */
function reviewers(seed: number): { a: Annotations; b: Annotations } {
  const rnd = prng(seed);
  const a = emptyAnnotations();
  const b = emptyAnnotations();
  for (let i = 0; i < 200; i++) {
    const key = `real/cot/m_8frame/validation_${i}`;
    const tagsA = TAGS.filter(() => rnd() < 0.3);
    const tagsB = TAGS.filter((t) => (rnd() < 0.8 ? tagsA.includes(t) : rnd() < 0.3));
    const verdict = (x: number) => (x < 0.2 ? 'correct' : x < 0.4 ? 'wrong' : undefined);
    const va = verdict(rnd());
    const vb = rnd() < 0.7 ? va : verdict(rnd());
    const onlyOne = rnd() < 0.1;
    a.predictions[key] = { tags: tagsA, note: 'n', updated: '', ...(va ? { verdict: va } : {}) };
    if (!onlyOne) b.predictions[key] = { tags: tagsB, note: '', updated: '', ...(vb ? { verdict: vb } : {}) };
  }
  b.predictions['synthetic/cot/m_8frame/validation_999'] = { tags: ['judge-error'], note: '', updated: '' };
  return { a, b };
}

/** Kappa straight from its definition over paired labels. */
function directKappa(pairs: [string, string][]): number | null {
  const n = pairs.length;
  const po = pairs.filter(([x, y]) => x === y).length / n;
  const cats = [...new Set(pairs.flat())];
  const pe = cats.reduce(
    (s, c) => s + (pairs.filter(([x]) => x === c).length / n) * (pairs.filter(([, y]) => y === c).length / n),
    0,
  );
  return pe === 1 ? null : (po - pe) / (1 - pe);
}

describe('agreement between reviewers', () => {
  it("gives each tag's and the verdicts' kappa as computed directly, over the predictions both annotated", () => {
    for (const seed of [1, 2, 3]) {
      const { a, b } = reviewers(seed);
      const r = agreement(a, b);
      const common = Object.keys(a.predictions).filter((k) => b.predictions[k]);
      assert.equal(r.n, common.length);
      assert.ok(r.n < 200 && r.n > 150);
      for (const tag of TAGS) {
        const t = r.tags.find((x) => x.tag === tag);
        assert.ok(t, tag);
        const pairs = common.map((k): [string, string] => [
          String(a.predictions[k]?.tags.includes(tag)),
          String(b.predictions[k]?.tags.includes(tag)),
        ]);
        assert.ok(Math.abs((t.kappa ?? NaN) - (directKappa(pairs) ?? NaN)) < 1e-12, tag);
        assert.equal(t.both + t.onlyA + t.onlyB + t.neither, r.n);
        assert.equal(t.both, pairs.filter(([x, y]) => x === 'true' && y === 'true').length);
      }
      const vpairs = common.map((k): [string, string] => [
        a.predictions[k]?.verdict ?? 'none',
        b.predictions[k]?.verdict ?? 'none',
      ]);
      assert.ok(Math.abs((r.verdict.kappa ?? NaN) - (directKappa(vpairs) ?? NaN)) < 1e-12);
      assert.equal(r.verdict.agree, vpairs.filter(([x, y]) => x === y).length);
      // Every prediction where tags or verdicts differ, and no other.
      const differ = common.filter(
        (k) =>
          [...(a.predictions[k]?.tags ?? [])].sort().join() !== [...(b.predictions[k]?.tags ?? [])].sort().join() ||
          (a.predictions[k]?.verdict ?? 'none') !== (b.predictions[k]?.verdict ?? 'none'),
      );
      assert.deepEqual(
        r.disagreements.map((d) => d.key),
        differ.sort(),
      );
    }
  });

  it('is 1 for identical files, null when nobody used a tag, and -1 for exact opposites', () => {
    const { a } = reviewers(4);
    const same = agreement(a, structuredClone(a), ['never-used']);
    assert.ok(same.tags.filter((t) => t.tag !== 'never-used').every((t) => t.kappa === 1 || t.kappa === null));
    assert.equal(same.tags.find((t) => t.tag === 'never-used')?.kappa, null);
    assert.deepEqual(same.disagreements, []);
    assert.equal(
      cohensKappa([
        [0, 5],
        [5, 0],
      ]),
      -1,
    );
    assert.equal(
      cohensKappa([
        [0, 0],
        [0, 0],
      ]),
      null,
    );
  });
});

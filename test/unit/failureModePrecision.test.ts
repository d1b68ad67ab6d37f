// The detectors' measured precision: the Wilson interval against published values, and the committed
// figures (src/core/failureModePrecision.ts, docs/failure-modes/precision.json) recomputed from the committed
// blind sample and the reviewers' labels, so that they cannot drift from what was labelled.
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { DETECTORS } from '../../src/core/failureModes';
import { DETECTOR_PRECISION } from '../../src/core/failureModePrecision';
import type { SampleItem } from '../../src/core/failureModeSample';
import { measurePrecision, wilson } from '../../src/core/failureModeSample';

const DIR = path.resolve(__dirname, '..', '..', 'docs', 'failure-modes');
const close = (a: number, b: number, tol = 5e-4) => Math.abs(a - b) < tol;

describe('failure-mode precision on the blind sample', () => {
  it('computes Wilson 95% intervals as published (Newcombe 1998, Table I)', () => {
    // 81/263: 0.2553–0.3662; 15/148: 0.0624–0.1605; 0/20: 0–0.1611; 1/29: 0.0061–0.1718.
    for (const [k, n, lo, hi] of [
      [81, 263, 0.2553, 0.3662],
      [15, 148, 0.0624, 0.1605],
      [0, 20, 0, 0.1611],
      [1, 29, 0.0061, 0.1718],
    ] as const) {
      const [l, h] = wilson(k, n);
      assert.ok(close(l, lo) && close(h, hi), `${k}/${n}: ${l}, ${h}`);
    }
  });

  it('the committed precision follows from the committed sample and labels', () => {
    const committed = JSON.parse(fs.readFileSync(path.join(DIR, 'precision.json'), 'utf8')) as {
      labels: string[];
      items: SampleItem[];
    };
    const sample = fs
      .readFileSync(path.join(DIR, 'sample.jsonl'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => (JSON.parse(l) as { id: string }).id);
    assert.deepEqual([...sample].sort(), committed.items.map((i) => i.id).sort());
    const labels = committed.labels.map(
      (f) =>
        new Map(
          fs
            .readFileSync(path.join(DIR, f), 'utf8')
            .split('\n')
            .filter(Boolean)
            .map((l) => JSON.parse(l) as { id: string; tags: string[] })
            .map((x) => [x.id, x.tags] as const),
        ),
    );
    assert.equal(labels.length, 2, 'two reviewers');
    // At least 30 per detector, drawn for it (a uniform sample of what it flags).
    const m = measurePrecision(committed.items, labels);
    for (const d of m.detectors) {
      assert.ok(d.sample >= 30, d.tag);
      const c = DETECTOR_PRECISION[d.tag];
      assert.ok(c, `${d.tag} measured`);
      assert.equal(c.sample, d.sample);
      assert.ok(close(c.precision, d.precision, 1e-12) && close(c.low, d.low, 1e-12) && close(c.high, d.high, 1e-12));
      // By hand: the share each reviewer confirmed.
      const mine = committed.items.filter((i) => i.drawnFor.includes(d.tag) && i.flags.includes(d.tag));
      const shares = labels.map((l) => mine.filter((i) => l.get(i.id)?.includes(d.tag)).length / mine.length);
      assert.ok(close(d.precision, ((shares[0] as number) + (shares[1] as number)) / 2, 1e-12));
    }
    assert.deepEqual(Object.keys(DETECTOR_PRECISION).sort(), [...DETECTORS].sort());
  });
});

// The failure list's frame-sampling and prediction-key filters: exactly the rows a pass over all rows picks by
// the same field, with the facet counts taken under them; hostile values are values, never SQL.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import type { PredictionRow } from '../../src/core/index/query';
import { parseFilters } from '../../src/protocol/failuresValidate';
import { dashboardFixture } from '../support/dashboardFixture';

const wasm = path.join(__dirname, '..', '..', 'node_modules', 'sql.js', 'dist', 'sql-wasm.wasm');
const keysOf = (rows: PredictionRow[]) => rows.map((r) => `${r.id} ${r.key}`).sort();

describe('sampling and key filters of the failure list', () => {
  it('lists exactly the rows of each sampling, and of a set of keys (every prediction of a key)', async () => {
    const f = await dashboardFixture(wasm);
    try {
      const all = f.index.query({ limit: 10_000 }).rows;
      const samplings = [...new Set(all.map((r) => r.samplingLabel))];
      assert.ok(samplings.length >= 2, `the fixture has several samplings (${samplings.join(', ')})`);
      for (const s of samplings) {
        const res = f.index.query({ samplingLabel: [s], limit: 10_000 });
        assert.deepEqual(keysOf(res.rows), keysOf(all.filter((r) => r.samplingLabel === s)), s);
        assert.equal(res.total, res.rows.length);
        // The facet counts are taken under the filter: the outcomes add up to its rows.
        const byOutcome = Object.values(res.facets.outcome).reduce((a, b) => a + b, 0);
        assert.equal(byOutcome, res.rows.length, `outcome counts under ${s}`);
      }
      // A key shared by a raw and a judged copy of one run lists both; a key of nothing lists nothing.
      const shared = all.find((r) => all.some((o) => o.key === r.key && o.id !== r.id));
      assert.ok(shared, 'the fixture has a key held by two files');
      const chosen = [shared.key, (all[3] as PredictionRow).key, (all[17] as PredictionRow).key];
      const res = f.index.query({ keys: [...chosen, 'real/cot/nobody_8frame/validation_1'], limit: 10_000 });
      assert.deepEqual(keysOf(res.rows), keysOf(all.filter((r) => chosen.includes(r.key))));
      assert.equal(f.index.query({ keys: ['not a key'], limit: 0 }).total, 0);
      assert.equal(f.index.query({ keys: ["real/cot/x'); DROP TABLE runs; --/q"], limit: 0 }).total, 0);
      assert.equal(f.index.query({ samplingLabel: ["' OR 1=1 --"], limit: 0 }).total, 0);
      assert.equal(f.index.query({ limit: 0 }).total, all.length, 'the index is whole after hostile values');
    } finally {
      f.index.close();
    }
  });

  it('the host accepts sampling labels and keys from a view only as short lists of strings', () => {
    assert.deepEqual(parseFilters({ samplingLabel: ['32frame', '', '32frame'], keys: ['a/b/c/d'] }), {
      samplingLabel: ['32frame', ''],
      keys: ['a/b/c/d'],
    });
    assert.equal(parseFilters({ samplingLabel: [3] }), null);
    assert.equal(parseFilters({ keys: [''] }), null);
    assert.equal(parseFilters({ keys: 'a/b/c/d' }), null);
    assert.equal(parseFilters({ keys: Array.from({ length: 20_001 }, (_, i) => `k${i}`) }), null);
  });
});

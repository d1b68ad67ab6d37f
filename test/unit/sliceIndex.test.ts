// Slices from the index: each slice's size and failures equal a count over the failure list's own rows
// (every graded prediction, read through the query API), under the filters given.
import * as assert from 'node:assert/strict';
import { NO_ANSWER_LABEL, answerLabel, answerLabelOfChoice } from '../../src/core/answerLabels';
import type { PredictionRow } from '../../src/core/index/query';
import { ResultIndex } from '../../src/core/index/resultIndex';
import { loadSqlJs } from '../../src/core/index/sqlite';
import { makeResultsFolder } from '../support/fixtures';

function fieldsOf(index: ResultIndex, r: PredictionRow): Record<string, string> {
  const d = index.prediction(r.id);
  assert.ok(d);
  return {
    split: r.split,
    perspective: r.perspective,
    motion: r.motion,
    source: r.source,
    model: r.model,
    promptMode: r.promptMode,
    samplingLabel: r.samplingLabel,
    truthLabel: answerLabel(r.groundTruth),
    chosenLabel: r.chosen ? answerLabelOfChoice(d.choices, r.chosen, r.groundTruth) : NO_ANSWER_LABEL,
  };
}

describe('slices from the index', () => {
  it('counts each slice exactly as the rows say, under the filters, best score first', async () => {
    const { dir } = makeResultsFolder();
    const index = new ResultIndex(await loadSqlJs());
    index.setRoots([dir]);
    await index.sync();
    for (const filter of [{}, { split: ['real' as const] }]) {
      const rows = index
        .query({ ...filter, outcome: ['failed', 'correct'], limit: 5000 })
        .rows.map((r) => ({ f: fieldsOf(index, r), failed: r.outcome === 'failed' }));
      const res = index.slices(filter, { minSupport: 5, top: 15 });
      assert.equal(res.n, rows.length);
      assert.equal(res.failed, rows.filter((r) => r.failed).length);
      assert.ok(res.slices.length > 0);
      for (const s of res.slices) {
        const inside = rows.filter((r) => Object.entries(s.where).every(([k, v]) => r.f[k] === v));
        assert.equal(s.n, inside.length, JSON.stringify(s.where));
        assert.equal(s.failed, inside.filter((r) => r.failed).length);
        assert.ok(s.n >= 5);
      }
      for (let i = 1; i < res.slices.length; i++)
        assert.ok((res.slices[i - 1]?.score ?? 0) >= (res.slices[i]?.score ?? 0));
    }
    index.close();
  });
});

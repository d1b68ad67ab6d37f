// Slices from the index: each slice's size and failures equal a count over the failure list's own rows
// (every graded prediction, read through the query API), under the filters given; and the whole answer equals
// slice discovery over those rows, one per prediction (the index folds the predictions into counted
// combinations first).
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import { NO_ANSWER_LABEL, answerLabel, answerLabelOfChoice } from '../../src/core/answerLabels';
import type { PredictionRow } from '../../src/core/index/query';
import type { ResultIndex } from '../../src/core/index/resultIndex';
import type { Annotations } from '../../src/core/annotations/format';
import { findSlices } from '../../src/core/slices/sliceLine';
import { SLICE_FEATURES } from '../../src/core/slices/sliceFeatures';
import type { SliceFilter } from '../../src/core/index/sliceData';
import { openIndex } from '../support/openIndex';
import * as path from 'path';
import type { FixtureQuestion } from '../support/fixtures';
import { FIXTURE_MODELS, judge, makeResultsFolder, realQuestions, writeJson } from '../support/fixtures';

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
    const index = await openIndex(dir);
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

  it('equals slice discovery over one row per prediction, under each facet filter and after an override', async () => {
    const { dir } = makeResultsFolder();
    // Forty more real questions like the first: their predictions share every feature, many to a combination.
    const base = realQuestions()[0] as FixtureQuestion;
    const questions = [
      ...realQuestions(),
      ...Array.from({ length: 40 }, (_, k) => ({ ...base, id: `validation_${1000 + k}` })),
    ];
    writeJson(path.join(dir, 'data', 'real_mc.json'), questions);
    for (const m of FIXTURE_MODELS)
      writeJson(path.join(dir, 'processed_outputs', 'real_mc_cot', m.file), judge(questions, m.seed, m.skill));
    // A model that often gives no valid answer (the chosen label "no answer").
    const silent = judge(questions, 5, 0.5).map((r, i) =>
      i % 3 ? r : { ...r, extracted_answer: 'No valid answer', correct: false },
    );
    writeJson(path.join(dir, 'processed_outputs', 'real_mc_cot', 'delta_4frame.json'), silent);
    const index = await openIndex(dir);
    const options = { minSupport: 3, top: 25 };
    const perPrediction = (filter: SliceFilter) => {
      const rows = index
        .query({ ...filter, outcome: ['failed', 'correct'], limit: 5000 })
        .rows.map((r) => ({ f: fieldsOf(index, r), failed: r.outcome === 'failed' }));
      return findSlices(
        {
          features: SLICE_FEATURES,
          values: SLICE_FEATURES.map((k) => rows.map((r) => r.f[k] as string)),
          failed: rows.map((r) => r.failed),
        },
        options,
      );
    };
    const filters: SliceFilter[] = [
      {},
      { perspective: ['egocentric'] },
      { motion: ['rotational', 'translational'], split: ['real'] },
      { source: ['davis'], promptMode: ['cot'] },
      { model: ['beta-vl'] },
    ];
    const check = (when: string) => {
      for (const filter of filters) {
        const expected = perPrediction(filter);
        assert.ok(expected.n > 0, `${JSON.stringify(filter)} holds predictions`);
        assert.deepEqual(index.slices(filter, options), expected, `${JSON.stringify(filter)} ${when}`);
      }
    };
    const rows = index.query({ outcome: ['failed', 'correct'], limit: 5000 }).rows;
    const combinations = new Set(rows.map((r) => JSON.stringify([fieldsOf(index, r), r.outcome])));
    assert.ok(combinations.size < rows.length - 50, 'many predictions share a combination of features');
    assert.ok(rows.filter((r) => r.chosen === null).length > 10, 'some give no answer');
    check('after indexing');
    const failed = index.query({ outcome: ['failed'], perspective: ['egocentric'], limit: 1 }).rows[0];
    assert.ok(failed);
    const updated = '2026-12-01T10:00:00.000Z';
    index.setAnnotations([
      {
        root: dir,
        data: {
          tags: [],
          predictions: { [failed.key]: { tags: [], note: '', updated, verdict: 'correct' } },
          questions: {},
        },
      },
    ]);
    check('after an override');
    index.close();
  });

  it('answers again at once after a tag, and from the new data after an override or a sync', async () => {
    const { dir, judged } = makeResultsFolder();
    const index = await openIndex(dir);
    const options = { minSupport: 5, top: 15 };
    const first = index.slices({}, options);
    const failed = index.query({ outcome: ['failed'], limit: 1 }).rows[0];
    assert.ok(failed);
    const updated = '2026-12-01T10:00:00.000Z';
    const annotations = (verdict?: 'correct'): Annotations => ({
      tags: [],
      predictions: {
        [failed.key]: { tags: ['perspective-confusion'], note: 'a note', updated, ...(verdict ? { verdict } : {}) },
      },
      questions: {},
    });
    // A tag and a note change nothing slice discovery reads: the answer kept is given again, not recomputed.
    index.setAnnotations([{ root: dir, data: annotations() }]);
    assert.equal(index.slices({}, options), first);
    // An override turns a failure into a success: the slices count it so.
    index.setAnnotations([{ root: dir, data: annotations('correct') }]);
    const after = index.slices({}, options);
    assert.equal(after.n, first.n);
    assert.equal(after.failed, first.failed - 1);
    assert.equal(
      index.slices({ split: ['real'] }, options).n,
      index.query({ split: ['real'], outcome: ['failed', 'correct'], limit: 0 }).total,
      'other filters are another question',
    );
    // Files re-read (no override left to apply): the predictions changed.
    index.setAnnotations([]);
    assert.equal(index.slices({}, options).failed, first.failed);
    fs.rmSync([...judged.keys()][0] as string);
    await index.sync();
    const graded = index.query({ outcome: ['failed', 'correct'], limit: 0 }).total;
    assert.ok(graded < first.n);
    assert.equal(index.slices({}, options).n, graded);
    index.close();
  });
});

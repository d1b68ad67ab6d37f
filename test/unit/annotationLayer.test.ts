import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import type { Annotations } from '../../src/core/annotations/format';
import { accuracyTables } from '../../src/core/accuracyTable';
import type { FixtureJudged } from '../support/fixtures';
import { makeResultsFolder, writeJson } from '../support/fixtures';
import { assertCountsMatchTable } from '../support/indexCounts';
import { openIndex } from '../support/openIndex';

const at = '2026-11-28T10:00:00.000Z';

describe('annotations laid over the index', () => {
  it('filters by tag, note and override with counts, and every count uses the corrected verdict', async () => {
    const { dir, judged } = makeResultsFolder();
    const index = await openIndex(dir);
    // Two failed and one correct prediction of one model on the real split, read from the fixture files.
    const file = [...judged].find(
      ([f, rs]) => f.includes('real_mc_cot') && rs.filter((r) => !r.correct).length >= 2 && rs.some((r) => r.correct),
    )?.[0] as string;
    assert.ok(file, 'the fixture has a model with two failures and a correct answer');
    const stem = path.basename(file, '.json');
    const records = judged.get(file) as FixtureJudged[];
    const failed = records.filter((r) => !r.correct).slice(0, 2);
    const correct = records.find((r) => r.correct) as FixtureJudged;
    const key = (id: string) => `real/cot/${stem}/${id}`;
    const f0 = failed[0] as FixtureJudged;
    const f1 = failed[1] as FixtureJudged;
    const data: Annotations = {
      tags: ['my-tag'],
      predictions: {
        [key(f0.id)]: { tags: ['perspective-confusion'], note: 'pans left', verdict: 'correct', updated: at },
        [key(f1.id)]: { tags: ['perspective-confusion', 'judge-error'], note: '', updated: at },
        [key(correct.id)]: { tags: [], note: '', verdict: 'wrong', updated: at },
        'real/cot/retired_8frame/validation_1': { tags: ['judge-error'], note: '', updated: at },
      },
      questions: { [`real/${f1.id}`]: { tags: ['ambiguous-question'], note: 'two answers fit', updated: at } },
    };
    const before = index.counts();
    const judgeTable = accuracyTables(index, { verdict: 'judge' });
    index.setAnnotations([{ root: dir, data }]);

    // Brute force: which predictions carry the tags (a question's tags reach all its predictions).
    const questionPreds = index
      .query({ text: '', limit: 10_000 })
      .rows.filter((r) => r.split === 'real' && r.qid === f1.id);
    const tagged = index.query({ tags: ['perspective-confusion'], outcome: [], limit: 100 });
    assert.equal(tagged.total, 2);
    const ambiguous = index.query({ tags: ['ambiguous-question'], limit: 100 });
    assert.equal(ambiguous.total, questionPreds.length);
    assert.equal(index.query({ hasNote: true, limit: 100 }).total, 1 + questionPreds.length);
    assert.equal(index.query({ overridden: true, limit: 100 }).total, 2);
    // Counts beside the annotation filters, under the other filters (here: failed only).
    const failedOnly = index.query({ outcome: ['failed'], limit: 0 });
    assert.equal(
      failedOnly.annotations?.tags['perspective-confusion'],
      1,
      'f0 is corrected to correct, f1 is still failed',
    );
    assert.equal(failedOnly.annotations?.overridden, 1, 'the correct one overridden to wrong');

    // The corrected verdicts in every count; the judge's verdict stays visible.
    const after = index.counts();
    assertCountsMatchTable(index, 'with overrides');
    assert.equal(after.failures, before.failures - 1 + 1);
    const row0 = index
      .query({ tags: ['perspective-confusion'], text: '', limit: 10 })
      .rows.find((r) => r.qid === f0.id);
    assert.ok(row0);
    assert.equal(row0.outcome, 'correct');
    assert.equal(row0.annotation?.verdict, 'correct');
    assert.equal(index.prediction(row0.id)?.judgeCorrect, false);
    const effective = accuracyTables(index, { verdict: 'effective' });
    assert.deepEqual(accuracyTables(index, { verdict: 'judge' }), judgeTable, 'the judge table is unchanged');
    // This model's real row: one failure corrected to correct, one correct answer overridden to wrong.
    const realCorrect = (tables: typeof judgeTable) => {
      const row = tables[0]?.rows.find((r) => r.file.startsWith(stem));
      assert.ok(row);
      return { exo: row.counts.realExo.correct, ego: row.counts.realEgo.correct };
    };
    const exo = (id: string) => Number(id.split('_')[1]) <= 922;
    const j = realCorrect(judgeTable);
    const e = realCorrect(effective);
    assert.equal(e.exo - j.exo, (exo(f0.id) ? 1 : 0) - (exo(correct.id) ? 1 : 0));
    assert.equal(e.ego - j.ego, (exo(f0.id) ? 0 : 1) - (exo(correct.id) ? 0 : 1));

    // Orphans: kept in the data, reported.
    assert.deepEqual(index.annotationOrphans(), [
      { root: dir, kind: 'prediction', key: 'real/cot/retired_8frame/validation_1' },
    ]);

    // Re-reading the file (new prediction ids) keeps the overrides and tags on.
    fs.utimesSync(file, new Date(), new Date(Date.now() + 5000));
    writeJson(file, records);
    fs.utimesSync(file, new Date(), new Date(Date.now() + 5000));
    assert.equal((await index.sync({ forcePaths: [file] })).filesRead, 1);
    assert.equal(index.query({ overridden: true, limit: 100 }).total, 2);
    assert.equal(index.query({ tags: ['perspective-confusion'], limit: 100 }).total, 2);

    // Clearing the annotations restores the judges' verdicts.
    index.setAnnotations([]);
    assert.deepEqual(index.counts(), before);
    assert.equal(index.query({ overridden: true, limit: 0 }).total, 0);
    index.close();
  });
});

import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { accuracyTables } from '../../src/core/accuracyTable';
import type { AccuracyTable } from '../../src/core/accuracyTypes';
import { formatPredictionKey } from '../../src/core/index/predictionKey';
import type { FailureQuery } from '../../src/core/index/query';
import type { ResultIndex } from '../../src/core/index/resultIndex';
import {
  JUDGED_FORMATS,
  type FixturePrediction,
  MODEL,
  RAW_FORMATS,
  fixturePredictions,
  harnessFolder,
  indexedPredictions,
} from '../support/harnessFixtures';
import { openIndex } from '../support/openIndex';

/** The predictions every fixture folder holds, as indexedPredictions lists them: computed from predictions.json alone. */
function expected(outcome: (correct: boolean) => string): string[] {
  const out: string[] = [];
  for (const [split, preds] of Object.entries(fixturePredictions()) as ['real' | 'synthetic', FixturePrediction[]][])
    for (const p of preds) {
      const key = formatPredictionKey({ split, promptMode: 'cot', model: MODEL, samplingLabel: '32frame', qid: p.id });
      out.push([key, split, p.id, MODEL, '32frame', 'cot', outcome(p.correct), p.letter ?? '-'].join(' '));
    }
  return out.sort();
}

/** A table's rows as numbers, named without the authors' `.json` (a harness run has no such file). */
function tableRows(tables: AccuracyTable[]): unknown[] {
  return tables.flatMap((t) =>
    t.rows.map((r) => ({ ...r, file: r.file.replace(/\.json$/, ''), grader: t.grader, prompt: t.promptMode })),
  );
}

/** Facet counts under a query; the grader facet left out (a VLMEvalKit prediction file beside its judged companion is an ungraded copy, which the authors' judged folder does not have). */
const facetsOf = (index: ResultIndex, q: FailureQuery) => {
  const { facets, total } = index.query({ ...q, limit: 0 });
  const rest: Partial<typeof facets> = { ...facets };
  delete rest.grader;
  return { total, facets: rest };
};

describe('harness results (lmms-eval, VLMEvalKit): the same predictions as in the authors layout', () => {
  let authorsJudged: ResultIndex;
  let authorsRaw: ResultIndex;
  before(async () => {
    authorsJudged = await openIndex(harnessFolder('authors-judged'));
    authorsRaw = await openIndex(harnessFolder('authors-raw'));
  });
  after(() => {
    authorsJudged.close();
    authorsRaw.close();
  });

  for (const format of JUDGED_FORMATS)
    it(`${format}: every prediction with the judge's verdict, the same table and facet counts as the authors' files`, async () => {
      const index = await openIndex(harnessFolder(format));
      try {
        const judged = { grader: ['judge' as const] };
        const rows = index.query({ ...judged, outcome: ['failed', 'correct'], limit: 1000 }).rows;
        assert.deepEqual(
          rows
            .map((p) =>
              [p.key, p.split, p.qid, p.model, p.samplingLabel, p.promptMode, p.outcome, p.chosen ?? '-'].join(' '),
            )
            .sort(),
          expected((c) => (c ? 'correct' : 'failed')),
        );
        assert.deepEqual(indexedPredictions(index, ['failed', 'correct']).length, rows.length);
        assert.deepEqual(tableRows(accuracyTables(index)), tableRows(accuracyTables(authorsJudged)));
        assert.ok(accuracyTables(index).length > 0);
        assert.deepEqual(facetsOf(index, judged), facetsOf(authorsJudged, judged));
        assert.deepEqual(
          facetsOf(index, { ...judged, outcome: ['failed'] }),
          facetsOf(authorsJudged, { ...judged, outcome: ['failed'] }),
        );
        assert.deepEqual(
          index.problems().filter((p) => p.severity === 'error'),
          [],
        );
      } finally {
        index.close();
      }
    });

  for (const format of RAW_FORMATS)
    it(`${format}: predictions without a verdict are rule-graded, exactly as the authors' raw outputs`, async () => {
      const index = await openIndex(harnessFolder(format));
      try {
        assert.deepEqual(
          indexedPredictions(index, ['failed', 'correct', 'ungraded']),
          expected((c) => (c ? 'correct' : 'failed')),
        );
        assert.ok(index.query({ limit: 1000 }).rows.every((r) => r.grader === 'rule' && r.stage === 'raw'));
        assert.deepEqual(tableRows(accuracyTables(index)), tableRows(accuracyTables(authorsRaw)));
        assert.deepEqual(facetsOf(index, {}), facetsOf(authorsRaw, {}));
      } finally {
        index.close();
      }
    });

  it('VLMEvalKit: a judged companion makes its prediction file an ungraded copy; the copies linked into <model>/ are not read twice', async () => {
    const dir = harnessFolder('vlmevalkit-xlsx');
    const index = await openIndex(dir);
    try {
      const files = index.runs().map((r) => path.relative(dir, r.filePath));
      assert.ok(files.length > 0 && files.every((f) => f.split(path.sep).includes('T20251101_G3f9a2c1')), files.join());
      // _acc.csv and _rating.json are summaries: not read, not reported.
      assert.deepEqual(index.problems(), []);
      const n = Object.values(fixturePredictions()).reduce((a, p) => a + p.length, 0);
      assert.equal(index.query({ grader: ['none'], limit: 0 }).total, n);
      assert.equal(index.query({ grader: ['judge'], limit: 0 }).total, n);
    } finally {
      index.close();
    }
  });

  it("keeps each prediction's key across re-reads of the same file, and equal to the authors' layout (tags follow)", async () => {
    const dir = harnessFolder('lmms-eval-0.4');
    const index = await openIndex(dir);
    try {
      const before = indexedPredictions(index, ['failed', 'correct']);
      const file = index.runs()[0]?.filePath as string;
      // Rewritten with the same content later: read again, same keys.
      const t = new Date(Date.now() + 5000);
      fs.utimesSync(file, t, t);
      const report = await index.sync();
      assert.ok(report.filesRead >= 1);
      assert.deepEqual(indexedPredictions(index, ['failed', 'correct']), before);
      const authorsKeys = authorsJudged.query({ outcome: ['failed', 'correct'], limit: 1000 }).rows.map((r) => r.key);
      assert.deepEqual(before.map((l) => l.split(' ')[0]).sort(), authorsKeys.sort());
      for (const k of authorsKeys) assert.notEqual(index.predictionIdByKey(k), null, k);
    } finally {
      index.close();
    }
  });

  it('drops every run of a file that holds both splits when the file is deleted', async () => {
    const dir = harnessFolder('lmms-eval-0.3');
    const index = await openIndex(dir);
    try {
      assert.deepEqual([index.counts().runs, index.counts().predictions], [2, 15]);
      fs.rmSync(path.join(dir, 'lmms-eval-0.3'), { recursive: true });
      await index.sync();
      assert.deepEqual([index.counts().runs, index.counts().predictions, index.query({ limit: 0 }).total], [0, 0, 0]);
    } finally {
      index.close();
    }
  });

  it('says why records that hold neither an id nor a known question cannot be placed, and reads them again when the benchmark comes', async () => {
    // lmms-eval 0.2.0 records keep the question (doc) but no id: only the text join can place them.
    const dir = harnessFolder('lmms-eval-0.2.0');
    const bench = `${dir}-benchmark`; // outside the folder indexed
    fs.renameSync(path.join(dir, 'data'), bench);
    const index = await openIndex(dir);
    try {
      assert.equal(index.counts().predictions, 0);
      const reasons = index.problems().map((p) => `${p.severity} ${path.basename(p.path)}: ${p.reason}`);
      assert.equal(reasons.length, 2, reasons.join('\n'));
      for (const r of reasons)
        assert.match(r, /^error vlm4d_(real|synthetic)_cot\.json: .*no record could be placed.*no benchmark file/);
      fs.renameSync(bench, path.join(dir, 'data'));
      await index.sync();
      assert.equal(index.counts().predictions, 15);
      assert.deepEqual(index.problems(), []);
    } finally {
      index.close();
    }
  });

  it('lists a task of another benchmark in the same folder once, as "not VLM4D", not as an error', async () => {
    const index = await openIndex(harnessFolder('lmms-eval-0.4'));
    try {
      const notes = index.problems();
      assert.equal(notes.length, 1);
      assert.equal(notes[0]?.severity, 'warning');
      assert.match(notes[0]?.path ?? '', /_samples_mvbench_action_sequence\.jsonl$/);
      assert.match(notes[0]?.reason ?? '', /^not VLM4D: lmms-eval task 'mvbench_action_sequence'/);
      assert.equal(index.counts().predictions, 15);
    } finally {
      index.close();
    }
  });

  it("shows the response from the harness's field and the judge's fields in full in the detail", async () => {
    const index = await openIndex(harnessFolder('lmms-eval-0.3', 'vlmevalkit-xlsx'));
    try {
      const key = formatPredictionKey({
        split: 'real',
        promptMode: 'cot',
        model: MODEL,
        samplingLabel: '32frame',
        qid: 'validation_3',
      });
      const details = index
        .query({ outcome: ['failed'], limit: 1000 })
        .rows.filter((r) => r.key === key)
        .map((r) => index.prediction(r.id));
      assert.equal(details.length, 2);
      for (const d of details) {
        // Stored as a formula by the spreadsheet writer; read as its text, never evaluated.
        assert.equal(d?.response, '=HYPERLINK("http://example.invalid","x") I cannot tell from the frames.');
      }
      const extras = details.map((d) =>
        Object.keys(d?.judgeExtras ?? {})
          .sort()
          .join(','),
      );
      assert.ok(
        extras.some((e) => e.includes('vlm4d_accuracy') && e.includes('judge')),
        extras.join(' | '),
      );
      assert.ok(
        extras.some((e) => e.includes('score') && e.includes('judge')),
        extras.join(' | '),
      );
    } finally {
      index.close();
    }
  });
});

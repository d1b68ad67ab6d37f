import * as assert from 'node:assert/strict';
import { accuracyTables } from '../../src/core/accuracyTable';
import { formatPredictionKey } from '../../src/core/index/predictionKey';
import type { ResultIndex } from '../../src/core/index/resultIndex';
import { MODEL, fixturePredictions, harnessFolder } from '../support/harnessFixtures';
import { openIndex } from '../support/openIndex';

/** The records generate.py leaves without a verdict in the partly judged files (every fourth, from the third). */
function unjudgedKeys(): Set<string> {
  const keys = new Set<string>();
  for (const [split, preds] of Object.entries(fixturePredictions()) as ['real' | 'synthetic', { id: string }[]][])
    preds.forEach((p, i) => {
      if (i % 4 === 2)
        keys.add(formatPredictionKey({ split, promptMode: 'cot', model: MODEL, samplingLabel: '32frame', qid: p.id }));
    });
  return keys;
}

/** Each prediction as key, outcome and chosen letter, for a grader, restricted to some keys. */
function rows(index: ResultIndex, grader: 'judge' | 'rule', keep: (key: string) => boolean): string[] {
  return index
    .query({ grader: [grader], outcome: ['failed', 'correct', 'ungraded'], limit: 1000 })
    .rows.filter((r) => keep(r.key))
    .map((r) => `${r.key} ${r.outcome} ${r.chosen ?? '-'}`)
    .sort();
}

describe('partly judged harness files: the records without a verdict are rule-graded', () => {
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

  for (const format of ['lmms-eval-partial', 'vlmevalkit-partial'])
    it(`${format}: the judge's verdict where the file has one, else the rule's, exactly as for raw outputs; table, dashboard and audit agree`, async () => {
      const index = await openIndex(harnessFolder(format));
      try {
        const unjudged = unjudgedKeys();
        const all = Object.values(fixturePredictions()).reduce((n, p) => n + p.length, 0);
        assert.ok(unjudged.size > 0 && unjudged.size < all);
        // Judged records: the judge's verdict, as in the authors' judged files.
        assert.deepEqual(
          rows(index, 'judge', () => true),
          rows(authorsJudged, 'judge', (k) => !unjudged.has(k)),
        );
        // The others: the rule's verdict and reading, as the same records in the authors' raw outputs.
        assert.deepEqual(
          rows(index, 'rule', () => true),
          rows(authorsRaw, 'rule', (k) => unjudged.has(k)),
        );
        // The judged records keep the judge's name; the rule-graded ones have none.
        for (const r of index.query({ grader: ['judge', 'rule'], limit: 1000 }).rows) {
          const judge = index.prediction(r.id)?.judgeExtras.judge;
          if (r.grader === 'judge') assert.match(judge ?? '', /score|accuracy/, r.key);
          else assert.equal(judge, undefined, r.key);
        }
        // The accuracy table: the judged records in the judge's table, the others in the rule-graded one.
        const totals = (grader: 'judge' | 'rule') =>
          accuracyTables(index)
            .filter((t) => t.grader === grader)
            .flatMap((t) => t.rows)
            .reduce(
              (n, r) => {
                for (const c of Object.values(r.counts)) {
                  n.correct += c.correct;
                  n.total += c.total;
                }
                return n;
              },
              { correct: 0, total: 0 },
            );
        for (const grader of ['judge', 'rule'] as const) {
          const q = index.query({ grader: [grader], limit: 1000 }).rows;
          const correct = index.query({ grader: [grader], outcome: ['correct'], limit: 0 }).total;
          assert.deepEqual(totals(grader), { correct, total: q.length }, grader);
        }
        assert.equal(totals('rule').total, unjudged.size);
        assert.equal(totals('judge').total, all - unjudged.size);
        // The dashboard counts every graded record once, under its grader's series.
        const dash = index.dashboardData();
        const byGrader = { judge: 0, rule: 0, none: 0 };
        for (const run of dash.predictions.run)
          byGrader[(dash.runs[run] as { grader: 'judge' | 'rule' | 'none' }).grader]++;
        assert.deepEqual(byGrader, { judge: all - unjudged.size, rule: unjudged.size, none: 0 });
        // The audit reads the judge's verdicts only: the rule-graded records have no judge to disagree with.
        index.auditAll();
        assert.equal(index.auditRecords().length, all - unjudged.size);
        // Said once per split, as a note.
        const notes = index.problems().map((p) => p.reason);
        assert.ok(
          notes.some((n) => /carry no verdict: graded by the answer-reading rule/.test(n)),
          notes.join('\n'),
        );
        assert.deepEqual(
          index.problems().filter((p) => p.severity === 'error'),
          [],
        );
      } finally {
        index.close();
      }
    });
});

// The dashboard's data is built from the prediction columns kept at insert (predictionColumns.ts), not from
// a step through every prediction in SQL. Guarded here: the data equals the data built from columns read
// straight from the predictions table, through overrides, regraded raw runs, added and removed files and a
// failed sync; and a dashboard after a sync with nothing regraded reads no prediction row from SQLite.
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import type { ColumnBlock } from '../../src/core/index/predictionColumns';
import type { ResultIndex } from '../../src/core/index/resultIndex';
import { annotate, dashboardFixture, overrides } from '../support/dashboardFixture';
import { judge, realQuestions, syntheticQuestions, writeJson } from '../support/fixtures';
import { statementsDuring } from '../support/statements';

/** The predictions table as column blocks, one per run of consecutive ids: the direct computation. */
function sqlColumns(index: ResultIndex): { current(): ColumnBlock[] } {
  return {
    current: () => {
      const rows = index.select(
        'SELECT id, run_id, question_id, chosen, authors_slice, judge_correct, rule_correct, outcome FROM predictions ORDER BY id',
      );
      const blocks: ColumnBlock[] = [];
      let start = 0;
      for (let k = 1; k <= rows.length; k++) {
        const prev = rows[k - 1] as number[];
        const row = rows[k] as number[] | undefined;
        if (row && row[1] === prev[1] && row[0] === (prev[0] as number) + 1) continue;
        const part = rows.slice(start, k) as (number | null)[][];
        const col = (c: number) => part.map((r) => r[c] ?? -1);
        blocks.push({
          from: part[0]?.[0] as number,
          to: (prev[0] as number) + 1,
          run: prev[1] as number,
          question: Int32Array.from(col(2)),
          chosen: Int8Array.from(col(3)),
          slice: Uint8Array.from(col(4)),
          judge: Int8Array.from(col(5)),
          rule: Int8Array.from(col(6)),
          outcome: Uint8Array.from(col(7)),
        });
        start = k;
      }
      return blocks;
    },
  };
}

function assertSameAsSql(index: ResultIndex, when: string): void {
  const fast = index.dashboardData();
  assert.ok(fast.predictions.id.length > 0, when);
  assert.deepEqual(fast, index.dashboardData(sqlColumns(index)), when);
}

describe('the dashboard data from the prediction columns', () => {
  it('equals the data built from the predictions table through overrides, regrades, file changes and a failed sync', async () => {
    const f = await dashboardFixture();
    // The fixture loads a raw copy of a judged run: it was regraded (to nobody) in SQL during the sync.
    assertSameAsSql(f.index, 'after indexing');
    annotate(f);
    assertSameAsSql(f.index, 'with verdict overrides and tags');
    writeJson(
      path.join(f.dir, 'processed_outputs/synthetic_mc_cot/epsilon_2fps.json'),
      judge(syntheticQuestions(), 91, 0.5),
    );
    await f.index.sync();
    assertSameAsSql(f.index, 'after a file was added');
    // Without its judged copy the raw alpha run is graded by the rule again: its rule verdicts come back in SQL.
    fs.rmSync(path.join(f.dir, 'processed_outputs/real_mc_cot/alpha-vl_8frame.json'));
    await f.index.sync();
    assertSameAsSql(f.index, 'after the judged copy of a raw run was removed');
    const before = f.index.dashboardData();
    // Two files: the sync fails as it comes to the second, after inserting the first (its progress calls
    // come before each file, then once at the end).
    writeJson(path.join(f.dir, 'processed_outputs/real_mc_cot/alpha-vl_8frame.json'), judge(realQuestions(), 92, 0.9));
    writeJson(path.join(f.dir, 'processed_outputs/real_mc_cot/zeta_8frame.json'), judge(realQuestions(), 94, 0.2));
    let calls = 0;
    await assert.rejects(
      f.index.sync({
        onProgress: () => {
          if (++calls === 2) throw new Error('injected failure');
        },
      }),
      /injected failure/,
    );
    // Only the version moves on (cached answers are dropped after a rollback).
    assert.deepEqual({ ...f.index.dashboardData(), version: before.version }, before, 'a failed sync changes nothing');
    assertSameAsSql(f.index, 'after a failed sync');
    fs.rmSync(path.join(f.dir, 'processed_outputs/real_mc_cot/zeta_8frame.json'));
    await f.index.sync();
    assertSameAsSql(f.index, 'after the judged copy came back (the raw run is graded by nobody again)');
    f.index.setAnnotations([]);
    assertSameAsSql(f.index, 'after the overrides were taken away');
    f.index.close();
  });

  it('after an override reads again only the predictions of the runs it touched, and equals SQL', async () => {
    const f = await dashboardFixture();
    const data = overrides(f);
    // The first annotations build the keys' maps (a scan of every prediction, once per data version).
    f.index.setAnnotations([{ root: f.dir, data: { ...data, predictions: {} } }]);
    f.index.dashboardData();
    const sql = await statementsDuring(f.index, () => {
      f.index.setAnnotations([{ root: f.dir, data }]);
      f.index.dashboardData();
    });
    const reads = sql.filter((s) => /FROM\s+predictions\b/i.test(s));
    assert.ok(reads.length > 0, 'the overridden runs are counted again');
    for (const s of reads) assert.match(s, /WHERE\s+(run_)?id IN \(/i, `a statement over every prediction: ${s}`);
    assertSameAsSql(f.index, 'with verdict overrides');
    // Taken away: the runs overridden before are counted again, back to the judges' verdicts.
    f.index.setAnnotations([]);
    assertSameAsSql(f.index, 'after the overrides were taken away');
    f.index.close();
  });

  it('reads no prediction row from SQLite when nothing was regraded or overridden since the last read', async () => {
    const f = await dashboardFixture();
    f.index.dashboardData();
    writeJson(
      path.join(f.dir, 'processed_outputs/synthetic_mc_cot/epsilon_2fps.json'),
      judge(syntheticQuestions(), 93, 0.5),
    );
    await f.index.sync();
    const sql = await statementsDuring(f.index, () => f.index.dashboardData());
    assert.ok(sql.length > 0, 'the runs and tags are read');
    assert.deepEqual(
      sql.filter((s) => /FROM\s+predictions\b/i.test(s)),
      [],
      'no statement reads the predictions table',
    );
    f.index.close();
  });
});

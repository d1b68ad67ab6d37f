import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { accuracyTables } from '../../src/core/accuracyTable';
import type { SqlReader } from '../../src/core/index/indexTypes';
import { ResultIndex } from '../../src/core/index/resultIndex';
import { loadSqlJs } from '../../src/core/index/sqlite';
import { annotate, dashboardFixture } from '../support/dashboardFixture';
import { JUDGED_FORMATS, RAW_FORMATS, harnessFolder } from '../support/harnessFixtures';
import { prng, syntheticQuestions, writeJson } from '../support/fixtures';

/** The same index seen only through SQL: accuracyTables then groups the predictions table itself. */
const sqlOnly = (index: SqlReader): SqlReader => ({ select: (sql, params) => index.select(sql, params) });

describe('the accuracy table from the runs cubes', () => {
  it('equals the table grouped in SQL: judge, rule-graded and effective verdicts, after overrides and a removed file', async () => {
    const f = await dashboardFixture();
    // A rule-graded pair (raw outputs in both splits), so that the rule's table is not empty.
    const rnd = prng(7);
    writeJson(
      path.join(f.dir, 'outputs/synthetic_mc_cot/delta_16frame.json'),
      syntheticQuestions().map((q) => ({ ...q, response: `So the answer is: ${'ABCD'[Math.floor(rnd() * 4)]}` })),
    );
    await f.index.sync();
    const check = (when: string) => {
      for (const verdict of ['judge', 'effective'] as const) {
        const fast = accuracyTables(f.index, { verdict });
        assert.ok(f.index.accuracyCounts, 'the index keeps the counts');
        assert.deepEqual(fast, accuracyTables(sqlOnly(f.index), { verdict }), `${verdict} verdicts ${when}`);
        assert.ok(fast.some((t) => t.grader === 'rule') && fast.some((t) => t.grader === 'judge'), when);
      }
    };
    check('after indexing');
    annotate(f);
    const effective = accuracyTables(f.index, { verdict: 'effective' });
    assert.notDeepEqual(effective, accuracyTables(f.index, { verdict: 'judge' }), 'the overrides change the table');
    check('with verdict overrides');
    fs.rmSync(path.join(f.dir, 'processed_outputs/real_mc_direct-output/beta-vl_1fps.json'));
    await f.index.sync();
    check('after a file was removed');
    f.index.setAnnotations([]);
    check('after the overrides were taken away');
    f.index.close();
  });
});

describe('the harness runs table from the runs cubes', () => {
  for (const [what, formats, grader] of [
    ['judged', JUDGED_FORMATS, 'judge'],
    ['raw (rule-graded)', RAW_FORMATS, 'rule'],
  ] as const) {
    it(`equals the table grouped in SQL for ${what} harness runs, with the graders' verdicts and the ones in force`, async () => {
      const index = new ResultIndex(await loadSqlJs());
      index.setRoots([harnessFolder(...formats)]);
      await index.sync();
      for (const verdict of ['judge', 'effective'] as const) {
        const fast = accuracyTables(index, { verdict });
        assert.ok(
          fast.some((t) => t.grader === grader),
          `${verdict}: a ${grader} table`,
        );
        assert.deepEqual(fast, accuracyTables(sqlOnly(index), { verdict }), `${verdict} verdicts`);
      }
      // No statement reads the predictions: the tables are summed from the cubes.
      const read: string[] = [];
      accuracyTables({
        select: (sql, params) => (read.push(sql), index.select(sql, params)),
        accuracyCounts: () => index.accuracyCounts(),
      });
      assert.deepEqual(
        read.filter((s) => /FROM\s+predictions\b/i.test(s)),
        [],
      );
      index.close();
    });
  }
});

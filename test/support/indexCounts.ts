import * as assert from 'node:assert/strict';
import type { ResultIndex } from '../../src/core/index/resultIndex';
import { OUTCOMES } from '../../src/core/model';

/** The index's counts must equal a count of its predictions table, made here in SQL. */
export function assertCountsMatchTable(index: ResultIndex, when: string): void {
  const one = (sql: string): number => Number(index.select(sql)[0]?.[0] ?? 0);
  const failed = OUTCOMES.indexOf('failed');
  const c = index.counts();
  assert.deepEqual(
    { predictions: c.predictions, failures: c.failures, ruleGradedFailures: c.ruleGradedFailures },
    {
      predictions: one('SELECT COUNT(*) FROM predictions'),
      failures: one(`SELECT COUNT(*) FROM predictions WHERE outcome = ${failed}`),
      ruleGradedFailures: one(
        `SELECT COUNT(*) FROM predictions WHERE outcome = ${failed} AND rule_correct IS NOT NULL`,
      ),
    },
    when,
  );
}

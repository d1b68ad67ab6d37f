import * as assert from 'node:assert/strict';
import type { FailureQuery } from '../../src/core/index/query';
import { ResultIndex } from '../../src/core/index/resultIndex';
import { loadSqlJs } from '../../src/core/index/sqlite';
import { makeResultsFolder } from '../support/fixtures';

const ORDERED = 'SELECT p.id FROM predictions p WHERE p.outcome = 1 ORDER BY p.question_id, p.run_id, p.id LIMIT 100';

describe("the lists' index", () => {
  it('is built between requests after a sync, lists the same pages, and is what a list of correct predictions reads', async () => {
    const { dir } = makeResultsFolder();
    const index = new ResultIndex(await loadSqlJs());
    index.setRoots([dir]);
    await index.sync();
    const plan = () =>
      index
        .select(`EXPLAIN QUERY PLAN ${ORDERED}`)
        .map((r) => String(r[3]))
        .join(' | ');
    const queries: FailureQuery[] = [
      { outcome: ['correct'], limit: 50 },
      { outcome: ['correct'], offset: 10, limit: 5 },
      { outcome: ['ungraded', 'failed'], offset: 3, limit: 50 },
      { limit: 20, offset: 13 },
      { outcome: ['failed', 'correct'], perspective: ['egocentric'], limit: 40, offset: 7 },
      { outcome: ['failed'], limit: 50, offset: 5 },
    ];
    const pages = () => queries.map((q) => index.query(q).rows.map((r) => r.id));
    const before = pages();
    assert.doesNotMatch(plan(), /predictions_listed/);
    while (index.backgroundStep(50));
    assert.match(plan(), /USING INDEX predictions_listed/, 'a list of correct predictions reads the index');
    assert.deepEqual(pages(), before);
    assert.ok(
      before.filter((ids) => ids.length > 0).length >= 5,
      'the pages have rows (the fixture has no ungraded one)',
    );
    // A bulk sync drops it; the next background steps make it again.
    await index.sync({ forcePaths: index.runs().map((r) => r.filePath) });
    while (index.backgroundStep(50));
    assert.match(plan(), /USING INDEX predictions_listed/);
    index.close();
  });
});

const FAILED = 'SELECT p.id FROM predictions p WHERE p.outcome = 0 ORDER BY p.question_id, p.run_id LIMIT 100';

describe("the failed predictions' index", () => {
  it('is built after a bulk sync, before the first request that reads the predictions, and read by the failure list', async () => {
    const { dir } = makeResultsFolder();
    const index = new ResultIndex(await loadSqlJs());
    index.setRoots([dir]);
    const report = await index.sync();
    assert.ok(report.filesRead > 4, 'a bulk sync (it drops the SQL indexes while it inserts)');
    const plan = () =>
      index
        .select(`EXPLAIN QUERY PLAN ${FAILED}`)
        .map((r) => String(r[3]))
        .join(' | ');
    assert.match(
      plan(),
      /USING (COVERING )?INDEX predictions_failed/,
      'the first request after the sync finds it built',
    );
    const page = index.query({ outcome: ['failed'], limit: 30 }).rows.map((r) => r.key);
    // Again after a bulk sync answered by a failure page first (a request that goes through the query path).
    await index.sync({ forcePaths: index.runs().map((r) => r.filePath) });
    assert.deepEqual(
      index.query({ outcome: ['failed'], limit: 30 }).rows.map((r) => r.key),
      page,
    );
    assert.match(plan(), /USING (COVERING )?INDEX predictions_failed/);
    // And by the background steps, when no request comes first.
    await index.sync({ forcePaths: index.runs().map((r) => r.filePath) });
    assert.equal(index.backgroundStep(50), true);
    assert.match(plan(), /USING (COVERING )?INDEX predictions_failed/);
    index.close();
  });
});

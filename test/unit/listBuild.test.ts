import * as assert from 'node:assert/strict';
import { OUTCOMES } from '../../src/core/model';
import { ResultIndex } from '../../src/core/index/resultIndex';
import { loadSqlJs } from '../../src/core/index/sqlite';
import { openIndex } from '../support/openIndex';
import { makeResultsFolder } from '../support/fixtures';

/** What SQLite itself says, with no help from the lists' columns. */
const sqlIds = (index: ResultIndex, sql: string, params: (string | number)[] = []): number[] =>
  index.select(sql, params).map(([id]) => Number(id));

describe("the lists' columns, built after a sync", () => {
  it('are built by a sync that asks for them, and by the first request after one that does not; no SQL index is kept on the predictions', async () => {
    const { dir } = makeResultsFolder();
    const index = new ResultIndex(await loadSqlJs());
    index.setRoots([dir]);
    const lazy = await index.sync();
    assert.equal(lazy.timings.listsMs, 0, 'a sync that does not ask builds nothing (the CLI table)');
    const failedFirst = sqlIds(
      index,
      `SELECT id FROM predictions WHERE outcome = ${OUTCOMES.indexOf('failed')} ORDER BY question_id, run_id, id LIMIT 12`,
    );
    assert.ok(failedFirst.length === 12, 'the fixture has failures');
    assert.deepEqual(
      index.query({ outcome: ['failed'], limit: 12 }).rows.map((r) => r.id),
      failedFirst,
    );
    const eager = await index.sync({ forcePaths: index.runs().map((r) => r.filePath), lists: true });
    assert.ok(
      eager.filesRead > 4 && eager.timings.listsMs > 0,
      'a sync that asks builds them and says how long it took',
    );
    assert.ok(eager.timings.totalMs >= eager.timings.listsMs);
    const reread = sqlIds(
      index,
      `SELECT id FROM predictions WHERE outcome = ${OUTCOMES.indexOf('failed')} ORDER BY question_id, run_id, id LIMIT 12`,
    );
    assert.notDeepEqual(reread, failedFirst, 'the files were read again under new ids');
    assert.deepEqual(
      index.query({ outcome: ['failed'], limit: 12 }).rows.map((r) => r.id),
      reread,
    );
    assert.deepEqual(
      index.select("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'predictions'"),
      [],
      'the lists and the lookups by question read the columns: an index would only slow the inserts',
    );
    index.close();
  });

  it("find a question's predictions, a key's prediction and a list of keys as SQL does", async () => {
    const { dir } = makeResultsFolder();
    const index = new ResultIndex(await loadSqlJs());
    index.setRoots([dir]);
    await index.sync({ lists: true });
    const all = index.query({ limit: 10_000 }).rows;
    assert.ok(all.length > 40);
    for (const row of all) {
      // The detail view's table of the same question across runs.
      assert.deepEqual(
        index.questionPredictions(row.id).map((r) => r.id),
        sqlIds(
          index,
          `SELECT p.id FROM predictions p JOIN runs r ON r.id = p.run_id JOIN models m ON m.id = r.model_id
           WHERE p.question_id = (SELECT question_id FROM predictions WHERE id = ?) ORDER BY r.prompt_mode, m.name, p.id`,
          [row.id],
        ),
      );
      assert.equal(index.predictionIdByKey(row.key), row.id);
    }
    assert.equal(index.predictionIdByKey(`${all[0]?.split}/cot/no-such-model/validation_1`), null);
    const keys = all.filter((_, i) => i % 3 === 0).map((r) => r.key);
    const listed = index.query({ keys, limit: 10_000 });
    assert.deepEqual(listed.rows.map((r) => r.key).sort(), [...keys].sort());
    assert.equal(listed.total, keys.length);
    index.close();
  });

  it("count each run's predictions and failures as SQL does, overrides included", async () => {
    const { dir } = makeResultsFolder();
    const index = await openIndex(dir);
    const failed = OUTCOMES.indexOf('failed');
    const bySql = () =>
      new Map(
        index
          .select(
            `SELECT f.path, COUNT(*), SUM(p.outcome = ${failed}) FROM predictions p JOIN runs r ON r.id = p.run_id
             JOIN files f ON f.id = r.file_id GROUP BY r.id`,
          )
          .map(([file, n, k]) => [String(file), [Number(n), Number(k)]]),
      );
    const byRuns = () => new Map(index.runs().map((r) => [r.filePath, [r.predictions, r.failures]]));
    assert.deepEqual(byRuns(), bySql());
    // A verdict override turns failures into successes: the runs' counts follow.
    const failures = index.query({ outcome: ['failed'], limit: 5 }).rows;
    const predictions = Object.fromEntries(
      failures.map((r) => [r.key, { tags: [], note: '', verdict: 'correct', updated: '2026-12-01T00:00:00.000Z' }]),
    ) as Record<string, { tags: string[]; note: string; verdict: 'correct'; updated: string }>;
    const before = byRuns();
    index.setAnnotations([{ root: dir, data: { tags: [], predictions, questions: {} } }]);
    assert.notDeepEqual(byRuns(), before);
    assert.deepEqual(byRuns(), bySql());
    index.close();
  });
});

import * as assert from 'node:assert/strict';
import type { FailureQuery } from '../../src/core/index/query';
import { NEAR_ROWS, SCAN_PAGE, findInList } from '../../src/host/listSearch';

type Row = { id: number; split: string; model: string; promptMode: string; outcome: string };

/** A list of `n` predictions over three models and two prompt modes; every third one answered correctly. */
function rows(n: number): Row[] {
  return Array.from({ length: n }, (_, i) => ({
    id: 1000 + i,
    split: i % 2 ? 'real' : 'synthetic',
    model: ['a', 'b', 'c'][i % 3] as string,
    promptMode: i % 5 ? 'cot' : 'direct-output',
    outcome: i % 3 === 1 ? 'correct' : 'failed',
  }));
}

/** The index, faked: filters on split, model, prompt mode and outcome; counts the queries and the rows sent. */
function fakeIndex(all: Row[]) {
  const seen = { queries: 0, rows: 0 };
  const query = async (q: FailureQuery) => {
    seen.queries++;
    const list = all.filter(
      (r) =>
        (!q.split?.length || q.split.includes(r.split as never)) &&
        (!q.model?.length || q.model.includes(r.model)) &&
        (!q.promptMode?.length || q.promptMode.includes(r.promptMode as never)) &&
        (!q.outcome?.length || q.outcome.includes(r.outcome as never)),
    );
    const page = list.slice(q.offset ?? 0, (q.offset ?? 0) + (q.limit ?? 100));
    seen.rows += page.length;
    return { total: list.length, rows: page };
  };
  return { query, seen };
}

const FAILED = { outcome: ['failed'] } as FailureQuery;
const failedList = (all: Row[]) => all.filter((r) => r.outcome === 'failed');

describe('where a prediction opened from elsewhere stands in the side panel list', () => {
  const all = rows(3 * SCAN_PAGE + 123);
  const list = failedList(all);

  it('finds it near the last known position with one query (other answers to a question sit together)', async () => {
    const { query, seen } = fakeIndex(all);
    const target = list[5000] as Row;
    assert.deepEqual(await findInList(query, FAILED, target, 5000 - 17), { index: 5000, total: list.length });
    assert.equal(seen.queries, 1);
    assert.ok(seen.rows <= 2 * NEAR_ROWS + 1);
  });

  it('finds it anywhere in a long list when it is far from there, at its exact row', async () => {
    for (const at of [0, SCAN_PAGE - 1, SCAN_PAGE, list.length - 1]) {
      const { query } = fakeIndex(all);
      const target = list[at] as Row;
      assert.deepEqual(
        await findInList(query, FAILED, target, at > 3000 ? 0 : list.length - 1),
        { index: list.findIndex((r) => r.id === target.id), total: list.length },
        `row ${at}`,
      );
      assert.deepEqual(
        await findInList(query, FAILED, target, null),
        { index: at, total: list.length },
        `row ${at}, no position known`,
      );
    }
  });

  it('says the list does not hold it, looking only at its own run when the filters let the run in', async () => {
    const { query, seen } = fakeIndex(all);
    const correct = all.find((r) => r.outcome === 'correct') as Row;
    assert.equal(await findInList(query, FAILED, correct, 10), null);
    const ofItsRun = all.filter(
      (r) =>
        r.split === correct.split &&
        r.model === correct.model &&
        r.promptMode === correct.promptMode &&
        r.outcome === 'failed',
    ).length;
    assert.ok(seen.rows <= 2 * NEAR_ROWS + 1 + ofItsRun, `${seen.rows} rows were sent to find out, not the whole list`);
  });

  it('asks nothing when the filters leave its model, split or prompt mode out, or the list is grouped by question', async () => {
    const { query, seen } = fakeIndex(all);
    const p = list[3] as Row;
    const other = ['a', 'b', 'c'].find((m) => m !== p.model) as string;
    assert.equal(await findInList(query, { ...FAILED, model: [other] }, p, null), null);
    assert.equal(await findInList(query, { ...FAILED, group: 'question' }, p, 3), null);
    assert.equal(seen.queries, 0);
  });

  it('stops, with no answer, once a newer choice makes it unwanted', async () => {
    const { query, seen } = fakeIndex(all);
    let wanted = true;
    const slow = async (q: FailureQuery) => {
      const r = await query(q);
      wanted = false;
      return r;
    };
    assert.equal(await findInList(slow, FAILED, list[list.length - 1] as Row, 0, () => !wanted), null);
    assert.equal(seen.queries, 1);
  });
});

import * as assert from 'node:assert/strict';
import type { ComparisonKind, PredictionRow } from '../../src/core/index/query';
import { ResultIndex } from '../../src/core/index/resultIndex';
import { loadSqlJs } from '../../src/core/index/sqlite';
import { parseViewMessage } from '../../src/protocol/failuresValidate';
import { makeResultsFolder } from '../support/fixtures';

const A = 'cot/alpha-vl_8frame';
const B = 'cot/beta-vl_1fps';

/** Every graded prediction of one model, by question, read through the plain list: the independent side. */
function graded(index: ResultIndex, model: string, extra: object = {}): Map<string, PredictionRow> {
  const rows = index.query({ outcome: ['correct', 'failed'], model: [model], limit: 10_000, ...extra }).rows;
  return new Map(rows.map((r) => [`${r.split}/${r.qid}`, r]));
}

/** The kind of each question both answered, by brute force over the two lists. */
function bruteKinds(
  a: Map<string, PredictionRow>,
  b: Map<string, PredictionRow>,
): Map<ComparisonKind, PredictionRow[]> {
  const out = new Map<ComparisonKind, PredictionRow[]>([
    ['fixed', []],
    ['broken', []],
    ['bothFailed', []],
  ]);
  for (const [k, rb] of b) {
    const ra = a.get(k);
    if (!ra) continue;
    const ok = (r: PredictionRow) => r.outcome === 'correct';
    const kind = !ok(ra) && ok(rb) ? 'fixed' : ok(ra) && !ok(rb) ? 'broken' : !ok(ra) && !ok(rb) ? 'bothFailed' : null;
    if (kind) out.get(kind)?.push(rb);
  }
  return out;
}

describe('the failure list comparing two runs', () => {
  it("lists B's predictions of each kind, with counts equal to a brute force, under every other filter", async () => {
    const { dir } = makeResultsFolder();
    const index = new ResultIndex(await loadSqlJs());
    index.setRoots([dir]);
    await index.sync();
    // The fixture's B never gets right what A got wrong: an override makes A fail two questions both got right.
    const b = graded(index, 'beta-vl');
    const bothRight = [...graded(index, 'alpha-vl')].filter(
      ([k, r]) => r.outcome === 'correct' && b.get(k)?.outcome === 'correct',
    );
    const override = { tags: [], note: '', verdict: 'wrong' as const, updated: '' };
    index.setAnnotations([
      {
        root: dir,
        data: {
          tags: [],
          questions: {},
          predictions: Object.fromEntries(bothRight.slice(0, 2).map(([, r]) => [r.key, override])),
        },
      },
    ]);
    const table = index.compare(A, B).slices[0];
    for (const filters of [{}, { split: ['real'] }, { perspective: ['egocentric'] }, { text: 'moving' }] as object[]) {
      const brute = bruteKinds(graded(index, 'alpha-vl'), graded(index, 'beta-vl', filters));
      for (const kind of ['fixed', 'broken', 'bothFailed'] as const) {
        const res = index.query({ ...filters, comparison: { a: A, b: B, kind }, limit: 1000 });
        const want = (brute.get(kind) ?? []).map((r) => r.id).sort((x, y) => x - y);
        assert.deepEqual(
          res.rows.map((r) => r.id).sort((x, y) => x - y),
          want,
          `${kind} under ${JSON.stringify(filters)}`,
        );
        assert.equal(res.total, want.length);
        assert.equal(res.comparison?.[kind], want.length, `count of ${kind} under ${JSON.stringify(filters)}`);
        assert.ok(
          res.rows.every((r) => r.model === 'beta-vl'),
          "B's predictions",
        );
      }
    }
    // Unfiltered, the list's counts are the comparison table's.
    const counts = index.query({ comparison: { a: A, b: B }, limit: 0 }).comparison;
    assert.equal(counts?.fixed, table?.onlyAFailed);
    assert.equal(counts?.broken, table?.onlyBFailed);
    assert.equal(counts?.bothFailed, table?.bothFailed);
    assert.ok((counts?.fixed ?? 0) > 0 && (counts?.broken ?? 0) > 0, 'the fixture has both kinds');
    index.close();
  });

  it('follows an override: a question B failed and A got right, overridden to correct, leaves "broken by B"', async () => {
    const { dir } = makeResultsFolder();
    const index = new ResultIndex(await loadSqlJs());
    index.setRoots([dir]);
    await index.sync();
    const broken = index.query({ comparison: { a: A, b: B, kind: 'broken' }, limit: 1 });
    const row = broken.rows[0] as PredictionRow;
    index.setAnnotations([
      {
        root: dir,
        data: {
          tags: [],
          questions: {},
          predictions: { [row.key]: { tags: [], note: '', verdict: 'correct', updated: '' } },
        },
      },
    ]);
    const after = index.query({ comparison: { a: A, b: B, kind: 'broken' }, limit: 100 });
    assert.equal(after.comparison?.broken, (broken.comparison?.broken as number) - 1);
    assert.ok(!after.rows.some((r) => r.id === row.id));
    index.close();
  });
});

describe("the side panel's comparison filter as a message", () => {
  it('passes two run names and a known kind, and rejects anything else', () => {
    const query = (comparison: unknown) => parseViewMessage({ type: 'query', requestId: 1, query: { comparison } });
    const ok = query({ a: A, b: B, kind: 'fixed', extra: 1 });
    assert.deepEqual(ok && ok.type === 'query' && ok.query.comparison, { a: A, b: B, kind: 'fixed' });
    assert.equal(query({ a: A, b: B, kind: 'improved' }), null, 'unknown kind');
    assert.equal(query({ a: A, b: 3 }), null, 'not a name');
    assert.equal(query({ a: '', b: B }), null, 'empty name');
    assert.equal(query({ a: A, b: 'x'.repeat(5000) }), null, 'too long');
    assert.equal(query('fixed'), null, 'not an object');
  });
});

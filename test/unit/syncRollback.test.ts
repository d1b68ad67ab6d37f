import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import type { SqlJsStatic } from 'sql.js';
import { accuracyTables } from '../../src/core/accuracyTable';
import type { Annotations } from '../../src/core/annotations/format';
import { loadFile } from '../../src/core/index/fileLoader';
import type { SyncOptions } from '../../src/core/index/indexTypes';
import { ResultIndex } from '../../src/core/index/resultIndex';
import { loadSqlJs } from '../../src/core/index/sqlite';
import { FIXTURE_MODELS, judge, makeResultsFolder, realQuestions, writeJson } from '../support/fixtures';
import { assertCountsMatchTable } from '../support/indexCounts';

// A sync that fails part-way must leave the index exactly as it was (the database rolls back, and with it
// every map, count and text kept beside it), and the next sync must give what a fresh index of the same
// files gives. The failure is injected through the progress callback, which a sync calls before each file:
// failing at its k-th call stops the sync at each point of the work in turn.

/** Everything the index answers, with its own ids: equal only when nothing at all changed. */
function exactState(index: ResultIndex): unknown {
  const all = index.query({ limit: 10_000 });
  return {
    counts: index.counts(),
    problems: index.problems(),
    runs: index.runs(),
    all,
    failed: index.query({ outcome: ['failed'], limit: 10_000 }),
    searched: index.query({ text: 'frames', limit: 10_000 }),
    tagged: index.query({ tags: ['counting-error'], limit: 10_000 }),
    details: all.rows.map((r) => index.prediction(r.id)),
    tables: accuracyTables(index, { verdict: 'effective' }),
    sql: ['files', 'runs', 'models', 'datasets', 'rules', 'questions', 'predictions', 'pred_tags', 'pred_marks'].map(
      (t) => index.select(`SELECT * FROM ${t} ORDER BY 1, 2`),
    ),
  };
}

/** What the index answers, by stable keys (a fresh index numbers its rows differently). */
function keyedState(index: ResultIndex): unknown {
  const all = index.query({ limit: 10_000 });
  const byKey = (rows: typeof all.rows) =>
    rows
      .map((r) => {
        const d = index.prediction(r.id);
        return { ...r, id: 0, detail: d && { ...d, id: 0, otherJudges: d.otherJudges.map((o) => ({ ...o, id: 0 })) } };
      })
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return {
    counts: index.counts(),
    problems: index.problems(),
    runs: index.runs(),
    total: all.total,
    facets: all.facets,
    rows: byKey(all.rows),
    failedTotal: index.query({ outcome: ['failed'], limit: 0 }).total,
    tagged: index.query({ tags: ['counting-error'], limit: 0 }).total,
    overridden: index.query({ overridden: true, limit: 0 }).total,
    tables: accuracyTables(index, { verdict: 'effective' }),
  };
}

const ANNOTATIONS = (): Annotations => ({
  tags: [],
  predictions: {
    [`real/cot/${FIXTURE_MODELS[0]?.file.replace('.json', '')}/validation_2`]: {
      tags: ['direction-reversal'],
      note: 'n',
      verdict: 'wrong',
      updated: '2025-01-01T00:00:00Z',
    },
    'real/cot/delta_8frame/validation_4': { tags: [], note: '', verdict: 'correct', updated: '2025-01-01T00:00:00Z' },
  },
  questions: { 'real/validation_4': { tags: ['counting-error'], note: '', updated: '2025-01-01T00:00:00Z' } },
});

/** State A: judged runs, a raw run (rule-graded), a labels file, annotations with overrides. */
function folderA(): string {
  const { dir } = makeResultsFolder();
  const raw = judge(realQuestions(), 44, 0.5).map(({ correct: _c, extracted_answer: _e, ...r }) => r);
  writeJson(path.join(dir, 'outputs', 'real_mc_cot', 'delta_8frame.json'), raw);
  writeJson(path.join(dir, 'vlm4d-labels.json'), {
    version: 1,
    labels: [{ split: 'real', id: 'validation_2', motion: 'rotational' }],
  });
  return dir;
}

/** State B: a questions file changed, the labels changed, a result file changed, one removed, one added. */
function changeToB(dir: string): void {
  const qs = realQuestions();
  (qs[5] as { answer: string }).answer = 'left';
  writeJson(path.join(dir, 'data', 'real_mc.json'), qs);
  writeJson(path.join(dir, 'vlm4d-labels.json'), {
    version: 1,
    labels: [{ split: 'real', id: 'validation_3', motion: 'counting' }],
  });
  writeJson(path.join(dir, 'processed_outputs', 'real_mc_cot', FIXTURE_MODELS[1]?.file as string), judge(qs, 99, 0.9));
  fs.unlinkSync(path.join(dir, 'processed_outputs', 'synthetic_mc_cot', FIXTURE_MODELS[2]?.file as string));
  writeJson(path.join(dir, 'processed_outputs', 'real_mc_cot', 'epsilon_16frame.json'), judge(qs, 55, 0.6));
  // Not the same mtime as before, whatever the file system's resolution.
  const later = new Date(Date.now() + 5000);
  for (const f of [
    'data/real_mc.json',
    'vlm4d-labels.json',
    `processed_outputs/real_mc_cot/${FIXTURE_MODELS[1]?.file}`,
  ])
    fs.utimesSync(path.join(dir, f), later, later);
}

async function indexOf(
  SQL: SqlJsStatic,
  dir: string,
  annotated: boolean,
  options: SyncOptions = {},
): Promise<ResultIndex> {
  const index = new ResultIndex(SQL);
  index.setRoots([dir]);
  if (annotated) index.setAnnotations([{ root: dir, data: ANNOTATIONS() }]);
  await index.sync(options);
  if (annotated) index.setAnnotations([{ root: dir, data: ANNOTATIONS() }]);
  index.auditAll();
  return index;
}

/** Fails at the k-th progress call of a sync. */
const failingAt = (k: number): SyncOptions => {
  let calls = 0;
  return {
    onProgress: () => {
      if (calls++ === k) throw new Error(`injected failure at step ${k}`);
    },
  };
};

describe('a sync that fails part-way', () => {
  let SQL: SqlJsStatic;
  before(async () => {
    SQL = await loadSqlJs();
  });

  it('leaves the index exactly as before it, at every step where it can fail, and the next sync equals a fresh index', async () => {
    // How many progress calls a sync from A to B makes: one per file read, and one at the end.
    const probeDir = folderA();
    const probe = await indexOf(SQL, probeDir, true);
    changeToB(probeDir);
    let steps = 0;
    await probe.sync({ onProgress: () => void steps++ });
    probe.close();
    assert.ok(steps >= 5, `a sync from A to B reads several files (${steps} steps)`);

    for (let k = 0; k < steps - 1; k++) {
      const dir = folderA();
      const index = await indexOf(SQL, dir, true);
      const before = exactState(index);
      changeToB(dir);
      await assert.rejects(index.sync(failingAt(k)), /injected failure/);
      assert.deepEqual(exactState(index), before, `after a failure at step ${k}`);
      assertCountsMatchTable(index, `after a failure at step ${k}`);

      await index.sync();
      index.auditAll();
      const fresh = await indexOf(SQL, dir, true);
      assertCountsMatchTable(index, `after the next sync (failure at step ${k})`);
      assert.deepEqual(keyedState(index), keyedState(fresh), `the next sync after a failure at step ${k}`);
      assert.equal(index.counts().predictions, index.query({ limit: 0 }).total);
      index.close();
      fresh.close();
    }
  });

  it('after a failed sync with a bad file, removing the file and syncing again counts what the queries return', async () => {
    // The status bar showed the failed sync's counts while the list showed the rolled-back rows.
    const dir = folderA();
    // The first sync of a window: every file is new, and the bad one comes after some good ones.
    const index = new ResultIndex(SQL);
    index.setRoots([dir]);
    const bad = path.join(dir, 'processed_outputs', 'real_mc_cot', 'beta-vl_8frame.json');
    writeJson(bad, judge(realQuestions(), 7, 0.5));
    // A loader that fails on that file, as a parser thread did before bad files were caught per file.
    await assert.rejects(
      index.sync({
        loader: function* (files, known) {
          for (const f of files) {
            if (f.path === bad) throw new Error('injected: parser thread failed');
            yield loadFile(f, known);
          }
        },
      }),
      /injected/,
    );
    fs.unlinkSync(bad);
    const report = await index.sync();
    index.auditAll();
    const fresh = await indexOf(SQL, dir, false);
    assert.equal(report.counts.predictions, index.query({ limit: 0 }).total);
    assert.equal(report.counts.failures, index.query({ outcome: ['failed'], limit: 0 }).total);
    assert.deepEqual(keyedState(index), keyedState(fresh));
    index.close();
    fresh.close();
  });
});

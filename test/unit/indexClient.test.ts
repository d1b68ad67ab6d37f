import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { IndexClient } from '../../src/core/index/indexClient';
import { makeResultsFolder, tempDir, writeJson } from '../support/fixtures';

// The worker is tested as it ships: the bundled dist/indexWorker.js (npm test builds first).
const DIST = path.resolve(__dirname, '..', '..', 'dist');

describe('the index worker', () => {
  let client: IndexClient;
  beforeEach(() => {
    assert.ok(fs.existsSync(path.join(DIST, 'indexWorker.js')), 'run npm run build first');
    client = new IndexClient({
      workerPath: path.join(DIST, 'indexWorker.js'),
      wasmPath: path.join(DIST, 'sql-wasm.wasm'),
    });
  });
  afterEach(() => client?.dispose());

  it('indexes in the worker thread, reports progress, and answers queries', async () => {
    const { dir, judged } = makeResultsFolder();
    const progress: number[] = [];
    const report = await client.call('sync', { roots: [{ path: dir }] }, (done) => progress.push(done));
    const total = [...judged.values()].reduce((a, r) => a + r.length, 0);
    assert.equal(report.counts.predictions, total);
    assert.ok(progress.length > 0);
    const failed = await client.call('query', { outcome: ['failed'], limit: 5 });
    assert.equal(failed.total, [...judged.values()].flat().filter((r) => !r.correct).length);
    assert.equal(failed.rows.length, 5);
    const detail = await client.call('prediction', { id: failed.rows[0]?.id ?? -1 });
    assert.equal(detail?.outcome, 'failed');
    assert.match(detail?.response ?? '', /final answer is/);
    const tables = await client.call('accuracyTables', {});
    assert.equal(tables.length, 1);
  });

  it('builds the search index first when the host asks for the audit step after step', async () => {
    const { dir } = makeResultsFolder();
    const { counts } = await client.call('sync', { roots: [{ path: dir }] });
    // Requests one right after another leave the worker no idle time: the first steps go to the search index.
    const steps = [];
    for (let i = 0; i < 3; i++) steps.push(await client.call('auditStep', { max: 1 }));
    const memory = await client.call('memory', {});
    assert.ok((memory.searchPostings ?? 0) > 0, 'the search index is built');
    assert.ok(steps.every((s) => s.changed));
    assert.equal(steps[0]?.pending, counts.predictions, 'the audit waited for it and says so');
    // Then the audit goes on to the end, as before.
    let last = steps[steps.length - 1];
    while (last?.changed) last = await client.call('auditStep', { max: 1000 });
    assert.equal(last?.pending, 0);
  });

  it('compares two runs through the worker as the index itself does', async () => {
    const { dir } = makeResultsFolder();
    await client.call('sync', { roots: [{ path: dir }] });
    const runs = await client.call('comparisonRuns', {});
    assert.deepEqual(runs, ['cot/alpha-vl_8frame', 'cot/beta-vl_1fps', 'cot/gamma_32frame']);
    const result = await client.call('compare', {
      a: runs[0] as string,
      b: runs[1] as string,
      filter: { split: ['real'] },
    });
    const failedA = await client.call('query', { outcome: ['failed'], model: ['alpha-vl'], split: ['real'], limit: 0 });
    const correctA = await client.call('query', {
      outcome: ['correct'],
      model: ['alpha-vl'],
      split: ['real'],
      limit: 0,
    });
    assert.equal(result.slices[0]?.aCorrect, correctA.total);
    assert.equal(result.n, correctA.total + failedA.total, 'every real question answered by both runs');
    assert.ok(result.slices.every((s) => s.slice.split === undefined || s.slice.split === 'real'));
  });

  it('says when it has started (sql.js loaded, parser threads running), and indexes after that as before', async () => {
    // It would never answer if a parser thread failed to say it is ready.
    assert.equal(await client.call('started', {}), null);
    const { dir, judged } = makeResultsFolder();
    const report = await client.call('sync', { roots: [{ path: dir }] });
    assert.equal(
      report.counts.predictions,
      [...judged.values()].reduce((a, r) => a + r.length, 0),
    );
  });

  it('brings every response back as written, and the ids as written, from the parser threads', async () => {
    // No benchmark file: the questions come from the records themselves. Ids of every shape, non-ASCII text.
    const dir = tempDir();
    const records = ['validation_7', 'validation_007', 'validation_0', 'q-12', 'validation_12345678901234567890'].map(
      (id, i) => ({
        id,
        question: `Which way is the bicycle ${i} moving?`,
        choices: { A: 'left', B: 'right', C: 'not moving', D: 'no bicycle' },
        response: `${'\ufeff'.repeat(i % 2)}Le vélo ${i} → va à gauche 😀. Therefore, the final answer is: B`,
        ground_truth_answer: 'left',
        extracted_answer: 'B: right',
        correct: false,
      }),
    );
    // More files than the parser threads, so that each thread sends several.
    for (const model of ['m1', 'm2', 'm3', 'm4', 'm5'])
      writeJson(path.join(dir, 'processed_outputs', 'real_mc_cot', `${model}_8frame.json`), records);
    const report = await client.call('sync', { roots: [{ path: dir }] });
    assert.equal(report.counts.predictions, 25);
    const rows = (await client.call('query', { model: ['m3'], limit: 10 })).rows;
    assert.deepEqual(rows.map((r) => r.qid).sort(), records.map((r) => r.id).sort());
    for (const row of rows) {
      const detail = await client.call('prediction', { id: row.id });
      const record = records.find((r) => r.id === row.qid);
      assert.equal(detail?.response, record?.response, row.qid);
      assert.equal(detail?.question, record?.question, row.qid);
    }
    const found = await client.call('query', { text: 'va à gauche 😀', limit: 100 });
    assert.equal(found.total, 25);
  });

  it('stops a sync when cancelled; the next sync completes it', async () => {
    const { dir, judged } = makeResultsFolder();
    const pending = client.call('sync', { roots: [{ path: dir }] });
    client.cancelSync();
    const first = await pending;
    assert.equal(first.cancelled, true);
    assert.equal(first.filesRead, 0);
    const second = await client.call('sync', {});
    assert.equal(second.cancelled, false);
    assert.equal(
      second.counts.predictions,
      [...judged.values()].reduce((a, r) => a + r.length, 0),
    );
  });
});

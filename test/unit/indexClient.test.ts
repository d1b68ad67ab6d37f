import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { IndexClient } from '../../src/core/index/indexClient';
import { makeResultsFolder } from '../support/fixtures';

// The worker is tested as it ships: the bundled dist/indexWorker.js (npm test builds first).
const DIST = path.resolve(__dirname, '..', '..', 'dist');

describe('the index worker', () => {
  let client: IndexClient;
  beforeEach(() => {
    assert.ok(fs.existsSync(path.join(DIST, 'indexWorker.js')), 'run npm run build first');
    client = new IndexClient({ workerPath: path.join(DIST, 'indexWorker.js'), wasmPath: path.join(DIST, 'sql-wasm.wasm') });
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

  it('stops a sync when cancelled; the next sync completes it', async () => {
    const { dir, judged } = makeResultsFolder();
    const pending = client.call('sync', { roots: [{ path: dir }] });
    client.cancelSync();
    const first = await pending;
    assert.equal(first.cancelled, true);
    assert.equal(first.filesRead, 0);
    const second = await client.call('sync', {});
    assert.equal(second.cancelled, false);
    assert.equal(second.counts.predictions, [...judged.values()].reduce((a, r) => a + r.length, 0));
  });
});

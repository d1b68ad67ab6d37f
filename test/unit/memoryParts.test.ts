// What keeps the index's memory down at 10x the published results (docs/benchmark.md): parser threads do not
// outlive a sync (idle, each kept the heap it had parsed with).
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { IndexClient } from '../../src/core/index/indexClient';
import { judge, makeResultsFolder, realQuestions, writeJson } from '../support/fixtures';

// The worker as it ships: the bundled dist/indexWorker.js (npm test builds first).
const DIST = path.resolve(__dirname, '..', '..', 'dist');

describe('the index memory', () => {
  it('stops the parser threads once a sync is done; the next sync starts them again and indexes the same', async () => {
    assert.ok(fs.existsSync(path.join(DIST, 'indexWorker.js')), 'run npm run build first');
    const client = new IndexClient({
      workerPath: path.join(DIST, 'indexWorker.js'),
      wasmPath: path.join(DIST, 'sql-wasm.wasm'),
    });
    try {
      await client.call('started', {});
      assert.equal((await client.call('memory', {})).parserThreads, 2, 'started: the threads wait for work');
      const { dir, judged } = makeResultsFolder();
      const first = await client.call('sync', { roots: [{ path: dir }] });
      assert.equal((await client.call('memory', {})).parserThreads, 0, 'no parser thread left after the sync');
      const more = judge(realQuestions(), 5, 0.5);
      writeJson(path.join(dir, 'processed_outputs/real_mc_cot/omega_8frame.json'), more);
      const second = await client.call('sync', {});
      assert.equal(second.filesRead, 1);
      assert.equal(second.counts.predictions, first.counts.predictions + more.length);
      assert.equal(
        first.counts.predictions,
        [...judged.values()].reduce((a, r) => a + r.length, 0),
      );
      assert.equal((await client.call('memory', {})).parserThreads, 0, 'none after the second sync either');
    } finally {
      await client.dispose();
    }
  });
});

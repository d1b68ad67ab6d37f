import * as assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { IndexClient } from '../../src/core/index/indexClient';
import { MODEL, fixturePredictions, harnessFolder } from '../support/harnessFixtures';

// The CLI as users run it: the built bundle (npm test builds first), in a child process.
const CLI = path.resolve(__dirname, '..', '..', 'dist', 'cli.js');

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The table's CSV lines, each row named without the authors' `.json` (a harness run has no such file). */
const csvRows = (stdout: string) =>
  stdout
    .split('\n')
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => l.replace(/^([^,]*)\.json,/, '$1,'));

describe('the command line over harness folders', () => {
  before(function () {
    if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build first`);
  });

  it('failures --json over an lmms-eval folder lists exactly the failed predictions of the fixture', () => {
    const r = cli('failures', harnessFolder('lmms-eval-0.4'), '--json', '--limit', '1000');
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { total: number; rows: { key: string }[] };
    const want = Object.entries(fixturePredictions())
      .flatMap(([split, ps]) => ps.filter((p) => !p.correct).map((p) => `${split}/cot/${MODEL}_32frame/${p.id}`))
      .sort();
    assert.equal(out.total, want.length);
    assert.deepEqual(out.rows.map((x) => x.key).sort(), want);
    // The other task of the folder is named once, as not VLM4D, on stderr.
    assert.equal(r.stderr.match(/not VLM4D/g)?.length, 1);
  });

  it('table over VLMEvalKit and lmms-eval folders prints the same numbers as over the authors files', function () {
    this.timeout(120_000); // four runs of the CLI on a shared machine
    const authors = cli('table', harnessFolder('authors-judged'));
    assert.equal(authors.code, 0, authors.stderr);
    for (const format of ['vlmevalkit-xlsx', 'lmms-eval-0.2.0', 'lmms-eval-0.3']) {
      const r = cli('table', harnessFolder(format));
      assert.equal(r.code, 0, `${format}: ${r.stderr}`);
      assert.deepEqual(csvRows(r.stdout), csvRows(authors.stdout), format);
    }
  });

  it('a model name from a folder that a spreadsheet would run as a formula is neutralised in the CSV', () => {
    const dir = harnessFolder('vlmevalkit-tsv');
    const evil = '=2+3';
    const from = path.join(dir, 'vlmevalkit-tsv', MODEL);
    const to = path.join(dir, 'vlmevalkit-tsv', evil);
    fs.renameSync(from, to);
    const t = path.join(to, 'T20251101_G3f9a2c1');
    for (const f of fs.readdirSync(t)) fs.renameSync(path.join(t, f), path.join(t, f.replace(MODEL, evil)));
    const r = cli('table', dir);
    assert.equal(r.code, 0, r.stderr);
    const row = r.stdout.split('\n').find((l) => !l.startsWith('#') && l.includes('2+3'));
    assert.ok(row?.startsWith(`'${evil}_32frame,`), r.stdout);
  });

  it('the index worker reads harness files in its parser threads (workbooks and files of both splits included)', async function () {
    this.timeout(120_000);
    const dist = path.dirname(CLI);
    const client = new IndexClient({
      workerPath: path.join(dist, 'indexWorker.js'),
      wasmPath: path.join(dist, 'sql-wasm.wasm'),
    });
    try {
      const report = await client.call('sync', {
        roots: [{ path: harnessFolder('lmms-eval-0.3', 'vlmevalkit-xlsx') }],
      });
      const n = Object.values(fixturePredictions()).reduce((a, p) => a + p.length, 0);
      // lmms-eval: one file, two runs; VLMEvalKit: the judged companions and their ungraded prediction files.
      assert.deepEqual([report.counts.runs, report.counts.predictions], [6, 3 * n]);
      assert.deepEqual(report.problems, []);
      const judged = await client.call('query', { grader: ['judge'], limit: 0 });
      assert.equal(judged.total, 2 * n);
    } finally {
      client.dispose();
    }
  });
});

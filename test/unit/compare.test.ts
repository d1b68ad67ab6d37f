import * as assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { pairedStats } from '../../src/core/compare/paired';
import type { PredictionRow } from '../../src/core/index/query';
import { ResultIndex } from '../../src/core/index/resultIndex';
import { loadSqlJs } from '../../src/core/index/sqlite';
import type { FixtureQuestion } from '../support/fixtures';
import { makeResultsFolder, writeJson } from '../support/fixtures';

const CLI = path.resolve(__dirname, '..', '..', 'dist', 'cli.js');

/** A fixture results folder whose real questions share clips two by two (as VLM4D's do, several a clip). */
function sharedClipsFolder(): { dir: string; videoOf: Map<string, string> } {
  const { dir } = makeResultsFolder();
  const file = path.join(dir, 'data', 'real_mc.json');
  const questions = JSON.parse(fs.readFileSync(file, 'utf8')) as FixtureQuestion[];
  questions.forEach((q, i) => (q.video = questions[i - (i % 2)]?.video as string));
  writeJson(file, questions);
  const videoOf = new Map<string, string>();
  for (const split of ['real', 'synthetic']) {
    for (const q of JSON.parse(
      fs.readFileSync(path.join(dir, 'data', `${split}_mc.json`), 'utf8'),
    ) as FixtureQuestion[])
      videoOf.set(`${split}/${q.id}`, q.video);
  }
  return { dir, videoOf };
}

async function indexOf(dir: string): Promise<ResultIndex> {
  const index = new ResultIndex(await loadSqlJs());
  index.setRoots([dir]);
  await index.sync();
  return index;
}

/** Every graded prediction of one run (both splits), read through the list API: the independent side. */
function runRows(index: ResultIndex, model: string): Map<string, PredictionRow> {
  const rows = index.query({ outcome: ['correct', 'failed'], model: [model], limit: 10_000 }).rows;
  return new Map(rows.map((r) => [`${r.split}/${r.qid}`, r]));
}

describe('comparing two runs', () => {
  it('pairs the questions both runs answered and counts each slice as a brute-force count of the lists does', async () => {
    const { dir, videoOf } = sharedClipsFolder();
    const index = await indexOf(dir);
    assert.deepEqual(index.comparisonRuns(), ['cot/alpha-vl_8frame', 'cot/beta-vl_1fps', 'cot/gamma_32frame']);
    const result = index.compare('cot/alpha-vl_8frame', 'cot/gamma_32frame');
    const a = runRows(index, 'alpha-vl');
    const b = runRows(index, 'gamma');
    const both = [...a.keys()].filter((k) => b.has(k));
    assert.equal(result.n, both.length);
    for (const s of result.slices) {
      const inSlice = both.filter((k) =>
        Object.entries(s.slice).every(
          ([field, value]) => (a.get(k) as unknown as Record<string, string>)[field] === value,
        ),
      );
      const ok = (m: Map<string, PredictionRow>, k: string) => m.get(k)?.outcome === 'correct';
      assert.equal(s.n, inSlice.length, JSON.stringify(s.slice));
      assert.equal(s.aCorrect, inSlice.filter((k) => ok(a, k)).length);
      assert.equal(s.bCorrect, inSlice.filter((k) => ok(b, k)).length);
      assert.equal(s.onlyAFailed, inSlice.filter((k) => !ok(a, k) && ok(b, k)).length);
      assert.equal(s.onlyBFailed, inSlice.filter((k) => ok(a, k) && !ok(b, k)).length);
      assert.equal(s.bothFailed, inSlice.filter((k) => !ok(a, k) && !ok(b, k)).length);
      // The interval resamples the questions' clips, as read from the benchmark file itself.
      const independent = pairedStats(
        inSlice.map((k) => ({ cluster: videoOf.get(k) as string, a: ok(a, k), b: ok(b, k) })),
      );
      assert.deepEqual(s.ci95, independent.ci95, `clusters of ${JSON.stringify(s.slice)}`);
      assert.deepEqual(s.ci95Naive, independent.ci95Naive);
    }
    assert.deepEqual(result.slices[0]?.slice, {}, 'the overall slice first');
    assert.deepEqual(
      [...new Set(result.slices.slice(1).map((s) => Object.keys(s.slice).join('+')))],
      ['split', 'perspective', 'motion', 'source', 'perspective+motion'],
    );
    index.close();
  });

  it('takes the verdict in force: an override changes the comparison', async () => {
    const { dir } = makeResultsFolder();
    const index = await indexOf(dir);
    const before = index.compare('cot/alpha-vl_8frame', 'cot/beta-vl_1fps').slices[0];
    const failed = index.query({ outcome: ['failed'], model: ['beta-vl'], limit: 1 }).rows[0] as PredictionRow;
    index.setAnnotations([
      {
        root: dir,
        data: {
          tags: [],
          questions: {},
          predictions: { [failed.key]: { tags: [], note: '', verdict: 'correct', updated: '' } },
        },
      },
    ]);
    const after = index.compare('cot/alpha-vl_8frame', 'cot/beta-vl_1fps').slices[0];
    assert.equal(after?.bCorrect, (before?.bCorrect as number) + 1);
    index.close();
  });

  it('prints the comparison as JSON whole, as a table, and names the runs when one is unknown', function () {
    if (!fs.existsSync(CLI)) this.skip();
    const { dir } = makeResultsFolder();
    const json = spawnSync(
      process.execPath,
      [CLI, 'compare', dir, '--a', 'cot/alpha-vl_8frame', '--b', 'cot/beta-vl_1fps', '--split', 'real', '--json'],
      { encoding: 'utf8' },
    );
    assert.equal(json.status, 0, json.stderr);
    const out = JSON.parse(json.stdout) as {
      a: string;
      b: string;
      n: number;
      slices: { slice: Record<string, string>; n: number; ci95: number[]; mcnemarP: number }[];
    };
    assert.equal(out.a, 'cot/alpha-vl_8frame');
    assert.equal(out.n, 10, 'the ten real questions');
    assert.ok(out.slices.every((s) => s.slice.split === undefined || s.slice.split === 'real'));
    const table = spawnSync(
      process.execPath,
      [CLI, 'compare', dir, '--a', 'cot/alpha-vl_8frame', '--b', 'cot/beta-vl_1fps'],
      { encoding: 'utf8' },
    );
    assert.match(table.stdout, /^all\s+15\s/m);
    const unknown = spawnSync(
      process.execPath,
      [CLI, 'compare', dir, '--a', 'cot/alpha-vl_8frame', '--b', 'cot/nope_8frame'],
      { encoding: 'utf8' },
    );
    assert.equal(unknown.status, 2);
    assert.match(unknown.stderr, /no run named "cot\/nope_8frame"/);
    assert.match(unknown.stderr, /cot\/beta-vl_1fps/);
  });
});

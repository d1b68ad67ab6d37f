import * as assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { seededRandom } from '../../src/core/compare/paired';
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

/**
 * The documented scheme, computed question by question: the questions in key order, the clusters (clips, or
 * the questions themselves for the naive interval) in the order of their first question; each of the 2,000
 * resamples draws as many clusters as there are with the seeded generator, and every slice's difference is
 * summed over its questions with their cluster's multiplicity. Resamples drawing nothing of a slice are left
 * out of it. Returns each slice's 2.5th and 97.5th percentiles.
 */
function referenceIntervals(
  keys: string[],
  clusterOf: (key: string) => string,
  slices: string[][],
  seed = 1,
  resamples = 2000,
): ([number, number] | null)[] {
  const ordered = [...keys].sort();
  const clusters = [...new Set(ordered.map(clusterOf))];
  const random = seededRandom(seed);
  const samples: number[][] = slices.map(() => []);
  for (let r = 0; r < resamples; r++) {
    const times = new Map<string, number>();
    for (let j = 0; j < clusters.length; j++) {
      const c = clusters[Math.floor(random() * clusters.length)] as string;
      times.set(c, (times.get(c) ?? 0) + 1);
    }
    slices.forEach((questions, s) => {
      let num = 0;
      let den = 0;
      for (const q of questions) {
        const t = times.get(clusterOf(q)) ?? 0;
        num += t * (diffOf.get(q) as number);
        den += t;
      }
      if (den > 0) samples[s]?.push(num / den);
    });
  }
  return samples.map((xs) => {
    if (!xs.length) return null;
    xs.sort((x, y) => x - y);
    const at = (p: number) => xs[Math.min(xs.length - 1, Math.floor(p * xs.length))] as number;
    return [at(0.025), at(0.975)];
  });
}
/** Each question's (B correct - A correct), filled by the test before referenceIntervals is called. */
const diffOf = new Map<string, number>();

/** Every graded prediction of one run (both splits), read through the list API: the independent side. */
function runRows(index: ResultIndex, model: string): Map<string, PredictionRow> {
  const rows = index.query({ outcome: ['correct', 'failed'], model: [model], limit: 10_000 }).rows;
  return new Map(rows.map((r) => [`${r.split}/${r.qid}`, r]));
}

describe('comparing two runs', () => {
  it('pairs the questions both runs answered and counts each slice as a brute-force count of the lists does', async () => {
    const { dir, videoOf } = sharedClipsFolder();
    diffOf.clear();
    const index = await indexOf(dir);
    assert.deepEqual(index.comparisonRuns(), ['cot/alpha-vl_8frame', 'cot/beta-vl_1fps', 'cot/gamma_32frame']);
    const result = index.compare('cot/alpha-vl_8frame', 'cot/gamma_32frame');
    const a = runRows(index, 'alpha-vl');
    const b = runRows(index, 'gamma');
    const both = [...a.keys()].filter((k) => b.has(k));
    assert.equal(result.n, both.length);
    const ok = (m: Map<string, PredictionRow>, k: string) => m.get(k)?.outcome === 'correct';
    for (const k of both) diffOf.set(k, Number(ok(b, k)) - Number(ok(a, k)));
    const inSlices = result.slices.map((s) =>
      both.filter((k) =>
        Object.entries(s.slice).every(
          ([field, value]) => (a.get(k) as unknown as Record<string, string>)[field] === value,
        ),
      ),
    );
    // The intervals resample the questions' clips, as read from the benchmark file itself, shared by all slices.
    const clustered = referenceIntervals(both, (k) => videoOf.get(k) as string, inSlices);
    const naive = referenceIntervals(both, (k) => k, inSlices);
    result.slices.forEach((s, i) => {
      const inSlice = inSlices[i] as string[];
      assert.equal(s.n, inSlice.length, JSON.stringify(s.slice));
      assert.equal(s.aCorrect, inSlice.filter((k) => ok(a, k)).length);
      assert.equal(s.bCorrect, inSlice.filter((k) => ok(b, k)).length);
      assert.equal(s.onlyAFailed, inSlice.filter((k) => !ok(a, k) && ok(b, k)).length);
      assert.equal(s.onlyBFailed, inSlice.filter((k) => ok(a, k) && !ok(b, k)).length);
      assert.equal(s.bothFailed, inSlice.filter((k) => !ok(a, k) && !ok(b, k)).length);
      assert.deepEqual(s.ci95, clustered[i], `clusters of ${JSON.stringify(s.slice)}`);
      assert.deepEqual(s.ci95Naive, naive[i], `questions of ${JSON.stringify(s.slice)}`);
    });
    assert.ok(
      result.slices.some((s, i) => s.n > 0 && s.n < result.n && clustered[i]?.[0] !== clustered[i]?.[1]),
      'some slice has an interval of its own to check',
    );
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

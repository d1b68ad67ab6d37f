import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { generateCorpus } from '../../bench/corpus';
import { accuracyTableCsv, accuracyTables } from '../../src/core/accuracyTable';
import { countedAccuracyTables } from '../../src/core/countedTable';
import type { RootSpec } from '../../src/core/index/indexTypes';
import { ResultIndex } from '../../src/core/index/resultIndex';
import { loadSqlJs } from '../../src/core/index/sqlite';
import { makeResultsFolder, realQuestions, syntheticQuestions, tempDir, writeJson } from '../support/fixtures';

/** The table and problems as the index computes them for the same roots (the path `table` used to take). */
async function indexed(roots: RootSpec[], pair: { realDir?: string; syntheticDir?: string } = {}) {
  const index = new ResultIndex(await loadSqlJs());
  index.setRoots(roots);
  const report = await index.sync();
  const tables = accuracyTables(index, pair);
  index.close();
  return { tables, problems: report.problems };
}

async function assertSame(roots: RootSpec[], pair: { realDir?: string; syntheticDir?: string } = {}, what = '') {
  const counted = countedAccuracyTables(roots, pair);
  assert.ok(counted, `${what}: judged results are counted without the index`);
  const want = await indexed(roots, pair);
  assert.ok(want.tables.length, `${what}: the comparison has tables`);
  assert.deepEqual(counted.problems, want.problems, `${what}: the same problems`);
  assert.deepEqual(counted.tables, want.tables, `${what}: the same tables`);
  assert.deepEqual(counted.tables.map(accuracyTableCsv), want.tables.map(accuracyTableCsv), `${what}: the same CSV`);
  return counted;
}

/** A pair of folders given explicitly, as `vlm4d table REAL SYN` reads them. */
function pairRoots(realDir: string, syntheticDir: string): RootSpec[] {
  return [
    { path: realDir, assume: { split: 'real', promptMode: 'cot' } },
    { path: syntheticDir, assume: { split: 'synthetic', promptMode: 'cot' } },
  ];
}

describe('the accuracy table counted straight from the files', () => {
  it('equals the indexed table, with the same problems, on fixtures with bad files and odd records', async () => {
    const { dir } = makeResultsFolder();
    const real = path.join(dir, 'processed_outputs', 'real_mc_cot');
    const synth = path.join(dir, 'processed_outputs', 'synthetic_mc_cot');
    // A truncated file, a file of an object, records skipped for bad fields, duplicate ids, ids that are not
    // validation_<n>, a judged file with unjudged records, a model in one split only.
    fs.writeFileSync(path.join(real, 'broken_8frame.json'), '[{');
    writeJson(
      path.join(synth, 'broken_8frame.json'),
      syntheticQuestions().map((q) => ({ ...q, response: 'A', correct: true })),
    );
    writeJson(path.join(real, 'object_8frame.json'), { records: [] });
    const odd = realQuestions().map((q, i) => ({
      ...q,
      id:
        i % 5 === 0 ? `clip-${q.id.replace('validation_', '')}` : i % 7 === 0 ? `validation_0${q.id.slice(11)}` : q.id,
      response: i % 3 ? 'Therefore, the final answer is: B' : 'ünïcode answer',
      extracted_answer: 'B',
      correct: i % 11 === 1 ? null : i % 2 === 0 || i % 4 === 1,
      ...(i % 13 === 0 ? { correct: 'maybe' } : {}),
    }));
    writeJson(path.join(real, 'odd_4frame.json'), [...odd, odd[1], odd[2]]);
    writeJson(
      path.join(synth, 'odd_4frame.json'),
      syntheticQuestions().map((q, i) => ({
        ...q,
        ground_truth_answer: i % 4 === 0 ? ' No ' : i % 6 === 0 ? 'not here' : q.answer,
        response: 'x',
        correct: i % 3 === 0,
      })),
    );
    writeJson(
      path.join(real, 'lonely_8frame.json'),
      realQuestions().map((q) => ({ ...q, response: 'A', correct: false })),
    );
    const one = await assertSame([{ path: dir }], {}, 'one folder');
    assert.deepEqual(
      [...new Set(one.problems.map((p) => `${path.basename(p.path)} ${p.severity}`))],
      ['broken_8frame.json error', 'object_8frame.json error', 'odd_4frame.json warning'],
    );
    await assertSame(pairRoots(real, synth), { realDir: real, syntheticDir: synth }, 'a pair of folders');
  });

  it('equals the indexed table on a generated corpus shaped like the published results', async function () {
    this.timeout(300_000);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vlm4d-corpus-'));
    try {
      await generateCorpus(dir, { scale: 1, seed: 3 });
      await assertSame([{ path: dir }], {}, 'corpus');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('leaves raw outputs and harness files to the index (their grading needs the questions)', () => {
    const { dir } = makeResultsFolder();
    const raw = tempDir();
    fs.cpSync(dir, raw, { recursive: true });
    writeJson(
      path.join(raw, 'outputs', 'real_mc_cot', 'delta_8frame.json'),
      realQuestions().map((q) => ({ ...q, response: 'Therefore, the final answer is: A' })),
    );
    assert.ok(countedAccuracyTables([{ path: dir }]), 'judged only: counted');
    assert.equal(countedAccuracyTables([{ path: raw }]), null, 'a raw file: the index');
    const unjudged = tempDir();
    writeJson(
      path.join(unjudged, 'real_mc_cot', 'delta_8frame.json'),
      realQuestions().map((q) => ({ ...q, response: 'A' })),
    );
    assert.equal(
      countedAccuracyTables([{ path: unjudged }]),
      null,
      'raw records found where judged ones were expected',
    );
  });
});

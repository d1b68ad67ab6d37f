import * as assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import { EXPORT_COLUMNS } from '../../src/cli/export';
import type { ExportValue } from '../../src/cli/parquetExport';
import { writeParquet } from '../../src/cli/parquetExport';
import { makeResultsFolder, tempDir } from '../support/fixtures';
import { harnessFolder } from '../support/harnessFixtures';

const CLI = path.resolve(__dirname, '..', '..', 'dist', 'cli.js');
const cli = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });

/** A Parquet file read by hyparquet, a reader that shares no code with the writer. */
async function readParquet(file: string): Promise<Record<string, unknown>[]> {
  const bytes = fs.readFileSync(file);
  const ab = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  return (await parquetReadObjects({ file: ab })) as Record<string, unknown>[];
}

describe('vlm4d export --format parquet', () => {
  before(function () {
    if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build first`);
  });

  it('writes every row of the NDJSON export, column for column, and never overwrites a file', async () => {
    const { dir } = makeResultsFolder();
    // Judged, rule-graded and ungraded-copy predictions side by side: nulls in judge_correct and chosen.
    const harness = harnessFolder('vlmevalkit-partial');
    fs.cpSync(harness, path.join(dir, 'harness'), { recursive: true });
    const out = tempDir();
    const nd = path.join(out, 'all.ndjson');
    const pq = path.join(out, 'all.parquet');
    assert.equal(cli('export', dir, '--format', 'ndjson', '--out', nd).status, 0);
    const r = cli('export', dir, '--format', 'parquet', '--out', pq);
    assert.equal(r.status, 0, r.stderr);
    const expected = fs
      .readFileSync(nd, 'utf8')
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const rows = await readParquet(pq);
    assert.equal(rows.length, expected.length);
    assert.ok(new Set(expected.map((e) => e.graded_by)).size >= 3, 'judge, rule and none all exported');
    assert.ok(expected.some((e) => e.judge_correct === null) && expected.some((e) => e.chosen === null));
    rows.forEach((row, i) => assert.deepEqual(row, expected[i], `row ${i}`));
    assert.match(r.stderr, new RegExp(`${expected.length} predictions written`));
    // An existing file is left as it was.
    fs.writeFileSync(pq, 'mine');
    const again = cli('export', dir, '--format', 'parquet', '--out', pq);
    assert.equal(again.status, 2);
    assert.match(again.stderr, /exists already/);
    assert.equal(fs.readFileSync(pq, 'utf8'), 'mine');
  });

  it('splits large exports into row groups and keeps any text whole (nulls, emoji, NUL, long responses)', async () => {
    const file = path.join(tempDir(), 'x.parquet');
    const texts = ['', 'plain', '🎬 clip → left', 'a\u0000b', 'x'.repeat(300_000), '"quoted", =SUM(A1)', null];
    const records: Record<string, ExportValue>[] = [];
    for (let i = 0; i < 25; i++) {
      const rec: Record<string, ExportValue> = {};
      for (const c of EXPORT_COLUMNS) rec[c] = texts[(i + c.length) % texts.length] ?? null;
      rec.key = `k${i}`;
      rec.judge_correct = i % 3 === 0 ? null : i % 3 === 1;
      rec.overridden = i % 2 === 0;
      records.push(rec);
    }
    // Pages of 4 records, row groups of 10: groups cut across pages.
    const pages = Array.from({ length: Math.ceil(records.length / 4) }, (_, p) => records.slice(p * 4, p * 4 + 4));
    const fd = fs.openSync(file, 'wx');
    assert.equal(writeParquet(fd, EXPORT_COLUMNS, pages, 10), records.length);
    fs.closeSync(fd);
    const bytes = fs.readFileSync(file);
    const meta = parquetMetadata(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
    assert.deepEqual(
      meta.row_groups.map((g) => Number(g.num_rows)),
      [10, 10, 5],
    );
    assert.deepEqual(await readParquet(file), records);
  });
});

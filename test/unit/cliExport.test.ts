import * as assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { EXPORT_COLUMNS } from '../../src/cli/export';
import { makeResultsFolder, tempDir } from '../support/fixtures';

const CLI = path.resolve(__dirname, '..', '..', 'dist', 'cli.js');
const cli = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });

/** A CSV parser for the test (quoted fields, doubled quotes, newlines inside quotes). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') field += text[i++];
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  return rows;
}

describe('vlm4d export', () => {
  before(function () {
    if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build first`);
  });

  it('writes every prediction once, as the result files hold it, in NDJSON and in CSV, and never overwrites a file', () => {
    const { dir, judged } = makeResultsFolder();
    const out = tempDir();
    const nd = path.join(out, 'all.ndjson');
    const r = spawnSync(process.execPath, [CLI, 'export', dir, '--format', 'ndjson', '--out', nd], {
      encoding: 'utf8',
    });
    assert.equal(r.status, 0, r.stderr);
    const records = fs
      .readFileSync(nd, 'utf8')
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    // Independently: every judged record of every file, found by its model, split and id.
    const expected = [...judged].flatMap(([file, recs]) =>
      recs.map((x) => ({
        split: file.includes('real_mc') ? 'real' : 'synthetic',
        model: path.basename(file).replace(/_[^_]+\.json$/, ''),
        qid: x.id,
        response: x.response,
        outcome: x.correct ? 'correct' : 'failed',
      })),
    );
    assert.equal(records.length, expected.length);
    assert.equal(new Set(records.map((x) => x.key)).size, records.length, 'one record a prediction');
    for (const e of expected) {
      const got = records.find((x) => x.split === e.split && x.model === e.model && x.qid === e.qid);
      assert.ok(got, `${e.split} ${e.model} ${e.qid}`);
      assert.equal(got.response, e.response);
      assert.equal(got.outcome, e.outcome);
      assert.deepEqual(Object.keys(got), [...EXPORT_COLUMNS]);
    }
    const csv = path.join(out, 'all.csv');
    assert.equal(cli('export', dir, '--format', 'csv', '--out', csv).status, 0);
    const rows = parseCsv(fs.readFileSync(csv, 'utf8'));
    assert.deepEqual(rows[0], [...EXPORT_COLUMNS]);
    assert.equal(rows.length - 1, records.length);
    const col = (name: string) => EXPORT_COLUMNS.indexOf(name as (typeof EXPORT_COLUMNS)[number]);
    rows.slice(1).forEach((row, i) => {
      assert.equal(row[col('key')], records[i]?.key);
      assert.equal(row[col('response')], records[i]?.response ?? '');
    });
    // An existing file is left as it was.
    fs.writeFileSync(csv, 'mine');
    const again = cli('export', dir, '--format', 'csv', '--out', csv);
    assert.equal(again.status, 2);
    assert.match(again.stderr, /exists already/);
    assert.equal(fs.readFileSync(csv, 'utf8'), 'mine');
    assert.equal(cli('export', dir, '--format', 'xml', '--out', path.join(out, 'x')).status, 2);
  });
});

import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { csvField } from '../../src/core/csv';
import { terminalSafe } from '../../src/core/terminalText';
import { makeResultsFolder, tempDir, writeJson } from '../support/fixtures';

// What reaches a script or a terminal from the CLI: whole through a pipe whatever its size, never cut without a
// word, and with nothing from the data that a terminal or a spreadsheet would act on.
const CLI = path.resolve(__dirname, '..', '..', 'dist', 'cli.js');
const PUBLISHED = path.resolve(__dirname, '..', '..', 'samples', 'vlm4d-published');

/** Runs the CLI with stdout into a pipe that is read only after `readAfterMs`, as a slow `| jq` does. */
function throughSlowPipe(
  args: string[],
  readAfterMs = 400,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    // Nothing is read for a while, so the pipe fills and the writer must wait. A 'readable' listener, not a
    // late 'data' one: a stream nobody listens to when the process exits is drained and its output dropped.
    let reading = false;
    const read = () => {
      for (let b: Buffer | null; reading && (b = child.stdout.read() as Buffer | null) !== null;) out.push(b);
    };
    child.stdout.on('readable', read);
    setTimeout(() => {
      reading = true;
      read();
    }, readAfterMs);
    child.on('close', (code) =>
      resolve({ code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }),
    );
  });
}

/**
 * The published subset three times over, under other model names: 10,608 failed predictions, more than the
 * index's largest page (10,000), with an annotations file tagging every one of them.
 */
function largeFolder(): { dir: string; failed: number } {
  const dir = tempDir();
  fs.cpSync(path.join(PUBLISHED, 'data'), path.join(dir, 'data'), { recursive: true });
  for (const split of ['real', 'synthetic']) {
    const from = path.join(PUBLISHED, 'processed_outputs_paper_results', `${split}_mc_cot`);
    const to = path.join(dir, 'processed_outputs_paper_results', `${split}_mc_cot`);
    fs.mkdirSync(to, { recursive: true });
    for (const f of fs.readdirSync(from))
      for (const copy of ['a', 'b', 'c']) fs.copyFileSync(path.join(from, f), path.join(to, `${copy}-${f}`));
  }
  const listed = spawnSync(process.execPath, [CLI, 'failures', dir, '--limit', '1000000', '--json'], {
    encoding: 'utf8',
    maxBuffer: 1 << 30,
  });
  const { total, rows } = JSON.parse(listed.stdout) as { total: number; rows: { key: string }[] };
  const predictions = Object.fromEntries(
    rows.map((r) => [
      r.key,
      { tags: ['direction-reversal'], note: '=HYPERLINK("http://x")', updated: '2026-01-01T00:00:00.000Z' },
    ]),
  );
  writeJson(path.join(dir, '.vlm4d', 'annotations.json'), {
    format: 'vlm4d-annotations',
    version: 1,
    tags: [],
    predictions,
    questions: {},
  });
  return { dir, failed: total };
}

describe('the command line through pipes and terminals', function () {
  this.timeout(120_000);
  let big: { dir: string; failed: number };
  before(function () {
    if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build first`);
    big = largeFolder();
  });

  it('lists more than one page of failures whole, and says how many there are', () => {
    assert.ok(big.failed > 10_000, `the fixture has ${big.failed} failures`);
    const all = spawnSync(process.execPath, [CLI, 'failures', big.dir, '--limit', '100000', '--json'], {
      encoding: 'utf8',
      maxBuffer: 1 << 30,
    });
    const out = JSON.parse(all.stdout) as { total: number; rows: { key: string }[] };
    assert.equal(out.total, big.failed);
    assert.equal(out.rows.length, big.failed, 'every failure asked for, not the first 10,000');
    assert.equal(new Set(out.rows.map((r) => r.key)).size, big.failed, 'no row twice');
    const tail = JSON.parse(
      spawnSync(process.execPath, [CLI, 'failures', big.dir, '--offset', '9990', '--limit', '20', '--json'], {
        encoding: 'utf8',
      }).stdout,
    ) as { rows: { key: string }[] };
    assert.deepEqual(
      tail.rows.map((r) => r.key),
      out.rows.slice(9990, 10010).map((r) => r.key),
      'a window across the page boundary is the same rows in the same order',
    );
  });

  it("prints every command's largest output whole into a slow pipe", async () => {
    const runs: [string[], (s: string) => void][] = [
      [
        ['failures', big.dir, '--limit', '100000', '--json'],
        (s) => assert.equal((JSON.parse(s) as { rows: unknown[] }).rows.length, big.failed),
      ],
      [['failures', big.dir, '--limit', '100000'], (s) => assert.equal(s.trimEnd().split('\n').length, big.failed + 1)],
      [
        ['audit', big.dir, '--json'],
        (s) => assert.ok(Array.isArray((JSON.parse(s) as { disagreements: unknown[] }).disagreements)),
      ],
      [
        ['tags', big.dir, '--json'],
        (s) => assert.equal((JSON.parse(s) as { annotated: number; rows: unknown[] }).rows.length, big.failed),
      ],
      [['tags', big.dir], (s) => assert.equal(s.trimEnd().split('\r\n').length, big.failed + 1)],
      [['table', big.dir], (s) => assert.equal(s.trim().split('\n').length, 13)],
      [
        ['index', big.dir, '--json'],
        (s) => assert.equal((JSON.parse(s) as { counts: { failures: number } }).counts.failures, big.failed),
      ],
    ];
    for (const [args, check] of runs) {
      const r = await throughSlowPipe(args);
      assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
      assert.ok(
        r.stdout.endsWith('\n'),
        `${args.join(' ')}: output ends with its last line (${r.stdout.length} characters read)`,
      );
      check(r.stdout);
    }
  });

  it('ends quietly when the reader goes away early', () => {
    const r = spawnSync(
      'bash',
      [
        '-c',
        `"${process.execPath}" "${CLI}" failures "${big.dir}" --limit 100000 | head -1; echo "status \${PIPESTATUS[0]}"`,
      ],
      { encoding: 'utf8' },
    );
    assert.match(r.stdout, /^\d+ failed predictions\nstatus 0\n$/);
    assert.doesNotMatch(r.stderr, /EPIPE|Error/);
  });

  it('never lets text from a results file act on the terminal; --json stays exact', () => {
    const { dir } = makeResultsFolder();
    const file = path.join(dir, 'data', 'real_mc.json');
    const questions = JSON.parse(fs.readFileSync(file, 'utf8')) as { question: string }[];
    const hostile = 'Which way?\u001b[2J\u001b]0;owned\u0007\r\u009b31m\u202eeht';
    for (const q of questions) q.question = hostile;
    fs.writeFileSync(file, JSON.stringify(questions));
    const text = spawnSync(process.execPath, [CLI, 'failures', dir, '--limit', '5'], { encoding: 'utf8' });
    assert.equal(text.status, 0, text.stderr);
    assert.doesNotMatch(
      text.stdout,
      // eslint-disable-next-line no-control-regex
      /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202e]/,
      'no control character from the data reaches the terminal',
    );
    assert.ok(text.stdout.includes('Which way?\\x1b[2J\\x1b]0;owned\\x07\\x0d\\x9b31m\\u{202e}eht'), 'shown escaped');
    const json = spawnSync(process.execPath, [CLI, 'failures', dir, '--limit', '5', '--json'], { encoding: 'utf8' });
    const rows = (JSON.parse(json.stdout) as { rows: { question: string }[] }).rows;
    assert.ok(rows.length > 0 && rows.every((r) => r.question === hostile), 'JSON keeps the text exactly');
  });

  it('escapes a hostile file name in the reasons printed to stderr', () => {
    const { dir } = makeResultsFolder();
    fs.writeFileSync(path.join(dir, 'processed_outputs', 'real_mc_cot', 'x\u001b]0;owned\u0007_8frame.json'), '[{');
    const r = spawnSync(process.execPath, [CLI, 'index', dir], { encoding: 'utf8' });
    assert.ok(r.stderr.includes('x\\x1b]0;owned\\x07_8frame.json'), r.stderr);
    // eslint-disable-next-line no-control-regex
    assert.doesNotMatch(r.stderr, /\u001b/);
  });

  it('neutralises CSV cells a spreadsheet would run as formulas (tags export)', () => {
    const r = spawnSync(process.execPath, [CLI, 'tags', big.dir], { encoding: 'utf8', maxBuffer: 1 << 30 });
    const lines = r.stdout.split('\r\n');
    assert.ok(lines[1]?.includes(`"'=HYPERLINK(""http://x"")"`), lines[1]);
    assert.ok(!lines.some((l) => /(^|,)[=+\-@]/.test(l)), 'no cell starts a formula');
  });
});

describe('terminal and CSV neutralisation', () => {
  it('escapes every C0 and C1 control but newline and tab, and bidi overrides', () => {
    for (let c = 0; c <= 0x9f; c++) {
      const ch = String.fromCharCode(c);
      const isControl = c < 0x20 || (c >= 0x7f && c <= 0x9f);
      const safe = terminalSafe(`a${ch}b`);
      if (ch === '\n' || ch === '\t' || !isControl) assert.equal(safe, `a${ch}b`);
      else assert.equal(safe, `a\\x${c.toString(16).padStart(2, '0')}b`);
    }
    assert.equal(terminalSafe('\u202egnp.exe'), '\\u{202e}gnp.exe');
    assert.equal(terminalSafe('gauche → droite, 左'), 'gauche → droite, 左');
  });

  it("prefixes a formula's first character with ' and quotes as RFC 4180 says", () => {
    assert.equal(csvField('=1+2'), "'=1+2");
    assert.equal(csvField('+1'), "'+1");
    assert.equal(csvField('-cmd'), "'-cmd");
    assert.equal(csvField('@SUM(A1)'), "'@SUM(A1)");
    assert.equal(csvField('\t=x'), "'\t=x");
    assert.equal(csvField('\r=x'), `"'\r=x"`);
    assert.equal(csvField('=A1,"b"'), `"'=A1,""b"""`);
    assert.equal(csvField(-0.5), '-0.5', 'numbers are numbers');
    assert.equal(csvField('left then right'), 'left then right');
    assert.equal(csvField(['a', '=b']), 'a;=b');
  });
});

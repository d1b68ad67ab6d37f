// `vlm4d tag`: annotating from scripts, on a copy of the test workspace, through main() as the CLI runs it.
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { main } from '../../src/cli';
import type { Annotations } from '../../src/core/annotations/format';
import { DEFAULT_TAGS, parseAnnotations, serializeAnnotations } from '../../src/core/annotations/format';
import { tempDir } from '../support/fixtures';

const FIXTURE = path.resolve(__dirname, '..', 'fixtures', 'workspace');

/** Runs the CLI in-process; stdout and stderr captured. */
async function run(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const write = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((s: string | Uint8Array) => {
    stderr += String(s);
    return true;
  }) as typeof process.stderr.write;
  try {
    const code = await main(argv, (s) => (stdout += s));
    return { code, stdout, stderr };
  } finally {
    process.stderr.write = write;
  }
}

function workspace(): { dir: string; file: string } {
  const dir = tempDir();
  fs.cpSync(FIXTURE, dir, { recursive: true });
  return { dir, file: path.join(dir, '.vlm4d', 'annotations.json') };
}

function readFile(file: string): Annotations {
  const parsed = parseAnnotations(fs.readFileSync(file, 'utf8'));
  if (!parsed.ok) assert.fail(parsed.reason);
  return parsed.data;
}

/** Failed predictions' keys as `failures --json` prints them, with the question key worked out from the fixture files. */
async function failureKeys(dir: string): Promise<{ key: string; question: string }[]> {
  const r = await run('failures', dir, '--json');
  assert.equal(r.code, 0, r.stderr);
  const rows = (JSON.parse(r.stdout) as { rows: { key: string }[] }).rows;
  return rows.map(({ key }) => {
    const [split, , , qid] = key.split('/') as [string, string, string, string];
    // The question's id is in the result file the key names (independent of the index's own parsing).
    const stem = key.split('/')[2] as string;
    const records = JSON.parse(
      fs.readFileSync(path.join(dir, 'processed_outputs', `${split}_mc_cot`, `${stem}.json`), 'utf8'),
    ) as { id: string }[];
    assert.ok(
      records.some((x) => x.id === qid),
      `${key} is in its file`,
    );
    return { key, question: `${split}/${qid}` };
  });
}

type Key = { key: string; question: string };

async function twoKeys(dir: string): Promise<[Key, Key]> {
  const keys = await failureKeys(dir);
  assert.ok(keys.length >= 2, 'the fixture has at least two failures');
  return [keys[0] as Key, keys[1] as Key];
}

describe('vlm4d tag', function () {
  this.timeout(30_000);

  it('adds and removes tags, sets notes and verdicts by stable key, and --json prints what changed', async () => {
    const { dir, file } = workspace();
    const [a, b] = await twoKeys(dir);
    const add = await run('tag', dir, '--key', a.key, '--key', b.key, '--add', 'judge-error', '--json');
    assert.equal(add.code, 0, add.stderr);
    const out = JSON.parse(add.stdout) as {
      file: string;
      changed: { key: string; field: string; before: unknown; after: unknown }[];
      vocabularyAdded: string[];
    };
    assert.equal(out.file, file);
    assert.deepEqual(out.changed, [
      { key: a.key, section: 'predictions', field: 'tags', before: [], after: ['judge-error'] },
      { key: b.key, section: 'predictions', field: 'tags', before: [], after: ['judge-error'] },
    ]);
    assert.deepEqual(out.vocabularyAdded, [], 'a tag of the default vocabulary is not added to it');
    // Saved when the command returns.
    assert.deepEqual(readFile(file).predictions[a.key]?.tags, ['judge-error']);

    assert.equal((await run('tag', dir, '--key', a.key, '--remove', 'judge-error')).code, 0);
    assert.equal((await run('tag', dir, '--key', a.key, '--note', 'the model read the clip backwards')).code, 0);
    assert.equal((await run('tag', dir, '--key', a.key, '--question-note', 'the ground truth looks wrong')).code, 0);
    assert.equal((await run('tag', dir, '--key', a.key, '--verdict', 'correct')).code, 0);
    assert.equal((await run('tag', dir, '--key', b.key, '--verdict', 'failed')).code, 0);
    let data = readFile(file);
    assert.deepEqual(data.predictions[a.key]?.tags, []);
    assert.equal(data.predictions[a.key]?.note, 'the model read the clip backwards');
    assert.equal(data.questions[a.question]?.note, 'the ground truth looks wrong');
    assert.equal(data.predictions[a.key]?.verdict, 'correct');
    assert.equal(data.predictions[b.key]?.verdict, 'wrong', '"failed" is the extension\'s "wrong" override');
    assert.deepEqual(data.predictions[b.key]?.tags, ['judge-error'], "b was not touched by a's removal");

    // judge: the override goes, the judge's verdict stands again.
    const back = await run('tag', dir, '--key', b.key, '--verdict', 'judge', '--json');
    assert.equal(back.code, 0, back.stderr);
    assert.deepEqual((JSON.parse(back.stdout) as { changed: unknown[] }).changed, [
      { key: b.key, section: 'predictions', field: 'verdict', before: 'failed', after: 'judge' },
    ]);
    data = readFile(file);
    assert.equal(data.predictions[b.key]?.verdict, undefined);
    // The tags command sees the same annotations (the override of a in force, the judge's verdict beside it).
    const tags = JSON.parse((await run('tags', dir, '--json')).stdout) as {
      rows: { key: string; outcome: string; overridden: boolean }[];
    };
    assert.deepEqual(
      tags.rows.find((r) => r.key === a.key) && [
        tags.rows.find((r) => r.key === a.key)?.outcome,
        tags.rows.find((r) => r.key === a.key)?.overridden,
      ],
      ['correct', true],
    );
  });

  it('adds a tag the vocabulary lacks to it, as the tag palette does (trimmed, lower case, dashes)', async () => {
    const { dir, file } = workspace();
    const [a] = await twoKeys(dir);
    const r = await run('tag', dir, '--key', a.key, '--add', '  Camera Shake ', '--json');
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual((JSON.parse(r.stdout) as { vocabularyAdded: string[] }).vocabularyAdded, ['camera-shake']);
    const data = readFile(file);
    assert.deepEqual(data.tags, ['camera-shake']);
    assert.deepEqual(data.predictions[a.key]?.tags, ['camera-shake']);
    assert.ok(!DEFAULT_TAGS.includes('camera-shake'));
    // Known now: added again elsewhere, the vocabulary does not grow.
    const again = await run('tag', dir, '--key', a.key, '--add', 'camera-shake', '--json');
    assert.deepEqual(
      (JSON.parse(again.stdout) as { vocabularyAdded: string[]; changed: unknown[] }).vocabularyAdded,
      [],
    );
    assert.deepEqual((JSON.parse(again.stdout) as { changed: unknown[] }).changed, [], 'nothing to change');
  });

  it('refuses unknown keys and bad values with a clear message and exit 2, writing nothing (not even the good edits)', async () => {
    const { dir, file } = workspace();
    const [a] = await twoKeys(dir);
    assert.equal((await run('tag', dir, '--key', a.key, '--add', 'counting-error')).code, 0);
    const before = fs.readFileSync(file, 'utf8');
    const cases: [string[], RegExp][] = [
      [
        ['--key', a.key, '--key', 'real/cot/alpha-vl_8frame/validation_99999', '--add', 'judge-error'],
        /no prediction with the key "real\/cot\/alpha-vl_8frame\/validation_99999"/,
      ],
      [['--key', a.key, '--add', '   '], /--key .*: the tag is empty/],
      [['--key', a.key, '--verdict', 'maybe'], /unknown verdict "maybe" \(use correct, failed or judge\)/],
      [
        ['--key', a.key, '--add', 'x', '--remove', 'y'],
        /exactly one of --add, --remove, --note, --question-note, --verdict \(got --add, --remove\)/,
      ],
      [['--add', 'x'], /tag needs --key KEY/],
    ];
    for (const [args, message] of cases) {
      const r = await run('tag', dir, ...args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, message);
      assert.match(r.stderr, /Nothing was written/);
      assert.equal(fs.readFileSync(file, 'utf8'), before, `${args.join(' ')} wrote nothing`);
    }
    // With no annotations file yet, a refused command does not create one.
    const fresh = workspace();
    assert.equal((await run('tag', fresh.dir, '--key', 'nope/cot/x_8frame/q', '--add', 'judge-error')).code, 2);
    assert.ok(!fs.existsSync(fresh.file));
  });

  it('--from applies JSON lines in order, and refuses the whole file over one bad line', async () => {
    const { dir, file } = workspace();
    const [a, b] = await twoKeys(dir);
    const lines = [
      { key: a.key, add: 'direction-reversal' },
      { key: a.key, add: 'new-mode' },
      { key: b.key, note: 'looks at the wrong object' },
      { key: b.key, verdict: 'correct' },
      { key: a.key, remove: 'direction-reversal' },
    ];
    const from = path.join(dir, 'edits.jsonl');
    fs.writeFileSync(from, lines.map((l) => JSON.stringify(l)).join('\n') + '\n\n');
    const r = await run('tag', dir, '--from', from, '--json');
    assert.equal(r.code, 0, r.stderr);
    assert.equal((JSON.parse(r.stdout) as { changed: unknown[] }).changed.length, lines.length);
    const data = readFile(file);
    assert.deepEqual(data.predictions[a.key]?.tags, ['new-mode']);
    assert.deepEqual(data.tags, ['new-mode']);
    assert.equal(data.predictions[b.key]?.note, 'looks at the wrong object');
    assert.equal(data.predictions[b.key]?.verdict, 'correct');

    const before = fs.readFileSync(file, 'utf8');
    fs.writeFileSync(
      from,
      [
        JSON.stringify({ key: a.key, add: 'fine' }),
        JSON.stringify({ key: a.key, add: 'x', note: 'y' }),
        JSON.stringify({ key: b.key, verdict: 'right' }),
        '{oops',
      ].join('\n'),
    );
    const bad = await run('tag', dir, '--from', from);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /edits\.jsonl line 2: give exactly one of "add", "remove", "note", "verdict" \(found 2\)/);
    assert.match(bad.stderr, /edits\.jsonl line 3: unknown verdict "right"/);
    assert.match(bad.stderr, /edits\.jsonl line 4: not valid JSON/);
    assert.equal(fs.readFileSync(file, 'utf8'), before);
  });

  it('merges with what is already in the file, and leaves an unreadable file untouched (exit 2)', async () => {
    const { dir, file } = workspace();
    const [a] = await twoKeys(dir);
    const existing: Annotations = {
      tags: ['team-tag'],
      predictions: { [a.key]: { tags: ['missed-motion'], note: 'by hand', updated: '2026-01-01T00:00:00.000Z' } },
      questions: {},
    };
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, serializeAnnotations(existing));
    assert.equal((await run('tag', dir, '--key', a.key, '--add', 'judge-error')).code, 0);
    const data = readFile(file);
    assert.deepEqual(data.predictions[a.key]?.tags, ['judge-error', 'missed-motion']);
    assert.equal(data.predictions[a.key]?.note, 'by hand');
    assert.deepEqual(data.tags, ['team-tag']);
    fs.writeFileSync(file, '{"format": "vlm4d-annotations", oops');
    const r = await run('tag', dir, '--key', a.key, '--add', 'x');
    assert.equal(r.code, 2);
    assert.match(r.stderr, /annotations\.json: cannot be read \(not valid JSON/);
    assert.equal(fs.readFileSync(file, 'utf8'), '{"format": "vlm4d-annotations", oops');
  });
});

import * as assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import type { FixtureQuestion } from '../support/fixtures';
import { makeResultsFolder, realQuestions, syntheticQuestions, tempDir, writeJson } from '../support/fixtures';

// The CLI is tested as users run it: the built bundle (npm test builds first), in a child process.
const CLI = path.resolve(__dirname, '..', '..', 'dist', 'cli.js');

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('the command line', () => {
  before(function () {
    if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build first`);
  });

  it('index --json prints counts, bad files with reasons, and timings', () => {
    const { dir, judged } = makeResultsFolder();
    fs.writeFileSync(path.join(dir, 'processed_outputs', 'real_mc_cot', 'broken_8frame.json'), '[{');
    const r = cli('index', dir, '--json');
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as {
      counts: Record<string, number>;
      badFiles: { path: string; reason: string }[];
      timings: Record<string, number>;
    };
    assert.equal(
      out.counts.predictions,
      [...judged.values()].reduce((a, rs) => a + rs.length, 0),
    );
    assert.equal(out.counts.runs, judged.size);
    assert.equal(out.badFiles.length, 1);
    assert.match(out.badFiles[0]?.reason ?? '', /^truncated JSON/);
    assert.ok((out.timings.totalMs ?? -1) >= 0);
    assert.equal(cli('index', dir, '--json', '--strict').code, 2);
  });

  it('failures filters like the query API and counts the same failures', () => {
    const { dir, judged } = makeResultsFolder();
    const r = cli(
      'failures',
      dir,
      '--split',
      'real',
      '--perspective',
      'egocentric',
      '--model',
      'alpha-vl',
      '--model',
      'gamma',
      '--json',
    );
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { total: number; rows: { qid: string; model: string; outcome: string }[] };
    let want = 0;
    for (const [file, records] of judged) {
      if (!file.includes('real_mc_cot') || !/(alpha-vl|gamma)_/.test(path.basename(file))) continue;
      want += records.filter((x) => !x.correct && Number(x.id.split('_')[1]) > 922).length;
    }
    assert.equal(out.total, want);
    assert.ok(out.rows.every((row) => row.outcome === 'failed' && ['alpha-vl', 'gamma'].includes(row.model)));
    const limited = JSON.parse(cli('failures', dir, '--limit', '1', '--json').stdout) as {
      total: number;
      rows: unknown[];
    };
    assert.equal(limited.rows.length, 1);
  });

  it('failures --text and --search follow the search language: every word and quoted phrase', function () {
    // Five runs of the CLI, each indexing the demo: slow on a loaded machine, and not timed.
    this.timeout(120_000);
    // Brute force from the sample's own files: the benchmark's question and each judged record's response.
    const demo = path.resolve(__dirname, '..', '..', 'samples', 'motion-demo');
    const questions = new Map(
      (JSON.parse(fs.readFileSync(path.join(demo, 'data', 'real_mc.json'), 'utf8')) as FixtureQuestion[]).map((q) => [
        q.id,
        q.question,
      ]),
    );
    const judgedDir = path.join(demo, 'processed_outputs');
    const records: { question: string; response: string }[] = [];
    for (const sub of fs.readdirSync(judgedDir))
      for (const f of fs.readdirSync(path.join(judgedDir, sub)))
        for (const r of JSON.parse(fs.readFileSync(path.join(judgedDir, sub, f), 'utf8')) as {
          id: string;
          response: string;
          correct: boolean;
        }[])
          if (!r.correct) records.push({ question: questions.get(r.id) ?? '', response: r.response });
    const has = (text: string, term: string) => text.toLowerCase().includes(term.toLowerCase());
    const want = (terms: string[]) =>
      records.filter((r) => terms.every((t) => has(r.question, t) || has(r.response, t))).length;
    const total = (...args: string[]) => {
      const r = cli('failures', demo, ...args, '--json');
      assert.equal(r.code, 0, r.stderr);
      return (JSON.parse(r.stdout) as { total: number }).total;
    };
    // The brute force's model of "failure" agrees with the CLI's before any search.
    assert.equal(total(), want([]));
    for (const [flag, search, terms] of [
      ['--text', '"white square" left', ['white square', 'left']],
      ['--search', '"keyword rule" clockwise', ['keyword rule', 'clockwise']],
      ['--search', 'moving "the final answer is: A"', ['moving', 'the final answer is: A']],
    ] as const)
      assert.equal(total(flag, search), want([...terms]), `${flag} ${search}`);
    // A phrase is not its words: the demo tells them apart.
    assert.notEqual(want(['is moving']), want(['is', 'moving']));
    assert.equal(total('--text', '"is moving"'), want(['is moving']));
  });

  it('table prints the authors CSV for a pair of folders and for a parent folder', () => {
    const { dir } = makeResultsFolder();
    const pair = cli(
      'table',
      path.join(dir, 'processed_outputs', 'real_mc_cot'),
      path.join(dir, 'processed_outputs', 'synthetic_mc_cot'),
    );
    const whole = cli('table', dir);
    assert.equal(pair.code, 0, pair.stderr);
    assert.equal(pair.stdout, whole.stdout);
    assert.equal(pair.stdout.trim().split('\n').length, 4);
    // Folders named any way, given explicitly, still pair up.
    const other = tempDir();
    fs.cpSync(path.join(dir, 'processed_outputs', 'real_mc_cot'), path.join(other, 'r'), { recursive: true });
    fs.cpSync(path.join(dir, 'processed_outputs', 'synthetic_mc_cot'), path.join(other, 's'), { recursive: true });
    assert.equal(cli('table', path.join(other, 'r'), path.join(other, 's')).stdout, pair.stdout);
  });

  it('tags --json prints every annotation joined with its prediction, the override beside the judge, and orphans', () => {
    const { dir, judged } = makeResultsFolder();
    const [file, records] = [...judged].find(([f, rs]) => f.includes('real_mc_cot') && rs.some((r) => !r.correct)) as [
      string,
      { id: string; correct: boolean; question: string }[],
    ];
    const stem = path.basename(file, '.json');
    const failed = records.find((r) => !r.correct) as { id: string; question: string };
    const at = '2026-11-28T10:00:00.000Z';
    fs.mkdirSync(path.join(dir, '.vlm4d'));
    fs.writeFileSync(
      path.join(dir, '.vlm4d', 'annotations.json'),
      JSON.stringify({
        format: 'vlm4d-annotations',
        version: 1,
        tags: [],
        predictions: {
          [`real/cot/${stem}/${failed.id}`]: {
            tags: ['judge-error'],
            note: 'the judge misread "B"',
            verdict: 'correct',
            updated: at,
          },
          'real/cot/retired_8frame/validation_1': { tags: ['counting-error'], note: '', updated: at },
        },
        questions: {},
      }),
    );
    const r = cli('tags', dir, '--json');
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { rows: Record<string, unknown>[]; orphans: { key: string }[] };
    assert.equal(out.rows.length, 1);
    const row = out.rows[0] as Record<string, unknown>;
    assert.deepEqual(
      [row.key, row.questionId, row.question, row.tags, row.note, row.outcome, row.judgeVerdict, row.overridden],
      [
        `real/cot/${stem}/${failed.id}`,
        failed.id,
        failed.question,
        ['judge-error'],
        'the judge misread "B"',
        'correct',
        'wrong',
        true,
      ],
    );
    assert.deepEqual(
      out.orphans.map((o) => o.key),
      ['real/cot/retired_8frame/validation_1'],
    );
    assert.match(r.stderr, /1 annotation\(s\) match nothing/);
    // CSV without --json; quotes in the note are doubled.
    const csv = cli('tags', dir);
    assert.match(csv.stdout, /^key,split,questionId,/);
    assert.ok(csv.stdout.includes('"the judge misread ""B"""'));
    // An unreadable annotations file: a clear message, exit 2, the file untouched.
    fs.writeFileSync(path.join(dir, '.vlm4d', 'annotations.json'), '{oops');
    const bad = cli('tags', dir, '--json');
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /annotations\.json: cannot be read \(not valid JSON/);
    assert.equal(fs.readFileSync(path.join(dir, '.vlm4d', 'annotations.json'), 'utf8'), '{oops');
  });

  it('audit --json prints the agreement per prompt mode and split and every disagreeing prediction', () => {
    const { dir, judged } = makeResultsFolder();
    // Some verdicts contradict the response's own final answer: the judge says right, the answer is another letter.
    const expected = new Map<string, { total: number; agree: number; keys: string[] }>();
    for (const [file, records] of judged) {
      const split = path.basename(path.dirname(file)).startsWith('real') ? 'real' : 'synthetic';
      const g = expected.get(split) ?? { total: 0, agree: 0, keys: [] };
      records.forEach((r, i) => {
        const truth = (['A', 'B', 'C', 'D'] as const).find((l) => r.choices[l] === r.ground_truth_answer) as string;
        if (i % 3 === 0) {
          r.response = `Therefore, the final answer is: ${truth === 'A' ? 'B' : 'A'}`;
          r.correct = true;
          g.keys.push(`${split}/cot/${path.basename(file, '.json')}/${r.id}`);
        } else g.agree++;
        g.total++;
      });
      expected.set(split, g);
      writeJson(file, records);
    }
    const r = cli('audit', dir, '--json');
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as {
      groups: { promptMode: string; split: string; total: number; agree: number }[];
      disagreements: { id: string }[];
    };
    assert.deepEqual(
      out.groups.map((g) => [g.promptMode, g.split, g.total, g.agree]),
      [...expected].map(([split, g]) => ['cot', split, g.total, g.agree]),
    );
    assert.deepEqual(out.disagreements.map((d) => d.id).sort(), [...expected.values()].flatMap((g) => g.keys).sort());
  });

  it('table grades raw outputs by the rule and says so', () => {
    const dir = tempDir();
    const write = (split: 'real' | 'synthetic', qs: FixtureQuestion[]) =>
      writeJson(
        path.join(dir, 'outputs', `${split}_mc_cot`, 'delta_16frame.json'),
        qs.map((q) => ({ ...q, response: 'Therefore, the final answer is: A' })),
      );
    write('real', realQuestions());
    write('synthetic', syntheticQuestions());
    const r = cli('table', dir);
    assert.equal(r.code, 0, r.stderr);
    const [header, columns, row] = r.stdout.trim().split('\n');
    assert.match(header ?? '', /^# cot \(rule-graded: raw outputs, no judge\)/);
    assert.match(columns ?? '', /^Model \(JSON File\),/);
    // Overall accuracy: the questions whose answer is option A, of all.
    const all = [...realQuestions(), ...syntheticQuestions()];
    const overall = Math.round((all.filter((q) => q.choices.A === q.answer).length / all.length) * 10_000) / 100;
    assert.equal(Number(row?.split(',').at(-1)), overall);
  });

  it('exits 2 with a clear message for a missing folder or wrong arguments, 1 when nothing is found', () => {
    const missing = cli('index', '/nonexistent/results');
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /FOLDER does not exist: \/nonexistent\/results/);
    const wrong = cli('failures', tempDir(), '--motion', 'sideways');
    assert.equal(wrong.code, 2);
    assert.match(wrong.stderr, /--motion must be one of translational, rotational, counting, false-positive/);
    assert.equal(cli('frobnicate').code, 2);
    assert.equal(cli('index', tempDir()).code, 1);
    assert.ok(realQuestions().length > 0);
  });
});

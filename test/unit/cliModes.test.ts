// `vlm4d suggest`, `slices` and `agreement` as users run them (the built bundle, in a child process): the
// JSON shapes of issue 17, counts checked against the index and the detectors run here, text output with
// the data's control characters escaped, and wrong arguments refused with a reason.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { NO_ANSWER_LABEL, answerLabel, answerLabelOfChoice } from '../../src/core/answerLabels';
import { emptyAnnotations, serializeAnnotations } from '../../src/core/annotations/format';
import { DETECTORS, detectFailureModes } from '../../src/core/failureModes';
import type { FixtureQuestion } from '../support/fixtures';
import { makeResultsFolder, realQuestions, writeJson } from '../support/fixtures';
import { openIndex } from '../support/openIndex';

const CLI = path.resolve(__dirname, '..', '..', 'dist', 'cli.js');

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

interface SuggestJson {
  total: number;
  rows: { key: string; suggestions: { tag: string; detector: string; evidence: string }[] }[];
  detectors: { tag: string; count: number; precision: number | null; sample: number }[];
}

describe('the failure-mode commands', () => {
  before(function () {
    if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build first`);
  });

  it('suggest --json lists every failure the detectors flag, with evidence, minus rejected ones', async () => {
    const { dir } = makeResultsFolder();
    // A failure with two suggestions: left read as right, after reasoning that concludes "towards the camera".
    const q2 = realQuestions().find((q) => q.id === 'validation_2') as FixtureQuestion;
    writeJson(path.join(dir, 'processed_outputs', 'real_mc_cot', 'extra_8frame.json'), [
      {
        id: q2.id,
        question: q2.question,
        choices: q2.choices,
        response: 'The car clearly comes towards the camera.\nTherefore, the final answer is: B',
        ground_truth_answer: q2.answer,
        extracted_answer: 'B: right',
        correct: false,
      },
    ]);
    const index = await openIndex(dir);
    const want = new Map<string, string[]>();
    for (const row of index.query({ outcome: ['failed'], split: ['real'], limit: 1000 }).rows) {
      const d = index.prediction(row.id);
      assert.ok(d);
      const tags = detectFailureModes(d).map((s) => s.tag);
      if (tags.length) want.set(d.key, tags);
    }
    index.close();
    const r = cli('suggest', dir, '--split', 'real', '--json');
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as SuggestJson;
    assert.equal(out.total, want.size);
    assert.deepEqual(
      Object.fromEntries(out.rows.map((x) => [x.key, x.suggestions.map((s) => s.tag)])),
      Object.fromEntries(want),
    );
    assert.ok(out.rows.every((x) => x.suggestions.every((s) => s.detector === s.tag && s.evidence.length > 10)));
    assert.deepEqual(
      out.detectors.map((x) => x.tag),
      [...DETECTORS],
    );
    for (const det of out.detectors)
      assert.equal(det.count, [...want.values()].filter((t) => t.includes(det.tag)).length, det.tag);

    // A rejection in the annotations file: that suggestion is gone, the prediction's others stay.
    const several = [...want].find(([, t]) => t.length >= 2);
    assert.ok(several, 'the fixture has a failure with two suggestions');
    const [key, tags] = several;
    const data = emptyAnnotations();
    data.predictions[key] = { tags: [], note: '', rejected: [tags[0] as string], updated: 't' };
    fs.mkdirSync(path.join(dir, '.vlm4d'), { recursive: true });
    fs.writeFileSync(path.join(dir, '.vlm4d', 'annotations.json'), serializeAnnotations(data));
    const after = JSON.parse(cli('suggest', dir, '--split', 'real', '--json').stdout) as SuggestJson;
    const row = after.rows.find((x) => x.key === key);
    assert.deepEqual(row?.suggestions.map((s) => s.tag) ?? [], tags.slice(1));
    assert.equal(after.total, want.size);

    const one = JSON.parse(cli('suggest', dir, '--detector', tags[0] as string, '--json').stdout) as SuggestJson;
    assert.ok(one.rows.every((x) => x.suggestions.every((s) => s.tag === tags[0])));
    const bad = cli('suggest', dir, '--detector', 'nonsense');
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--detector must be one of/);
  });

  it('slices --json gives the slices with their counts as the failure list has them', async () => {
    const { dir } = makeResultsFolder();
    const r = cli('slices', dir, '--top', '8', '--min-support', '5', '--json');
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as {
      slices: { where: Record<string, string>; n: number; failed: number; failureRate: number; score: number }[];
    };
    assert.deepEqual(Object.keys(out), ['slices']);
    assert.ok(out.slices.length > 0 && out.slices.length <= 8);
    const index = await openIndex(dir);
    const rows = index.query({ outcome: ['failed', 'correct'], limit: 5000 }).rows.map((row) => {
      const d = index.prediction(row.id);
      assert.ok(d);
      return {
        failed: row.outcome === 'failed',
        f: {
          split: row.split,
          perspective: row.perspective,
          motion: row.motion,
          source: row.source,
          model: row.model,
          promptMode: row.promptMode,
          samplingLabel: row.samplingLabel,
          truthLabel: answerLabel(row.groundTruth),
          chosenLabel: row.chosen ? answerLabelOfChoice(d.choices, row.chosen, row.groundTruth) : NO_ANSWER_LABEL,
        } as Record<string, string>,
      };
    });
    index.close();
    for (const s of out.slices) {
      assert.deepEqual(Object.keys(s), ['where', 'n', 'failed', 'failureRate', 'score']);
      const inside = rows.filter((x) => Object.entries(s.where).every(([k, v]) => x.f[k] === v));
      assert.equal(s.n, inside.length);
      assert.equal(s.failed, inside.filter((x) => x.failed).length);
      assert.equal(s.failureRate, s.failed / s.n);
    }
    const text = cli('slices', dir, '--top', '3', '--min-support', '5');
    assert.equal(text.code, 0);
    assert.match(text.stdout, /graded predictions/);
    assert.equal(cli('slices', dir, '--alpha', '2').code, 2);
    assert.equal(cli('slices', dir, '--text', 'car').code, 2);
  });

  it('agreement --json gives kappa per tag and for verdicts; text output escapes control characters', () => {
    const { dir } = makeResultsFolder();
    const k = (n: number) => `real/cot/m_8frame/validation_${n}`;
    const a = emptyAnnotations();
    const b = emptyAnnotations();
    // Tag x: both on 1, only A on 2, neither on 3 and 4: p_o = 3/4, p_e = 2/4 * 1/4 + 2/4 * 3/4 = 1/2, kappa 1/2.
    a.predictions[k(1)] = { tags: ['x'], note: '', updated: '' };
    a.predictions[k(2)] = { tags: ['x', 'bad\u001b[2Jtag'], note: '', updated: '' };
    a.predictions[k(3)] = { tags: [], note: 'n', verdict: 'wrong', updated: '' };
    a.predictions[k(4)] = { tags: [], note: 'n', updated: '' };
    b.predictions[k(1)] = { tags: ['x'], note: '', updated: '' };
    b.predictions[k(2)] = { tags: [], note: 'n', updated: '' };
    b.predictions[k(3)] = { tags: [], note: 'n', verdict: 'wrong', updated: '' };
    b.predictions[k(4)] = { tags: [], note: 'n', verdict: 'correct', updated: '' };
    b.predictions[k(5)] = { tags: ['x'], note: '', updated: '' };
    writeJson(path.join(dir, 'a.json'), JSON.parse(serializeAnnotations(a)));
    writeJson(path.join(dir, 'b.json'), JSON.parse(serializeAnnotations(b)));
    const r = cli('agreement', dir, '--file', 'a.json', '--file', 'b.json', '--json');
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as {
      n: number;
      tags: { tag: string; kappa: number | null; both: number; onlyA: number; onlyB: number; neither: number }[];
      disagreements: { key: string }[];
      verdict: { kappa: number | null };
    };
    assert.equal(out.n, 4);
    assert.deepEqual(
      out.tags.find((t) => t.tag === 'x'),
      { tag: 'x', kappa: 0.5, both: 1, onlyA: 1, onlyB: 0, neither: 2 },
    );
    // Verdicts (A, B): none none, none none, wrong wrong, none correct: p_o 3/4, p_e 3/4*2/4 + 1/4*1/4 = 7/16.
    assert.ok(Math.abs((out.verdict.kappa ?? 0) - (3 / 4 - 7 / 16) / (1 - 7 / 16)) < 1e-12);
    assert.deepEqual(
      out.disagreements.map((d) => d.key),
      [k(2), k(4)],
    );
    const text = cli('agreement', dir, '--file', 'a.json', '--file', 'b.json');
    assert.equal(text.code, 0);
    assert.ok(!text.stdout.includes('\u001b'));
    assert.match(text.stdout, /bad\\x1b\[2Jtag/);
    const one = cli('agreement', dir, '--file', 'a.json');
    assert.equal(one.code, 2);
    assert.match(one.stderr, /two annotations files/);
    assert.equal(cli('tags', dir, '--file', 'a.json', '--file', 'b.json').code, 2);
  });
});

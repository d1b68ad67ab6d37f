// The judge audit and rule grading inside the index: raw outputs graded by the answer-reading rule and
// marked as such, the audit filters and their counts, two judges of one run, and the answer-label filter
// behind the dashboard's confusion cells. Expectations are worked out here from the fixture records.
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { answerLabel } from '../../src/core/answerLabels';
import type { FailureQuery } from '../../src/core/index/query';
import type { FixtureJudged, FixtureQuestion } from '../support/fixtures';
import { makeResultsFolder, realQuestions, writeJson } from '../support/fixtures';
import { assertCountsMatchTable } from '../support/indexCounts';
import { openIndex } from '../support/openIndex';

const LETTERS = ['A', 'B', 'C', 'D'] as const;
const truthLetter = (q: FixtureQuestion) => LETTERS.find((l) => q.choices[l] === q.answer) as string;

/**
 * Raw responses of known shapes, each with the letter a careful reader takes from it (null: no single
 * answer). Written by hand, not by the rule under test.
 */
const RAW_SHAPES: ((q: FixtureQuestion) => { response: string; letter: string | null })[] = [
  () => ({ response: 'The car keeps to the lane. Therefore, the final answer is: B', letter: 'B' }),
  () => ({ response: 'C', letter: 'C' }),
  () => ({ response: '', letter: null }),
  (q) => ({ response: `**Answer: D** (${q.choices.D})`, letter: 'D' }),
  () => ({ response: 'It is either A or B, I cannot tell.', letter: null }),
  () => ({ response: '(A)', letter: 'A' }),
];

describe('raw outputs graded by the answer-reading rule', () => {
  it('grades each raw prediction, marks it rule-graded, and keeps the judge verdict empty', async () => {
    const { dir } = makeResultsFolder();
    const questions = realQuestions();
    const written = questions.map((q, i) => ({
      q,
      ...(RAW_SHAPES[i % RAW_SHAPES.length] as (typeof RAW_SHAPES)[number])(q),
    }));
    writeJson(
      path.join(dir, 'outputs', 'real_mc_direct-output', 'delta_16frame.json'),
      written.map(({ q, response }) => ({ ...q, response })),
    );
    const index = await openIndex(dir);
    const expectCorrect = written.filter((w) => w.letter !== null && w.letter === truthLetter(w.q)).length;
    const res = index.query({ model: ['delta'], limit: 100 });
    assert.equal(res.total, questions.length);
    assert.equal(res.facets.outcome.correct, expectCorrect);
    assert.equal(res.facets.outcome.failed, questions.length - expectCorrect);
    assert.equal(res.facets.outcome.ungraded, 0);
    // Counted apart from the judges' verdicts: the grader facet says who graded.
    assert.equal(res.facets.grader.rule, questions.length);
    assert.equal(res.facets.grader.judge, 0);
    for (const row of res.rows) {
      const w = written.find((x) => x.q.id === row.qid) as (typeof written)[number];
      assert.equal(row.grader, 'rule');
      assert.equal(row.judgeCorrect, null);
      assert.equal(row.chosen, w.letter, `${row.qid}: ${JSON.stringify(w.response)}`);
    }
    // The status bar's count of rule-graded failures.
    assert.equal(index.counts().ruleGradedFailures, questions.length - expectCorrect);
    // The judged runs stay the judge's.
    assert.equal(index.query({ grader: ['judge'], limit: 0 }).total, index.counts().predictions - questions.length);
    // The detail says which rule read it.
    const detail = index.prediction(res.rows[0]?.id as number);
    assert.equal(detail?.ruleReading.letter, written.find((w) => w.q.id === res.rows[0]?.qid)?.letter);
    // "No answer readable" for the raw outputs once the audit has run.
    index.auditAll();
    const unreadable = written.filter((w) => w.letter === null).length;
    assert.equal(index.query({ model: ['delta'], audit: ['no-answer'], limit: 0 }).total, unreadable);
    index.close();
  });

  it('leaves raw outputs ungraded while a judged file of the same run is loaded, so nothing counts twice', async () => {
    const { dir, judged } = makeResultsFolder();
    const [judgedFile, records] = [...judged].find(([f]) => f.includes('real_mc_cot') && f.includes('alpha')) as [
      string,
      FixtureJudged[],
    ];
    const rawFile = path.join(dir, 'outputs', 'real_mc_cot', path.basename(judgedFile));
    writeJson(
      rawFile,
      realQuestions().map((q) => ({ ...q, response: records.find((r) => r.id === q.id)?.response ?? '' })),
    );
    const index = await openIndex(dir);
    const failedJudged = [...judged.values()].flat().filter((r) => !r.correct).length;
    assert.equal(index.counts().failures, failedJudged);
    const raw = index.query({ grader: ['none'], outcome: [], limit: 100 });
    assert.equal(raw.total, realQuestions().length);
    assert.ok(raw.rows.every((r) => r.outcome === 'ungraded' && r.stage === 'raw'));
    assertCountsMatchTable(index, 'raw copy of a judged run');
    // The judged file goes: the raw copy is graded by the rule (its responses state the same letters).
    fs.rmSync(judgedFile);
    await index.sync();
    const graded = index.query({ grader: ['rule'], outcome: [], limit: 100 });
    assert.equal(graded.total, realQuestions().length);
    assert.equal(graded.facets.outcome.failed, records.filter((r) => !r.correct).length);
    assert.equal(index.counts().failures, failedJudged);
    assertCountsMatchTable(index, 'raw run graded by the rule');
    index.close();
  });

  it('gives a raw prediction its rule verdict back when an override is removed', async () => {
    const { dir } = makeResultsFolder();
    const q = realQuestions()[1] as FixtureQuestion;
    writeJson(path.join(dir, 'outputs', 'real_mc_cot', 'delta_16frame.json'), [
      { ...q, response: `Therefore, the final answer is: ${truthLetter(q)}` },
    ]);
    const index = await openIndex(dir);
    const only = (): string | undefined => index.query({ model: ['delta'], limit: 1 }).rows[0]?.outcome;
    assert.equal(only(), 'correct');
    const at = '2026-11-29T00:00:00.000Z';
    index.setAnnotations([
      {
        root: dir,
        data: {
          tags: [],
          predictions: { [`real/cot/delta_16frame/${q.id}`]: { tags: [], note: '', verdict: 'wrong', updated: at } },
          questions: {},
        },
      },
    ]);
    assert.equal(only(), 'failed');
    index.setAnnotations([]);
    assert.equal(only(), 'correct');
    index.close();
  });
});

describe('the judge audit over judged results', () => {
  /** A judged folder where some verdicts contradict the response's own final answer, and some responses state none. */
  function auditedFolder(): {
    dir: string;
    judged: Map<string, FixtureJudged[]>;
    disagree: number;
    unreadable: number;
  } {
    const { dir, judged } = makeResultsFolder();
    let disagree = 0;
    let unreadable = 0;
    for (const [file, records] of judged) {
      records.forEach((r, i) => {
        const truth = LETTERS.find((l) => r.choices[l] === r.ground_truth_answer) as string;
        if (i % 4 === 1) {
          // The judge marks it right, the final answer is another letter: the rule disagrees.
          const other = LETTERS.find((l) => l !== truth) as string;
          r.response = `Therefore, the final answer is: ${other}`;
          r.extracted_answer = `${truth}: ${r.choices[truth as 'A']}`;
          r.correct = true;
          disagree++;
        } else if (i % 4 === 2) {
          // No answer stated; the judge said wrong, which the rule (reading nothing) agrees with.
          r.response = 'The video is too dark to tell.';
          r.extracted_answer = 'No Valid Answer';
          r.correct = false;
          unreadable++;
        }
      });
      writeJson(file, records);
    }
    return { dir, judged, disagree, unreadable };
  }

  it('flags disagreements and unreadable answers in the background, with counts under the other filters', async () => {
    const { dir, judged, disagree, unreadable } = auditedFolder();
    const index = await openIndex(dir);
    // Queryable before the audit: nothing flagged yet, everything pending.
    const before = index.query({ limit: 0 });
    assert.equal(before.audit?.pending, index.counts().predictions);
    assert.equal(before.audit?.counts['judge-disagrees'], 0);
    let steps = 0;
    while (index.auditStep(7).changed) steps++;
    assert.ok(steps > 3, 'the audit went in several small steps');
    const all = index.query({ limit: 0 });
    assert.equal(all.audit?.pending, 0);
    assert.equal(all.audit?.counts['judge-disagrees'], disagree);
    assert.equal(all.audit?.counts['no-answer'], unreadable);
    assert.equal(index.query({ audit: ['judge-disagrees'], limit: 0 }).total, disagree);
    // Under a model filter: counted from that model's files only.
    const alpha = [...judged].filter(([f]) => path.basename(f).startsWith('alpha'));
    const alphaDisagree = alpha.reduce((n, [, rs]) => n + rs.filter((_, i) => i % 4 === 1).length, 0);
    const q: FailureQuery = { model: ['alpha-vl'], limit: 0 };
    assert.equal(index.query(q).audit?.counts['judge-disagrees'], alphaDisagree);
    assert.equal(index.query({ ...q, audit: ['judge-disagrees'] }).total, alphaDisagree);
    // Facet counts are taken under the audit filter too.
    assert.equal(index.query({ audit: ['judge-disagrees'], limit: 0 }).facets.outcome.correct, disagree);
    // Both flags at once: none here (the disagreeing ones state an answer).
    assert.equal(index.query({ audit: ['judge-disagrees', 'no-answer'], limit: 0 }).total, 0);
    index.close();
  });

  it('grades against the ground truth the record states (what its judge saw), not a changed benchmark file', async () => {
    const { dir, judged } = makeResultsFolder();
    const [file, records] = [...judged].find(([f]) => f.includes('real_mc_cot')) as [string, FixtureJudged[]];
    // The first record was judged on an older benchmark version whose answer was another option.
    const r = records[0] as FixtureJudged;
    const other = LETTERS.find((l) => r.choices[l] !== r.ground_truth_answer) as 'A';
    records[0] = {
      ...r,
      ground_truth_answer: r.choices[other],
      response: `Therefore, the final answer is: ${other}`,
      extracted_answer: `${other}: ${r.choices[other]}`,
      correct: true,
    };
    writeJson(file, records);
    const index = await openIndex(dir);
    index.auditAll();
    assert.equal(index.query({ audit: ['judge-disagrees'], limit: 0 }).total, 0);
    const id = index
      .query({
        model: [path.basename(file).replace(/_[^_]*\.json$/, '')],
        split: ['real'],
        text: '',
        outcome: [],
        limit: 100,
      })
      .rows.find((x) => x.qid === r.id)?.id as number;
    assert.equal(index.prediction(id)?.ruleReading.correct, true);
    index.close();
  });

  it('reads a changed file again and forgets the flags of a deleted one', async () => {
    const { dir, judged, disagree } = auditedFolder();
    const index = await openIndex(dir);
    index.auditAll();
    const [file, records] = [...judged][0] as [string, FixtureJudged[]];
    const own = records.filter((_, i) => i % 4 === 1).length;
    writeJson(
      file,
      records.filter((_, i) => i % 4 !== 1),
    );
    await index.sync({ forcePaths: [file] });
    index.auditAll();
    assert.equal(index.query({ audit: ['judge-disagrees'], limit: 0 }).total, disagree - own);
    index.close();
  });

  it('shows where two judges of the same run disagree', async () => {
    const { dir, judged } = makeResultsFolder();
    // A second judge's folder for one run, with two verdicts flipped.
    const [file, records] = [...judged].find(([f]) => f.includes('real_mc_cot')) as [string, FixtureJudged[]];
    const flipped = records.map((r, i) => (i < 2 ? { ...r, correct: !r.correct } : r));
    const second = path.join(dir, 'processed_outputs_judge2', 'real_mc_cot', path.basename(file));
    writeJson(second, flipped);
    const index = await openIndex(dir);
    index.auditAll();
    const res = index.query({ audit: ['judges-disagree'], limit: 100 });
    assert.equal(res.total, 4, "both files' predictions of the two questions");
    assert.deepEqual(
      [...new Set(res.rows.map((r) => r.qid))].sort(),
      records
        .slice(0, 2)
        .map((r) => r.id)
        .sort(),
    );
    const detail = index.prediction(res.rows[0]?.id as number);
    assert.equal(detail?.otherJudges.length, 1);
    assert.notEqual(detail?.otherJudges[0]?.judgeCorrect, detail?.judgeCorrect);
    index.close();
  });
});

describe('the answer-label filter (a confusion cell)', () => {
  it('selects exactly the predictions with that ground-truth label and chosen label', async () => {
    const { dir, judged } = makeResultsFolder();
    const index = await openIndex(dir);
    // Brute force over the records: the label of the ground truth and of the option the judge extracted.
    const cells = new Map<string, number>();
    for (const records of judged.values()) {
      for (const r of records) {
        const letter = r.extracted_answer.slice(0, 1) as 'A';
        const key = `${answerLabel(r.ground_truth_answer)}\u0000${answerLabel(r.choices[letter])}\u0000${r.correct ? 'correct' : 'failed'}`;
        cells.set(key, (cells.get(key) ?? 0) + 1);
      }
    }
    assert.ok(cells.size > 5);
    for (const [key, n] of cells) {
      const [truth, chosen, outcome] = key.split('\u0000') as [string, string, 'failed' | 'correct'];
      const res = index.query({ truthLabel: [truth], chosenLabel: [chosen], outcome: [outcome], limit: 0 });
      assert.equal(res.total, n, key);
      assert.equal(res.facets.outcome[outcome], n);
    }
    // One side alone.
    const truths = [...cells].filter(([k]) => k.startsWith('left\u0000')).reduce((a, [, n]) => a + n, 0);
    assert.equal(index.query({ truthLabel: ['left'], limit: 0 }).total, truths);
    index.close();
  });
});

import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import type { FailureQuery } from '../../src/core/index/query';
import { FACETS } from '../../src/core/index/query';
import { ResultIndex } from '../../src/core/index/resultIndex';
import { loadSqlJs } from '../../src/core/index/sqlite';
import type { FixtureJudged, FixtureQuestion } from '../support/fixtures';
import { FIXTURE_MODELS, makeResultsFolder, realQuestions, syntheticQuestions, writeJson } from '../support/fixtures';
import { assertCountsMatchTable } from '../support/indexCounts';
import { openIndex } from '../support/openIndex';

/** Independent expectations: every prediction of the fixture with its attributes, computed here. */
interface Expected {
  split: string;
  id: string;
  model: string;
  outcome: string;
  perspective: string;
  source: string;
  question: string;
  response: string;
}
function expectedPredictions(judged: Map<string, FixtureJudged[]>): Expected[] {
  const out: Expected[] = [];
  for (const [file, records] of judged) {
    const split = path.basename(path.dirname(file)).startsWith('real') ? 'real' : 'synthetic';
    const model = path.basename(file).replace(/_[^_]*\.json$/, '');
    const questions: FixtureQuestion[] = split === 'real' ? realQuestions() : syntheticQuestions();
    for (const r of records) {
      const n = Number(r.id.split('_')[1]);
      const q = questions.find((x) => x.id === r.id) as FixtureQuestion;
      out.push({
        split,
        id: r.id,
        model,
        outcome: r.correct ? 'correct' : 'failed',
        perspective: split === 'synthetic' ? 'unspecified' : n <= 922 ? 'exocentric' : 'egocentric',
        source: split === 'synthetic' ? 'synthetic' : (q.video.split('/').slice(-2)[0] as string),
        question: r.question,
        response: r.response,
      });
    }
  }
  return out;
}

describe('the index', () => {
  it('indexes every file of the layout and joins predictions to their questions (split, id)', async () => {
    const { dir, judged } = makeResultsFolder();
    const index = await openIndex(dir);
    const c = index.counts();
    const expected = expectedPredictions(judged);
    assert.equal(c.files, 2 + FIXTURE_MODELS.length * 2);
    assert.equal(c.runs, FIXTURE_MODELS.length * 2);
    assert.equal(c.questions, realQuestions().length + syntheticQuestions().length);
    assert.equal(c.predictions, expected.length);
    assert.equal(c.failures, expected.filter((e) => e.outcome === 'failed').length);
    // validation_1 exists in both splits: each prediction must reach its own split's clip.
    const realOne = index.query({ split: ['real'], text: 'bus moving' }).rows[0];
    const synthOne = index.query({ split: ['synthetic'], text: 'robotic arm' }).rows[0];
    assert.ok(realOne && synthOne);
    assert.equal(realOne.qid, 'validation_1');
    assert.equal(synthOne.qid, 'validation_1');
    assert.match(index.prediction(realOne.id)?.video ?? '', /videos_real\/davis\/clip_1\.mp4$/);
    assert.match(index.prediction(synthOne.id)?.video ?? '', /videos_synthetic\/synth_001\.mp4$/);
    index.close();
  });

  it('returns pages, totals and facet counts equal to a brute-force count', async () => {
    const { dir, judged } = makeResultsFolder();
    const index = await openIndex(dir);
    const all = expectedPredictions(judged);
    const realIds = realQuestions().map((x) => x.id);
    const syntheticIds = syntheticQuestions().map((x) => x.id);
    const field: Record<string, keyof Expected | null> = {
      split: 'split',
      perspective: 'perspective',
      source: 'source',
      model: 'model',
      outcome: 'outcome',
      promptMode: null,
      motion: null,
    };
    const queries: FailureQuery[] = [
      {},
      { outcome: ['failed'] },
      { outcome: ['failed'], perspective: ['egocentric'] },
      { split: ['real'], model: ['alpha-vl', 'gamma'], outcome: ['failed', 'correct'] },
      { source: ['davis', 'ego4d'], outcome: ['correct'] },
      { model: ['beta-vl'], text: 'DIRECTION' },
    ];
    for (const q of queries) {
      const matches = (e: Expected, except?: string): boolean =>
        (Object.keys(field) as (keyof typeof field)[]).every((f) => {
          const col = field[f];
          const allowed = (q as Record<string, string[] | undefined>)[f];
          return f === except || !col || !allowed || allowed.includes(e[col]);
        }) &&
        (!q.text ||
          e.question.toLowerCase().includes(q.text.toLowerCase()) ||
          e.response.toLowerCase().includes(q.text.toLowerCase()));
      const res = index.query({ ...q, limit: 1000 });
      const want = all.filter((e) => matches(e));
      assert.equal(res.total, want.length, JSON.stringify(q));
      assert.equal(res.rows.length, want.length);
      assert.deepEqual(
        res.rows.map((r) => `${r.split}/${r.qid}/${r.model}`).sort(),
        want.map((e) => `${e.split}/${e.id}/${e.model}`).sort(),
      );
      for (const f of FACETS) {
        const col = field[f];
        if (!col) continue;
        for (const [value, count] of Object.entries(res.facets[f])) {
          const n: number = all.filter((e) => e[col] === value && matches(e, f)).length;
          assert.equal(count, n, `${JSON.stringify(q)} facet ${f}=${value}`);
        }
      }
      // In the benchmark's order (split, question in its file, run by path), whether the failures' index
      // walks them or they are sorted when asked.
      const position = (r: (typeof res.rows)[number]) => [
        r.split === 'real' ? 0 : 1,
        (r.split === 'real' ? realIds : syntheticIds).indexOf(r.qid),
        FIXTURE_MODELS.findIndex((m) => m.file.startsWith(`${r.model}_`)),
      ];
      const listed = res.rows.map(position);
      const sorted = [...listed].sort(
        (x, y) =>
          (x[0] as number) - (y[0] as number) ||
          (x[1] as number) - (y[1] as number) ||
          (x[2] as number) - (y[2] as number),
      );
      assert.deepEqual(listed, sorted, `order of ${JSON.stringify(q)}`);
      // Paging walks the same rows in the same order.
      const page = index.query({ ...q, offset: 2, limit: 3 });
      assert.deepEqual(
        page.rows.map((r) => r.id),
        res.rows.slice(2, 5).map((r) => r.id),
      );
    }
    index.close();
  });

  it('groups by question: one row per question with "k of n failed" equal to a brute-force count', async () => {
    const { dir, judged } = makeResultsFolder();
    const index = await openIndex(dir);
    const all = expectedPredictions(judged);
    for (const q of [
      { outcome: ['failed'] },
      { outcome: ['failed'], split: ['real'], model: ['alpha-vl', 'beta-vl'] },
      {},
    ] as FailureQuery[]) {
      const inScope = (e: Expected) =>
        (!q.split || q.split.includes(e.split as never)) && (!q.model || q.model.includes(e.model));
      const byQuestion = new Map<string, Expected[]>();
      for (const e of all.filter(inScope))
        byQuestion.set(`${e.split}/${e.id}`, [...(byQuestion.get(`${e.split}/${e.id}`) ?? []), e]);
      const want = new Map<string, string>();
      for (const [key, es] of byQuestion) {
        if (!es.some((e) => !q.outcome || q.outcome.includes(e.outcome as never))) continue;
        want.set(key, `${es.filter((e) => e.outcome === 'failed').length} of ${es.length}`);
      }
      const res = index.query({ ...q, group: 'question', limit: 1000 });
      assert.equal(res.total, want.size, JSON.stringify(q));
      const got = new Map(res.rows.map((r) => [`${r.split}/${r.qid}`, `${r.group?.failed} of ${r.group?.of}`]));
      assert.deepEqual(got, want, JSON.stringify(q));
      // The row standing for a question passes the filters itself; most-failed questions come first.
      for (const r of res.rows) assert.ok(!q.outcome || q.outcome.includes(r.outcome), JSON.stringify(r));
      const failedCounts = res.rows.map((r) => r.group?.failed ?? 0);
      assert.deepEqual(
        failedCounts,
        [...failedCounts].sort((a, b) => b - a),
      );
      // Facet counts still count predictions, as without grouping.
      assert.deepEqual(res.facets, index.query(q).facets);
    }
    index.close();
  });

  it('finds a prediction again by its stable key (what a restored detail view holds)', async () => {
    const { dir } = makeResultsFolder();
    const index = await openIndex(dir);
    for (const r of index.query({ limit: 1000 }).rows) assert.equal(index.predictionIdByKey(r.key), r.id, r.key);
    assert.equal(index.predictionIdByKey('real/cot/nobody_8frame/validation_1'), null);
    assert.equal(index.predictionIdByKey('not a key'), null);
    index.close();
  });

  it('lists rows in the benchmark order and gives the details of one prediction', async () => {
    const { dir, judged } = makeResultsFolder();
    const index = await openIndex(dir);
    const rows = index.query({ split: ['real'], model: ['gamma'], limit: 100 }).rows;
    assert.deepEqual(
      rows.map((r) => r.qid),
      realQuestions().map((q) => q.id),
    );
    const counting = rows.find((r) => r.qid === 'validation_4');
    const record = [...judged]
      .find(([f]) => f.includes('real_mc_cot') && f.endsWith('gamma_32frame.json'))?.[1]
      .find((r) => r.id === 'validation_4');
    assert.ok(counting && record);
    assert.equal(counting.groundTruth, 3);
    assert.equal(counting.groundTruthLetter, 'C');
    assert.equal(counting.chosen, record.extracted_answer[0]);
    assert.equal(counting.key, 'real/cot/gamma_32frame/validation_4');
    const detail = index.prediction(counting.id);
    assert.equal(detail?.response, record.response);
    assert.equal(detail?.extractedAnswer, record.extracted_answer);
    assert.equal(detail?.judgeCorrect, record.correct);
    assert.deepEqual(detail?.sampling, { kind: 'frames', count: 32 });
    assert.equal(detail?.rules.perspective.length ? true : false, true);
    // Every loaded model's answer to the same question.
    assert.deepEqual(
      index
        .questionPredictions(counting.id)
        .map((r) => r.model)
        .sort(),
      ['alpha-vl', 'beta-vl', 'gamma'],
    );
    index.close();
  });

  it('re-reads only the changed file, and drops deleted files', async () => {
    const { dir } = makeResultsFolder();
    const index = await openIndex(dir);
    const file = path.join(dir, 'processed_outputs', 'real_mc_cot', 'gamma_32frame.json');
    const records = JSON.parse(fs.readFileSync(file, 'utf8')) as FixtureJudged[];
    const before = index.query({ model: ['gamma'], split: ['real'], outcome: ['failed'] }).total;
    const flipped = records.map((r) => ({ ...r, correct: false }));
    writeJson(file, flipped);
    fs.utimesSync(file, new Date(), new Date(Date.now() + 5000));
    assertCountsMatchTable(index, 'first sync');
    const report = await index.sync();
    assert.equal(report.filesRead, 1);
    assert.equal(index.query({ model: ['gamma'], split: ['real'], outcome: ['failed'] }).total, records.length);
    assertCountsMatchTable(index, 'after one file was re-read');
    assert.notEqual(before, records.length);
    assert.equal((await index.sync()).filesRead, 0);
    fs.unlinkSync(file);
    const removed = await index.sync();
    assert.equal(removed.filesRemoved, 1);
    assert.equal(removed.filesRead, 0);
    assert.equal(index.query({ model: ['gamma'], split: ['real'] }).total, 0);
    assertCountsMatchTable(index, 'after a file was removed');
    assert.equal(index.query({ model: ['gamma'], split: ['synthetic'] }).total, syntheticQuestions().length);
    index.close();
  });

  it('indexes raw outputs (graded by the rule) and judged files under any processed_outputs* folder', async () => {
    const { dir } = makeResultsFolder();
    writeJson(
      path.join(dir, 'outputs', 'real_mc_direct-output', 'delta_16frame.json'),
      realQuestions().map((q) => ({ ...q, response: 'A' })),
    );
    const index = await openIndex(dir);
    const res = index.query({ model: ['delta'] });
    assert.equal(res.total, realQuestions().length);
    const rightWithA = realQuestions().filter((q) => q.choices.A === q.answer).length;
    assert.deepEqual(res.facets.outcome, {
      failed: realQuestions().length - rightWithA,
      correct: rightWithA,
      ungraded: 0,
    });
    assert.equal(res.facets.grader.rule, realQuestions().length);
    assert.equal(res.facets.promptMode['direct-output'], realQuestions().length);
    assert.equal(res.rows[0]?.stage, 'raw');
    index.close();
  });

  it('lets a labels file override the derived taxonomy, and notices when it changes', async () => {
    const { dir } = makeResultsFolder();
    const index = await openIndex(dir);
    const row = () => index.query({ split: ['real'], model: ['alpha-vl'], text: 'dog run' }).rows[0];
    assert.equal(row()?.perspective, 'exocentric');
    const egocentric = () => index.query({ model: ['alpha-vl'] }).facets.perspective.egocentric;
    const before = egocentric();
    const labels = path.join(dir, 'vlm4d-labels.json');
    writeJson(labels, {
      version: 1,
      labels: [{ split: 'real', id: 'validation_922', motion: 'rotational', perspective: 'egocentric' }],
    });
    await index.sync();
    assert.equal(row()?.perspective, 'egocentric');
    assert.equal(row()?.motion, 'rotational');
    assert.equal(index.prediction(row()?.id ?? 0)?.rules.motion, 'labels-file:vlm4d-labels.json');
    assert.equal(index.query({ perspective: ['egocentric'], model: ['alpha-vl'], text: 'dog run' }).total, 1);
    // The facet counts without a search follow the label too (one more egocentric prediction of alpha-vl).
    assert.equal(egocentric(), (before ?? 0) + 1);
    fs.unlinkSync(labels);
    await index.sync();
    assert.equal(row()?.perspective, 'exocentric');
    index.close();
  });

  it('indexes the rest when files are broken, with one specific reason per bad file', async () => {
    const { dir, judged } = makeResultsFolder();
    const bad = path.join(dir, 'processed_outputs', 'real_mc_cot');
    fs.writeFileSync(path.join(bad, 'trunc_8frame.json'), '[{"id": "validation_1", "question": "x"');
    fs.writeFileSync(path.join(bad, 'object_8frame.json'), '{"a": 1}');
    fs.writeFileSync(path.join(bad, 'empty_8frame.json'), '');
    const index = await openIndex(dir);
    assert.equal(index.counts().predictions, expectedPredictions(judged).length);
    const problems = index.problems();
    assert.deepEqual(
      problems.map((p) => [path.basename(p.path), p.severity, p.reason.split(':')[0]]),
      [
        ['empty_8frame.json', 'error', 'empty file'],
        ['object_8frame.json', 'error', 'expected a JSON array of records, found an object (keys'],
        ['trunc_8frame.json', 'error', 'truncated JSON'],
      ],
    );
    index.close();
  });

  it('refuses a tag filter holding a NUL character with a clear error, and answers the next query', async () => {
    const { dir, judged } = makeResultsFolder();
    const index = await openIndex(dir);
    // SQLite stops reading SQL at a NUL: the query failed with "unrecognized token".
    assert.throws(
      () => index.query({ tags: ['direction\u0000reversal'] }),
      /^Error: invalid tag filter "direction\\u0000reversal": a tag cannot contain a NUL character$/,
    );
    assert.equal(index.query({ tags: ["it's') OR 1=1 --"], limit: 0 }).total, 0);
    assert.equal(index.query({ limit: 0 }).total, expectedPredictions(judged).length);
    index.close();
  });

  it('reports a missing folder', async () => {
    const index = new ResultIndex(await loadSqlJs());
    index.setRoots(['/nonexistent/vlm4d-results']);
    const report = await index.sync();
    assert.equal(report.counts.predictions, 0);
    assert.deepEqual(report.problems, [
      { path: '/nonexistent/vlm4d-results', severity: 'error', reason: 'folder does not exist' },
    ]);
    index.close();
  });
});

describe('a file that vanishes mid-scan', () => {
  it('is reported and the rest is indexed', async () => {
    const { dir, judged } = makeResultsFolder();
    const victim = path.join(dir, 'processed_outputs', 'synthetic_mc_cot', 'gamma_32frame.json');
    const index = new ResultIndex(await loadSqlJs());
    index.setRoots([dir]);
    const report = await index.sync({
      onProgress: (_done, _total, file) => {
        // Delete the victim after discovery saw it, before it is read.
        if (file && file !== victim && fs.existsSync(victim)) fs.unlinkSync(victim);
      },
    });
    const lost = judged.get(victim)?.length ?? 0;
    assert.equal(report.counts.predictions, expectedPredictions(judged).length - lost);
    assert.deepEqual(
      report.problems.map((p) => [p.path, p.reason]),
      [[victim, 'file disappeared during the scan (ENOENT: no such file)']],
    );
    index.close();
  });
});

describe('two benchmarks in one folder', () => {
  it('joins each result file to the questions of its own dataset (ids collide across datasets)', async () => {
    const parent = makeResultsFolder().dir;
    // A second, different benchmark with the same ids, in a sub-folder (like samples/motion-demo).
    const other = path.join(parent, 'demo');
    const qs = realQuestions().map((q) => ({ ...q, question: `DEMO ${q.question}`, video: `../clips/${q.id}.mp4` }));
    writeJson(path.join(other, 'data', 'real_mc.json'), qs);
    writeJson(
      path.join(other, 'processed_outputs', 'real_mc_cot', 'baseline_8frame.json'),
      qs.map((q) => ({
        id: q.id,
        question: q.question,
        choices: q.choices,
        response: 'A',
        ground_truth_answer: q.answer,
        extracted_answer: 'A',
        correct: false,
      })),
    );
    const index = await openIndex(parent);
    const demoRows = index.query({ model: ['baseline'], limit: 100 }).rows;
    assert.equal(demoRows.length, qs.length);
    assert.ok(demoRows.every((r) => r.question.startsWith('DEMO ')));
    assert.equal(index.prediction(demoRows[0]?.id ?? 0)?.video, '../clips/validation_1.mp4');
    const publishedRows = index.query({ model: ['alpha-vl'], split: ['real'], limit: 100 }).rows;
    assert.ok(publishedRows.every((r) => !r.question.startsWith('DEMO ')));
    assert.equal(index.counts().questions, 2 * realQuestions().length + syntheticQuestions().length);
    index.close();
  });
});

describe('a benchmark file removed after indexing', () => {
  it('keeps its predictions, with the question text their own records carry', async () => {
    const { dir, judged } = makeResultsFolder();
    const index = await openIndex(dir);
    const before = index.query({ split: ['real'], limit: 1000 });
    fs.unlinkSync(path.join(dir, 'data', 'real_mc.json'));
    const report = await index.sync();
    const after = index.query({ split: ['real'], limit: 1000 });
    assert.equal(after.total, before.total);
    assert.deepEqual(after.rows.map((r) => r.question).sort(), before.rows.map((r) => r.question).sort());
    // The clip URL came from the benchmark file only.
    assert.equal(index.prediction(after.rows[0]?.id ?? 0)?.video, null);
    // Only the real split's result files were read again, to recover their questions' text.
    assert.equal(report.filesRead, [...judged.keys()].filter((f) => f.includes('real_mc_cot')).length);
    index.close();
  });
});

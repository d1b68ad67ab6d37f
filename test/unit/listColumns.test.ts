import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { generateCorpus } from '../../bench/corpus';
import type { FacetName, FailureQuery, QueryResult } from '../../src/core/index/query';
import { FACETS } from '../../src/core/index/query';
import { ResultIndex } from '../../src/core/index/resultIndex';
import { loadSqlJs } from '../../src/core/index/sqlite';
import { GRADERS, MOTION_TYPES, OUTCOMES, PERSPECTIVES, PROMPT_MODES, SOURCES, SPLITS } from '../../src/core/model';
import { containsAll, searchTerms } from '../../src/core/searchTerms';
import { prng, tempDir, writeJson } from '../support/fixtures';

/** One prediction as the reference sees it: read from the tables and the detail view, not from the lists. */
interface Ref {
  id: number;
  runId: number;
  questionId: number;
  modelBytes: Buffer;
  promptMode: string;
  values: Record<FacetName, string>;
  text: { question: string; response: string };
  tags: string[];
}

const SEARCHES = ['moving', 'the', 'left', '"the car"', 'rotate clockwise', 'zebra', 'toward', '"is moving"', 'a'];

/** A part of the bench corpus (both prompts and splits of a few models) and raw outputs graded by the rule. */
async function corpus(): Promise<string> {
  const dir = tempDir();
  await generateCorpus(dir, { scale: 1, seed: 5 });
  const keep = /^(Aria-Chat|InternVL2_5-8B|gpt-4o)_/;
  for (const folder of fs.readdirSync(path.join(dir, 'processed_outputs'))) {
    const d = path.join(dir, 'processed_outputs', folder);
    for (const f of fs.readdirSync(d)) if (!keep.test(f)) fs.rmSync(path.join(d, f));
  }
  const rnd = prng(11);
  const raw = (split: string, file: string) => {
    const questions = JSON.parse(fs.readFileSync(path.join(dir, 'data', `${split}_mc.json`), 'utf8')) as object[];
    writeJson(
      path.join(dir, 'outputs', `${split}_mc_cot`, file),
      questions.map((q) => ({
        ...q,
        response:
          rnd() < 0.2 ? 'The car is moving; I cannot tell.' : `So the answer is: ${'ABCD'[Math.floor(rnd() * 4)]}`,
      })),
    );
  };
  // Raw outputs graded by the rule, and raw outputs of a judged run: those are ungraded copies.
  raw('synthetic', 'zeta-vl_8frame.json');
  raw('real', 'Aria-Chat_8frame.json');
  return dir;
}

function reference(index: ResultIndex): Ref[] {
  const tags = new Map<number, string[]>();
  for (const [id, tag] of index.select('SELECT prediction_id, tag FROM pred_tags'))
    tags.set(Number(id), [...(tags.get(Number(id)) ?? []), String(tag)]);
  // Texts in id order (the export's paging), not through the lists.
  const texts = new Map<number, { question: string; response: string }>();
  for (let after = 0; ;) {
    const page = index.predictionsAfter(after, 5000);
    if (!page.length) break;
    for (const { row, response } of page) texts.set(row.id, { question: row.question, response: response ?? '' });
    after = (page[page.length - 1] as (typeof page)[number]).row.id;
  }
  return index
    .select(
      `SELECT p.id, p.run_id, p.question_id, m.name, r.prompt_mode, r.split, r.stage, p.perspective, p.motion, p.source, p.outcome
       FROM predictions p JOIN runs r ON r.id = p.run_id JOIN models m ON m.id = r.model_id`,
    )
    .map(([id, runId, questionId, model, prompt, split, stage, perspective, motion, source, outcome]) => {
      const text = texts.get(Number(id));
      assert.ok(text);
      return {
        id: Number(id),
        runId: Number(runId),
        questionId: Number(questionId),
        modelBytes: Buffer.from(String(model)),
        promptMode: String(prompt),
        values: {
          split: String(split),
          perspective: PERSPECTIVES[Number(perspective)] as string,
          motion: MOTION_TYPES[Number(motion)] as string,
          source: SOURCES[Number(source)] as string,
          model: String(model),
          promptMode: String(prompt),
          outcome: OUTCOMES[Number(outcome)] as string,
          // Raw outputs beside a judged file of the same run (Aria-Chat's) are ungraded copies.
          grader: stage === 'judged' ? 'judge' : String(model) === 'Aria-Chat' ? 'none' : 'rule',
        },
        text,
        tags: tags.get(Number(id)) ?? [],
      };
    });
}

/** The query answered by brute force over the reference: rows in order, the total, every facet's counts. */
function bruteForce(
  refs: Ref[],
  q: FailureQuery,
): { ids: number[]; total: number; facets: Record<string, Record<string, number>> } {
  const terms = searchTerms(q.text ?? '');
  // The search language's reference (containsAll), once a prediction: each term in the question or the response.
  const textOk = new Set(
    refs
      .filter((r) => terms.every((t) => containsAll(r.text.question, [t]) || containsAll(r.text.response, [t])))
      .map((r) => r.id),
  );
  const passesOthers = (r: Ref, except: FacetName | null): boolean =>
    textOk.has(r.id) &&
    (!q.tags?.length || r.tags.some((t) => q.tags?.includes(t))) &&
    FACETS.every(
      (f) => f === except || !(q[f] as string[] | undefined)?.length || (q[f] as string[]).includes(r.values[f]),
    );
  const passing = refs.filter((r) => passesOthers(r, null));
  passing.sort(
    q.sort === 'model'
      ? (a, b) =>
          Buffer.compare(a.modelBytes, b.modelBytes) ||
          (a.promptMode < b.promptMode ? -1 : a.promptMode > b.promptMode ? 1 : 0) ||
          a.questionId - b.questionId ||
          a.runId - b.runId ||
          a.id - b.id
      : (a, b) => a.questionId - b.questionId || a.runId - b.runId || a.id - b.id,
  );
  const facets: Record<string, Record<string, number>> = {};
  for (const f of FACETS) {
    facets[f] = {};
    for (const r of refs) if (passesOthers(r, f)) facets[f][r.values[f]] = (facets[f][r.values[f]] ?? 0) + 1;
  }
  const offset = q.offset ?? 0;
  return { ids: passing.slice(offset, offset + (q.limit ?? 100)).map((r) => r.id), total: passing.length, facets };
}

/** Random filters, searches, sorts and offsets (the last page and past the end among them). */
function randomQueries(refs: Ref[], seed: number, n: number, tags: string[]): FailureQuery[] {
  const rnd = prng(seed);
  const pick = <T>(values: readonly T[]): T[] | undefined =>
    rnd() < 0.35 ? values.filter(() => rnd() < 0.5) : undefined;
  const models = [...new Set(refs.map((r) => r.values.model))];
  const out: FailureQuery[] = [];
  for (let i = 0; i < n; i++) {
    const q: FailureQuery = {
      split: pick(SPLITS),
      perspective: pick(PERSPECTIVES),
      motion: pick(MOTION_TYPES),
      source: pick(SOURCES),
      model: pick(models),
      promptMode: pick(PROMPT_MODES),
      outcome:
        rnd() < 0.7 ? (pick(OUTCOMES) ?? [OUTCOMES[Math.floor(rnd() * 3)] as (typeof OUTCOMES)[number]]) : undefined,
      grader: pick(GRADERS),
      text: rnd() < 0.35 ? SEARCHES[Math.floor(rnd() * SEARCHES.length)] : undefined,
      tags: tags.length && rnd() < 0.15 ? [tags[Math.floor(rnd() * tags.length)] as string] : undefined,
      sort: rnd() < 0.4 ? 'model' : undefined,
      limit: 1 + Math.floor(rnd() * 120),
    };
    const total = bruteForce(refs, { ...q, limit: 0 }).total;
    const where = rnd();
    q.offset =
      where < 0.25
        ? 0
        : where < 0.5
          ? Math.max(0, total - (q.limit ?? 100))
          : where < 0.9
            ? Math.floor(rnd() * total)
            : total + 3;
    out.push(q);
  }
  return out;
}

function assertSame(got: QueryResult, want: ReturnType<typeof bruteForce>, what: string): void {
  assert.deepEqual(
    got.rows.map((r) => r.id),
    want.ids,
    `rows of ${what}`,
  );
  assert.equal(got.total, want.total, `total of ${what}`);
  for (const f of FACETS) {
    const nonzero = Object.fromEntries(Object.entries(got.facets[f]).filter(([, n]) => n > 0));
    assert.deepEqual(nonzero, want.facets[f], `${f} counts of ${what}`);
  }
}

describe("the lists' columns", function () {
  // Generating and indexing ~10,000 predictions, then ~120 brute forces over them: minutes on a loaded machine.
  this.timeout(600_000);
  let dir: string;
  before(async () => {
    dir = await corpus();
  });

  it('list the same rows, totals and facet counts as a brute force, for random filters, searches, sorts and offsets, before and after the background steps, and after overrides', async () => {
    const index = new ResultIndex(await loadSqlJs());
    index.setRoots([dir]);
    await index.sync();
    let refs = reference(index);
    assert.ok(refs.length > 5_000, `the corpus holds ${refs.length} predictions`);
    for (const outcome of OUTCOMES)
      assert.ok(
        refs.some((r) => r.values.outcome === outcome),
        `some ${outcome}`,
      );
    const check = (when: string, seed: number, tags: string[] = []) => {
      for (const q of randomQueries(refs, seed, 30, tags))
        assertSame(index.query(q), bruteForce(refs, q), `${JSON.stringify(q)} ${when}`);
    };
    // Before the background steps (the columns are built by the first query; the order by model is sorted
    // when first asked; the search scans the blocks not indexed yet), and after them.
    check('before the background steps', 1);
    while (index.backgroundStep(50));
    check('after the background steps', 2);
    // Overrides flip outcomes, and tags make a subset (an annotation filter): the columns follow.
    const rnd = prng(3);
    const at = '2026-12-01T00:00:00.000Z';
    const chosen = refs.filter(() => rnd() < 0.02);
    const predictions = Object.fromEntries(
      chosen.map((r, i) => [
        index.prediction(r.id)?.key,
        {
          tags: i % 2 ? ['odd'] : ['even'],
          note: '',
          verdict: r.values.outcome === 'correct' ? 'wrong' : 'correct',
          updated: at,
        },
      ]),
    ) as Record<string, { tags: string[]; note: string; verdict: 'wrong' | 'correct'; updated: string }>;
    index.setAnnotations([{ root: dir, data: { tags: [], predictions, questions: {} } }]);
    const before = refs;
    refs = reference(index);
    assert.ok(
      refs.filter((r, i) => r.values.outcome !== before[i]?.values.outcome).length > 100,
      'the overrides change outcomes',
    );
    check('with overrides and tags', 3, ['odd', 'even']);
    // Taken away again: the outcomes go back.
    index.setAnnotations([]);
    refs = reference(index);
    check('after the overrides were taken away', 4);
    index.close();
  });
});

// The accuracy dashboard's fixture, shared by its unit and webview tests: judged runs in both prompt modes,
// runs in one split only, rule-graded raw outputs, a raw copy of a judged run (graded by nobody), a labels
// file, and (annotate) verdict overrides with prediction and question tags.
import * as assert from 'node:assert/strict';
import * as path from 'path';
import type { Annotations } from '../../src/core/annotations/format';
import type { PredictionRow } from '../../src/core/index/query';
import { ResultIndex } from '../../src/core/index/resultIndex';
import { loadSqlJs } from '../../src/core/index/sqlite';
import type { FixtureJudged, FixtureQuestion } from './fixtures';
import { judge, makeResultsFolder, prng, realQuestions, syntheticQuestions, writeJson } from './fixtures';

const at = '2026-11-28T10:00:00.000Z';
const LETTERS = ['A', 'B', 'C', 'D'] as const;

/** Raw outputs (no verdict): the benchmark entry with a response naming a seeded letter. */
function raw(questions: FixtureQuestion[], seed: number): (FixtureQuestion & { response: string })[] {
  const rnd = prng(seed);
  return questions.map((q) => ({
    ...q,
    response: `The object moves. Therefore, the final answer is: ${LETTERS[Math.floor(rnd() * 4)]}`,
  }));
}

export interface DashboardFixture {
  dir: string;
  index: ResultIndex;
  judged: Map<string, FixtureJudged[]>;
}

/**
 * The dashboard's fixture: makeResultsFolder (three models, chain of thought, both splits) plus: direct output for alpha (both splits)
 * and beta (real only); solo in synthetic cot only; delta's raw outputs (rule-graded) in both prompt modes on
 * the real split only; a raw copy of alpha's real cot run (ungraded: its judged copy is loaded); a labels file
 * making one question rotational; overrides and tags.
 */
export async function dashboardFixture(wasmPath?: string): Promise<DashboardFixture> {
  const { dir, judged } = makeResultsFolder();
  const put = (rel: string, records: unknown[]) => {
    const file = path.join(dir, rel);
    writeJson(file, records);
    if (rel.startsWith('processed_outputs')) judged.set(file, records as FixtureJudged[]);
  };
  put('processed_outputs/real_mc_direct-output/alpha-vl_8frame.json', judge(realQuestions(), 44, 0.6));
  put('processed_outputs/synthetic_mc_direct-output/alpha-vl_8frame.json', judge(syntheticQuestions(), 45, 0.6));
  put('processed_outputs/real_mc_direct-output/beta-vl_1fps.json', judge(realQuestions(), 46, 0.4));
  put('processed_outputs/synthetic_mc_cot/solo_4frame.json', judge(syntheticQuestions(), 47, 0.5));
  put('outputs/real_mc_cot/delta_16frame.json', raw(realQuestions(), 48));
  put('outputs/real_mc_direct-output/delta_16frame.json', raw(realQuestions(), 49));
  put('outputs/real_mc_cot/alpha-vl_8frame.json', raw(realQuestions(), 50));
  writeJson(path.join(dir, 'vlm4d-labels.json'), {
    version: 1,
    labels: [{ split: 'real', id: 'validation_2', motion: 'rotational' }],
  });
  const index = new ResultIndex(await loadSqlJs(wasmPath));
  index.setRoots([dir]);
  await index.sync();
  return { dir, index, judged };
}

export function annotate(f: DashboardFixture): void {
  f.index.setAnnotations([{ root: f.dir, data: overrides(f) }]);
}

/** Three verdict overrides (failed to correct, correct to wrong, a rule-graded one) with tags, and a question tag. */
export function overrides(f: DashboardFixture): Annotations {
  const rows = f.index.query({ limit: 10_000 }).rows;
  const pick = (pred: (r: PredictionRow) => boolean, what: string) => {
    const r = rows.find(pred);
    assert.ok(r, what);
    return r;
  };
  const a = pick(
    (r) =>
      r.model === 'alpha-vl' &&
      r.promptMode === 'cot' &&
      r.split === 'real' &&
      r.outcome === 'failed' &&
      r.grader === 'judge',
    'a failed alpha prediction',
  );
  const b = pick(
    (r) => r.model !== 'alpha-vl' && r.grader === 'judge' && r.promptMode === 'cot' && r.outcome === 'correct',
    'a correct judged prediction of another model',
  );
  const c = pick(
    (r) => r.model === 'delta' && r.promptMode === 'cot' && r.outcome === 'failed',
    'a failed rule-graded prediction',
  );
  const data: Annotations = {
    tags: [],
    predictions: {
      [a.key]: { tags: ['perspective-confusion'], note: '', verdict: 'correct', updated: at },
      [b.key]: { tags: ['judge-error'], note: '', verdict: 'wrong', updated: at },
      [c.key]: { tags: ['counting-error', 'perspective-confusion'], note: '', verdict: 'correct', updated: at },
    },
    questions: { 'real/validation_3': { tags: ['ambiguous-question'], note: '', updated: at } },
  };
  return data;
}

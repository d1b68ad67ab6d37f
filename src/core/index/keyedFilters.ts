// Two filters of the failure list that name runs or predictions rather than facet values: the frame sampling
// of a run (a dashboard slice may hold it) and prediction keys (the reviewers' agreement lists its
// disagreements by key). Both are SQL conditions on predictions as `p`, like the other filters outside the
// facet codes, so the facet counts are taken under them.
import type { Database } from 'sql.js';
import type { QuestionPredictions } from './listColumns';
import { parsePredictionKey, runStem } from './predictionKey';
import { selectAll } from './sqlite';

const sqlText = (s: string): string => `'${s.replace(/'/g, "''")}'`;
/** SQLite reads SQL text up to a NUL: a value holding one would cut the query short. */
const noNul = (field: string, values: readonly string[]): void => {
  const bad = values.find((v) => v.includes('\u0000'));
  if (bad !== undefined) throw new Error(`invalid ${field} filter ${JSON.stringify(bad)}: it contains a NUL character`);
};

/** Predictions of runs sampled as one of `labels` (`32frame`, `1fps`; '' for a run whose name has none). */
export function samplingCond(labels: readonly string[] | undefined): string | null {
  if (!labels?.length) return null;
  noNul('sampling', labels);
  return `p.run_id IN (SELECT id FROM runs WHERE sampling_label IN (${labels.map(sqlText).join(',')}))`;
}

/**
 * Predictions with one of these keys (`<split>/<prompt>/<model>_<sampling>/<qid>`): every indexed prediction of
 * a key (a raw and a judged file of one run share it), none for a key that matches nothing.
 */
export function keysCond(
  db: Database,
  keys: readonly string[] | undefined,
  predictionsOf: QuestionPredictions,
): string | null {
  if (!keys?.length) return null;
  noNul('keys', keys);
  const ids = predictionsOfKeys(db, keys, predictionsOf);
  return ids.length ? `p.id IN (${ids.join(',')})` : '0';
}

/**
 * The ids of every indexed prediction with one of these keys, ascending: the runs whose stem a key names,
 * then the predictions of its question in them (`predictionsOf`, from the lists' columns). A key that is not
 * shaped like one, or holds a NUL, matches nothing.
 */
export function predictionsOfKeys(db: Database, keys: readonly string[], predictionsOf: QuestionPredictions): number[] {
  const runsByStem = new Map<string, number[]>();
  for (const [id, split, prompt, model, sampling] of selectAll(
    db,
    'SELECT r.id, r.split, r.prompt_mode, m.name, r.sampling_label FROM runs r JOIN models m ON m.id = r.model_id',
  )) {
    const stem = runStem(String(split), String(prompt), String(model), String(sampling));
    const runs = runsByStem.get(stem);
    if (runs) runs.push(Number(id));
    else runsByStem.set(stem, [Number(id)]);
  }
  // Per run stem, the question ids asked for: one query per stem, not per key.
  const qidsByStem = new Map<string, Set<string>>();
  for (const key of keys) {
    const k = key.includes('\u0000') ? null : parsePredictionKey(key);
    if (!k) continue;
    const stem = `${k.split}/${k.promptMode}/${k.stem}`;
    if (!runsByStem.has(stem)) continue;
    let set = qidsByStem.get(stem);
    if (!set) qidsByStem.set(stem, (set = new Set()));
    set.add(k.qid);
  }
  const ids: number[] = [];
  for (const [stem, qids] of qidsByStem) {
    const questionRows = selectAll(db, `SELECT id FROM questions WHERE qid IN (${[...qids].map(sqlText).join(',')})`);
    const found = predictionsOf(
      questionRows.map(([id]) => Number(id)),
      new Set(runsByStem.get(stem)),
    );
    for (const id of found) ids.push(id);
  }
  return ids.sort((a, b) => a - b);
}

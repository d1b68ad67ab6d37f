// Two filters of the failure list that name runs or predictions rather than facet values: the frame sampling
// of a run (a dashboard slice may hold it) and prediction keys (the reviewers' agreement lists its
// disagreements by key). Both are SQL conditions on predictions as `p`, like the other filters outside the
// facet codes, so the facet counts are taken under them. And the one way from a prediction's or a question's
// key to its predictions (PredictionKeys), which the annotations and the detail view use too.
import type { Database } from 'sql.js';
import type { QuestionPredictions } from './predictionColumns';
import { parsePredictionKey, questionAnnotationKey, runStem } from './predictionKey';
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
 * The ids of every indexed prediction with one of these keys, ascending. A key that is not shaped like one,
 * or holds a NUL, matches nothing.
 */
export function predictionsOfKeys(db: Database, keys: readonly string[], predictionsOf: QuestionPredictions): number[] {
  const lookup = new PredictionKeys(db, predictionsOf);
  const ids = new Set<number>();
  for (const key of keys) for (const id of lookup.prediction(key)) ids.add(id);
  return [...ids].sort((a, b) => a - b);
}

/**
 * From keys to predictions: a prediction key names the predictions of its question in the runs its stem
 * names (a raw and a judged file of one run share it), a question key (`<split>/<qid>`, the annotations')
 * every prediction of the question; `within` keeps those of some runs only (a results folder's). The runs and
 * questions are read once, and each key is then found without SQL (`predictionsOf`, from the columns).
 */
export class PredictionKeys {
  private readonly runsByStem = new Map<string, number[]>();
  /** Question rows by qid, and by `<split>/<qid>`. */
  private readonly rowsByQid = new Map<string, number[]>();
  private readonly rowsByQuestionKey = new Map<string, number[]>();

  constructor(
    db: Database,
    private readonly predictionsOf: QuestionPredictions,
  ) {
    for (const [id, split, prompt, model, sampling] of selectAll(
      db,
      'SELECT r.id, r.split, r.prompt_mode, m.name, r.sampling_label FROM runs r JOIN models m ON m.id = r.model_id',
    ))
      push(this.runsByStem, runStem(String(split), String(prompt), String(model), String(sampling)), Number(id));
    for (const [id, split, qid] of selectAll(db, 'SELECT id, split, qid FROM questions')) {
      push(this.rowsByQid, String(qid), Number(id));
      push(this.rowsByQuestionKey, questionAnnotationKey(String(split), String(qid)), Number(id));
    }
  }

  /** The predictions a prediction key names. */
  prediction(key: string, within?: ReadonlySet<number>): Int32Array {
    const k = key.includes('\u0000') ? null : parsePredictionKey(key);
    const runs = k && this.runsByStem.get(`${k.split}/${k.promptMode}/${k.stem}`);
    const rows = k && this.rowsByQid.get(k.qid);
    if (!runs || !rows) return NONE;
    return this.predictionsOf(rows, new Set(within ? runs.filter((r) => within.has(r)) : runs));
  }

  /** The predictions of the question a question key names. */
  question(key: string, within?: ReadonlySet<number>): Int32Array {
    const rows = this.rowsByQuestionKey.get(key);
    return rows ? this.predictionsOf(rows, within) : NONE;
  }
}

const NONE = new Int32Array(0);

function push<K>(m: Map<K, number[]>, k: K, v: number): void {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}

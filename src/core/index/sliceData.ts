// The index's side of slice discovery (../slices/sliceLine.ts): every graded prediction under the facet
// filters, with the features slices are made of. Field names are those of the failure list's rows
// (PredictionRow) and filters (FailureQuery), so that a slice reads as a filter.
import type { Database } from 'sql.js';
import { NO_ANSWER_LABEL, answerLabel, answerLabelOfChoice } from '../answerLabels';
import type { Question } from '../model';
import { CHOICE_LETTERS, MOTION_TYPES, OUTCOMES, PERSPECTIVES, SOURCES } from '../model';
import { SLICE_FEATURES } from '../slices/sliceFeatures';
import type { SliceInput } from '../slices/sliceLine';
import type { FailureQuery } from './query';
import { selectAll } from './sqlite';

/** The filters slices honour: the facets (a text search or an annotation filter is not one of them). */
export type SliceFilter = Pick<FailureQuery, 'split' | 'perspective' | 'motion' | 'source' | 'model' | 'promptMode'>;

const codes = (list: readonly string[], values: readonly string[] | undefined, column: string): string | null =>
  values?.length
    ? `${column} IN (${values
        .map((v) => list.indexOf(v))
        .filter((c) => c >= 0)
        .concat(-1)
        .join(',')})`
    : null;

/** Every graded (correct or failed) prediction passing the filters, as slice discovery takes them. */
export function sliceInput(
  db: Database,
  filter: SliceFilter,
  question: (questionRowId: number) => Question | undefined,
): SliceInput {
  // The runs' own fields once, not per prediction.
  const runs = new Map<number, string[]>();
  for (const [id, split, prompt, model, sampling] of selectAll(
    db,
    'SELECT r.id, r.split, r.prompt_mode, m.name, r.sampling_label FROM runs r JOIN models m ON m.id = r.model_id',
  )) {
    if (filter.split?.length && !filter.split.includes(split as never)) continue;
    if (filter.promptMode?.length && !filter.promptMode.includes(prompt as never)) continue;
    if (filter.model?.length && !filter.model.includes(String(model))) continue;
    runs.set(Number(id), [String(split), String(prompt), String(model), String(sampling)]);
  }
  const conds = [
    `p.run_id IN (${[...runs.keys(), -1].join(',')})`,
    `p.outcome IN (${OUTCOMES.indexOf('failed')}, ${OUTCOMES.indexOf('correct')})`,
    codes(PERSPECTIVES, filter.perspective, 'p.perspective'),
    codes(MOTION_TYPES, filter.motion, 'p.motion'),
    codes(SOURCES, filter.source, 'p.source'),
  ].filter((c): c is string => !!c);
  const values: string[][] = SLICE_FEATURES.map(() => []);
  const failed: boolean[] = [];
  const failedCode = OUTCOMES.indexOf('failed');
  const labels = new Map<number, { truth: string; chosen: string[] }>();
  const labelsOf = (questionId: number) => {
    let l = labels.get(questionId);
    if (l) return l;
    const q = question(questionId);
    l = q
      ? {
          truth: answerLabel(q.answer),
          chosen: CHOICE_LETTERS.map((letter) => answerLabelOfChoice(q.choices, letter, q.answer)),
        }
      : { truth: 'unknown', chosen: CHOICE_LETTERS.map(() => 'unknown') };
    labels.set(questionId, l);
    return l;
  };
  for (const [runId, questionId, chosen, outcome, perspective, motion, source] of selectAll(
    db,
    `SELECT p.run_id, p.question_id, p.chosen, p.outcome, p.perspective, p.motion, p.source FROM predictions p
     WHERE ${conds.join(' AND ')}`,
  )) {
    const [split, prompt, model, sampling] = runs.get(Number(runId)) as string[];
    const l = labelsOf(Number(questionId));
    const row = [
      String(split),
      PERSPECTIVES[Number(perspective)] ?? 'unspecified',
      MOTION_TYPES[Number(motion)] ?? 'unknown',
      SOURCES[Number(source)] ?? 'unknown',
      String(model),
      String(prompt),
      String(sampling),
      l.truth,
      chosen === null ? NO_ANSWER_LABEL : (l.chosen[Number(chosen)] ?? NO_ANSWER_LABEL),
    ];
    row.forEach((v, f) => (values[f] as string[]).push(v));
    failed.push(Number(outcome) === failedCode);
  }
  return { features: SLICE_FEATURES, values, failed };
}

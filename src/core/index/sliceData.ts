// The index's side of slice discovery (../slices/sliceLine.ts): every graded prediction under the facet
// filters, with the features slices are made of. Field names are those of the failure list's rows
// (PredictionRow) and filters (FailureQuery), so that a slice reads as a filter.
//
// The predictions are read from the prediction columns and folded at once into the distinct combinations of
// feature values, counted: a run gives the split, model, prompt mode and sampling, a question its taxonomy
// and its answer's label, the chosen letter (with the question) the chosen option's label. At 10x the
// published results a row of nine strings per prediction, read through SQL, took ~2.5 s with the search.
import type { Database } from 'sql.js';
import { NO_ANSWER_LABEL, answerLabel, answerLabelOfChoice } from '../answerLabels';
import type { Question } from '../model';
import { CHOICE_LETTERS, MOTION_TYPES, OUTCOMES, PERSPECTIVES, SOURCES } from '../model';
import { SLICE_FEATURES } from '../slices/sliceFeatures';
import type { SliceInput } from '../slices/sliceLine';
import type { ColumnBlock } from './predictionColumns';
import type { FailureQuery } from './query';
import { selectAll } from './sqlite';

/** The filters slices honour: the facets (a text search or an annotation filter is not one of them). */
export type SliceFilter = Pick<FailureQuery, 'split' | 'perspective' | 'motion' | 'source' | 'model' | 'promptMode'>;

export interface SliceSources {
  /** Every prediction's run, question, chosen letter and outcome in force (PredictionColumns.current). */
  blocks: readonly ColumnBlock[];
  /** Per question row: perspective | motion << 4 | source << 8 (QuestionTable.codeTable). */
  questionCodes: Uint16Array;
  question: (questionRowId: number) => Question | undefined;
}

/** Codes of a facet's values kept by a filter, or null for all. */
const kept = (list: readonly string[], values: readonly string[] | undefined): Set<number> | null =>
  values?.length ? new Set(values.map((v) => list.indexOf(v)).filter((c) => c >= 0)) : null;

/** Distinct tuples of strings, numbered in the order first seen. */
class Tuples {
  private readonly ids = new Map<string, number>();
  readonly values: string[][] = [];

  id(tuple: string[]): number {
    const key = tuple.join('\u0000');
    let id = this.ids.get(key);
    if (id === undefined) {
      this.ids.set(key, (id = this.values.length));
      this.values.push(tuple);
    }
    return id;
  }
}

/** Every graded (correct or failed) prediction passing the filters, folded into counted combinations. */
export function sliceInput(db: Database, filter: SliceFilter, sources: SliceSources): SliceInput {
  // Per run: its place among the distinct (split, prompt mode, model, sampling), or none when filtered out.
  const runTuples = new Tuples();
  const runClass = new Map<number, number>();
  for (const [id, split, prompt, model, sampling] of selectAll(
    db,
    'SELECT r.id, r.split, r.prompt_mode, m.name, r.sampling_label FROM runs r JOIN models m ON m.id = r.model_id',
  )) {
    if (filter.split?.length && !filter.split.includes(split as never)) continue;
    if (filter.promptMode?.length && !filter.promptMode.includes(prompt as never)) continue;
    if (filter.model?.length && !filter.model.includes(String(model))) continue;
    runClass.set(Number(id), runTuples.id([String(split), String(prompt), String(model), String(sampling)]));
  }
  const perspectives = kept(PERSPECTIVES, filter.perspective);
  const motions = kept(MOTION_TYPES, filter.motion);
  const sourcesKept = kept(SOURCES, filter.source);
  // Per question row: its place among the distinct (perspective, motion, source, truth label), -2 when
  // filtered out (-1: not looked at yet); and the labels of its options A-D, then of no answer.
  const questionTuples = new Tuples();
  const chosenLabels = new Tuples();
  const noAnswer = chosenLabels.id([NO_ANSWER_LABEL]);
  const questionClass = new Int32Array(sources.questionCodes.length).fill(-1);
  const chosenOf = new Map<number, number[]>();
  const classOf = (row: number): number => {
    const known = questionClass[row] as number;
    if (known !== -1) return known;
    const codes = sources.questionCodes[row] as number;
    const [p, m, s] = [codes & 15, (codes >> 4) & 15, (codes >> 8) & 15];
    if ((perspectives && !perspectives.has(p)) || (motions && !motions.has(m)) || (sourcesKept && !sourcesKept.has(s)))
      return (questionClass[row] = -2);
    const q = sources.question(row);
    const truth = q ? answerLabel(q.answer) : 'unknown';
    chosenOf.set(row, [
      ...CHOICE_LETTERS.map((letter) =>
        chosenLabels.id([q ? answerLabelOfChoice(q.choices, letter, q.answer) : 'unknown']),
      ),
      noAnswer,
    ]);
    const tuple = [PERSPECTIVES[p] ?? 'unspecified', MOTION_TYPES[m] ?? 'unknown', SOURCES[s] ?? 'unknown', truth];
    return (questionClass[row] = questionTuples.id(tuple));
  };
  // Counts by combination: (run class, question class, chosen label), and how many of them failed.
  const CHOSEN = 1024;
  const QUESTION = 65536;
  const counts = new Map<number, { n: number; failed: number }>();
  const failedCode = OUTCOMES.indexOf('failed');
  const correctCode = OUTCOMES.indexOf('correct');
  for (const b of sources.blocks) {
    const run = runClass.get(b.run);
    if (run === undefined) continue;
    for (let i = 0; i < b.question.length; i++) {
      const outcome = b.outcome[i] as number;
      if (outcome !== failedCode && outcome !== correctCode) continue;
      const row = b.question[i] as number;
      const cls = classOf(row);
      if (cls < 0) continue;
      const chosen = b.chosen[i] as number;
      const label = (chosenOf.get(row) as number[])[chosen < 0 || chosen > 3 ? 4 : chosen] as number;
      const key = (run * QUESTION + cls) * CHOSEN + label;
      let c = counts.get(key);
      if (!c) counts.set(key, (c = { n: 0, failed: 0 }));
      c.n++;
      if (outcome === failedCode) c.failed++;
    }
  }
  if (questionTuples.values.length > QUESTION || chosenLabels.values.length > CHOSEN)
    throw new Error('too many distinct questions or answer labels to find slices');
  const values: string[][] = SLICE_FEATURES.map(() => []);
  const n: number[] = [];
  const failed: number[] = [];
  for (const [key, c] of counts) {
    const label = key % CHOSEN;
    const cls = Math.floor(key / CHOSEN) % QUESTION;
    const run = Math.floor(key / CHOSEN / QUESTION);
    const [split, prompt, model, sampling] = runTuples.values[run] as string[];
    const [perspective, motion, source, truth] = questionTuples.values[cls] as string[];
    const row = [split, perspective, motion, source, model, prompt, sampling, truth, chosenLabels.values[label]?.[0]];
    row.forEach((v, f) => (values[f] as string[]).push(v as string));
    n.push(c.n);
    failed.push(c.failed);
  }
  return { features: SLICE_FEATURES, values, n, failed };
}

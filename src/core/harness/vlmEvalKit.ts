// VLMEvalKit's prediction files and their judged companions (see docs/harness-formats.md):
//   <work_dir>/<model>/T<date>_G<hash>/<model>_<dataset>.xlsx (.tsv, .json with PRED_FORMAT)
//   ..._<dataset>_score.xlsx (score 1/0/-1), ..._<dataset>_<judge>.xlsx (hit), _acc.csv, _rating.json
// Rows hold the dataset's columns (index, question, answer as a letter, options A-D, video, ...) plus
// `prediction`; judged companions add the verdict column.
import * as path from 'path';
import type { ChoiceValue, Choices } from '../model';
import { CHOICE_LETTERS } from '../model';
import type { HarnessRow, HarnessRun } from './harnessRow';
import {
  choicesOf,
  promptModeOfName,
  samplingOfName,
  splitOfName,
  splitOfValue,
  splitOfVideo,
  verdictOf,
} from './harnessRow';

/** Verdict columns, in the order they are looked for. */
const VERDICT_COLUMNS = ['score', 'hit', 'correct', 'is_correct'];
const EXTRACTED_COLUMNS = ['pred_extracted', 'extracted', 'extract_answer', 'pred_option', 'opt'];

/** A folder VLMEvalKit names after one evaluation: `T20250101_G1a2b3c`, or the older `T20240101-120000`. */
export const EVAL_FOLDER = /^T\d{8}(?:[_-].*)?$/;

/** The model a prediction file belongs to: its folder's name, or the folder above an evaluation folder. */
export function vlmEvalKitModel(filePath: string): string {
  const dir = path.dirname(filePath);
  return EVAL_FOLDER.test(path.basename(dir)) ? path.basename(path.dirname(dir)) : path.basename(dir);
}

/** `<model>_<dataset>[_<judge suffix>].<ext>` → the dataset (with its suffix; see harnessDiscovery.ts). */
export function vlmEvalKitRun(filePath: string, dataset: string): HarnessRun {
  const sampling = samplingOfName(dataset);
  return {
    task: dataset,
    model: vlmEvalKitModel(filePath),
    samplingLabel: sampling?.label ?? '',
    sampling: sampling?.sampling ?? { kind: 'unknown' },
    promptMode: promptModeOfName(dataset) ?? 'unspecified',
    split: splitOfName(dataset),
  };
}

/** A ground truth as the choice's text: a letter (VLMEvalKit's `answer` column) becomes its option. */
export function answerText(v: unknown, choices: Choices | null): ChoiceValue | null {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v !== 'string' || v.trim() === '') return null;
  const letter = /^\s*\(?([A-D])\)?\s*$/.exec(v)?.[1];
  const c = letter && choices ? choices[letter as (typeof CHOICE_LETTERS)[number]] : undefined;
  return c !== undefined ? c : v;
}

/** One row (a header → cell object, or a JSON record) as the harness-independent row. */
export function vlmEvalKitRow(rec: Record<string, unknown>): HarnessRow | string {
  const prediction = rec.prediction;
  if (typeof prediction !== 'string' && typeof prediction !== 'number')
    return "row has no 'prediction' (not a prediction file)";
  const choices = choicesOf(rec);
  const column = VERDICT_COLUMNS.find((c) => verdictOf(rec[c]) !== null);
  const extracted = EXTRACTED_COLUMNS.map((c) => rec[c]).find((v) => typeof v === 'string' && v.trim() !== '');
  const video = typeof rec.video === 'string' ? rec.video : typeof rec.video_path === 'string' ? rec.video_path : null;
  const id = rec.id ?? rec.question_id;
  const extras: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(rec))
    if (!['prediction', 'question', 'answer', 'video', 'id', ...CHOICE_LETTERS].includes(k) && v !== '') extras[k] = v;
  return {
    id: typeof id === 'string' && id.trim() ? id : typeof id === 'number' ? String(id) : null,
    split: splitOfValue(rec.split) ?? splitOfVideo(video),
    question: typeof rec.question === 'string' ? rec.question : null,
    choices,
    answer: answerText(rec.answer, choices),
    video,
    response: String(prediction),
    extracted: typeof extracted === 'string' ? extracted : null,
    correct: column ? verdictOf(rec[column]) : null,
    judge: column ?? null,
    extras,
  };
}

// Exports of annotated lists: every row of a list with its tags, notes and override (CSV and JSON), and tag
// counts per model and slice (CSV). The same rows back the CLI's `tags` command.
import type { PredictionRow } from '../index/query';
import { csvLines } from '../csv';
import type { Annotations } from './format';

/** One exported prediction: its list fields, the judge's verdict and the user's annotations. */
export interface ExportRow {
  key: string;
  split: string;
  questionId: string;
  model: string;
  sampling: string;
  promptMode: string;
  question: string;
  groundTruth: string;
  chosen: string;
  /** The verdict in force (the override when there is one). */
  outcome: string;
  /** The judge's own verdict: correct, wrong, or ungraded. */
  judgeVerdict: string;
  /** Who graded `outcome` before any override: judge, rule (a raw output, "rule-graded") or none. */
  gradedBy: string;
  overridden: boolean;
  perspective: string;
  motion: string;
  source: string;
  tags: string[];
  questionTags: string[];
  note: string;
  questionNote: string;
}

/** `data` is the annotations of the row's results folder (its notes are not in the index). */
export function exportRow(r: PredictionRow, data: Readonly<Annotations> | undefined): ExportRow {
  const own = data?.predictions[r.key];
  const q = data?.questions[`${r.split}/${r.qid}`];
  return {
    key: r.key,
    split: r.split,
    questionId: r.qid,
    model: r.model,
    sampling: r.samplingLabel,
    promptMode: r.promptMode,
    question: r.question,
    groundTruth: `${r.groundTruthLetter ? `${r.groundTruthLetter}: ` : ''}${r.groundTruth}`,
    chosen: r.chosen ? `${r.chosen}: ${r.chosenText ?? ''}` : (r.chosenText ?? ''),
    outcome: r.outcome,
    judgeVerdict: r.judgeCorrect === null ? 'ungraded' : r.judgeCorrect ? 'correct' : 'wrong',
    gradedBy: r.grader,
    overridden: !!r.annotation?.verdict,
    perspective: r.perspective,
    motion: r.motion,
    source: r.source,
    tags: own?.tags ?? [],
    questionTags: q?.tags ?? [],
    note: own?.note ?? '',
    questionNote: q?.note ?? '',
  };
}

const COLUMNS: (keyof ExportRow)[] = [
  'key',
  'split',
  'questionId',
  'model',
  'sampling',
  'promptMode',
  'question',
  'groundTruth',
  'chosen',
  'outcome',
  'judgeVerdict',
  'gradedBy',
  'overridden',
  'perspective',
  'motion',
  'source',
  'tags',
  'questionTags',
  'note',
  'questionNote',
];

function toCsv(header: readonly string[], rows: readonly (readonly unknown[])[]): string {
  return csvLines([header, ...rows], '\r\n');
}

/** The list as CSV: one row per prediction; tags joined with `;`. */
export function exportRowsCsv(rows: readonly ExportRow[]): string {
  return toCsv(
    COLUMNS,
    rows.map((r) => COLUMNS.map((c) => r[c])),
  );
}

/**
 * Tag counts per model and slice: for each (model, prompt mode, split, perspective, motion) and tag, how many
 * predictions carry it (their own tag or their question's), and how many predictions the slice has in the list.
 */
export function tagCountsCsv(rows: readonly ExportRow[]): string {
  const counts = new Map<string, { slice: string[]; total: number; tags: Map<string, number> }>();
  for (const r of rows) {
    const slice = [r.model, r.promptMode, r.split, r.perspective, r.motion];
    const k = slice.join('\u0000');
    let c = counts.get(k);
    if (!c) counts.set(k, (c = { slice, total: 0, tags: new Map() }));
    c.total++;
    for (const t of new Set([...r.tags, ...r.questionTags])) c.tags.set(t, (c.tags.get(t) ?? 0) + 1);
  }
  const out: unknown[][] = [];
  for (const c of [...counts.values()].sort((a, b) => a.slice.join('\u0000').localeCompare(b.slice.join('\u0000')))) {
    for (const [tag, n] of [...c.tags].sort(([a], [b]) => a.localeCompare(b)))
      out.push([...c.slice, tag, n, c.total, ((n / c.total) * 100).toFixed(1)]);
  }
  return toCsv(
    ['model', 'promptMode', 'split', 'perspective', 'motion', 'tag', 'count', 'predictionsInSlice', 'percent'],
    out,
  );
}

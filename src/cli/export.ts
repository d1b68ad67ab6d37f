// `vlm4d export`: every indexed prediction, one flat record each, as NDJSON, CSV or Parquet, so that the
// data can leave the tool (docs/scale.md: an engine such as DuckDB queries the Parquet file as it is).
// Written in pages in prediction-id order, so memory stays flat however large the folder.
import * as fs from 'fs';
import { csvField } from '../core/csv';
import type { ResultIndex } from '../core/index/resultIndex';
import type { ExportValue } from './parquetExport';
import { writeParquet } from './parquetExport';

export const EXPORT_USAGE = `  export FOLDER --format ndjson|csv|parquet --out FILE
                                 every prediction, one flat record each (docs/scale.md has the schema);
                                 FILE must not exist yet`;

export const EXPORT_FORMATS = ['ndjson', 'csv', 'parquet'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** The columns, in order: the schema documented in docs/scale.md. */
export const EXPORT_COLUMNS = [
  'key',
  'split',
  'qid',
  'model',
  'sampling',
  'prompt_mode',
  'stage',
  'graded_by',
  'perspective',
  'motion',
  'source',
  'question',
  'ground_truth',
  'ground_truth_letter',
  'chosen',
  'chosen_text',
  'outcome',
  'judge_correct',
  'overridden',
  'response',
] as const;

const PAGE = 2000;

/** Every prediction of `index` as flat records, a page at a time, in prediction-id order. */
function* exportPages(index: ResultIndex): Generator<Record<(typeof EXPORT_COLUMNS)[number], ExportValue>[]> {
  let after = 0;
  for (;;) {
    const page = index.predictionsAfter(after, PAGE);
    if (!page.length) return;
    yield page.map(({ row: r, response }) => {
      after = r.id;
      return {
        key: r.key,
        split: r.split,
        qid: r.qid,
        model: r.model,
        sampling: r.samplingLabel,
        prompt_mode: r.promptMode,
        stage: r.stage,
        graded_by: r.grader,
        perspective: r.perspective,
        motion: r.motion,
        source: r.source,
        question: r.question,
        ground_truth: String(r.groundTruth),
        ground_truth_letter: r.groundTruthLetter,
        chosen: r.chosen,
        chosen_text: r.chosenText,
        outcome: r.outcome,
        judge_correct: r.judgeCorrect,
        overridden: r.annotation?.verdict !== undefined,
        response,
      };
    });
  }
}

/** Writes every prediction of `index` to `file` (which must not exist); returns how many. */
export function exportPredictions(index: ResultIndex, format: ExportFormat, file: string): number {
  // 'wx': an existing file is never overwritten.
  const fd = fs.openSync(file, 'wx');
  let n = 0;
  try {
    if (format === 'parquet') n = writeParquet(fd, EXPORT_COLUMNS, exportPages(index));
    else {
      if (format === 'csv') fs.writeSync(fd, EXPORT_COLUMNS.join(',') + '\n');
      for (const page of exportPages(index)) {
        const lines = page.map((values) =>
          format === 'ndjson'
            ? JSON.stringify(values)
            : EXPORT_COLUMNS.map((c) => (values[c] === null ? '' : csvField(values[c]))).join(','),
        );
        fs.writeSync(fd, lines.join('\n') + '\n');
        n += page.length;
      }
    }
  } catch (e) {
    // The file is this export's own (opened with 'wx'): a half-written one is not left behind.
    fs.closeSync(fd);
    fs.rmSync(file, { force: true });
    throw e;
  }
  fs.closeSync(fd);
  return n;
}

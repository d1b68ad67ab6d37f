// The paper's accuracy table straight from the files, for a command that needs nothing else: the files are
// found, read and validated exactly as the index does (same discovery, same reader, same skipped records and
// reasons), and each judged record is counted into its run's authors' slice. No SQLite, no text store, no
// list or search index. Whatever this cannot decide alone (raw outputs graded by the answer-reading rule
// against the benchmark's questions, harness files paired by model) is left to the index: it returns null.
import type { AccuracyTable } from './accuracyTypes';
import { tablesFromCounts } from './accuracyTable';
import type { DiscoveredFile } from './discovery';
import { assignDatasets, discoverRoots } from './discovery';
import type { FileProblem, RootSpec, SqlValue } from './index/indexTypes';
import {
  KnownQuestions,
  isAuthorsFalsePositive,
  loadFile,
  questionNumber,
  readResultRecords,
  standardQuestionNumber,
} from './index/fileLoader';
import { AUTHORS_SLICE } from './index/schema';
import { EXOCENTRIC_MAX_ID } from './taxonomy';

export interface CountedTables {
  tables: AccuracyTable[];
  /** As the index reports them: the roots' problems, then each file's by path. */
  problems: FileProblem[];
}

/** SQLite's order of text (its bytes in UTF-8), which the index's problem list is sorted by. */
function byUtf8(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/**
 * The judged tables of `roots` as `accuracyTables` computes them from an index of the same roots with the
 * judges' verdicts, with the index's problems; null when a raw or harness result file is among them.
 */
export function countedAccuracyTables(
  roots: readonly RootSpec[],
  pair: { realDir?: string; syntheticDir?: string } = {},
): CountedTables | null {
  const { found, problems: rootProblems } = discoverRoots(roots);
  const files = [...found.values()];
  const taxonomy = (f: DiscoveredFile) => f.kind === 'questions' || f.kind === 'labels';
  // Known before anything is read: raw outputs and harness files need the index.
  if (files.some((f) => f.harness || (!taxonomy(f) && f.stageHint === 'raw'))) return null;
  assignDatasets(files);
  files.sort((a, b) => (a.path < b.path ? -1 : 1));
  const fileProblems = new Map<string, FileProblem[]>();
  const note = (p: string, severity: FileProblem['severity'], reasons: string[]) => {
    if (reasons.length)
      fileProblems.set(
        p,
        reasons.map((reason) => ({ path: p, severity, reason })),
      );
  };
  const rows: SqlValue[][] = [];
  for (const f of files) {
    if (taxonomy(f)) {
      // Questions and labels do not change the judges' counts; they are read for their problems only.
      const l = loadFile(f, new KnownQuestions());
      if (l.kind === 'error') note(f.path, 'error', [l.reason]);
      else if (l.kind === 'questions' || l.kind === 'labels') note(f.path, 'warning', l.warnings);
      continue;
    }
    const r = readResultRecords(f);
    if (r.kind === 'error') {
      note(f.path, 'error', [r.reason]);
      continue;
    }
    if (r.stage === 'raw') return null;
    note(f.path, 'warning', r.warnings);
    const run = f.run as NonNullable<DiscoveredFile['run']>;
    const correct = [0, 0, 0, 0];
    const total = [0, 0, 0, 0];
    for (const rec of r.recs) {
      let slice: number;
      if (run.split === 'real') {
        const num = standardQuestionNumber(rec.id);
        slice =
          (num >= 0 ? num : (questionNumber(rec.id) ?? 0)) <= EXOCENTRIC_MAX_ID
            ? AUTHORS_SLICE.realExo
            : AUTHORS_SLICE.realEgo;
      } else {
        slice = isAuthorsFalsePositive(rec.groundTruth)
          ? AUTHORS_SLICE.synthFalsePositive
          : AUTHORS_SLICE.synthDirectional;
      }
      total[slice] = (total[slice] as number) + 1;
      if (rec.correct === true) correct[slice] = (correct[slice] as number) + 1;
    }
    for (let slice = 0; slice < 4; slice++)
      if (total[slice])
        rows.push([f.path, run.split, run.promptMode, slice, correct[slice] as number, total[slice] as number]);
  }
  const problems = [...rootProblems];
  for (const p of [...fileProblems.keys()].sort(byUtf8)) problems.push(...(fileProblems.get(p) as FileProblem[]));
  return { tables: tablesFromCounts(rows, 'judge', pair), problems };
}

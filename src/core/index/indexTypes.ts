// What the index reports and takes, apart from the classes that compute it: the worker protocol, the host
// and the CLI import these types without pulling in the index itself.
import type { AssumedLayout, DiscoveredFile } from '../discovery';
import type { PromptMode, Split, Stage } from '../model';
import type { KnownQuestions, LoadedFile } from './fileLoader';
import type { SliceCounts } from './runFacets';

export interface FileProblem {
  path: string;
  /** error: the file was skipped; warning: it was indexed but some records were skipped. */
  severity: 'error' | 'warning';
  reason: string;
}

export interface IndexCounts {
  files: number;
  runs: number;
  questions: number;
  predictions: number;
  failures: number;
  /** Of the failures, those graded by the answer-reading rule (raw outputs), not by a judge. */
  ruleGradedFailures: number;
}

export interface SyncReport {
  counts: IndexCounts;
  /** Files read and parsed by this sync (unchanged files are not read again). */
  filesRead: number;
  filesRemoved: number;
  /** Every problem currently known, for all files. */
  problems: FileProblem[];
  cancelled: boolean;
  /**
   * discover: walking the roots; taxonomy: applying questions and labels files; wait: waiting for result
   * files to be read (overlaps applying them when a parser thread reads); insert: applying them; lists:
   * building the lists' columns (listColumns.ts), when asked for (`SyncOptions.lists`), else 0.
   */
  timings: {
    discoverMs: number;
    taxonomyMs: number;
    waitMs: number;
    insertMs: number;
    listsMs: number;
    totalMs: number;
  };
}

/** A folder to index; `assume` reads the files directly inside it as one split's results (CLI `table A B`). */
export interface RootSpec {
  path: string;
  assume?: AssumedLayout;
}

/** Reads result files (in order) for the index; see fileLoader.ts. */
export type FileSource = (
  files: readonly DiscoveredFile[],
  knownQuestions: KnownQuestions,
) => Iterable<LoadedFile> | AsyncIterable<LoadedFile>;

export interface SyncOptions {
  /** Where result files are read; in this thread by default. */
  loader?: FileSource;
  /** Paths to re-read even if their size and mtime look unchanged (e.g. from a file watcher). */
  forcePaths?: readonly string[];
  shouldCancel?: () => boolean;
  onProgress?: (done: number, total: number, file: string) => void;
  /**
   * Build the lists' columns before returning: the side panel's first page follows every sync, and would
   * otherwise wait for them. The CLI's commands that list nothing leave it off.
   */
  lists?: boolean;
}

export interface RunSummary {
  filePath: string;
  stage: Stage;
  split: Split;
  promptMode: PromptMode;
  model: string;
  samplingLabel: string;
  predictions: number;
  failures: number;
}

export type SqlValue = string | number | null;

/** Read-only SQL over the index's tables (the accuracy table, reports, tests). */
export interface SqlReader {
  select(sql: string, params?: SqlValue[]): SqlValue[][];
  /** Per run and authors' slice, the counts the accuracy table sums (RunFacets.accuracyCounts), when kept. */
  accuracyCounts?(): Map<number, Map<number, SliceCounts>>;
}

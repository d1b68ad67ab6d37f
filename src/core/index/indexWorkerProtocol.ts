// The messages between the index worker thread and whoever owns it (the extension host, the benchmark).
import type { AccuracyTable } from '../accuracyTable';
import type { DashboardData } from '../dashboard/data';
import type { AnnotationOrphan, AnnotationSource } from './annotationLayer';
import type { FailureQuery, PredictionDetail, PredictionRow, QueryResult } from './query';
import type { PredictionView } from './responseAccess';
import type { SliceOptions, SliceResult } from '../slices/sliceLine';
import type { SliceFilter } from './sliceData';
import type { PredictionSuggestion } from './suggestionLayer';
import type { FileProblem, IndexCounts, RootSpec, RunSummary, SyncReport } from './indexTypes';
import type { BootstrapOptions } from '../compare/paired';
import type { RunComparisonResult } from './resultIndex';
import type { CompareFilter } from './runComparison';

/** Each method's parameters and result. */
export interface IndexMethods {
  /** Sets the folders and brings the index in step with the disk. */
  sync: { params: { roots?: RootSpec[]; forcePaths?: string[] }; result: SyncReport };
  query: { params: FailureQuery; result: QueryResult };
  prediction: { params: { id: number }; result: PredictionDetail | null };
  /** The prediction for the detail view: a long response bounded, its final-answer sentence found (responseAccess.ts). */
  predictionView: { params: { id: number }; result: PredictionView | null };
  /** Characters [start, end) of prediction `id`'s response, and its length: a long response, sent in chunks. */
  responseText: { params: { id: number; start: number; end: number }; result: { text: string; length: number } | null };
  /** The id of the prediction with a stable key (see PredictionRow.key), or null. */
  predictionIdByKey: { params: { key: string }; result: number | null };
  /** Every loaded run's answer to the question of prediction `id`. */
  questionPredictions: { params: { id: number }; result: PredictionRow[] };
  accuracyTables: { params: { verdict?: 'judge' | 'effective' }; result: AccuracyTable[] };
  /** Everything the accuracy dashboard draws (dashboard/data.ts), in columns. */
  dashboardData: { params: Record<string, never>; result: DashboardData };
  counts: { params: Record<string, never>; result: IndexCounts };
  /**
   * Answers once the worker can index at full speed: sql.js loaded and the parser threads running. Nobody
   * has to wait for it (a sync waits itself); the benchmark times indexing from here.
   */
  started: { params: Record<string, never>; result: null };
  /** Lays the annotations files over the index (replacing the previous ones); returns the keys that match nothing. */
  setAnnotations: { params: { sources: AnnotationSource[] }; result: AnnotationOrphan[] };
  runs: { params: Record<string, never>; result: RunSummary[] };
  /**
   * Reads the next `max` responses for the judge audit (see auditLayer.ts): the owner calls it between
   * queries until `pending` is 0, so the audit never holds up a query for long.
   */
  auditStep: { params: { max?: number }; result: { pending: number; changed: boolean } };
  problems: { params: Record<string, never>; result: FileProblem[] };
  /** One prediction's failure-mode suggestions with evidence and status (suggestionLayer.ts). */
  suggestions: { params: { id: number }; result: PredictionSuggestion[] };
  /** Where the predictions under the facet filters fail most (slices/sliceLine.ts). */
  slices: { params: { filter?: SliceFilter; options?: SliceOptions }; result: SliceResult };
  /** Finishes now the work otherwise done between requests (the search index); how long it took (the benchmark). */
  finishBackground: { params: Record<string, never>; result: { ms: number } };
  /** Where the worker's memory goes, in bytes (the benchmark): the database, the texts and their index, V8. */
  memory: { params: Record<string, never>; result: Record<string, number> };
  /** The runs as two runs are compared (`<prompt>/<model>_<sampling>`, both splits), sorted. */
  comparisonRuns: { params: Record<string, never>; result: string[] };
  /** Two runs compared overall and per slice (ResultIndex.compare). */
  compare: {
    params: { a: string; b: string; filter?: CompareFilter; options?: BootstrapOptions };
    result: RunComparisonResult;
  };
}
export type IndexMethod = keyof IndexMethods;

export type WorkerRequest = {
  [M in IndexMethod]: { id: number; method: M; params: IndexMethods[M]['params'] };
}[IndexMethod];

export type WorkerReply =
  | { kind: 'result'; id: number; result: unknown }
  | { kind: 'error'; id: number; message: string }
  | { kind: 'progress'; id: number; done: number; total: number; file: string };

export interface WorkerInit {
  wasmPath?: string;
  /** One Int32: holds the id of a sync request to cancel (checked between files). */
  cancelFlag: SharedArrayBuffer;
  /**
   * For measurement only (`npm run bench`): the parser threads are kept between syncs, so that a later sync
   * runs code V8 has compiled already. The extension stops them after every sync (their heaps).
   */
  keepParserThreads?: boolean;
}

// The messages between the accuracy dashboard (webview/dashboard/, a webview panel) and its host
// (src/host/dashboardPanel.ts). Shared by both sides, so it imports types only.
//
// Handshake: the page gets nothing until it says `ready` (what the host posts meanwhile is held and delivered
// then: src/host/webviewHost.ts); on `ready` the host sends `data` (or `status` while there is nothing to
// draw), and `data` again whenever the index or the annotations change. The page draws every chart from
// `data` itself (src/core/dashboard/aggregate.ts), so changing a breakdown needs no round trip.
import type { DashboardData, PaperTable } from '../core/dashboard/data';
import type { RunComparisonResult } from '../core/compare/slices';
import type { FailureFilters } from './failuresView';
import type { Slice } from '../core/slices/sliceLine';
import type { ReviewerComparison } from '../core/reviewers';

export type { DashboardData, PaperTable };

/** host → dashboard */
export type HostToDashboard =
  | {
      type: 'data';
      data: DashboardData;
      /**
       * The paper's tables from the index worker (identical to the CLI's `table`): with the judges' (and for
       * raw outputs the rule's) verdicts, and with the verdicts in force when any verdict is overridden.
       * `…Csv` hold each table's CLI CSV, in the same order; `columns` the CLI's column names.
       */
      tables: {
        columns: string[];
        judge: PaperTable[];
        judgeCsv: string[];
        effective: PaperTable[] | null;
        effectiveCsv: string[] | null;
      };
      /** Where it fails most: the top slices by SliceLine score (absent when they could not be found). */
      slices?: Slice[];
    }
  /** Nothing to draw yet (indexing), or at all (no results, or the index failed: `message` says which). */
  | { type: 'status'; state: 'indexing' | 'empty' | 'error'; message: string }
  /** Two runs compared (Compare Runs…), again whenever the data changes; `error` when it could not be made. */
  | { type: 'comparison'; result: RunComparisonResult | null; error?: string }
  /** Your annotations against another reviewer's file (Compare Annotations With Another File…), again on each change. */
  | { type: 'reviewers'; comparison: ReviewerComparison };

/** Longest export name, CSV text, PNG data URL and prediction key the host accepts. */
export const DASHBOARD_LIMITS = { name: 100, csv: 50_000_000, png: 40_000_000, key: 1_000 } as const;

/** dashboard → host */
export type DashboardToHost =
  | { type: 'ready' }
  /** Pick two runs to compare (the host's quick pick). */
  | { type: 'pickComparison' }
  /** Show these failures in the side panel (a bar or cell was clicked). */
  | { type: 'showFailures'; filters: FailureFilters }
  /** Open prediction `id` (of data `version`; ids change when files are re-read) in the detail view. */
  | { type: 'openPrediction'; id: number; version: number }
  /** Open the prediction with this stable key in the detail view (a reviewers' disagreement). */
  | { type: 'openKey'; key: string }
  /** Save a chart: `dataUrl` is a `data:image/png;base64,` URL; `name` a file name without extension. */
  | { type: 'exportPng'; name: string; dataUrl: string }
  /** Save a table as CSV. */
  | { type: 'exportCsv'; name: string; csv: string }
  /** The page has drawn data `version` (tests wait for it). */
  | { type: 'rendered'; version: number };

export type DashboardToHostType = DashboardToHost['type'];

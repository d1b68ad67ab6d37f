// The messages between the failure explorer's side panel (webview/failures/) and its host (the
// WebviewViewProvider). Shared by both sides, so it imports types only: nothing here runs `vscode` or the core.
//
// Handshake: the view gets nothing until it says `ready` (the host holds what it posts meanwhile and delivers
// it then, in order: src/host/webviewHost.ts). Right after `ready` the view posts a `query`
// for the first page it shows, built from its restored state (filters, scroll position), so the host learns
// the restored filters from that message and needs no state of its own.
import type { FacetCounts, FailureQuery, QueryResult } from '../core/index/query';

/** A query without paging: what the filters say. Saved filters and the view's persisted state hold this. */
export type FailureFilters = Omit<FailureQuery, 'offset' | 'limit'>;

/** Why the host has nothing to list, independently of the filters (those the view explains itself). */
export type EmptyReason =
  /** No workspace folder and no `vlm4d.resultFolders`. */
  | 'no-folder'
  /** Folders are open, indexing finished, and no predictions were found in them. */
  | 'no-results'
  /** The index could not be built or queried; `detail` says why. */
  | 'index-failed';

/** The commands the view may ask the host to run (from its empty states); anything else is rejected. */
export const PANEL_COMMANDS = ['vlm4d.openResultsFolder', 'vlm4d.reindex', 'vlm4d.showOutput'] as const;
export type PanelCommand = (typeof PANEL_COMMANDS)[number];

/** host → view */
export type HostToView =
  /**
   * The answer to `query` with the same `requestId`: `result.rows` is the page `query.offset`..+`query.limit`,
   * `result.total` and `result.facets` describe the whole filtered list. Replies to superseded queries may
   * still arrive; the view drops them.
   */
  | { type: 'results'; requestId: number; query: FailureQuery; result: QueryResult }
  /** The query with this `requestId` failed (shown in the list area). */
  | { type: 'queryError'; requestId: number; message: string }
  /**
   * Move the selection to prediction `id` and scroll it into view (e.g. the detail view moved on).
   * `index` (its position in the view's current list) lets the view scroll to a page it has not loaded yet.
   * `id` null: the detail view shows a prediction this list does not hold; no row stays selected.
   */
  | { type: 'select'; id: number | null; index?: number }
  /** Select the next (+1) or previous (-1) row and answer with `open` (the detail view's next/previous). */
  | { type: 'step'; delta: 1 | -1 }
  /** Indexing progress in files; `done === total` ends it. */
  | { type: 'indexing'; done: number; total: number }
  /** Nothing to list whatever the filters; holds until the next `refresh`. */
  | { type: 'empty'; reason: EmptyReason; detail?: string }
  /** The index changed (files re-read, labels edited): drop cached pages and query again. */
  | { type: 'refresh' }
  /** Replace the filters (e.g. a saved filter was opened); the view answers with a `query`. */
  | { type: 'setFilters'; filters: FailureFilters }
  /**
   * The tag vocabulary, in order (keys 1-9 toggle the first nine); `taggingOff` says why tags cannot be
   * changed now (an annotations file that cannot be read).
   */
  | { type: 'vocabulary'; tags: string[]; taggingOff?: string };

/** view → host */
export type ViewToHost =
  | { type: 'ready' }
  /** One page of the list under the current filters. `requestId` increases with every query. */
  | { type: 'query'; requestId: number; query: FailureQuery }
  /**
   * Show prediction `id` (row `index` of the current list) in the detail view. `preserveFocus`: a click or a
   * `step` keeps focus where it is; Enter and double-click move it to the detail view.
   */
  | { type: 'open'; id: number; index: number; preserveFocus: boolean }
  /**
   * The user moved the selection with the keyboard to prediction `id` (row `index`): while the detail view is
   * open it shows that prediction (the list's selection is what the detail view shows), and keeps the focus.
   */
  | { type: 'selected'; id: number; index: number }
  /** Save the current filters; without a name the host asks for one. */
  | { type: 'saveFilter'; name?: string; query: FailureFilters }
  | { type: 'runCommand'; command: PanelCommand }
  /** Toggle a tag on one prediction (number keys). */
  | { type: 'toggleTag'; id: number; tag: string }
  /** Tag every prediction of the list under `query` (the host confirms, naming `total`). */
  | { type: 'tagAll'; tag: string; query: FailureFilters; total: number }
  /** Pick a tag for prediction `id` (or the whole list when null) from the host's tag palette. */
  | { type: 'tagPalette'; id: number | null; query: FailureFilters }
  | { type: 'undo' }
  | { type: 'redo' };

export type HostToViewType = HostToView['type'];
export type ViewToHostType = ViewToHost['type'];
export type { FacetCounts, FailureQuery, QueryResult };

/** Page size the view asks for; the host may cap `limit` lower but never returns more rows than asked. */
export const FAILURES_PAGE_SIZE = 100;

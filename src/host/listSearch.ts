// Where a prediction stands in the side panel's list, when it was opened from elsewhere (another model's answer
// in the detail view, a detail view restored after a window reload): its row index, so that the list selects
// it and the detail view says "k of N", or null when the list does not hold it. The index answers only
// queries, so the row is looked for in pages: first around where the user was, then, if the prediction
// passes the list's filters at all, from the top. Pure: the index is a function, and no `vscode` is used.
import type { FailureQuery } from '../core/index/query';
import type { FailureFilters } from '../protocol/failuresView';

export type ListQuery = (q: FailureQuery) => Promise<{ total: number; rows: readonly { id: number }[] }>;

/** What the prediction is, for a cheap check that the list's filters let it in at all. */
export interface Candidate {
  id: number;
  split: string;
  model: string;
  promptMode: string;
}

/** Rows looked at on each side of the last known position first (other answers to a question sit together). */
export const NEAR_ROWS = 200;
/** Rows per query when the whole list is walked. */
export const SCAN_PAGE = 5_000;

/**
 * The row of `p` in the list under `filters` and that list's length, or null when the list does not hold it
 * (or `stale()` says the answer is no longer wanted). A list grouped by question has rows for questions, not
 * predictions: null.
 */
export async function findInList(
  query: ListQuery,
  filters: FailureFilters,
  p: Candidate,
  near: number | null,
  stale: () => boolean = () => false,
): Promise<{ index: number; total: number } | null> {
  if (filters.group) return null;
  if (near !== null) {
    const offset = Math.max(0, near - NEAR_ROWS);
    const page = await query({ ...filters, offset, limit: 2 * NEAR_ROWS + 1 });
    const at = page.rows.findIndex((r) => r.id === p.id);
    if (at >= 0) return { index: offset + at, total: page.total };
  }
  if (stale() || !(await passes(query, filters, p))) return null;
  for (let offset = 0; !stale(); offset += SCAN_PAGE) {
    const page = await query({ ...filters, offset, limit: SCAN_PAGE });
    const at = page.rows.findIndex((r) => r.id === p.id);
    if (at >= 0) return { index: offset + at, total: page.total };
    if (!page.rows.length || offset + SCAN_PAGE >= page.total) return null;
  }
  return null;
}

/** Whether the list holds `p`, asked of its run's part of the list only (one run is at most a few thousand rows). */
async function passes(query: ListQuery, filters: FailureFilters, p: Candidate): Promise<boolean> {
  const within = (values: readonly string[] | undefined, v: string) => !values?.length || values.includes(v);
  if (!within(filters.split, p.split) || !within(filters.model, p.model) || !within(filters.promptMode, p.promptMode))
    return false;
  const narrowed = { ...filters, split: [p.split], model: [p.model], promptMode: [p.promptMode] } as FailureFilters;
  for (let offset = 0; ; offset += SCAN_PAGE) {
    const page = await query({ ...narrowed, offset, limit: SCAN_PAGE });
    if (page.rows.some((r) => r.id === p.id)) return true;
    if (!page.rows.length || offset + SCAN_PAGE >= page.total) return false;
  }
}

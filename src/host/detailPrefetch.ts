// The predictions next to the detail view's in the side panel's list, built ahead and held by its page, so
// that j/k (in either view) draws at once instead of after a round of the index and of the workbench's
// transport. This keeps the host's exact account of what the page holds: what was last sent to it, for which
// data version. Any change that may touch one of them (annotations, the index, the clip settings, a new page)
// drops them all; a build under an older version is never sent.
import type { ItemChange } from '../core/annotations/edits';
import type { FailureFilters } from '../protocol/failuresView';
import type { DetailData } from '../protocol/detailView';
import { sameFilters } from '../protocol/failuresValidate';

export interface HeldPrediction {
  id: number;
  filters: FailureFilters;
  index: number;
  data: DetailData;
}

export class DetailPrefetch {
  private held: HeldPrediction[] = [];
  private version = 0;
  /** How many times the page was sent rows: a row it drew from an older sending may be out of date. */
  private sent = 0;

  /** `send(entries, round)` posts them to the page (an empty list: drop what it holds). */
  constructor(private readonly send: (entries: DetailData[], round: number) => void) {}

  /** The newest sending: a row the page drew from it is the one held here. */
  get round(): number {
    return this.sent;
  }

  /** The data version now: a build started under it may be given to `offer` once done. */
  get now(): number {
    return this.version;
  }

  /** Something the held predictions show may have changed: the page drops them. */
  invalidate(): void {
    this.version++;
    if (this.held.length) this.send([], ++this.sent);
    this.held = [];
  }

  /** A new page holds nothing (and builds under way are for the old one). */
  pageReset(): void {
    this.version++;
    this.held = [];
  }

  /** The page is given `entries`, built under `version`; refused (false) when the data changed meanwhile. */
  offer(version: number, entries: HeldPrediction[]): boolean {
    if (version !== this.version) return false;
    this.held = entries;
    this.send(
      entries.map((e) => e.data),
      ++this.sent,
    );
    return true;
  }

  /** What the page holds now. */
  get rows(): readonly HeldPrediction[] {
    return this.held;
  }

  /** The held prediction `id` at this place of this list, if the page has it. */
  find(id: number, filters: FailureFilters | undefined, index: number | undefined): HeldPrediction | null {
    if (!filters || index === undefined) return null;
    return this.held.find((h) => h.id === id && h.index === index && sameFilters(h.filters, filters)) ?? null;
  }
}

/**
 * Whether an annotations change may show in held rows: always when what changed is not known (a file read
 * again, the settings); else when it touches a held row's own item or any question's (its tags and note
 * show on every answer to it), or changes a verdict (an answer's outcome shows in the other rows' tables of
 * answers). Tags and notes of other predictions show nowhere in them.
 */
export function mayShowIn(edits: readonly ItemChange[] | undefined, held: readonly HeldPrediction[]): boolean {
  if (!edits) return true;
  const keys = new Set(held.map((h) => h.data.prediction.key));
  return edits.some(
    (c) => c.section !== 'predictions' || keys.has(c.key) || (c.before?.verdict ?? null) !== (c.after?.verdict ?? null),
  );
}

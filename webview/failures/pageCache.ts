// The side panel's pages of rows: which are here, which are asked for, which belong to a list shown before.
// The contract:
// - Rows come in pages of `pageSize`; a page is asked for under a request id and the generation of the list
//   it was asked for. `restart` begins a new generation (new filters, or the same ones after a refresh): a
//   reply to an earlier generation's request is dropped, never shown as the new list's rows.
// - A page is asked for once: while a request of this generation is out for it, it is not asked again; and
//   no more than `maxInFlight` of this generation's requests are out at once (fast scrolling skips pages
//   nobody stops at, and the host is not flooded).
// - At most `maxPages` pages are kept, the least recently used dropped first.
// - The pages of the previous list are kept as stale rows to show instead of "Loading…": after new filters
//   until the new list's first reply (then all go), after a refresh each until its new version arrives.
//   A refresh's are the same list's rows, so what keys act on (`rowOfList`); other filters' never are.
// Pure: no DOM, no messages; the panel sends the requests it is told to.

export interface PageLimits {
  /** Requests of the current generation out at once. */
  maxInFlight: number;
  /** Pages kept. */
  maxPages: number;
}

export class PageCache<Row> {
  private generation = 0;
  private lastRequestId = 0;
  /** Requests out, of any generation, by id. */
  private readonly inFlight = new Map<number, { generation: number; page: number }>();
  /** Pages of the current generation asked for and not answered yet. */
  private readonly pending = new Set<number>();
  /** Pages of the current list, least recently used first. */
  private pages = new Map<number, Row[]>();
  private stale: Map<number, Row[]> | null = null;
  private staleUntilFirstReply = false;
  /** The stale pages are the same list's (a refresh), not another filter's. */
  private staleSameList = false;

  constructor(
    readonly pageSize: number,
    private readonly limits: PageLimits,
  ) {}

  /**
   * A new list: what is out or held belongs to the previous one. With `keepPlace` (a refresh of the same
   * list) each old page stays shown until its new version arrives; otherwise until the first reply.
   */
  restart(keepPlace: boolean): void {
    this.generation++;
    this.stale = this.pages;
    this.staleUntilFirstReply = !keepPlace;
    this.staleSameList = keepPlace;
    this.pages = new Map();
    this.pending.clear();
  }

  /** Asks for `page` (whether or not it is out already); the id to send with the query. */
  request(page: number): number {
    const requestId = ++this.lastRequestId;
    this.inFlight.set(requestId, { generation: this.generation, page });
    this.pending.add(page);
    return requestId;
  }

  /**
   * The pages rows `first`..`last` need that should be asked for now (not here, not out, within the cap);
   * the caller requests each. The pages that are here count as just used.
   */
  wanted(first: number, last: number): number[] {
    const out: number[] = [];
    let room = this.limits.maxInFlight - this.outNow();
    for (let page = Math.floor(first / this.pageSize); page <= Math.floor(last / this.pageSize); page++) {
      const rows = this.pages.get(page);
      if (rows) {
        this.pages.delete(page);
        this.pages.set(page, rows);
      } else if (!this.pending.has(page) && room > 0) {
        out.push(page);
        room--;
      }
    }
    return out;
  }

  /** Whether `requestId` is out for the current list (its reply will be kept). */
  isCurrent(requestId: number): boolean {
    return this.inFlight.get(requestId)?.generation === this.generation;
  }

  /** A reply: its page number when kept, null when it was for an earlier list (or unknown) and is dropped. */
  accept(requestId: number, rows: Row[]): number | null {
    const page = this.settle(requestId);
    if (page === null) return null;
    this.pages.delete(page);
    this.pages.set(page, rows);
    while (this.pages.size > this.limits.maxPages) this.pages.delete(this.pages.keys().next().value as number);
    if (this.staleUntilFirstReply) this.stale = null;
    else this.stale?.delete(page);
    return page;
  }

  /** A failed request: true when it was for the current list (its page may be asked for again). */
  fail(requestId: number): boolean {
    return this.settle(requestId) !== null;
  }

  /** Row `index` of the current list, or with `orStale` of the previous one while the current one loads. */
  rowAt(index: number, orStale = false): Row | undefined {
    const page = Math.floor(index / this.pageSize);
    const rows = this.pages.get(page) ?? (orStale ? this.stale?.get(page) : undefined);
    return rows?.[index - page * this.pageSize];
  }

  /**
   * Row `index` as the list shows it, when it is a row of the current list: its new version, or while a
   * refresh is out its previous one (the same filters); never a row of other filters.
   */
  rowOfList(index: number): Row | undefined {
    return this.rowAt(index, this.staleSameList);
  }

  /** The index in the current list of a row here that `test` accepts, or null. */
  indexWhere(test: (row: Row) => boolean): number | null {
    for (const [page, rows] of this.pages) {
      const i = rows.findIndex(test);
      if (i >= 0) return page * this.pageSize + i;
    }
    return null;
  }

  /** The request is answered: its page if it was for the current list, else null. */
  private settle(requestId: number): number | null {
    const req = this.inFlight.get(requestId);
    this.inFlight.delete(requestId);
    if (!req || req.generation !== this.generation) return null;
    this.pending.delete(req.page);
    return req.page;
  }

  private outNow(): number {
    let n = 0;
    for (const r of this.inFlight.values()) if (r.generation === this.generation) n++;
    return n;
  }
}

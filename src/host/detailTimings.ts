// When each part of showing a prediction in the detail view happened, on the epoch clock the pages use too
// (performance.timeOrigin + performance.now(), sub-millisecond): the timing report of the workbench tests
// joins them with the side panel's key press and the page's drawing. Nothing here decides anything.

/** Now, in epoch milliseconds with a fraction: comparable with the webviews' marks on the same machine. */
export function epochNow(): number {
  return performance.timeOrigin + performance.now();
}

/** Named instants of one `show`, in the order they happened. */
export class ShowMarks {
  readonly at: Record<string, number> = {};

  mark(name: string): void {
    this.at[name] = epochNow();
  }

  /** `p` as given, with the instant it settled marked as `name`. */
  time<T>(name: string, p: Promise<T>): Promise<T> {
    return p.finally(() => this.mark(name));
  }
}

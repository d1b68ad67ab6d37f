// The detail view's latency, part by part, for the timing report (test-results/timings.json; never asserted):
// the instants the side panel (key pressed), the host (src/host/detailTimings.ts) and the page
// (webview/detail/drawTimes.ts) noted, all on the machine's epoch clock, turned into the length of each part.

/** The host's marks, in the order they happen (each a part's end; the index's answers come concurrently). */
export const HOST_PARTS = ['roots', 'prediction', 'answers', 'suggestions', 'clip', 'comparison', 'posted'] as const;
/** The page's marks after `received`, in order. */
export const PAGE_PARTS = ['bar', 'clip', 'side', 'comparison'] as const;

export interface Sample {
  /** When the key was pressed (or the row clicked), if the page noted it. */
  start?: number;
  host: Record<string, number>;
  page: Record<string, number>;
  shownAt: number;
  paintedAt?: number;
  /** How the page had the data (webview/detail/drawTimes.ts): `sent`, `held` or `ahead`. */
  from?: string;
}

/** Each part's length in ms, named for the report; a part whose marks are missing is left out. */
export function parts(s: Sample): Record<string, number> {
  const out: Record<string, number> = {};
  const put = (name: string, from: number | undefined, to: number | undefined) => {
    if (from !== undefined && to !== undefined && Number.isFinite(from) && Number.isFinite(to)) out[name] = to - from;
  };
  const received = s.host.received;
  put('key to host', s.start, received);
  for (const p of HOST_PARTS) put(`host: ${p} done (from the host receiving it)`, received, s.host[p]);
  put('host posted to page received', s.host.posted, s.page.received);
  // A new page (the first open): the workbench's part until the document loads, then the page's own loading.
  if (s.page.navigated !== undefined && s.host.posted !== undefined && s.page.navigated > s.host.posted) {
    put('new page: host posted to document started', s.host.posted, s.page.navigated);
    put('new page: document started to script ran', s.page.navigated, s.page.scriptRan);
    put('new page: script ran to page received', s.page.scriptRan, s.page.received);
  }
  let prev = s.page.received;
  for (const p of PAGE_PARTS) {
    put(`page: ${p} drawn`, prev, s.page[p]);
    prev = s.page[p] ?? prev;
  }
  put('page received to filled', s.page.received, s.shownAt);
  put('filled to next frame painted', s.shownAt, s.paintedAt);
  put('host received to filled', received, s.shownAt);
  put('host received to next frame painted', received, s.paintedAt);
  put('key to filled', s.start, s.shownAt);
  put('key to next frame painted', s.start, s.paintedAt);
  return out;
}

export function median(xs: readonly number[]): number {
  const v = [...xs].sort((a, b) => a - b);
  const m = v.length >> 1;
  return v.length % 2 ? (v[m] as number) : ((v[m - 1] as number) + (v[m] as number)) / 2;
}

/** Per part, the median over the samples that have it, and how many had it. */
export function medians(samples: readonly Sample[]): { part: string; median: number; n: number }[] {
  const by = new Map<string, number[]>();
  for (const s of samples) for (const [k, v] of Object.entries(parts(s))) by.set(k, [...(by.get(k) ?? []), v]);
  return [...by].map(([part, xs]) => ({ part, median: median(xs), n: xs.length }));
}

// The failure explorer's responsiveness on a corpus the size of the published results: the side panel's
// bundle in headless Chromium (as in the webview tests) over the real index in this process. Times are taken
// in the page, from the click to the frame after the list shows the new result, so they include the query
// and the round trip through Playwright (slower than VS Code's postMessage: an upper bound).
import * as fs from 'fs';
import type { Browser } from 'playwright-core';
import { chromium } from 'playwright-core';
import type { FailureQuery } from '../src/core/index/query';
import { IndexSource } from '../test/webview/data';
import { startPanelServer } from '../test/webview/server';

export interface UiTimings {
  /** Median ms from a filter click to the redrawn list (targets: <= 50 ms). */
  filterChangeMs: number;
  /** Its parts: the view until it posts the query; the host and the transport; the view drawing the answer. */
  beforePostMs: number;
  roundTripMs: number;
  renderMs: number;
  /** The index's share of the round trip: the query with its facet counts, in this process. */
  queryMs: number;
  rounds: number;
  predictions: number;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

export async function measureUi(root: string, folder: string, rounds = 11): Promise<UiTimings | null> {
  const executablePath = process.env.VLM4D_CHROMIUM || '/usr/bin/chromium';
  if (!fs.existsSync(executablePath)) {
    process.stderr.write(`no Chromium at ${executablePath}: the failure explorer timings are skipped\n`);
    return null;
  }
  const source = await IndexSource.open(root, folder);
  const server = await startPanelServer(root);
  let browser: Browser | undefined;
  try {
    browser = await chromium.launch({
      executablePath,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
    });
    const context = await browser.newContext({ viewport: { width: 360, height: 900 } });
    const page = await context.newPage();
    // The host's side: every query answered from the index, as the extension's FailuresView does.
    await page.exposeFunction('__toHost', (m: { type: string; requestId: number; query: FailureQuery }) => {
      if (m.type !== 'query') return;
      const result = source.query(m.query);
      void page.evaluate(
        `window.postMessage(${JSON.stringify({ type: 'results', requestId: m.requestId, query: m.query, result })}, '*')`,
      );
    });
    await page.goto(server.url());
    await page.waitForSelector('.row[data-id]');
    const predictions = source.query({ limit: 0 }).total;
    const clicks: number[] = [];
    const parts = { beforePost: [] as number[], roundTrip: [] as number[], render: [] as number[] };
    const queries: number[] = [];
    // Alternate filters so that every click changes the list: on and off, over several facets.
    const chips = [
      '#filter-perspective .chip[data-value="egocentric"]',
      '#filter-motion .chip[data-value="rotational"]',
      '#filter-split .chip[data-value="real"]',
    ];
    const on = new Set<string>();
    for (let i = 0; i < rounds * 2; i++) {
      const chip = chips[i % chips.length] as string;
      if (on.has(chip)) on.delete(chip);
      else on.add(chip);
      const q = {
        outcome: ['failed' as const],
        ...(on.has(chips[0] as string) ? { perspective: ['egocentric' as const] } : {}),
        ...(on.has(chips[1] as string) ? { motion: ['rotational' as const] } : {}),
        ...(on.has(chips[2] as string) ? { split: ['real' as const] } : {}),
      };
      const t = performance.now();
      const total = source.query({ ...q, limit: 100 }).total;
      queries.push(performance.now() - t);
      const want = `${total.toLocaleString('en-US')} failed prediction${total === 1 ? '' : 's'}`;
      // In the page (a string: this file is compiled without the DOM's types).
      const ms = (await page.evaluate(`(async () => {
        const t = (window.__t = {});
        if (!window.__wrapped) {
          const send = window.__toHost;
          window.__toHost = (m) => { if (m.type === 'query' && window.__t.post === undefined) window.__t.post = performance.now(); return send(m); };
          addEventListener('message', (e) => { if (e.data && e.data.type === 'results' && window.__t.reply === undefined) window.__t.reply = performance.now(); }, true);
          window.__wrapped = true;
        }
        const t0 = performance.now();
        document.querySelector(${JSON.stringify(chip)}).click();
        await new Promise((resolve) => {
          const check = () => (document.querySelector('#summary')?.textContent === ${JSON.stringify(want)} && document.querySelector('.row[data-id]') ? resolve() : requestAnimationFrame(check));
          check();
        });
        await new Promise((r) => requestAnimationFrame(() => r()));
        const end = performance.now();
        return { total: end - t0, beforePost: t.post - t0, roundTrip: t.reply - t.post, render: end - t.reply };
      })()`)) as { total: number; beforePost: number; roundTrip: number; render: number };
      // The first rounds warm up the page and the query caches.
      if (i >= 2) {
        clicks.push(ms.total);
        parts.beforePost.push(ms.beforePost);
        parts.roundTrip.push(ms.roundTrip);
        parts.render.push(ms.render);
      }
    }
    await context.close();
    return {
      filterChangeMs: median(clicks),
      beforePostMs: median(parts.beforePost),
      roundTripMs: median(parts.roundTrip),
      renderMs: median(parts.render),
      queryMs: median(queries),
      rounds: clicks.length,
      predictions,
    };
  } finally {
    await browser?.close();
    await server.close();
    source.close();
  }
}

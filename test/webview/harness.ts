// Opening the panel in a fresh browser context (fresh webview state) with a fake host, and the checks
// every test ends with: no page errors, no CSP violations, nothing the host's validator would refuse.
import * as assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import type { DataSource } from './data';
import { FakeHost } from './fakeHost';
import type { PanelServer } from './server';
import type { ThemeName } from './themes';

export const env: { browser?: Browser; server?: PanelServer; root: string; results: string } = {
  root: '',
  results: '',
};

export interface Panel {
  page: Page;
  host: FakeHost;
  errors: string[];
  /** Reloads the page (the webview being hidden and shown again: its state is kept). */
  reload(): Promise<void>;
  assertClean(): Promise<void>;
  close(): Promise<void>;
}

export interface PanelOptions {
  theme?: ThemeName;
  width?: number;
  height?: number;
  csp?: boolean;
  /** Wait for the first page of results before returning (default true when the host auto-replies). */
  waitForRows?: boolean;
}

export async function openPanel(source: DataSource, opts: PanelOptions & { autoReply?: boolean } = {}): Promise<Panel> {
  const browser = env.browser as Browser;
  const server = env.server as PanelServer;
  const context = await browser.newContext({ viewport: { width: opts.width ?? 360, height: opts.height ?? 800 } });
  const page = await context.newPage();
  const host = new FakeHost(page, source);
  host.autoReply = opts.autoReply ?? true;
  await host.attach();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
  page.on('response', (r) => {
    if (r.status() >= 400) errors.push(`HTTP ${r.status()} for ${r.url()}`);
  });
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') errors.push(`console ${m.type()}: ${m.text()}`);
  });
  const url = server.url({
    ...(opts.theme ? { theme: opts.theme } : {}),
    ...(opts.csp === false ? { csp: false } : {}),
  });
  const waitForRows = async () => {
    if (opts.waitForRows ?? host.autoReply) await page.waitForSelector('.row[data-id]', { timeout: 10_000 });
  };
  await page.goto(url);
  await waitForRows();
  return {
    page,
    host,
    errors,
    async reload() {
      await page.reload();
      await waitForRows();
    },
    async assertClean() {
      const violations = await page.evaluate(
        () => (window as unknown as { __cspViolations: unknown[] }).__cspViolations,
      );
      assert.deepEqual(violations, [], 'CSP violations');
      assert.deepEqual(host.rejected, [], 'messages the host validator refused');
      assert.deepEqual(errors, [], 'page errors or console errors/warnings');
    },
    async close() {
      await context.close();
    },
  };
}

/** Waits until `fn` (run in the page) returns a truthy value, and returns it. */
export async function until<T>(page: Page, fn: () => T, timeoutMs = 5_000): Promise<T> {
  const handle = await page.waitForFunction(fn, undefined, { timeout: timeoutMs, polling: 'raf' });
  return (await handle.jsonValue()) as T;
}

/** A webview page driven directly (no fake host): what it posted, what a host validator refused, its errors. */
export interface ViewPage<In, Out> {
  page: Page;
  received: Out[];
  rejected: unknown[];
  errors: string[];
  send(m: In): Promise<void>;
  /** The first message after `from` that satisfies `pred`. */
  waitFor<T extends Out>(pred: (m: Out) => boolean, from?: number): Promise<T>;
  /** No CSP violation, nothing refused, no page error, console error or warning, or failed request. */
  clean(): Promise<void>;
  close(): Promise<void>;
}

export interface ViewPageOptions<Out> {
  /** The page the test server serves (`/<page>.html`). */
  page: NonNullable<Parameters<PanelServer['url']>[0]>['page'];
  /** The host's validator for the page's messages: null means refused. */
  parse: (raw: unknown) => Out | null;
  theme?: ThemeName;
  csp?: boolean;
  width: number;
  height: number;
  /** How long waitFor waits, ms. */
  waitMs: number;
  /** Runs before the page loads (e.g. to route its requests). */
  beforeLoad?: (page: Page) => Promise<void>;
}

/** Opens a view's page in a fresh browser context and waits for its `ready` message. */
export async function openView<In, Out extends { type: string }>(
  opts: ViewPageOptions<Out>,
): Promise<ViewPage<In, Out>> {
  const context = await (env.browser as Browser).newContext({ viewport: { width: opts.width, height: opts.height } });
  const page = await context.newPage();
  const received: Out[] = [];
  const rejected: unknown[] = [];
  const errors: string[] = [];
  await opts.beforeLoad?.(page);
  await page.exposeFunction('__toHost', (raw: unknown) => {
    const m = opts.parse(raw);
    if (m) received.push(m);
    else rejected.push(raw);
  });
  page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') errors.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on('response', (r) => {
    if (r.status() >= 400) errors.push(`HTTP ${r.status()} for ${r.url()}`);
  });
  await page.goto(
    (env.server as PanelServer).url({
      page: opts.page,
      ...(opts.theme ? { theme: opts.theme } : {}),
      ...(opts.csp === false ? { csp: false } : {}),
    }),
  );
  const waitFor = async <T extends Out>(pred: (m: Out) => boolean, from = 0): Promise<T> => {
    const end = Date.now() + opts.waitMs;
    for (;;) {
      const hit = received.slice(from).find(pred);
      if (hit) return hit as T;
      if (Date.now() > end)
        throw new Error(`no such message; received ${JSON.stringify(received.slice(from)).slice(0, 1000)}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  await waitFor((m) => m.type === 'ready');
  return {
    page,
    received,
    rejected,
    errors,
    send: async (m) => {
      // Typed arrays cross as typed arrays, as VS Code (1.57+) posts them to a webview.
      await page.evaluate((msg) => window.postMessage(msg, '*'), m);
    },
    waitFor,
    async clean() {
      assert.deepEqual(
        await page.evaluate(() => (window as unknown as { __cspViolations: unknown[] }).__cspViolations),
        [],
        'CSP violations',
      );
      assert.deepEqual(rejected, [], 'messages the host would refuse');
      assert.deepEqual(errors, [], 'page errors, console errors or warnings, failed requests');
    },
    close: () => context.close(),
  };
}

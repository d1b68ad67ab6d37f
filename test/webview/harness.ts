// Opening the panel in a fresh browser context (fresh webview state) with a fake host, and the checks
// every test ends with: no page errors, no CSP violations, nothing the host's validator would refuse.
import * as assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import type { DataSource } from './data';
import { FakeHost } from './fakeHost';
import type { PanelServer } from './server';
import type { ThemeName } from './themes';

export const env: { browser?: Browser; server?: PanelServer; root: string; results: string } = { root: '', results: '' };

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
  const url = server.url({ ...(opts.theme ? { theme: opts.theme } : {}), ...(opts.csp === false ? { csp: false } : {}) });
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
      const violations = await page.evaluate(() => (window as unknown as { __cspViolations: unknown[] }).__cspViolations);
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

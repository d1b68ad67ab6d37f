// What the integration tests share: the extension under test and a wait for a condition.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Vlm4dApi } from '../../src/extension';
import { bridgeAvailable, ui } from './bridge';

export const EXTENSION_ID = 'vlm4d-tools.vlm4d-error-analysis';

// The webview pages, found by their <title> (set by src/host/webviewHtml.ts).
export const SIDE_PANEL = 'title:VLM4D failures';
export const DETAIL = 'title:VLM4D prediction';
export const DASHBOARD = 'title:VLM4D dashboard';

/** The extension's API, activating it when needed. */
export async function api(): Promise<Vlm4dApi> {
  const ext = vscode.extensions.getExtension<Vlm4dApi>(EXTENSION_ID);
  assert.ok(ext, `${EXTENSION_ID} is not installed`);
  return ext.isActive ? ext.exports : ext.activate();
}

/**
 * The motion demo's folder when the runner opened it and can drive the UI, else null: the explorer's tests
 * skip elsewhere (another workspace, or @vscode/test-electron without the bridge).
 */
export function demoWorkspace(): string | null {
  const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '';
  return bridgeAvailable() && fs.existsSync(path.join(root, 'clips')) ? root : null;
}

/** The extension's API once the results are indexed. */
export async function indexedApi(): Promise<Vlm4dApi> {
  const a = await api();
  await until('the demo to be indexed', () => a.index.state.kind === 'ready', 60_000);
  return a;
}

/** The first truthy value of `probe`, polled every 50 ms; a throw counts as not yet (its message is kept). */
export async function until<T>(
  what: string,
  probe: () => T | undefined | null | false | Promise<T | undefined | null | false>,
  timeoutMs = 15_000,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end)
      throw new Error(`timed out waiting for ${what}${last ? ` (last error: ${String(last)})` : ''}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Timings go to the output and to test-results/timings.json; nothing asserts on them. */
export function report(what: string, ms: number, note = ''): void {
  console.log(`    timing: ${what}: ${ms.toFixed(1)}${note ? ` (${note})` : ''}`);
  const dir = path.resolve(__dirname, '..', '..', '..', 'test-results');
  try {
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, 'timings.json');
    const all = fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, number>) : {};
    all[what] = Math.round(ms * 10) / 10;
    fs.writeFileSync(file, JSON.stringify(all, null, 2));
  } catch {
    // a read-only checkout: the console line is enough
  }
}

/** The side panel shown with its filters cleared, once it lists every failure; returns how many there are. */
export async function showAllFailures(a: Vlm4dApi): Promise<number> {
  await vscode.commands.executeCommand('vlm4d.showPanel');
  await ui.waitFor({ selector: '#clear-filters', webview: SIDE_PANEL }, 'visible', 20_000);
  await ui.click({ selector: '#clear-filters', webview: SIDE_PANEL });
  const total = (await a.index.call('query', { outcome: ['failed'], limit: 0 })).total;
  await until(
    'all failures',
    async () => (await ui.text({ selector: '#summary', webview: SIDE_PANEL })) === `${total} failed predictions`,
  );
  return total;
}

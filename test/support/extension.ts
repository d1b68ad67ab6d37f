// What the integration tests share: the extension under test and a wait for a condition.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { Vlm4dApi } from '../../src/extension';

export const EXTENSION_ID = 'vlm4d-tools.vlm4d-error-analysis';

/** The extension's API, activating it when needed. */
export async function api(): Promise<Vlm4dApi> {
  const ext = vscode.extensions.getExtension<Vlm4dApi>(EXTENSION_ID);
  assert.ok(ext, `${EXTENSION_ID} is not installed`);
  return ext.isActive ? ext.exports : ext.activate();
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

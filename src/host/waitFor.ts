// Waiting for a condition that an event announces, instead of checking it on a timer.
import type * as vscode from 'vscode';

/**
 * Resolves true as soon as `holds()` is true: at once, or at one of `changes`' events. Resolves false after
 * `timeoutMs`, or when `cancel` fires first (the thing waiting went away).
 */
export function waitFor(
  changes: vscode.Event<unknown>,
  holds: () => boolean,
  timeoutMs: number,
  cancel?: vscode.Event<unknown>,
): Promise<boolean> {
  if (holds()) return Promise.resolve(true);
  return new Promise((resolve) => {
    const subscriptions: vscode.Disposable[] = [];
    let settled = false;
    const finish = (ok: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      for (const s of subscriptions) s.dispose();
      resolve(ok);
    };
    const timer = setTimeout(() => finish(false), timeoutMs);
    subscriptions.push(
      changes(() => {
        if (holds()) finish(true);
      }),
    );
    if (cancel) subscriptions.push(cancel(() => finish(false)));
  });
}

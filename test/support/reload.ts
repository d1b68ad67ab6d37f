// Reloading the window in the middle of the integration suite: a test writes which tests run next, then
// reloads; the new extension host runs the suite again with only those (test/integration/index.ts). Under
// code-server the page reload starts a new extension host with the same test payload.
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';

function markerPath(): string | null {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  return folder ? path.join(folder, '.vlm4d-test-resume') : null;
}

/** What the suite had done before a reload: carried over so that no result is lost with the old host. */
export interface Carried {
  grep: string;
  passed: number;
  failed: number;
  skipped: number;
}

/** The suite's counts so far (kept up to date by test/integration/index.ts). */
export const progress = { passed: 0, failed: 0, skipped: 0 };

/** Reloads the window; the suite then runs the tests whose titles match `grep`. Never returns. */
export async function reloadWindowAndContinue(grep: string): Promise<never> {
  const marker = markerPath();
  if (!marker) throw new Error('reloading needs a workspace folder');
  // This test itself counts as passed once the reload happens.
  const carried: Carried = { grep, passed: progress.passed + 1, failed: progress.failed, skipped: progress.skipped };
  fs.writeFileSync(marker, JSON.stringify(carried));
  await vscode.commands.executeCommand('workbench.action.reloadWindow');
  return new Promise<never>(() => undefined);
}

let resumed = false;

/** What a reload left behind (and removes it), or null when the suite starts afresh. */
export function takeResume(): Carried | null {
  const marker = markerPath();
  if (!marker || !fs.existsSync(marker)) return null;
  const carried = JSON.parse(fs.readFileSync(marker, 'utf8')) as Carried;
  fs.rmSync(marker, { force: true });
  resumed = true;
  return carried;
}

/** Whether this run continues a suite after a reload (tests that check what survived it run only then). */
export function afterReload(): boolean {
  return resumed;
}

// The extension in its real extension host: activation, background indexing, status bar, output channel,
// re-indexing on disk changes. Runs under code-server here and under @vscode/test-electron on a desktop.
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { bridgeAvailable, ui } from '../support/bridge';
import { EXTENSION_ID, api, until } from '../support/extension';

function workspaceDir(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the integration tests need a workspace folder of results');
  return folder.uri.fsPath;
}

/** Judged result files under the workspace, counted here from disk: the independent expectation. */
function countOnDisk(dir: string): { predictions: number; failures: number } {
  let predictions = 0;
  let failures = 0;
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/_mc_(cot|direct-output)$/.test(path.basename(d)) && e.name.endsWith('.json')) {
        try {
          const records = JSON.parse(fs.readFileSync(p, 'utf8')) as { correct?: boolean }[];
          if (!Array.isArray(records)) continue;
          predictions += records.length;
          failures += records.filter((r) => r.correct === false).length;
        } catch {
          // a deliberately broken file: the extension must skip it too
        }
      }
    }
  };
  walk(dir);
  return { predictions, failures };
}

const fmt = (n: number) => n.toLocaleString('en-US');

describe('the extension in VS Code', () => {
  it('activates on a folder of results and registers every contributed command', async () => {
    const a = await api();
    // Activation only registers things; indexing starts after it returns.
    console.log(`      activation took ${a.activationMs.toFixed(1)} ms`);
    assert.ok(a.activationMs < 1000, `activation took ${a.activationMs} ms`);
    const contributed = (
      vscode.extensions.getExtension(EXTENSION_ID)?.packageJSON as { contributes: { commands: { command: string }[] } }
    ).contributes.commands.map((c) => c.command);
    const registered = new Set(await vscode.commands.getCommands(true));
    for (const c of contributed) assert.ok(registered.has(c), `${c} is contributed but not registered`);
  });

  it('indexes in the background and shows the counts in the status bar', async () => {
    const a = await api();
    const want = countOnDisk(workspaceDir());
    assert.ok(want.predictions > 0, 'the fixture workspace holds no predictions');
    await until('the index', () => a.index.state.kind === 'ready');
    await a.index.whenIdle();
    assert.equal(a.statusBar.text, `$(eye) ${fmt(want.predictions)} predictions · ${fmt(want.failures)} failed`);
  });

  it('re-indexes a result file edited on disk, alone, without a reload', async () => {
    const a = await api();
    const dir = workspaceDir();
    const file = path.join(dir, 'processed_outputs', 'real_mc_cot', 'alpha-vl_8frame.json');
    const original = fs.readFileSync(file, 'utf8');
    try {
      const records = JSON.parse(original) as { correct: boolean }[];
      fs.writeFileSync(file, JSON.stringify(records.map((r) => ({ ...r, correct: false }))));
      const want = countOnDisk(dir);
      const text = `$(eye) ${fmt(want.predictions)} predictions · ${fmt(want.failures)} failed`;
      await until(`status bar "${text}"`, () => a.statusBar.text === text);
      assert.ok(
        a.log.lines().some((l) => /read 1 file\(s\), removed 0/.test(l)),
        'the edit was not re-indexed alone',
      );
    } finally {
      fs.writeFileSync(file, original);
      await until(
        'the restored file to be re-indexed',
        () =>
          a.statusBar.text ===
          `$(eye) ${fmt(countOnDisk(dir).predictions)} predictions · ${fmt(countOnDisk(dir).failures)} failed`,
      );
    }
  });

  it('reports a broken file in the output channel while the rest stays indexed', async () => {
    const a = await api();
    const dir = workspaceDir();
    const broken = path.join(dir, 'processed_outputs', 'synthetic_mc_cot', 'broken-model_8frame.json');
    const before = countOnDisk(dir);
    fs.writeFileSync(broken, '[{"id": "validation_1", "question": "Which way?", "choices": {');
    try {
      await until('the output line', () =>
        a.log.lines().some((l) => l.startsWith(`Skipped ${broken}: truncated JSON`)),
      );
      await a.index.whenIdle();
      assert.equal(a.statusBar.text, `$(eye) ${fmt(before.predictions)} predictions · ${fmt(before.failures)} failed`);
    } finally {
      fs.rmSync(broken, { force: true });
    }
  });

  it('indexes extra result folders from the settings together with the workspace, and drops them again', async () => {
    const a = await api();
    const dir = workspaceDir();
    const extra = fs.mkdtempSync(path.join(os.tmpdir(), 'vlm4d-extra-'));
    // A second results folder: the fixture's judged files under another name.
    fs.cpSync(path.join(dir, 'processed_outputs'), path.join(extra, 'processed_outputs'), { recursive: true });
    const both = {
      predictions: countOnDisk(dir).predictions + countOnDisk(extra).predictions,
      failures: countOnDisk(dir).failures + countOnDisk(extra).failures,
    };
    const config = vscode.workspace.getConfiguration('vlm4d');
    try {
      await config.update('resultFolders', [extra], vscode.ConfigurationTarget.Global);
      await until(
        'both folders indexed',
        () => a.statusBar.text === `$(eye) ${fmt(both.predictions)} predictions · ${fmt(both.failures)} failed`,
      );
      assert.deepEqual([...a.index.getRoots()].sort(), [dir, extra].sort());
    } finally {
      await config.update('resultFolders', undefined, vscode.ConfigurationTarget.Global);
      fs.rmSync(extra, { recursive: true, force: true });
    }
    const one = countOnDisk(dir);
    await until(
      'the extra folder dropped',
      () => a.statusBar.text === `$(eye) ${fmt(one.predictions)} predictions · ${fmt(one.failures)} failed`,
    );
  });

  it('opens the Failures view when the status bar item is clicked in the workbench', async function () {
    if (!bridgeAvailable()) this.skip();
    const a = await api();
    await until('the index', () => a.index.state.kind === 'ready');
    const sideBarTitle = '.part.sidebar .composite.title:has-text("VLM4D")';
    await vscode.commands.executeCommand('workbench.action.closeSidebar');
    await ui.waitFor(sideBarTitle, 'hidden');
    await ui.click('[id="vlm4d-tools.vlm4d-error-analysis.vlm4d.status"]');
    await ui.waitFor(sideBarTitle, 'visible');
    // The Failures view lists the failed predictions the status bar counts.
    const failed = countOnDisk(workspaceDir()).failures;
    await until(
      'the Failures view',
      async () =>
        (await ui.text({ selector: '#summary', webview: 'title:VLM4D failures' }).catch(() => '')) ===
        `${fmt(failed)} failed predictions`,
    );
    await ui.screenshot('status-bar-and-failures-view');
  });
});

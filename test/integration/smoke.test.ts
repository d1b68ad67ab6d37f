// Smoke tests of the harness itself: the extension is loaded from the checkout and activates in a real
// extension host, and (under the code-server runner only) the UI bridge reaches the workbench, the status bar
// and the inside of a webview.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { bridgeAvailable, ui } from '../support/bridge';

const EXTENSION_ID = 'vlm4d-tools.vlm4d-error-analysis';

async function until(what: string, probe: () => boolean, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('smoke', () => {
  it('the extension is installed (from the checkout, or from the .vsix with --vsix) and activates', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is not loaded (extensionDevelopmentPath?)`);
    // Under --vsix the extension must come from the installed package, not from the checkout.
    const fromCheckout = fs.existsSync(path.join(ext.extensionPath, 'src', 'extension.ts'));
    assert.equal(fromCheckout, process.env.VLM4D_TEST_PACKAGED !== '1', `extension loaded from ${ext.extensionPath}`);
    await ext.activate();
    assert.equal(ext.isActive, true);
    assert.ok(vscode.workspace.workspaceFolders?.length, 'no workspace folder is open');
  });

  it('the workbench shows in the browser, driven through the UI bridge', async function () {
    if (!bridgeAvailable()) this.skip();
    await ui.waitFor('.monaco-workbench .part.activitybar', 'visible', 30_000);
    // The window title carries the workspace folder's name.
    const folder = vscode.workspace.workspaceFolders?.[0]?.name;
    assert.ok(folder);
    const title = await ui.title();
    assert.ok(title.includes(folder), `window title "${title}" does not name the folder ${folder}`);
    assert.ok(await ui.exists('.part.activitybar [aria-label^="Explorer"]'), 'no Explorer in the activity bar');
    assert.equal(await ui.evaluate('() => document.querySelectorAll(".monaco-workbench").length'), 1);
  });

  it('the bridge clicks a status bar item by its text', async function () {
    if (!bridgeAvailable()) this.skip();
    let clicks = 0;
    const command = vscode.commands.registerCommand('vlm4d.smoke.statusBarClicked', () => clicks++);
    const item = vscode.window.createStatusBarItem('vlm4d.smoke', vscode.StatusBarAlignment.Left, 10_000);
    try {
      item.text = 'VLM4D smoke item';
      item.command = 'vlm4d.smoke.statusBarClicked';
      item.show();
      await ui.clickStatusBarItem('VLM4D smoke item');
      await until('the status bar command', () => clicks === 1);
    } finally {
      item.dispose();
      command.dispose();
    }
  });

  it('the bridge reads, clicks and evaluates inside a webview', async function () {
    if (!bridgeAvailable()) this.skip();
    const panel = vscode.window.createWebviewPanel('vlm4d.smoke', 'VLM4D smoke', vscode.ViewColumn.One, {
      enableScripts: true,
    });
    try {
      const nonce = Math.random().toString(36).slice(2);
      panel.webview.html = `<!DOCTYPE html><html><head>
        <meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'nonce-${nonce}';">
        </head><body><h1 id="hello">Hello from a webview</h1><button id="ping">ping</button>
        <script nonce="${nonce}">
          const api = acquireVsCodeApi();
          document.getElementById('ping').addEventListener('click', () => api.postMessage({ type: 'pong' }));
        </script></body></html>`;
      const messages: unknown[] = [];
      panel.webview.onDidReceiveMessage((m) => messages.push(m));
      assert.equal(await ui.webviewText('#hello'), 'Hello from a webview');
      assert.equal(await ui.webviewEvaluate('#hello', 'el => el.tagName'), 'H1');
      assert.equal(
        await ui.evaluate('() => document.getElementById("hello").textContent', { webview: 0 }),
        'Hello from a webview',
      );
      await ui.webviewClick('#ping');
      await until('the webview message', () => messages.length > 0);
      assert.deepEqual(messages[0], { type: 'pong' });
      await ui.press('Escape');
    } finally {
      panel.dispose();
    }
  });
});

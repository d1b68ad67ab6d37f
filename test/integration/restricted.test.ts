// Restricted Mode: a workspace the user has not trusted. The extension still loads and indexes its results
// (reading them runs nothing), and the workspace's own values of the settings that name places on disk or allow
// the network are ignored. Runs when the runner opens test/fixtures/restricted untrusted (npm run test:restricted).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { api } from '../support/extension';

describe('restricted mode', () => {
  it('indexes the results and ignores the workspace settings that point elsewhere', async function () {
    if (vscode.workspace.isTrusted) this.skip();
    const a = await api();
    const end = Date.now() + 20_000;
    while (!/predictions/.test(a.statusBar.text) && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
    assert.match(a.statusBar.text, /^\$\(eye\) \d+ predictions/, 'the results were indexed');
    const settings = vscode.workspace.getConfiguration('vlm4d');
    assert.deepEqual(settings.get('tags'), ['restricted-mode-fixture'], 'the workspace settings file is read');
    // The fixture's .vscode/settings.json sets each of these; VS Code must not hand them to the extension.
    for (const [name, fallback] of [
      ['resultFolders', []],
      ['clipRoots', []],
      ['annotationsFile', '.vlm4d/annotations.json'],
      ['allowRemoteClips', false],
    ] as const) {
      assert.deepEqual(settings.get(name), fallback, `${name} comes from the user's settings only`);
    }
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    assert.deepEqual([...a.index.getRoots()], [folder], 'only the workspace folder is indexed');
    assert.ok(
      a.log.lines().some((l) => /Restricted Mode: .*vlm4d\.clipRoots/.test(l)),
      'the output says what is restricted',
    );
  });
});

// Where the annotations file goes when a workspace setting says otherwise: in the real extension host, with
// real workspace and user settings.
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { api, until } from '../support/extension';

describe('the annotations file setting', () => {
  it('refuses a workspace-level vlm4d.annotationsFile outside the workspace (saying so), saves to the default; a user-level one may point anywhere', async () => {
    const a = await api();
    await until('the results indexed', () => a.index.state.kind === 'ready', 60_000);
    await a.index.whenIdle();
    const dir = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath as string;
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'vlm4d-outside-'));
    const planted = path.join(outside, 'planted', 'annotations.json');
    const mine = path.join(outside, 'mine', 'annotations.json');
    const config = vscode.workspace.getConfiguration('vlm4d');
    const row = (await a.index.call('query', { outcome: ['failed'], limit: 1 })).rows[0];
    assert.ok(row);
    const p = await a.index.call('prediction', { id: row.id });
    assert.ok(p);
    try {
      await config.update('annotationsFile', planted, vscode.ConfigurationTarget.Workspace);
      const message = await until('the refusal in the output channel', () =>
        a.log
          .lines()
          .find(
            (l) =>
              l.includes(`vlm4d.annotationsFile is set in the workspace settings to "${planted}"`) &&
              l.includes(`outside ${dir}`),
          ),
      );
      assert.match(message, /Using .*\.vlm4d\/annotations\.json instead/);
      const store = await until('the store of the folder', () => a.annotations.files().find((f) => f.root === dir));
      assert.equal(store.file, path.join(dir, '.vlm4d', 'annotations.json'));
      const target = a.annotations.targetOf(p);
      assert.ok(target);
      assert.ok(await a.annotations.toggleTag([target], 'judge-error'));
      assert.ok(fs.readFileSync(store.file, 'utf8').includes(p.key));
      assert.ok(!fs.existsSync(path.join(outside, 'planted')), 'nothing was created outside the workspace');
      assert.ok(await a.annotations.toggleTag([target], 'judge-error'), 'tag taken off again');

      await config.update('annotationsFile', undefined, vscode.ConfigurationTarget.Workspace);
      await config.update('annotationsFile', mine, vscode.ConfigurationTarget.Global);
      await until('the user-level file in use', () => a.annotations.files().find((f) => f.root === dir)?.file === mine);
    } finally {
      await config.update('annotationsFile', undefined, vscode.ConfigurationTarget.Workspace);
      await config.update('annotationsFile', undefined, vscode.ConfigurationTarget.Global);
      fs.rmSync(outside, { recursive: true, force: true });
    }
  });
});

// Several workspace folders: each one that holds results is indexed, and the counts cover them all.
// Runs when the runner opens test/fixtures/multi-root/multi.code-workspace (npm run test:multi-root).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { api } from '../support/extension';

function judgedRecords(dir: string): { correct: boolean }[] {
  const out: { correct: boolean }[] = [];
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/_mc_(cot|direct-output)$/.test(path.basename(d)))
        out.push(...(JSON.parse(fs.readFileSync(p, 'utf8')) as { correct: boolean }[]));
    }
  };
  walk(dir);
  return out;
}

describe('multi-root workspace', () => {
  it('indexes every workspace folder that holds results, together', async function () {
    const folders = vscode.workspace.workspaceFolders ?? [];
    if (folders.length < 2) this.skip();
    const a = await api();
    const records = folders.flatMap((f) => judgedRecords(f.uri.fsPath));
    const failed = records.filter((r) => !r.correct).length;
    const want = `$(eye) ${records.length.toLocaleString('en-US')} predictions · ${failed.toLocaleString('en-US')} failed`;
    const end = Date.now() + 20_000;
    while (a.statusBar.text !== want && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
    assert.equal(a.statusBar.text, want);
    assert.deepEqual([...a.index.getRoots()].sort(), folders.map((f) => f.uri.fsPath).sort());
    // Both folders' models are in the index.
    const models = Object.keys((await a.index.call('query', { limit: 0 })).facets.model).sort();
    assert.deepEqual(models, ['alpha-vl', 'beta-vl', 'delta', 'gamma']);
  });
});

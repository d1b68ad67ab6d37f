import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import * as esbuild from 'esbuild';
import { ESLint } from 'eslint';

const ROOT = path.resolve(__dirname, '..', '..');

/** The src/ files the webview bundles take in, as esbuild resolves them (what esbuild.js bundles). */
async function bundledSources(): Promise<string[]> {
  const entryPoints: string[] = [];
  for (const view of fs.readdirSync(path.join(ROOT, 'webview'))) {
    const dir = path.join(ROOT, 'webview', view);
    if (!fs.statSync(dir).isDirectory()) continue;
    for (const f of fs.readdirSync(dir))
      if (f === 'main.ts' || f.endsWith('.lazy.ts')) entryPoints.push(path.join(dir, f));
  }
  const result = await esbuild.build({
    absWorkingDir: ROOT,
    entryPoints,
    bundle: true,
    write: false,
    outdir: 'out',
    platform: 'browser',
    format: 'iife',
    metafile: true,
    loader: { '.css': 'text' },
    logLevel: 'silent',
  });
  return Object.keys(result.metafile.inputs).filter((f) => f.startsWith('src/'));
}

describe('browser modules: what the webviews bundle from src/', function () {
  this.timeout(60_000);

  it('is held by the lint rule that refuses Node built-ins (and vscode) there', async () => {
    const files = await bundledSources();
    // The webviews do take core modules in: an empty list would mean the search above found nothing.
    assert.ok(files.includes('src/core/model.ts'), files.join(', '));
    const eslint = new ESLint({ cwd: ROOT });
    for (const file of files) {
      for (const [line, name] of [
        ["import * as fs from 'fs';\nexport const f = fs;\n", 'fs'],
        ["import { Worker } from 'node:worker_threads';\nexport const w = Worker;\n", 'node:worker_threads'],
        ["import * as vscode from 'vscode';\nexport const v = vscode;\n", 'vscode'],
      ] as const) {
        const [result] = await eslint.lintText(line, { filePath: path.join(ROOT, file) });
        const refused = result?.messages.filter((m) => m.ruleId === '@typescript-eslint/no-restricted-imports') ?? [];
        assert.equal(refused.length, 1, `${file} may import ${name}`);
      }
    }
  });
});

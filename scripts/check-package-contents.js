// Fails when the .vsix would carry more than what runs: sources, tests, samples, source maps, node_modules.
// (`vsce ls` lists exactly what `vsce package` puts in, after .vscodeignore.)
'use strict';
const { execFileSync } = require('child_process');
const path = require('path');

const vsce = path.join(__dirname, '..', 'node_modules', '.bin', 'vsce');
const files = execFileSync(vsce, ['ls', '--no-dependencies'], { encoding: 'utf8' }).split('\n').filter(Boolean);
// Anchored at the package root: dist/webview/ holds the webview bundles, which do run.
const forbidden = /^(src|test|samples|bench|scripts|docs|webview|node_modules)\/|\/node_modules\/|\.map$|\.ts$|^\.|\/\./;
const bad = files.filter((f) => forbidden.test(f));
const required = ['package.json', 'dist/extension.js', 'dist/indexWorker.js', 'dist/parserWorker.js', 'dist/sql-wasm.wasm', 'media/vlm4d.svg', 'dist/webview/failures.js', 'dist/webview/detail.js', 'dist/webview/detail-markdown.js', 'dist/webview/dashboard.js', 'dist/codicons/codicon.css', 'dist/codicons/codicon.ttf'];
const missing = required.filter((f) => !files.includes(f));
if (bad.length || missing.length) {
  if (bad.length) console.error(`the package would carry files that do not run:\n  ${bad.join('\n  ')}`);
  if (missing.length) console.error(`the package would lack:\n  ${missing.join('\n  ')}`);
  process.exit(1);
}
console.log(`package contents: ${files.length} files, all needed at run time`);

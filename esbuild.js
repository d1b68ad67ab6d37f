// One build script for every bundle: the Node bundles (extension host, CLI, index worker, benchmark,
// integration tests) with `vscode` external, and one browser bundle per webview.
const esbuild = require('esbuild');
const fs = require('fs');
const path = require('path');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const nodeEntries = {
  extension: 'src/extension.ts',
  cli: 'src/cli.ts',
  indexWorker: 'src/core/index/indexWorker.ts',
  parserWorker: 'src/core/index/parserWorker.ts',
  bench: 'bench/bench.ts',
};
// Integration tests run inside the real extension host, so they are bundled like the extension.
const integrationEntries = {
  'test/integration/index': 'test/integration/index.ts',
  'test/runners/codeServer': 'test/runners/codeServer.ts',
  'test/runners/electron': 'test/runners/electron.ts',
  'test/webview/run': 'test/webview/run.ts',
};
// One browser bundle per webview (added as the views are built): webview/<name>/main.ts -> dist/webview/<name>.js;
// and a view's parts loaded later by the view itself: webview/<name>/<part>.lazy.ts -> dist/webview/<name>-<part>.js
const webviewEntries = {};
for (const name of fs.existsSync('webview') ? fs.readdirSync('webview') : []) {
  const main = path.join('webview', name, 'main.ts');
  if (!fs.existsSync(main)) continue;
  webviewEntries[`webview/${name}`] = main;
  for (const f of fs.readdirSync(path.join('webview', name))) {
    const part = /^(.+)\.lazy\.ts$/.exec(f)?.[1];
    if (part) webviewEntries[`webview/${name}-${part}`] = path.join('webview', name, f);
  }
}

function existing(entries) {
  return Object.fromEntries(Object.entries(entries).filter(([, file]) => fs.existsSync(file)));
}

function copyAssets() {
  fs.mkdirSync('dist', { recursive: true });
  fs.copyFileSync(require.resolve('sql.js/dist/sql-wasm.wasm'), 'dist/sql-wasm.wasm');
  // <vscode-icon> finds the codicon stylesheet by its link id; the font must sit beside it.
  fs.mkdirSync('dist/codicons', { recursive: true });
  for (const f of ['codicon.css', 'codicon.ttf'])
    fs.copyFileSync(require.resolve(`@vscode/codicons/dist/${f}`), `dist/codicons/${f}`);
}

const problemMatcher = {
  name: 'report',
  setup(build) {
    build.onEnd((result) => {
      for (const { text, location } of result.errors) {
        console.error(`✘ [ERROR] ${text}`);
        if (location) console.error(`    ${location.file}:${location.line}:${location.column}:`);
      }
      if (watch) console.log(`[watch] build finished, ${result.errors.length} error(s)`);
    });
  },
};

async function main() {
  copyAssets();
  const common = {
    bundle: true,
    minify: production,
    sourcemap: production ? false : 'linked',
    sourcesContent: false,
    logLevel: 'warning',
    plugins: [problemMatcher],
  };
  const contexts = [
    await esbuild.context({
      ...common,
      entryPoints: existing({ ...nodeEntries, ...(production ? {} : integrationEntries) }),
      outdir: 'dist',
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      external: ['vscode', 'mocha', 'playwright-core', '@vscode/test-electron'],
    }),
    await esbuild.context({
      ...common,
      entryPoints: webviewEntries,
      outdir: 'dist',
      platform: 'browser',
      format: 'iife',
      target: 'es2022',
      loader: { '.css': 'text' },
    }),
  ];
  if (watch) {
    await Promise.all(contexts.map((c) => c.watch()));
  } else {
    await Promise.all(contexts.map((c) => c.rebuild()));
    await Promise.all(contexts.map((c) => c.dispose()));
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

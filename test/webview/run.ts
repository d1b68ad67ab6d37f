// Runs the webview tests: the protocol's validators in Node, then the failures panel's, the detail view's and the
// dashboard's bundles (dist/webview/{failures,detail,dashboard}.js) in headless Debian Chromium with a fake VS Code API and a fake host.
// Prints a closing line "webview: N passed, N failed, N skipped"; exit status 0 only when nothing failed.
//
// Build: npx esbuild test/webview/run.ts --bundle --platform=node --target=node20 --outfile=dist/test/webview/run.js \
//          --external:playwright-core --external:mocha
// Usage: node dist/test/webview/run.js [--grep <pattern>] [--headed] [--no-build]
// Env:   VLM4D_CHROMIUM (default /usr/bin/chromium)
// The panel bundle is rebuilt with `node esbuild.js` when it is missing or older than its sources.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';
import { chromium } from 'playwright-core';
import { env } from './harness';
import { startPanelServer } from './server';
import { registerPanelTests } from './failures.test';
import { registerProtocolTests } from './protocol.test';
import { registerDetailTests } from './detail.test';
import { registerClipNoticeTests } from './clipNotice.test';
import { registerDetailDecisionTests } from './detailDecision.test';
import { registerDashboardTests } from './dashboard.test';
import { registerReadableTests } from './readable.test';
import { registerDashboardFitTests } from './dashboardFit.test';
import { registerPanelWidthTests } from './panelWidth.test';
import { registerSearchTests } from './search.test';
import { registerCompareTests } from './compare.test';
import { registerSuggestionTests } from './suggestions.test';
import { registerReviewerTests } from './reviewers.test';
import { registerCotUnspecifiedTests } from './cotUnspecified.test';
import { registerDetailAheadTests } from './detailAhead.test';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const SummaryReporter = require('../support/summaryReporter.js') as typeof Mocha.reporters.Base;

function findRepoRoot(from: string): string {
  for (let d = from; ; d = path.dirname(d)) {
    const pkg = path.join(d, 'package.json');
    if (
      fs.existsSync(pkg) &&
      (JSON.parse(fs.readFileSync(pkg, 'utf8')) as { name?: string }).name === 'vlm4d-error-analysis'
    )
      return d;
    if (path.dirname(d) === d) throw new Error(`no vlm4d-error-analysis package.json above ${from}`);
  }
}

const argv = process.argv.slice(2);
const arg = (name: string): string | undefined => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
};

function newestMtime(dir: string): number {
  let newest = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestMtime(p) : fs.statSync(p).mtimeMs);
  }
  return newest;
}

function ensureBundle(root: string): void {
  const bundles = ['failures', 'detail', 'detail-markdown', 'dashboard'].map((n) =>
    path.join(root, 'dist', 'webview', `${n}.js`),
  );
  const sources = Math.max(
    newestMtime(path.join(root, 'webview')),
    newestMtime(path.join(root, 'src', 'protocol')),
    newestMtime(path.join(root, 'src', 'core', 'dashboard')),
  );
  const fresh = () => bundles.every((b) => fs.existsSync(b) && fs.statSync(b).mtimeMs >= sources);
  if (argv.includes('--no-build') && bundles.every((b) => fs.existsSync(b))) return;
  if (fresh()) return;
  console.log('[webview] building the webview bundles (node esbuild.js)');
  spawnSync(process.execPath, ['esbuild.js'], { cwd: root, stdio: 'inherit' });
  if (!fresh()) throw new Error('node esbuild.js did not build the webview bundles');
}

async function main(): Promise<number> {
  const root = findRepoRoot(__dirname);
  env.root = root;
  env.results = path.join(root, 'test-results');
  fs.mkdirSync(env.results, { recursive: true });
  ensureBundle(root);

  const executablePath = process.env.VLM4D_CHROMIUM || '/usr/bin/chromium';
  if (!fs.existsSync(executablePath))
    throw new Error(`no Chromium at ${executablePath} (apt-get install -y chromium, or set VLM4D_CHROMIUM)`);
  env.server = await startPanelServer(root);
  env.browser = await chromium.launch({
    executablePath,
    headless: !argv.includes('--headed'),
    timeout: 60_000,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
  try {
    const grep = arg('grep');
    const mocha = new Mocha({
      reporter: SummaryReporter,
      reporterOptions: { label: 'webview' },
      timeout: 30_000,
      ...(grep ? { grep } : {}),
    });
    // The BDD interface (describe/it/before...) on globalThis, as the mocha CLI would set it up.
    mocha.suite.emit(Mocha.Suite.constants.EVENT_FILE_PRE_REQUIRE, globalThis, 'webview', mocha);
    registerProtocolTests();
    registerPanelTests();
    registerDetailTests();
    registerClipNoticeTests();
    registerDetailDecisionTests();
    registerDashboardTests();
    registerReadableTests();
    registerDashboardFitTests();
    registerSearchTests();
    registerPanelWidthTests();
    registerCompareTests();
    registerSuggestionTests();
    registerReviewerTests();
    registerCotUnspecifiedTests();
    registerDetailAheadTests();
    const failures = await new Promise<number>((resolve) => mocha.run(resolve));
    // Let the reporter print its closing line (it waits a tick).
    await new Promise((r) => setTimeout(r, 50));
    return failures ? 1 : 0;
  } finally {
    await env.browser.close();
    await env.server.close();
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e instanceof Error ? (e.stack ?? e.message) : e);
    console.log('webview: 0 passed, 1 failed, 0 skipped');
    process.exit(1);
  },
);

// Runs the integration suite (dist/test/integration/index.js) inside a real VS Code: code-server (VS Code's web
// workbench + its Node extension host) on 127.0.0.1, opened in Debian's Chromium driven by Playwright. Mocha's
// output arrives through codeAutomationLog and is printed on stdout; the exit code through codeAutomationExit.
// It also serves the UI bridge (see test/support/bridge.ts) so tests in the extension host can drive the page.
// Recipe and pitfalls: docs/development.md and scripts/vscode-test/README.md. Install code-server first:
// scripts/vscode-test/setup-code-server.sh.
//
// Usage: node dist/test/runners/codeServer.js [--workspace <dir>] [--grep <pattern>] [--timeout <ms>] [--headed] [--verbose] [--keep] [--untrusted]
// Env:   VLM4D_TEST_WORKSPACE, VLM4D_TEST_GREP, VLM4D_TEST_TIMEOUT_MS (default 300000), VLM4D_TEST_HEADED=1,
//        VLM4D_TEST_VERBOSE=1 (all workbench logs), VLM4D_TEST_KEEP=1 (keep temp dirs), VLM4D_TEST_CACHE,
//        VLM4D_CHROMIUM (default /usr/bin/chromium). Arguments win over the environment.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { format } from 'node:util';
import { chromium, type Browser, type Frame, type FrameLocator, type Locator, type Page } from 'playwright-core';
import {
  BRIDGE_ENV,
  type BridgeAction,
  type BridgeActions,
  type BridgeRequest,
  type BridgeResponse,
  type Locate,
} from '../support/bridge';

// ---------------------------------------------------------------------------------------------- options

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

const ROOT = findRepoRoot(__dirname);
const argv = process.argv.slice(2);
function arg(name: string): string | undefined {
  const i = argv.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (i < 0) return undefined;
  const a = argv[i]!;
  return a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[i + 1];
}
const flag = (name: string, env: string): boolean => argv.includes(`--${name}`) || process.env[env] === '1';
const USAGE = `Usage: node dist/test/runners/codeServer.js [--workspace <dir>] [--grep <pattern>] [--timeout <ms>] [--headed] [--verbose] [--keep] [--untrusted]
  --workspace  folder to open (VLM4D_TEST_WORKSPACE; default test/fixtures/workspace)
  --grep       Mocha grep pattern, /re/flags allowed (VLM4D_TEST_GREP)
  --timeout    whole run, ms (VLM4D_TEST_TIMEOUT_MS; default 300000)
  --headed     show Chromium (VLM4D_TEST_HEADED=1; needs a display)
  --verbose    all workbench logs and bridge calls (VLM4D_TEST_VERBOSE=1)
  --keep       keep the temp folder with code-server's log and profile (VLM4D_TEST_KEEP=1)
  --untrusted  workspace trust on, the workspace not trusted: Restricted Mode (VLM4D_TEST_UNTRUSTED=1)
Env: VLM4D_TEST_CACHE (code-server install, default ~/.cache/vlm4d-test-vscode), VLM4D_CHROMIUM (default /usr/bin/chromium)`;
if (argv.includes('--help') || argv.includes('-h')) {
  console.log(USAGE);
  process.exit(0);
}

const opts = {
  workspace: path.resolve(
    arg('workspace') ?? process.env.VLM4D_TEST_WORKSPACE ?? path.join(ROOT, 'test', 'fixtures', 'workspace'),
  ),
  grep: arg('grep') ?? process.env.VLM4D_TEST_GREP ?? '',
  timeoutMs: Number(arg('timeout') ?? process.env.VLM4D_TEST_TIMEOUT_MS ?? 300_000),
  headed: flag('headed', 'VLM4D_TEST_HEADED'),
  verbose: flag('verbose', 'VLM4D_TEST_VERBOSE'),
  keep: flag('keep', 'VLM4D_TEST_KEEP'),
  /** With --untrusted: workspace trust on and the workspace not trusted (Restricted Mode). */
  untrusted: flag('untrusted', 'VLM4D_TEST_UNTRUSTED'),
  cache: process.env.VLM4D_TEST_CACHE || path.join(os.homedir(), '.cache', 'vlm4d-test-vscode'),
  chromium: process.env.VLM4D_CHROMIUM || '/usr/bin/chromium',
  /** With --vsix: test that package, installed into code-server, instead of the extension in the checkout. */
  vsix: arg('vsix') ? path.resolve(arg('vsix') as string) : undefined,
  extensionDevelopmentPath: ROOT,
  extensionTestsPath: path.join(ROOT, 'dist', 'test', 'integration', 'index.js'),
  results: path.join(ROOT, 'test-results'),
};

if (!(opts.timeoutMs > 0)) {
  console.error(`[runner] bad timeout: ${arg('timeout') ?? process.env.VLM4D_TEST_TIMEOUT_MS} (ms expected)`);
  process.exit(2);
}

const t0 = Date.now();
const secs = (since = t0) => `${((Date.now() - since) / 1000).toFixed(1)} s`;
const say = (msg: string) => console.log(`[runner ${secs()}] ${msg}`);

// --------------------------------------------------------------------------------------------- helpers

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

function httpOk(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get(url, { timeout: 2000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T | undefined> {
  return Promise.race([p, sleep(ms).then(() => undefined)]);
}

function readManifest(): { nodeBin: string; codeServerEntry: string; codeServer: string } {
  const file = path.join(opts.cache, 'installed.json');
  if (!fs.existsSync(file)) {
    throw new Error(`code-server is not installed in ${opts.cache}: run bash scripts/vscode-test/setup-code-server.sh`);
  }
  const m = JSON.parse(fs.readFileSync(file, 'utf8')) as {
    nodeBin: string;
    codeServerEntry: string;
    codeServer: string;
  };
  for (const f of [m.nodeBin, m.codeServerEntry])
    if (!fs.existsSync(f)) throw new Error(`${f} is missing: run bash scripts/vscode-test/setup-code-server.sh`);
  return m;
}

// ----------------------------------------------------------------------------------------- the bridge

/** The page the bridge acts on; set once the workbench is open. Requests wait for it. */
let pageReady: (p: Page) => void;
const pagePromise = new Promise<Page>((r) => (pageReady = r));

/** A webview found by the <title> of its content (`title:VLM4D failures`): frames of the page, searched now. */
async function frameByTitle(page: Page, title: string, timeoutMs: number): Promise<Frame> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    for (const f of page.frames()) {
      if (f.isDetached()) continue;
      const t = await f.title().catch(() => '');
      if (t === title) return f;
    }
    if (Date.now() > end) throw new Error(`no webview titled "${title}"`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function root(page: Page, a: Partial<Locate>): Promise<Page | FrameLocator | Frame> {
  if (a.webview === undefined) return page;
  if (typeof a.webview === 'string' && a.webview.startsWith('title:'))
    return frameByTitle(page, a.webview.slice('title:'.length), a.timeoutMs ?? 10_000);
  // Webviews are nested iframes: the outer one (class webview, "ready" once loaded) holds #active-frame.
  const outer =
    typeof a.webview === 'string'
      ? page.locator(a.webview).first()
      : page.locator('iframe.webview.ready').nth(a.webview);
  return outer.contentFrame().frameLocator('#active-frame');
}

async function locator(page: Page, a: Partial<Locate>): Promise<Locator> {
  const r = await root(page, a);
  let l: Locator;
  if (a.selector) l = r.locator(a.selector);
  else if (a.text !== undefined) l = r.getByText(a.text, { exact: a.exact ?? false });
  else throw new Error('give a selector or a text');
  return a.nth === undefined ? l.first() : l.nth(a.nth);
}

const safeName = (name: string) => name.replace(/[^\w.-]+/g, '_').slice(0, 100) || 'screenshot';

async function screenshot(page: Page, name: string, fullPage = false): Promise<string> {
  fs.mkdirSync(opts.results, { recursive: true });
  const file = path.join(opts.results, `${safeName(name)}.png`);
  await page.screenshot({ path: file, fullPage, timeout: 10_000 });
  return file;
}

const actions: {
  [A in BridgeAction]: (page: Page, a: BridgeActions[A]['args']) => Promise<BridgeActions[A]['result']>;
} = {
  click: async (page, a) => {
    await (
      await locator(page, a)
    ).click({ timeout: a.timeoutMs ?? 10_000, button: a.button ?? 'left', clickCount: a.clickCount ?? 1 });
    return null;
  },
  hover: async (page, a) => {
    await (await locator(page, a)).hover({ timeout: a.timeoutMs ?? 10_000 });
    return null;
  },
  fill: async (page, a) => {
    await (await locator(page, a)).fill(a.value, { timeout: a.timeoutMs ?? 10_000 });
    return null;
  },
  text: async (page, a) => (await locator(page, a)).innerText({ timeout: a.timeoutMs ?? 10_000 }),
  count: async (page, a) => {
    const r = await root(page, a);
    const l = a.selector ? r.locator(a.selector) : r.getByText(a.text ?? '', { exact: a.exact ?? false });
    return l.count();
  },
  waitFor: async (page, a) => {
    await (await locator(page, a)).waitFor({ state: a.state ?? 'visible', timeout: a.timeoutMs ?? 10_000 });
    return null;
  },
  evaluate: async (page, a) => {
    // Playwright does not call a function given as a string; a Function built here is sent as the function's
    // source and called in the page (CDP evaluation: allowed under the webviews' CSP too).
    const body = `const v = (${a.expression}); return typeof v === 'function' ? v(...args) : v;`;
    if (a.selector || a.text !== undefined) {
      const fn = new Function('...args', body) as (el: unknown, arg: unknown) => unknown;
      return (await locator(page, a)).evaluate(fn, a.arg, { timeout: a.timeoutMs ?? 10_000 });
    }
    const fn = new Function('...args', body) as (arg: unknown) => unknown;
    if (a.webview !== undefined) {
      const inFrame = new Function('_el', 'arg', `return (${String(fn)})(arg);`) as (
        el: unknown,
        arg: unknown,
      ) => unknown;
      return (await root(page, a)).locator(':root').evaluate(inFrame, a.arg, { timeout: a.timeoutMs ?? 10_000 });
    }
    return page.evaluate(fn, a.arg);
  },
  press: async (page, a) => {
    await page.keyboard.press(a.key);
    return null;
  },
  type: async (page, a) => {
    await page.keyboard.type(a.text);
    return null;
  },
  screenshot: (page, a) => screenshot(page, `ui-${a.name}`, a.fullPage),
  title: (page) => page.title(),
};

const MAX_BODY = 1 << 20;

/** Starts the bridge on 127.0.0.1 (random port); only requests to /<token> are served, one at a time. */
async function startBridge(): Promise<{ url: string; server: http.Server }> {
  const token = randomBytes(16).toString('hex');
  let queue: Promise<unknown> = Promise.resolve();
  const server = http.createServer((req, res) => {
    const reply = (status: number, body: BridgeResponse) => {
      const text = JSON.stringify(body);
      res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
      res.end(text);
    };
    if (req.method !== 'POST' || req.url !== `/${token}`) {
      reply(404, { ok: false, error: 'not found' });
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) req.destroy();
      else chunks.push(c);
    });
    req.on('end', () => {
      let request: BridgeRequest;
      try {
        request = JSON.parse(Buffer.concat(chunks).toString('utf8')) as BridgeRequest;
      } catch {
        reply(400, { ok: false, error: 'the body is not JSON' });
        return;
      }
      const run = actions[request.action] as ((page: Page, a: unknown) => Promise<unknown>) | undefined;
      if (!run || !Object.hasOwn(actions, request.action)) {
        reply(400, {
          ok: false,
          error: `unknown action ${String(request.action)}; known: ${Object.keys(actions).join(', ')}`,
        });
        return;
      }
      const job = queue.then(async () => {
        const page = await pagePromise;
        if (opts.verbose) say(`bridge: ${request.action} ${JSON.stringify(request.args)}`);
        try {
          reply(200, { ok: true, result: (await run(page, request.args ?? {})) ?? null });
        } catch (e) {
          reply(200, { ok: false, error: e instanceof Error ? e.message.split('\n=====')[0]! : String(e) });
        }
      });
      queue = job.catch(() => undefined);
    });
  });
  server.requestTimeout = 120_000;
  server.maxConnections = 16;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as net.AddressInfo;
  return { url: `http://127.0.0.1:${port}/${token}`, server };
}

// ---------------------------------------------------------------------------------------------- run

// The workbench's own log lines arrive through codeAutomationLog too, mixed with Mocha's. Those known to be
// routine or harmless here (no internet) are hidden unless --verbose.
const NOISE = [
  /open-vsx\.org/i,
  /authentication provider 'github'/i,
  /marketplace/i,
  /update\.code\.visualstudio\.com/i,
  /vscode-unpkg|unpkg\.com/i,
  /ERR_NAME_NOT_RESOLVED|ENOTFOUND|EAI_AGAIN/,
  /^Resolv(ing|ed) connection token/,
  /^Creating a socket/,
  /^Updating additional builtin extensions cache/,
  /^No search provider registered for scheme/,
  /^\[(reconnection-grace-time|Service Worker|AgentHost[^\]]*|AccountPolicyGate)\]/,
];

interface Resources {
  tmp?: string;
  server?: ChildProcess;
  serverExited?: Promise<void>;
  browser?: Browser;
  bridge?: http.Server;
  page?: Page;
  watchdog?: ChildProcess;
}
const res: Resources = {};

// A separate tiny process that kills code-server's process group (and removes the temp dir) if this runner
// dies without cleaning up (SIGKILL, OOM). Chromium needs none: it exits when Playwright's pipe closes.
const WATCHDOG = `
const [runner, group, tmp] = process.argv.slice(1);
const alive = (pid) => { try { process.kill(pid, 0); return true; } catch (e) { return e.code === 'EPERM'; } };
setInterval(() => {
  if (alive(Number(runner))) return;
  try { process.kill(-Number(group), 'SIGKILL'); } catch {}
  if (tmp) { try { require('fs').rmSync(tmp, { recursive: true, force: true }); } catch {} }
  process.exit(0);
}, 1000);
`;

function startWatchdog(serverPid: number): void {
  res.watchdog = spawn(
    process.execPath,
    ['-e', WATCHDOG, String(process.pid), String(serverPid), opts.keep ? '' : (res.tmp ?? '')],
    {
      detached: true,
      stdio: 'ignore',
    },
  );
  res.watchdog.unref();
}
let cleaning: Promise<void> | undefined;

async function killServer(): Promise<void> {
  const cs = res.server;
  if (!cs || cs.pid === undefined) return;
  // code-server runs in its own process group (detached): the group holds its extension host, file watcher
  // and pty host too, which may outlive it. SIGTERM first, SIGKILL to what is left.
  const group = -cs.pid;
  try {
    process.kill(group, 'SIGTERM');
  } catch {
    return; // nothing left in the group
  }
  await withTimeout(res.serverExited!, 5000);
  await sleep(200);
  try {
    process.kill(group, 'SIGKILL');
  } catch {
    // already gone
  }
}

function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    res.bridge?.closeAllConnections();
    res.bridge?.close();
    if (res.browser)
      await withTimeout(
        res.browser.close().catch(() => undefined),
        10_000,
      );
    await killServer();
    res.watchdog?.kill('SIGKILL');
    if (res.tmp && !opts.keep) fs.rmSync(res.tmp, { recursive: true, force: true, maxRetries: 3 });
    else if (res.tmp) say(`kept ${res.tmp}`);
  })();
  return cleaning;
}

async function failureScreenshot(): Promise<void> {
  if (!res.page || res.page.isClosed()) return;
  try {
    const file = await screenshot(res.page, `failure-${new Date().toISOString().replace(/[:.]/g, '-')}`);
    say(`screenshot: ${path.relative(ROOT, file)}`);
  } catch (e) {
    say(`no screenshot: ${(e as Error).message.split('\n')[0]}`);
  }
}

function saveServerLog(): void {
  if (!res.tmp) return;
  const log = path.join(res.tmp, 'code-server.log');
  if (!fs.existsSync(log)) return;
  fs.mkdirSync(opts.results, { recursive: true });
  const dest = path.join(opts.results, 'code-server.log');
  fs.copyFileSync(log, dest);
  say(`code-server log: ${path.relative(ROOT, dest)}`);
}

async function run(): Promise<number> {
  const manifest = readManifest();
  for (const f of [opts.extensionTestsPath, path.join(ROOT, 'dist', 'extension.js')]) {
    if (!fs.existsSync(f)) throw new Error(`${path.relative(ROOT, f)} is missing: run node esbuild.js first`);
  }
  if (!fs.existsSync(opts.workspace)) throw new Error(`workspace folder ${opts.workspace} does not exist`);
  if (!fs.existsSync(opts.chromium))
    throw new Error(`no Chromium at ${opts.chromium} (apt-get install -y chromium, or set VLM4D_CHROMIUM)`);

  res.tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vlm4d-vscode-test-'));
  const userData = path.join(res.tmp, 'user-data');
  const extensions = path.join(res.tmp, 'extensions');
  const config = path.join(res.tmp, 'config.yaml');
  fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
  fs.mkdirSync(extensions);
  // An empty config file is rejected; without --config code-server writes one into the home folder.
  fs.writeFileSync(config, 'auth: none\ncert: false\n');
  // Tests edit, add and delete result files: they get a copy of the workspace, never the checkout's own.
  // A .code-workspace file (a multi-root workspace) is copied with the folder that holds it.
  const isWorkspaceFile = opts.workspace.endsWith('.code-workspace');
  const source = isWorkspaceFile ? path.dirname(opts.workspace) : opts.workspace;
  const copy = path.join(res.tmp, 'workspace', path.basename(source));
  fs.cpSync(source, copy, { recursive: true });
  opts.workspace = isWorkspaceFile ? path.join(copy, path.basename(opts.workspace)) : copy;
  fs.writeFileSync(
    path.join(userData, 'User', 'settings.json'),
    JSON.stringify(
      {
        'workbench.startupEditor': 'none',
        'workbench.tips.enabled': false,
        'workbench.enableExperiments': false,
        'telemetry.telemetryLevel': 'off',
        'update.mode': 'none',
        'extensions.autoCheckUpdates': false,
        'extensions.autoUpdate': false,
        'extensions.ignoreRecommendations': true,
        'security.workspace.trust.enabled': opts.untrusted,
        'security.workspace.trust.startupPrompt': 'never',
        'security.workspace.trust.emptyWindow': false,
        'chat.disableAIFeatures': true,
        'workbench.secondarySideBar.defaultVisibility': 'hidden',
        'window.title': '${rootName} - VLM4D test',
      },
      null,
      2,
    ),
  );

  const bridge = await startBridge();
  res.bridge = bridge.server;

  // ---- code-server
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const serverLog = fs.openSync(path.join(res.tmp, 'code-server.log'), 'a');
  // code-server (even for --version) and Chromium write under $HOME (~/.local/share/code-server,
  // ~/.config/chromium/Crash Reports): point their XDG folders into the temp dir. The extension host inherits them.
  const xdg = {
    XDG_DATA_HOME: path.join(res.tmp, 'xdg', 'data'),
    XDG_CONFIG_HOME: path.join(res.tmp, 'xdg', 'config'),
    XDG_CACHE_HOME: path.join(res.tmp, 'xdg', 'cache'),
  };
  for (const d of Object.values(xdg)) fs.mkdirSync(d, { recursive: true });
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...xdg,
    [BRIDGE_ENV]: bridge.url,
    VLM4D_TEST_GREP: opts.grep,
    VLM4D_TEST_RUNNER: 'code-server',
    VLM4D_TEST_PACKAGED: opts.vsix ? '1' : '',
  };
  // An outer `npm run` leaks npm_* variables; none of them concern code-server or the extension host.
  for (const k of Object.keys(env)) if (/^npm_/i.test(k)) delete env[k];
  const serverArgs = [
    manifest.codeServerEntry,
    '--config',
    config,
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--auth',
    'none',
    '--disable-telemetry',
    '--disable-update-check',
    ...(opts.untrusted ? [] : ['--disable-workspace-trust']),
    '--user-data-dir',
    userData,
    '--extensions-dir',
    extensions,
    '--vscode-option',
    'enable-smoke-test-driver',
  ];
  if (opts.vsix) {
    // The packaged extension is installed like a user would; the development host is an empty stub that only
    // lets the test suite run, so the suite exercises the installed package.
    if (!fs.existsSync(opts.vsix)) throw new Error(`${opts.vsix} is missing: run npm run package first`);
    const install = spawnSync(
      manifest.nodeBin,
      [
        manifest.codeServerEntry,
        '--config',
        config,
        '--user-data-dir',
        userData,
        '--extensions-dir',
        extensions,
        '--install-extension',
        opts.vsix,
      ],
      {
        env,
        encoding: 'utf8',
      },
    );
    if (install.status !== 0) throw new Error(`installing ${opts.vsix} failed: ${install.stderr || install.stdout}`);
    say(`installed ${path.relative(ROOT, opts.vsix)}`);
    opts.extensionDevelopmentPath = path.join(res.tmp, 'stub-extension');
    fs.mkdirSync(opts.extensionDevelopmentPath);
    fs.writeFileSync(
      path.join(opts.extensionDevelopmentPath, 'package.json'),
      JSON.stringify({
        name: 'vlm4d-test-host-stub',
        publisher: 'vlm4d-tools',
        version: '0.0.0',
        engines: { vscode: '*' },
      }),
    );
  }
  const tServer = Date.now();
  const cs = spawn(manifest.nodeBin, serverArgs, {
    cwd: res.tmp,
    env,
    detached: true,
    stdio: ['ignore', serverLog, serverLog],
  });
  fs.closeSync(serverLog);
  res.server = cs;
  res.serverExited = new Promise((r) => cs.once('exit', () => r()));
  if (cs.pid !== undefined) startWatchdog(cs.pid);
  let serverGone: string | undefined;
  cs.once('exit', (code, signal) => (serverGone = `code-server exited (${signal ?? code})`));

  for (;;) {
    if (serverGone)
      throw new Error(
        `${serverGone} before it was ready: see the log below\n${tail(path.join(res.tmp, 'code-server.log'))}`,
      );
    if (await httpOk(`${base}/healthz`)) break;
    if (Date.now() - tServer > 60_000) throw new Error('code-server was not ready in 60 s');
    await sleep(100);
  }
  const serverReady = secs(tServer);
  say(`code-server ${manifest.codeServer} ready on ${base} in ${serverReady}`);

  // ---- chromium
  const tBrowser = Date.now();
  const browser = await chromium.launch({
    executablePath: opts.chromium,
    headless: !opts.headed,
    timeout: 60_000,
    env: { ...process.env, ...xdg },
    // Signals are handled below (screenshot, then cleanup); Playwright still kills Chromium if this process exits.
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
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
  res.browser = browser;
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  res.page = page;

  let resolveExit: (code: number) => void;
  const exited = new Promise<number>((r) => (resolveExit = r));
  await page.exposeFunction('codeAutomationLog', (type: string, args: unknown[]) => {
    const text = format(...(Array.isArray(args) ? args : [args]));
    if (!opts.verbose && NOISE.some((re) => re.test(text))) return;
    if (type === 'error' || type === 'warn' || type === 'warning') console.error(text);
    else console.log(text);
  });
  await page.exposeFunction('codeAutomationExit', (code: number) => resolveExit(Number(code) || 0));
  page.on('pageerror', (e) => opts.verbose && say(`page error: ${e.message}`));
  page.on('crash', () => resolveExit(70));
  cs.once('exit', () => resolveExit(71));

  const remote = (p: string) => `vscode-remote://127.0.0.1:${port}${p}`;
  const payload = [
    ['extensionDevelopmentPath', remote(opts.extensionDevelopmentPath)],
    ['extensionTestsPath', remote(opts.extensionTestsPath)],
  ];
  const target = opts.workspace.endsWith('.code-workspace') ? 'workspace' : 'folder';
  const url = `${base}/?${target}=${encodeURIComponent(opts.workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  const shown = path.relative(ROOT, opts.workspace);
  say(
    `chromium launched in ${secs(tBrowser)}; opening ${shown.startsWith('..') ? opts.workspace : shown || '.'}${opts.grep ? ` (grep: ${opts.grep})` : ''}`,
  );
  const tWorkbench = Date.now();
  await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 60_000 });
  pageReady!(page);
  let tReady: number | undefined;
  const workbench = page
    .locator('.monaco-workbench')
    .waitFor({ state: 'visible', timeout: 60_000 })
    .then(
      () => {
        tReady = Date.now();
        say(`workbench ready in ${secs(tWorkbench)}`);
      },
      (e: Error) => say(`workbench not visible: ${e.message.split('\n')[0]}`),
    );

  const code = await exited;
  if (cleaning) return code; // timed out or interrupted: main() reports
  await withTimeout(workbench, 1000);
  if (code === 70) say('the page crashed');
  if (code === 71) say(`${serverGone ?? 'code-server exited'} during the run`);
  const workbenchReady = tReady === undefined ? 'never' : `${((tReady - tWorkbench) / 1000).toFixed(1)} s`;
  say(
    `suite finished with exit code ${code}; timings: code-server ready ${serverReady}, workbench ready ${workbenchReady}, suite ${secs(tReady ?? tWorkbench)}`,
  );
  return code;
}

function tail(file: string, lines = 40): string {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

async function main(): Promise<void> {
  let code: number;
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<number>((resolve) => {
    timer = setTimeout(() => {
      say(`TIMEOUT: the run took more than ${opts.timeoutMs / 1000} s (VLM4D_TEST_TIMEOUT_MS / --timeout)`);
      resolve(124);
    }, opts.timeoutMs);
  });
  const interrupted = new Promise<number>((resolve) => {
    for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
      process.once(sig, () => {
        say(`${sig}: stopping`);
        resolve(130);
      });
    }
  });
  try {
    code = await Promise.race([run(), timedOut, interrupted]);
  } catch (e) {
    console.error(`[runner] ${e instanceof Error ? e.message : String(e)}`);
    code = 1;
  }
  clearTimeout(timer);
  if (code !== 0) {
    // Screenshot first, while the page is still there; then cleanup() (which also marks the run as over).
    await failureScreenshot();
    saveServerLog();
  }
  await cleanup();
  say(`done: exit code ${code}`);
  process.exit(code);
}

// Last resort: never leave code-server behind, whatever happens to this process.
process.on('exit', () => {
  const pid = res.server?.pid;
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // the group is gone
  }
});

void main();

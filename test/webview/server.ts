// Serves the panel the way VS Code would load it into a webview: a page with a strict CSP whose scripts run
// only by nonce, VS Code's default webview styles and theme variables as stylesheets, the codicon font, and
// a fake acquireVsCodeApi (posted messages are recorded and handed to the test; state lives in
// sessionStorage, so it survives a reload of the page as VS Code's survives a reload of the view).
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import type { ThemeName } from './themes';
import { THEMES, VSCODE_DEFAULT_CSS, themeCss } from './themes';

/** The CSP the panel is tested under; the host's HTML should use the same (with webview.cspSource for ORIGIN). */
export const panelCsp = (origin: string, nonce: string): string =>
  `default-src 'none'; script-src 'nonce-${nonce}'; style-src ${origin}; font-src ${origin}`;

const FAKE_VSCODE_API = `
(() => {
  'use strict';
  const KEY = 'vscode-webview-state';
  window.__posted = [];
  window.__cspViolations = [];
  document.addEventListener('securitypolicyviolation', (e) => {
    window.__cspViolations.push({ directive: e.violatedDirective, blocked: e.blockedURI, sample: e.sample, source: e.sourceFile, line: e.lineNumber });
  });
  let acquired = false;
  window.acquireVsCodeApi = () => {
    if (acquired) throw new Error('An instance of the VS Code API has already been acquired');
    acquired = true;
    return Object.freeze({
      postMessage(message) {
        // VS Code serializes what a webview posts; a message that does not survive JSON is a bug.
        const copy = JSON.parse(JSON.stringify(message));
        window.__posted.push(copy);
        if (typeof window.__toHost === 'function') window.__toHost(copy);
      },
      getState() {
        const s = sessionStorage.getItem(KEY);
        return s === null ? undefined : JSON.parse(s);
      },
      setState(state) {
        sessionStorage.setItem(KEY, JSON.stringify(state));
        return state;
      },
    });
  };
})();
`;

export interface PanelServer {
  origin: string;
  /** The page's address; `csp: false` serves it without a CSP (to show that escaping, not the CSP, stops XSS). */
  url(opts?: { theme?: ThemeName; csp?: boolean; page?: 'panel' | 'detail' | 'dashboard' }): string;
  close(): Promise<void>;
}

export async function startPanelServer(root: string): Promise<PanelServer> {
  const files: Record<string, { file: string; type: string }> = {
    '/dist/webview/failures.js': { file: path.join(root, 'dist', 'webview', 'failures.js'), type: 'text/javascript' },
    '/dist/webview/detail.js': { file: path.join(root, 'dist', 'webview', 'detail.js'), type: 'text/javascript' },
    '/dist/webview/detail.js.map': {
      file: path.join(root, 'dist', 'webview', 'detail.js.map'),
      type: 'application/json',
    },
    '/dist/webview/failures.js.map': {
      file: path.join(root, 'dist', 'webview', 'failures.js.map'),
      type: 'application/json',
    },
    '/dist/webview/dashboard.js': { file: path.join(root, 'dist', 'webview', 'dashboard.js'), type: 'text/javascript' },
    '/dist/webview/dashboard.js.map': {
      file: path.join(root, 'dist', 'webview', 'dashboard.js.map'),
      type: 'application/json',
    },
    '/codicons/codicon.css': {
      file: require.resolve('@vscode/codicons/dist/codicon.css', { paths: [root] }),
      type: 'text/css',
    },
    '/codicons/codicon.ttf': {
      file: require.resolve('@vscode/codicons/dist/codicon.ttf', { paths: [root] }),
      type: 'font/ttf',
    },
  };
  let origin = '';
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', origin);
    const send = (status: number, type: string, body: string | Buffer, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store', ...headers });
      res.end(body);
    };
    const clip = /^\/clips\/([\w-]+\.mp4)$/.exec(url.pathname)?.[1];
    // A file named .mp4 that is no video (the player must say it cannot play it).
    if (url.pathname === '/clips/not-a-video.mp4')
      return send(200, 'video/mp4', Buffer.from('not an mp4 file\n'.repeat(64)));
    // Tiny clips in other codecs (test/fixtures/codecs/), for what the player says of one it cannot decode.
    const codecClip = /^\/clips\/codecs\/([\w-]+\.mp4)$/.exec(url.pathname)?.[1];
    const clipFile = clip
      ? path.join(root, 'samples', 'motion-demo', 'clips', clip)
      : codecClip && path.join(root, 'test', 'fixtures', 'codecs', codecClip);
    if (clipFile && !fs.existsSync(clipFile)) return send(404, 'text/plain', 'no such clip');
    if (clipFile) {
      // Served with byte ranges, as VS Code serves webview resources: a <video> cannot seek without them.
      const bytes = fs.readFileSync(clipFile);
      const range = /^bytes=(\d*)-(\d*)$/.exec(req.headers.range ?? '');
      if (!range) return send(200, 'video/mp4', bytes, { 'Accept-Ranges': 'bytes' });
      const start = range[1] ? Number(range[1]) : 0;
      const end = range[2] ? Math.min(Number(range[2]), bytes.length - 1) : bytes.length - 1;
      return send(206, 'video/mp4', bytes.subarray(start, end + 1), {
        'Accept-Ranges': 'bytes',
        'Content-Range': `bytes ${start}-${end}/${bytes.length}`,
      });
    }
    const f = files[url.pathname];
    if (f) return send(200, f.type, fs.readFileSync(f.file));
    // Asked for by Chromium itself when the page has no CSP; webviews have no favicon.
    if (url.pathname === '/favicon.ico') return send(204, 'image/x-icon', '');
    if (url.pathname === '/fake-vscode-api.js') return send(200, 'text/javascript', FAKE_VSCODE_API);
    if (url.pathname === '/vscode-default.css') return send(200, 'text/css', VSCODE_DEFAULT_CSS);
    const themed = /^\/theme\/(dark|light|hc|hcLight)(-editor)?\.css$/.exec(url.pathname);
    const theme = themed?.[1] as ThemeName | undefined;
    if (theme) return send(200, 'text/css', themeCss(theme, themed?.[2] ? 'editor' : 'sideBar'));
    const page =
      url.pathname === '/panel.html'
        ? 'failures'
        : url.pathname === '/detail.html'
          ? 'detail'
          : url.pathname === '/dashboard.html'
            ? 'dashboard'
            : null;
    if (page) {
      const t = (url.searchParams.get('theme') ?? 'dark') as ThemeName;
      const bodyClass = THEMES[t]?.bodyClass ?? 'vscode-dark';
      const kind = THEMES[t]?.kind ?? 'vscode-dark';
      // The side panel sits on the side bar; the detail view and the dashboard are editor panels.
      const surface = page === 'failures' ? '' : '-editor';
      const nonce = randomBytes(16).toString('base64');
      // The detail view and the dashboard get the host's full policy (src/host/webviewHtml.ts); the side panel the strictest.
      const policy =
        page === 'detail' || page === 'dashboard'
          ? `${panelCsp(origin, nonce)}; img-src ${origin}; media-src ${origin}`
          : panelCsp(origin, nonce);
      const csp =
        url.searchParams.get('csp') === 'off' ? '' : `<meta http-equiv="Content-Security-Policy" content="${policy}">`;
      const html = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
${csp}
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="/vscode-default.css">
<link rel="stylesheet" href="/theme/${t}${surface}.css">
<link id="vscode-codicon-stylesheet" rel="stylesheet" href="/codicons/codicon.css">
<script nonce="${nonce}" src="/fake-vscode-api.js"></script>
<title>VLM4D failures</title>
</head>
<body class="${bodyClass}" data-vscode-theme-kind="${kind}">
<div id="app"></div>
<script nonce="${nonce}" src="/dist/webview/${page}.js"></script>
</body>
</html>`;
      return send(200, 'text/html; charset=utf-8', html);
    }
    send(404, 'text/plain', 'not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    url: (opts = {}) =>
      `${origin}/${opts.page ?? 'panel'}.html?theme=${opts.theme ?? 'dark'}${opts.csp === false ? '&csp=off' : ''}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

// The page every webview of the extension loads: a strict CSP whose scripts run only by a fresh nonce, the
// codicon stylesheet (<vscode-icon> finds it by its id), and one bundled script from dist/webview/ (which may
// load more of its own from the same folder, with its own nonce), optionally preceded by the page's first
// message as a JSON data block (src/protocol/embed.ts).
import { randomBytes } from 'crypto';
import * as vscode from 'vscode';
import { INITIAL_MESSAGE_ID, jsonForHtml } from '../protocol/embed';

export interface WebviewPage {
  /** The bundle's name: dist/webview/<script>.js */
  script: string;
  title: string;
  /** Extra sources for <video> (a remote clip's origin, when the user allowed remote clips). */
  mediaSources?: string[];
  /**
   * The first message for the page, written into the HTML: the page reads it as it starts instead of waiting
   * for a `ready` handshake and a postMessage (a round trip through the workbench).
   */
  initialMessage?: unknown;
}

export function distUri(extensionUri: vscode.Uri): vscode.Uri {
  return vscode.Uri.joinPath(extensionUri, 'dist');
}

export function webviewHtml(webview: vscode.Webview, extensionUri: vscode.Uri, page: WebviewPage): string {
  const nonce = randomBytes(18).toString('base64');
  const dist = distUri(extensionUri);
  const src = (...p: string[]) => webview.asWebviewUri(vscode.Uri.joinPath(dist, ...p)).toString();
  const media = [webview.cspSource, ...(page.mediaSources ?? [])].join(' ');
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${webview.cspSource}`,
    `font-src ${webview.cspSource}`,
    `img-src ${webview.cspSource}`,
    `media-src ${media}`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link id="vscode-codicon-stylesheet" rel="stylesheet" href="${src('codicons', 'codicon.css')}">
<title>${escapeHtml(page.title)}</title>
</head>
<body>
<div id="app"></div>
${page.initialMessage === undefined ? '' : `<script type="application/json" id="${INITIAL_MESSAGE_ID}">${jsonForHtml(page.initialMessage)}</script>\n`}<script nonce="${nonce}" src="${src('webview', `${page.script}.js`)}"></script>
</body>
</html>`;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

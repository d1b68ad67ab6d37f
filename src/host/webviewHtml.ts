// The page every webview of the extension loads: a strict CSP whose scripts run only by a fresh nonce, the
// codicon stylesheet (<vscode-icon> finds it by its id), and one bundled script from dist/webview/ (which may
// load more of its own from the same folder, with its own nonce), optionally preceded by the page's first
// message as a JSON data block (src/protocol/embed.ts). The detail view's script is written into its page,
// which adds the stylesheet itself (`inline`).
import { randomBytes } from 'crypto';
import * as fs from 'fs';
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
  /**
   * The bundle is written into the page instead of fetched, and the codicon stylesheet is left for the page
   * to add once it has drawn (the script's data-codicons holds the stylesheet's URL, data-src the bundle's own,
   * beside which it finds the rest): the load event, at which the workbench shows the page, then waits for
   * neither. For the detail view's first open.
   */
  inline?: boolean;
}

/** The bundles written into pages, by file, kept while the file is unchanged. */
const bundles = new Map<string, { mtimeMs: number; text: string }>();
function bundleText(file: string): string {
  const mtimeMs = fs.statSync(file).mtimeMs;
  const kept = bundles.get(file);
  if (kept?.mtimeMs === mtimeMs) return kept.text;
  // Inside a script element, "</script" would end it; "<\/script" means the same in the code's strings.
  const text = fs.readFileSync(file, 'utf8').replace(/<\/script/gi, '<\\/script');
  bundles.set(file, { mtimeMs, text });
  return text;
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
  const scriptUrl = src('webview', `${page.script}.js`);
  const codicons = src('codicons', 'codicon.css');
  const codiconLink = page.inline ? '' : `<link id="vscode-codicon-stylesheet" rel="stylesheet" href="${codicons}">\n`;
  const script = page.inline
    ? `<script nonce="${nonce}" data-src="${scriptUrl}" data-codicons="${codicons}">${bundleText(vscode.Uri.joinPath(dist, 'webview', `${page.script}.js`).fsPath)}</script>`
    : `<script nonce="${nonce}" src="${scriptUrl}"></script>`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
${codiconLink}<title>${escapeHtml(page.title)}</title>
</head>
<body>
<div id="app"></div>
${page.initialMessage === undefined ? '' : `<script type="application/json" id="${INITIAL_MESSAGE_ID}">${jsonForHtml(page.initialMessage)}</script>\n`}${script}
</body>
</html>`;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

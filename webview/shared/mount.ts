// How every webview page starts: its stylesheet adopted as a constructed sheet (the CSP allows no inline
// styles), then the view built in the page's #app element, talking to the host through VS Code's API.

/** The part of VS Code's webview API the pages use. */
export interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

/** VS Code's API for this page (a page may ask for it once). */
export function vscodeApi(): VsCodeApi {
  return acquireVsCodeApi();
}

export function adoptCss(css: string): void {
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(css);
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
}

/** Adopts `css` and builds the view in #app (created when the page has none). */
export function mount<T>(css: string, create: (root: HTMLElement) => T): T {
  adoptCss(css);
  let root = document.getElementById('app');
  if (!root) {
    root = document.createElement('div');
    root.id = 'app';
    document.body.append(root);
  }
  return create(root);
}

// How every webview page starts: its stylesheet adopted as a constructed sheet (the CSP allows no inline
// styles), then the view built in the page's #app element.

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

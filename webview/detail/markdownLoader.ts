// The Markdown renderer (markdown-it and DOMPurify: most of the view's code) is a bundle of its own,
// dist/webview/detail-markdown.js (entry markdown.lazy.ts), loaded after the view's first paint so that the
// first prediction is drawn without waiting for it; until it has run, the response shows as plain text.
import type { renderMarkdown } from './markdown';

export type RenderMarkdown = typeof renderMarkdown;

/** Where the Markdown bundle leaves its renderer for this one. */
export const MARKDOWN_GLOBAL = '__vlm4dDetailMarkdown';
/** The Markdown bundle's file, beside the view's own. */
const MARKDOWN_BUNDLE = 'detail-markdown.js';

export class MarkdownLoader {
  private state: 'idle' | 'loading' | 'ready' | 'failed' = 'idle';
  private render: RenderMarkdown | null = null;
  private readonly waiting: (() => void)[] = [];

  /**
   * `script`: the view's own <script> (document.currentScript while its bundle starts): its nonce, and its
   * folder (from its src, or data-src when the bundle is written into the page).
   */
  constructor(private readonly script: HTMLScriptElement | null) {}

  /** The renderer, once loaded. */
  get renderer(): RenderMarkdown | null {
    return this.render;
  }

  get failed(): boolean {
    return this.state === 'failed';
  }

  /** Loads the bundle (once); `then` runs when it has loaded or failed to. */
  load(then: () => void): void {
    if (this.state === 'ready' || this.state === 'failed') {
      then();
      return;
    }
    this.waiting.push(then);
    if (this.state === 'loading') return;
    this.state = 'loading';
    const done = (render: RenderMarkdown | null) => {
      this.render = render;
      this.state = render ? 'ready' : 'failed';
      document.body.dataset.markdown = this.state;
      for (const w of this.waiting.splice(0)) w();
    };
    const own = this.script;
    const base = own?.src || own?.dataset.src;
    if (!base) {
      done(null);
      return;
    }
    const s = document.createElement('script');
    // The page's CSP runs scripts by nonce only: this one carries the view's own.
    s.nonce = own?.nonce ?? '';
    s.src = new URL(MARKDOWN_BUNDLE, base).href;
    s.addEventListener('load', () => {
      const r = (window as unknown as Record<string, unknown>)[MARKDOWN_GLOBAL];
      done(typeof r === 'function' ? (r as RenderMarkdown) : null);
    });
    s.addEventListener('error', () => done(null));
    document.head.append(s);
  }
}

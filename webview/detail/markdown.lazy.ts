// Entry of the detail view's second bundle, dist/webview/detail-markdown.js (see markdownLoader.ts): hands the
// sanitising Markdown renderer to the view.
import { renderMarkdown } from './markdown';
import { MARKDOWN_GLOBAL } from './markdownLoader';

(window as unknown as Record<string, unknown>)[MARKDOWN_GLOBAL] = renderMarkdown;

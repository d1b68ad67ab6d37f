// The model's response as sanitised Markdown: markdown-it with raw HTML off (tags show as text), images and
// links off (shown as text), then DOMPurify over the result as a second guard. The final-answer sentence is
// wrapped in <mark class="final-answer"> through sentinel characters replaced in the DOM's text nodes, never
// in an HTML string.
import DOMPurify from 'dompurify';
import MarkdownIt from 'markdown-it';

const md = new MarkdownIt({ html: false, linkify: false, typographer: false }).disable(['image', 'link', 'autolink']);

const OPEN = '\uE000';
const CLOSE = '\uE001';

/** Renders `text` into `into`; `span` (character offsets) is highlighted when it survives rendering whole. */
export function renderMarkdown(into: HTMLElement, text: string, span: { start: number; end: number } | null): void {
  const clean = text.replace(/[\uE000\uE001]/g, '');
  const marked = span && span.end <= clean.length && span.start < span.end ? clean.slice(0, span.start) + OPEN + clean.slice(span.start, span.end) + CLOSE + clean.slice(span.end) : clean;
  const html = DOMPurify.sanitize(md.render(marked), { ALLOWED_TAGS: ['p', 'em', 'strong', 'code', 'pre', 'ul', 'ol', 'li', 'blockquote', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'br', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 's', 'del'], ALLOWED_ATTR: [] });
  const doc = new DOMParser().parseFromString(`<body>${html}</body>`, 'text/html');
  into.replaceChildren(...Array.from(doc.body.childNodes).map((n) => document.importNode(n, true)));
  highlight(into);
}

function highlight(root: HTMLElement): void {
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const texts: Text[] = [];
  for (let n = walker.nextNode(); n; n = walker.nextNode()) texts.push(n as Text);
  const open = texts.find((t) => t.data.includes(OPEN));
  const close = texts.find((t) => t.data.includes(CLOSE));
  if (open && open === close) {
    const start = open.data.indexOf(OPEN);
    const end = open.data.indexOf(CLOSE);
    const middle = open.splitText(start);
    const after = middle.splitText(end - start);
    const mark = document.createElement('mark');
    mark.className = 'final-answer';
    mark.title = 'The final-answer sentence';
    mark.textContent = middle.data.slice(1);
    middle.replaceWith(mark);
    after.data = after.data.slice(1);
  }
  // Sentinels split across elements (the sentence spans Markdown markup): no highlight, the text stays whole.
  for (const t of texts) if (t.isConnected && /[\uE000\uE001]/.test(t.data)) t.data = t.data.replace(/[\uE000\uE001]/g, '');
}

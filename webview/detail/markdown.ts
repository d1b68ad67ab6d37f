// The model's response as sanitised Markdown: markdown-it with raw HTML off (tags show as text), images and
// links off (shown as text), then DOMPurify over the result as a second guard. The final-answer sentence is
// wrapped in <mark class="final-answer"> through sentinel characters replaced in the DOM's text nodes, never
// in an HTML string.
import DOMPurify from 'dompurify';
import MarkdownIt from 'markdown-it';

const md = new MarkdownIt({ html: false, linkify: false, typographer: false }).disable(['image', 'link', 'autolink']);

const OPEN = '\uE000';
const CLOSE = '\uE001';
const SENTINELS = /[\uE000\uE001]/g;
/** The elements whose inline content a highlight may cover; a sentence crossing two of them is not highlighted. */
const BLOCKS = 'p, li, h1, h2, h3, h4, h5, h6, td, th, pre, dd, dt';

const ALLOWED_TAGS = [
  'p',
  'em',
  'strong',
  'code',
  'pre',
  'ul',
  'ol',
  'li',
  'blockquote',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'hr',
  'br',
  'table',
  'thead',
  'tbody',
  'tr',
  'th',
  'td',
  's',
  'del',
];

/**
 * Renders `text` into `into`; `span` (character offsets into `text`) is highlighted when it survives rendering
 * within one paragraph (inline markup such as **bold** inside it is fine).
 */
export function renderMarkdown(into: HTMLElement, text: string, span: { start: number; end: number } | null): void {
  // The sentinels must be ours alone: any already in the text go, and the offsets move with them.
  const before = (i: number) => (text.slice(0, i).match(SENTINELS) ?? []).length;
  const clean = text.replace(SENTINELS, '');
  let marked = clean;
  if (
    span &&
    Number.isSafeInteger(span.start) &&
    Number.isSafeInteger(span.end) &&
    span.start >= 0 &&
    span.start < span.end &&
    span.end <= text.length
  ) {
    const start = span.start - before(span.start);
    const end = span.end - before(span.end);
    if (start < end) marked = clean.slice(0, start) + OPEN + clean.slice(start, end) + CLOSE + clean.slice(end);
  }
  const html = DOMPurify.sanitize(md.render(marked), { ALLOWED_TAGS, ALLOWED_ATTR: [] });
  // An inert document: nothing in it loads or runs; its nodes are imported once sanitised.
  const doc = new DOMParser().parseFromString(`<body>${html}</body>`, 'text/html');
  into.replaceChildren(...Array.from(doc.body.childNodes).map((n) => document.importNode(n, true)));
  highlight(into);
}

function textNodes(root: Node): Text[] {
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const texts: Text[] = [];
  for (let n = walker.nextNode(); n; n = walker.nextNode()) texts.push(n as Text);
  return texts;
}

function highlight(root: HTMLElement): void {
  const texts = textNodes(root);
  const open = texts.find((t) => t.data.includes(OPEN));
  const close = texts.find((t) => t.data.includes(CLOSE));
  const mark = document.createElement('mark');
  mark.className = 'final-answer';
  mark.title = 'The final-answer sentence';
  if (open && close && open === close && open.data.indexOf(OPEN) < open.data.indexOf(CLOSE)) {
    // The common case: the sentence is one text node.
    const start = open.data.indexOf(OPEN);
    const end = open.data.indexOf(CLOSE);
    const middle = open.splitText(start + 1);
    middle.splitText(end - start - 1);
    middle.replaceWith(mark);
    mark.append(middle);
  } else if (
    open &&
    close &&
    open !== close &&
    open.compareDocumentPosition(close) & Node.DOCUMENT_POSITION_FOLLOWING
  ) {
    // Inline markup inside the sentence ("the final answer is: **A**"): wrap the range when both ends are in
    // the same paragraph; partly covered elements are split, so the result is still well formed.
    const block = open.parentElement?.closest(BLOCKS);
    if (block && block === close.parentElement?.closest(BLOCKS) && root.contains(block)) {
      const range = document.createRange();
      range.setStart(open, open.data.indexOf(OPEN) + 1);
      range.setEnd(close, close.data.indexOf(CLOSE));
      mark.append(range.extractContents());
      range.insertNode(mark);
    }
  }
  // Otherwise (the sentence spans paragraphs): no highlight, and the text stays whole.
  for (const t of textNodes(root)) if (/[\uE000\uE001]/.test(t.data)) t.data = t.data.replace(SENTINELS, '');
  // Elements emptied by a split at the highlight's edges (<strong></strong>) go.
  for (const e of Array.from(root.querySelectorAll('strong, em, code, s, del')))
    if (!e.hasChildNodes() || e.textContent === '') e.remove();
}

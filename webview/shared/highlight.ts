// Search matches marked in model and dataset text: the ranges come from the search language
// (src/core/searchTerms.ts), the marks are <mark class="search-hit"> elements holding text nodes. Text stays
// text: nothing here parses markup.
import { highlightRanges, searchTerms } from '../../src/core/searchTerms';
import css from './highlight.css';

/** The marks' style, for the stylesheet of every page that highlights. */
export const HIGHLIGHT_CSS = css;

export const HIT_CLASS = 'search-hit';
/** Marks made in one tree at most: a one-letter search in a long response must not flood the page. */
const MAX_MARKS = 2_000;

/** The terms to highlight for a search text that may be missing or not a string (from a message). */
export function termsOf(search: unknown): string[] {
  return typeof search === 'string' ? searchTerms(search) : [];
}

function mark(text: string): HTMLElement {
  const m = document.createElement('mark');
  m.className = HIT_CLASS;
  m.textContent = text;
  return m;
}

/** `text` as nodes, each match of `terms` in a <mark>; at most `budget` marks (the rest stays plain). */
export function highlightedNodes(text: string, terms: readonly string[], budget = MAX_MARKS): Node[] {
  const ranges = highlightRanges(text, terms).slice(0, Math.max(0, budget));
  if (!ranges.length) return [document.createTextNode(text)];
  const nodes: Node[] = [];
  let at = 0;
  for (const [start, end] of ranges) {
    if (start > at) nodes.push(document.createTextNode(text.slice(at, start)));
    nodes.push(mark(text.slice(start, end)));
    at = end;
  }
  if (at < text.length) nodes.push(document.createTextNode(text.slice(at)));
  return nodes;
}

/** Sets `target`'s content to `text` with the matches of `terms` marked. */
export function setHighlighted(target: HTMLElement, text: string, terms: readonly string[]): void {
  if (!terms.length) target.textContent = text;
  else target.replaceChildren(...highlightedNodes(text, terms));
}

/** Elements that end a run of text: a phrase is marked across inline formatting, never across these. */
const BLOCKS =
  'p, li, dd, dt, td, th, pre, blockquote, h1, h2, h3, h4, h5, h6, div, section, table, tr, ul, ol, br, hr';

/**
 * The terms as drawn text: a term written with Markdown's inline markers (`"moving **left**"`, which is what
 * the response holds literally) is also looked for without them, as the rendering shows it.
 */
export function drawnTerms(terms: readonly string[]): string[] {
  const out = [...terms];
  for (const t of terms) {
    const bare = t
      .replace(/[*`~]+/g, '')
      .replace(/(^|[^\p{L}\p{N}])_+|_+(?=[^\p{L}\p{N}]|$)/gu, '$1')
      .replace(/\s+/g, ' ')
      .trim();
    if (bare && !out.some((o) => o.toLowerCase() === bare.toLowerCase())) out.push(bare);
  }
  return out;
}

/**
 * Marks the matches of `terms` in the text under `root` (a response drawn as Markdown or plain text). The
 * text is read in runs, each the text of one block (a paragraph, a list item, a cell) across its inline
 * formatting, so a phrase that the rendering splits (`moving <strong>left</strong>`) is marked, one <mark> per
 * piece. Returns the marks made.
 */
export function highlightWithin(root: Node, terms: readonly string[]): number {
  if (!terms.length) return 0;
  const wanted = drawnTerms(terms);
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT | NodeFilter.SHOW_ELEMENT);
  const runs: Text[][] = [];
  let run: Text[] = [];
  let block: Element | null = null;
  const end = () => {
    if (run.length) runs.push(run);
    run = [];
  };
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (n.nodeType === Node.ELEMENT_NODE) {
      // A block starting (or a line break) ends the run before it; its end is seen by the next text's block.
      if ((n as Element).matches(BLOCKS)) end();
      continue;
    }
    const parent = n.parentElement;
    // Not the view's own words among the text (notes, buttons), only what was drawn from the text itself.
    if (!parent || parent.closest(`.${HIT_CLASS}, script, style, button, .muted`)) {
      end();
      continue;
    }
    const b = parent.closest(BLOCKS);
    if (b !== block) end();
    block = b;
    run.push(n as Text);
  }
  end();
  let made = 0;
  for (const texts of runs) {
    if (made >= MAX_MARKS) break;
    made += markRun(texts, wanted, MAX_MARKS - made);
  }
  return made;
}

/** Marks the matches in one run of text nodes read as one text; a match spanning nodes is marked in each. */
function markRun(texts: Text[], terms: readonly string[], budget: number): number {
  const whole = texts.map((t) => t.data).join('');
  const ranges = highlightRanges(whole, terms);
  if (!ranges.length) return 0;
  let made = 0;
  let at = 0;
  for (const t of texts) {
    const from = at;
    const to = at + t.data.length;
    at = to;
    const pieces: Array<[number, number]> = [];
    for (const [s, e] of ranges) {
      if (e <= from || s >= to) continue;
      if (made + pieces.length >= budget) break;
      pieces.push([Math.max(s, from) - from, Math.min(e, to) - from]);
    }
    if (!pieces.length) continue;
    made += pieces.length;
    const nodes: Node[] = [];
    let last = 0;
    for (const [s, e] of pieces) {
      if (s > last) nodes.push(document.createTextNode(t.data.slice(last, s)));
      nodes.push(mark(t.data.slice(s, e)));
      last = e;
    }
    if (last < t.data.length) nodes.push(document.createTextNode(t.data.slice(last)));
    t.replaceWith(...nodes);
  }
  return made;
}

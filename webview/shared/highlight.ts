// Search matches marked in model and dataset text: the ranges come from the search language
// (src/core/searchTerms.ts), the marks are <mark class="search-hit"> elements holding text nodes. Text stays
// text: nothing here parses markup.
import { highlightRanges, searchTerms } from '../../src/core/searchTerms';

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

/**
 * Marks the matches of `terms` in the text under `root` (a response drawn as Markdown or plain text), text
 * node by text node: a phrase split by formatting (`**turning** left`) is not marked. Returns the marks made.
 */
export function highlightWithin(root: Node, terms: readonly string[]): number {
  if (!terms.length) return 0;
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const texts: Text[] = [];
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const parent = n.parentElement;
    // Not the view's own words among the text (notes, buttons), only what was drawn from the text itself.
    if (parent && !parent.closest(`.${HIT_CLASS}, script, style, button, .muted`)) texts.push(n as Text);
  }
  let made = 0;
  for (const t of texts) {
    if (made >= MAX_MARKS) break;
    const nodes = highlightedNodes(t.data, terms, MAX_MARKS - made);
    const marks = nodes.filter((n) => n.nodeType === Node.ELEMENT_NODE).length;
    if (!marks) continue;
    made += marks;
    t.replaceWith(...nodes);
  }
  return made;
}

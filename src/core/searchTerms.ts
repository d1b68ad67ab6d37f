// The search box's language, shared by the index (which predictions match) and the views (what to highlight).
// Words and "quoted phrases" are terms; a prediction matches when its question or its response contains every
// term, case-insensitively and literally. A phrase matches only as written ("turning left" does not match
// "left ... turning"). Browser-safe: the webviews highlight with it.

import { escapeRegExp } from './words';

/** The terms of a search text: quoted phrases whole, other words one by one; duplicates dropped. */
export function searchTerms(text: string): string[] {
  const terms: string[] = [];
  const seen = new Set<string>();
  // An unclosed quote runs to the end of the text.
  for (const m of text.matchAll(/"([^"]*)"?|([^\s"]+)/g)) {
    const term = (m[1] ?? m[2] ?? '').trim().replace(/\s+/g, ' ');
    if (!term || seen.has(term.toLowerCase())) continue;
    seen.add(term.toLowerCase());
    terms.push(term);
  }
  return terms;
}

/** Whether `text` contains every term (case-insensitive, literal). The reference the index must agree with. */
export function containsAll(text: string, terms: readonly string[]): boolean {
  const lower = text.toLowerCase();
  return terms.every((t) => lower.includes(t.toLowerCase()));
}

/** The ranges of `text` to highlight for `terms`: sorted, non-overlapping [start, end) pairs. */
export function highlightRanges(text: string, terms: readonly string[]): Array<[number, number]> {
  if (!terms.length) return [];
  // Longest first, so a phrase wins over a word inside it.
  const alternatives = [...terms].sort((a, b) => b.length - a.length).map(escapeRegExp);
  const pattern = new RegExp(alternatives.join('|'), 'gi');
  const ranges: Array<[number, number]> = [];
  for (const m of text.matchAll(pattern)) {
    if (!m[0].length) continue;
    const start = m.index ?? 0;
    const last = ranges[ranges.length - 1];
    if (last && start <= last[1]) last[1] = Math.max(last[1], start + m[0].length);
    else ranges.push([start, start + m[0].length]);
  }
  return ranges;
}

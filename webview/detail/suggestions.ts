// The prediction's open failure-mode suggestions, under the tags: each with the tag it proposes, the
// detector's evidence (text from the response, drawn as text only) and Accept / Reject. Keys: `a` accepts
// the first, `x` rejects it. A suggestion is not a tag until accepted; a rejected one is never offered again.
import type { DetailData, DetailSuggestion, DetailToHost } from '../../src/protocol/detailView';
import { add } from '../shared/dom';

/** Draws the suggestions of `d` into `box` (nothing when it has none). */
export function renderSuggestions(box: HTMLElement, d: DetailData, post: (m: DetailToHost) => void): void {
  const list = d.annotation.suggestions ?? [];
  if (!list.length) return;
  const section = add(box, 'div', 'suggestions');
  section.id = 'suggestions';
  section.setAttribute('role', 'group');
  section.setAttribute('aria-label', 'Suggested failure modes (a accepts the first, x rejects it)');
  list.forEach((s, i) => {
    const row = add(section, 'div', 'suggestion');
    row.dataset.detector = s.detector;
    add(row, 'span', 'muted', i === 0 ? 'Suggested (a / x):' : 'Suggested:');
    add(row, 'span', 'suggestion-tag', s.tag);
    add(row, 'span', 'suggestion-evidence', s.evidence);
    const accept = add(row, 'button', 'button secondary accept', 'Accept');
    accept.type = 'button';
    accept.disabled = !!d.annotation.taggingOff;
    accept.addEventListener('click', () => post(decision(d, s, true)));
    const reject = add(row, 'button', 'button secondary reject', 'Reject');
    reject.type = 'button';
    reject.disabled = !!d.annotation.taggingOff;
    reject.addEventListener('click', () => post(decision(d, s, false)));
  });
}

const decision = (d: DetailData, s: DetailSuggestion, accept: boolean): DetailToHost => ({
  type: 'decideSuggestion',
  id: d.prediction.id,
  detector: s.detector,
  accept,
});

/** The `a` / `x` keys: the message deciding the first open suggestion of the prediction drawn, if any. */
export function decideFirst(d: DetailData, accept: boolean): DetailToHost | null {
  const first = d.annotation.suggestions?.[0];
  return first && !d.annotation.taggingOff ? decision(d, first, accept) : null;
}

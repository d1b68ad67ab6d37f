// "Agreement between reviewers": your annotations against another reviewer's file (the host's Compare
// Annotations With Another File…): Cohen's kappa per tag and for verdict overrides over the predictions both
// annotated, and the predictions where you differ, each opening in the detail view; "Show all in the side
// panel" lists them there by key. Everything from the files is set as text.
import type { ReviewerComparison } from '../../src/core/reviewers';
import type { FailureFilters } from '../../src/protocol/failuresView';
import { add, el } from '../shared/dom';
import { formatCount } from '../shared/format';
import { button, linkButton } from './dom';

/** Disagreements drawn as rows; the rest are in the side panel's list. */
export const DRAWN_DISAGREEMENTS = 500;
/** Keys the side panel takes in one filter (the host's limit). */
const PANEL_KEYS = 20_000;

/** Kappa to three decimals; a dash when undefined (both reviewers answered every prediction alike). */
export const kappaText = (k: number | null): string => (k === null ? '–' : k.toFixed(3));

export class ReviewersSection {
  readonly el = el('section', { id: 'reviewers', 'aria-labelledby': 'reviewers-title', hidden: '' });

  constructor(
    private readonly openKey: (key: string) => void,
    private readonly showFailures: (filters: FailureFilters) => void,
  ) {}

  render(c: ReviewerComparison, reveal: boolean): void {
    const r = c.result;
    this.el.hidden = false;
    this.el.replaceChildren(el('h2', { id: 'reviewers-title' }, 'Agreement between reviewers'));
    add(this.el, 'p', { class: 'note', id: 'reviewers-files' }, `A (yours): ${c.fileA} · B: ${c.fileB}`);
    add(
      this.el,
      'p',
      { id: 'reviewers-n' },
      `${formatCount(r.n)} predictions annotated in both. Cohen's kappa: 1 is full agreement, 0 what chance gives.`,
    );
    const table = add(this.el, 'table', { class: 'reviewers', id: 'reviewers-table' });
    const head = add(add(table, 'thead'), 'tr');
    for (const h of ['Tag', 'Kappa', 'Both', 'Only A', 'Only B', 'Neither']) add(head, 'th', { scope: 'col' }, h);
    const body = add(table, 'tbody');
    for (const t of r.tags) {
      const tr = add(body, 'tr', { 'data-tag': t.tag });
      add(tr, 'th', { scope: 'row' }, t.tag);
      add(tr, 'td', { class: 'num kappa' }, kappaText(t.kappa));
      for (const n of [t.both, t.onlyA, t.onlyB, t.neither]) add(tr, 'td', { class: 'num' }, formatCount(n));
    }
    const v = add(body, 'tr', { 'data-tag': '', class: 'verdict-row' });
    add(v, 'th', { scope: 'row' }, 'Verdict overrides');
    add(v, 'td', { class: 'num kappa' }, kappaText(r.verdict.kappa));
    add(v, 'td', { colspan: '4' }, `same verdict (or none) on ${formatCount(r.verdict.agree)} of ${formatCount(r.n)}`);

    const missing = new Set(c.missing);
    const openable = r.disagreements.map((d) => d.key).filter((k) => !missing.has(k));
    add(this.el, 'h3', { id: 'reviewers-differ' }, `Where they differ: ${formatCount(r.disagreements.length)}`);
    if (openable.length)
      this.el.append(
        button('Show all in the side panel', () => this.showFailures({ keys: openable.slice(0, PANEL_KEYS) }), {
          id: 'reviewers-show-all',
        }),
      );
    const list = add(this.el, 'ul', { class: 'reviewers-differ', id: 'reviewers-list' });
    for (const d of r.disagreements.slice(0, DRAWN_DISAGREEMENTS)) {
      const li = add(list, 'li', { 'data-key': d.key });
      if (missing.has(d.key)) li.append(el('span', { class: 'key' }, `${d.key} (not in the results open)`));
      else
        li.append(
          linkButton(d.key, () => this.openKey(d.key), { class: 'disagreement', title: 'Open this prediction' }),
        );
      const parts = [
        ...(d.onlyA.length ? [`only A: ${d.onlyA.join(', ')}`] : []),
        ...(d.onlyB.length ? [`only B: ${d.onlyB.join(', ')}`] : []),
        ...(d.verdictA !== d.verdictB ? [`verdict A ${d.verdictA}, B ${d.verdictB}`] : []),
      ];
      li.append(el('span', { class: 'differ' }, ` — ${parts.join('; ')}`));
    }
    if (r.disagreements.length > DRAWN_DISAGREEMENTS)
      add(
        this.el,
        'p',
        { class: 'note' },
        `The first ${formatCount(DRAWN_DISAGREEMENTS)} are listed; Show all in the side panel lists every one.`,
      );
    if (reveal) this.el.scrollIntoView({ block: 'start' });
  }
}

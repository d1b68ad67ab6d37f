// "Where it fails most": the slices (conjunctions of up to three facet values) whose failure rate is highest
// for their size, as the index worker finds them (src/core/slices/sliceLine.ts). Each opens its predictions
// in the side panel under exactly the slice's predicates (every slice field is one of the panel's filters).
import { SLICE_FEATURES } from '../../src/core/slices/sliceFeatures';
import type { Slice } from '../../src/core/slices/sliceLine';
import type { FailureFilters } from '../../src/protocol/failuresView';
import { add, el } from '../shared/dom';
import { formatCount, formatPercent } from '../shared/format';
import { linkButton } from './dom';

/** Slice fields the side panel filters on (the failure list's field names): every slice feature. */
const PANEL_FIELDS: readonly string[] = SLICE_FEATURES;

/** The side panel's filters for a slice: all its predictions (every outcome), by each predicate it can hold. */
export function sliceFilters(s: Slice): FailureFilters {
  const f: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(s.where)) if (PANEL_FIELDS.includes(field)) f[field] = [value];
  return f as FailureFilters;
}

export class FailsMost {
  readonly el = el('section', { id: 'fails-most', 'aria-labelledby': 'fails-most-title' });

  constructor(private readonly open: (filters: FailureFilters) => void) {}

  render(slices: readonly Slice[]): void {
    this.el.replaceChildren(el('h2', { id: 'fails-most-title' }, 'Where it fails most'));
    if (!slices.length) {
      add(this.el, 'p', { class: 'empty' }, 'No slice fails clearly more often than the whole.');
      return;
    }
    add(
      this.el,
      'p',
      { class: 'note' },
      'Facet values (up to three together) whose failure rate is highest for their size (SliceLine score). Click one to list its failures.',
    );
    const table = add(this.el, 'table', { class: 'fails-most' });
    const head = add(add(table, 'thead'), 'tr');
    for (const h of ['Slice', 'n', 'Failed', 'Failure rate', 'Score']) add(head, 'th', { scope: 'col' }, h);
    const body = add(table, 'tbody');
    for (const s of slices) {
      const tr = add(body, 'tr');
      const where = Object.entries(s.where)
        .map(([k, v]) => `${k} = ${v}`)
        .join(', ');
      const unfiltered = Object.keys(s.where).filter((k) => !PANEL_FIELDS.includes(k));
      const link = linkButton(where, () => this.open({ ...sliceFilters(s), outcome: ['failed'] }), {
        class: 'slice-link',
        title: unfiltered.length
          ? `List these failures (the side panel cannot filter on ${unfiltered.join(', ')}: those are not applied)`
          : 'List these failures in the side panel',
      });
      add(tr, 'td').append(link);
      add(tr, 'td', { class: 'num' }, formatCount(s.n));
      add(tr, 'td', { class: 'num' }, formatCount(s.failed));
      add(tr, 'td', { class: 'num' }, formatPercent(s.failureRate * 100));
      add(tr, 'td', { class: 'num' }, s.score.toFixed(3));
    }
  }
}

// Which models the charts draw. Twenty-odd models side by side make bars too thin to read and colours too close
// to tell apart, so by default the charts show the few most accurate overall; the tables keep every model.
// The choice is the view's state (kept across reloads), as series keys; null means the default.
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import type { VscodeCheckbox } from '@vscode-elements/elements/dist/vscode-checkbox/vscode-checkbox.js';
import type { Series, SliceAccuracy } from '../../src/core/dashboard/aggregate';
import { formatPercent } from '../shared/format';
import { el } from '../shared/dom';
import { button } from './dom';

/** How many models the charts show unless the user picks. */
export const DEFAULT_CHARTED = 8;

export interface Ranked {
  series: Series;
  /** Correct of the predictions with a verdict, every slice together (%), or null without verdicts. */
  accuracy: number | null;
}

/** The series, most accurate overall first (ties and no-verdict series in the series' own order, last). */
export function rankByAccuracy(chart: SliceAccuracy): Ranked[] {
  const ranked = chart.series.map((series, i) => {
    let correct = 0;
    let graded = 0;
    for (const c of chart.cells[i] ?? []) {
      correct += c.correct;
      graded += c.correct + c.failed;
    }
    return { series, accuracy: graded ? (correct / graded) * 100 : null, i };
  });
  ranked.sort((a, b) => (b.accuracy ?? -1) - (a.accuracy ?? -1) || a.i - b.i);
  return ranked.map(({ series, accuracy }) => ({ series, accuracy }));
}

/** The keys charted: the user's choice (those still loaded), or the DEFAULT_CHARTED most accurate. */
export function chartedKeys(ranked: Ranked[], chosen: string[] | null): Set<string> {
  if (chosen === null) return new Set(ranked.slice(0, DEFAULT_CHARTED).map((r) => r.series.key));
  const present = new Set(ranked.map((r) => r.series.key));
  return new Set(chosen.filter((k) => present.has(k)));
}

/** What the charts show, in words (the picker's summary line). */
export function chartedSummary(ranked: Ranked[], charted: Set<string>, chosen: string[] | null): string {
  const n = ranked.filter((r) => charted.has(r.series.key)).length;
  if (n === ranked.length) return `Charts show all ${ranked.length} models`;
  if (chosen === null)
    return `Charts show the ${n} most accurate of ${ranked.length} models (overall accuracy); the tables show all`;
  return `Charts show ${n} of ${ranked.length} models, as you picked; the tables show all`;
}

/**
 * The picker: a summary that opens onto one checkbox per model (most accurate first, with its accuracy) and
 * buttons for the default and for all. `onChange` gets the new choice (null: back to the default).
 */
export function modelPicker(
  ranked: Ranked[],
  chosen: string[] | null,
  open: boolean,
  onChange: (chosen: string[] | null, open: boolean) => void,
): HTMLElement {
  const charted = chartedKeys(ranked, chosen);
  const box = el('details', { id: 'model-picker', class: 'model-picker' });
  box.open = open;
  box.append(el('summary', { id: 'model-picker-summary' }, chartedSummary(ranked, charted, chosen)));
  const list = el('div', { class: 'model-picker-list', role: 'group', 'aria-label': 'Models in the charts' });
  for (const r of ranked) {
    const c = document.createElement('vscode-checkbox') as VscodeCheckbox;
    c.checked = charted.has(r.series.key);
    c.label = `${r.series.label} (${formatPercent(r.accuracy)})`;
    c.dataset.series = r.series.key;
    c.addEventListener('change', () => {
      const next = ranked.map((x) => x.series.key).filter((k) => (k === r.series.key ? c.checked : charted.has(k)));
      onChange(next, box.open);
    });
    list.append(c);
  }
  const actions = el(
    'div',
    { class: 'model-picker-actions' },
    button(`${DEFAULT_CHARTED} most accurate`, () => onChange(null, box.open), { id: 'chart-default-models' }),
    button(
      'All',
      () =>
        onChange(
          ranked.map((r) => r.series.key),
          box.open,
        ),
      { id: 'chart-all-models' },
    ),
  );
  box.append(actions, list);
  return box;
}

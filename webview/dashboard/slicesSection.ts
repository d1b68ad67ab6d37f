// The dashboard's accuracy per slice: a bar chart per breakdown and its table, every bar opening the
// failures it counts.
import type { Series, SliceAccuracy } from '../../src/core/dashboard/aggregate';
import { accuracy, barFilters, sliceAccuracy } from '../../src/core/dashboard/aggregate';
import type { DashboardData } from '../../src/core/dashboard/data';
import type { PromptMode } from '../../src/core/model';
import { barChart } from './charts';
import { formatCount, formatPercent } from '../shared/format';
import { el } from '../shared/dom';
import { linkButton } from './dom';
import type { Dashboard } from './main';
import { PROMPT_LABEL } from './labels';

export function renderSlices(ui: Dashboard): void {
  const d = ui.data as DashboardData;
  const chart = sliceAccuracy(d, ui.state.promptMode as PromptMode, ui.state.breakdown);
  ui.sectionHead(
    ui.slices,
    'slices',
    'Accuracy per slice',
    ui.pngButton('slices-chart'),
    ui.csvButton('accuracy-per-slice', () => slicesCsv(chart)),
  );
  ui.slices.append(
    el(
      'p',
      { class: 'note' },
      `${PROMPT_LABEL[chart.promptMode]}, by ${chart.breakdown.label.toLowerCase()}: correct of the predictions with a verdict, verdicts in force. n = questions in the slice.`,
    ),
  );
  ui.ruleNote(chart.series, ui.slices);
  const host = el('div', { class: 'chart-scroll' });
  ui.slices.append(host);
  // The charted series (picker.ts), by their index in the chart's series.
  const charted = ui.charted();
  const shown = chart.series.map((s, i) => (charted.has(s.key) ? i : -1)).filter((i) => i >= 0);
  const c = barChart(
    host,
    {
      id: 'slices-chart',
      ariaLabel: `Accuracy per ${chart.breakdown.label.toLowerCase()} for ${shown.length} of ${chart.series.length} models; the numbers for all are in the table below.`,
      labels: chart.slices.map((s) => [s.label, `n=${formatCount(s.questions)}`]),
      datasets: shown.map((i, k) => ({
        label: (chart.series[i] as Series).label,
        data: (chart.cells[i] ?? []).map(accuracy),
        color: k,
      })),
      yTitle: 'accuracy (%)',
      yMax: 100,
      tooltip: (d, x) => {
        const si = shown[d] as number;
        const cell = chart.cells[si]?.[x];
        if (!cell) return [];
        const s = chart.series[si] as Series;
        return [
          `${s.label}: ${formatPercent(accuracy(cell))}`,
          `${formatCount(cell.correct)} correct, ${formatCount(cell.failed)} failed${cell.ungraded ? `, ${formatCount(cell.ungraded)} without a verdict` : ''}`,
          'Click: list the failures',
        ];
      },
      onClick: (d, x) => ui.showFailures(barFilters(chart, shown[d] as number, x)),
    },
    ui.theme,
  );
  ui.charts.set('slices-chart', c);
  ui.slices.append(ui.numbersDetails('Numbers (keyboard: each cell lists its failures)', slicesTable(ui, chart)));
}

export function slicesTable(ui: Dashboard, chart: SliceAccuracy): HTMLElement {
  const table = el('table', { id: 'slices-table', class: 'numbers-table' });
  table.append(el('caption', { class: 'visually-hidden' }, 'Accuracy per slice and model'));
  table.append(
    el(
      'thead',
      {},
      el(
        'tr',
        {},
        el('th', { scope: 'col' }, 'Model'),
        ...chart.slices.map((s) => el('th', { scope: 'col' }, `${s.label} (n=${formatCount(s.questions)})`)),
      ),
    ),
  );
  const body = el('tbody');
  chart.series.forEach((s, si) => {
    const tr = el('tr', {}, el('th', { scope: 'row' }, s.label));
    chart.slices.forEach((sl, x) => {
      const cell = chart.cells[si]?.[x] ?? { correct: 0, failed: 0, ungraded: 0 };
      const td = el('td', { 'data-series': s.key, 'data-slice': sl.label, 'data-failed': String(cell.failed) });
      const text = `${formatPercent(accuracy(cell))} (${formatCount(cell.correct)}/${formatCount(cell.correct + cell.failed)})`;
      if (cell.failed)
        td.append(
          linkButton(text, () => ui.showFailures(barFilters(chart, si, x)), {
            'aria-label': `${s.label}, ${sl.label}: ${text}; list the ${cell.failed} failures`,
          }),
        );
      else td.append(text);
      tr.append(td);
    });
    body.append(tr);
  });
  table.append(body);
  return table;
}

export function slicesCsv(chart: SliceAccuracy): (string | number | null)[][] {
  const rows: (string | number | null)[][] = [
    [
      'prompt mode',
      'model',
      'graded by',
      ...chart.breakdown.dims,
      'questions',
      'correct',
      'failed',
      'no verdict',
      'accuracy (%)',
    ],
  ];
  chart.series.forEach((s, si) =>
    chart.slices.forEach((sl, x) => {
      const c = chart.cells[si]?.[x] ?? { correct: 0, failed: 0, ungraded: 0 };
      const a = accuracy(c);
      rows.push([
        chart.promptMode,
        s.model,
        s.grader,
        ...chart.breakdown.dims.map((dim) => sl.values[dim] ?? ''),
        sl.questions,
        c.correct,
        c.failed,
        c.ungraded,
        a === null ? null : Number(a.toFixed(4)),
      ]);
    }),
  );
  return rows;
}

// ---- answer confusion ----------------------------------------------------------------------------

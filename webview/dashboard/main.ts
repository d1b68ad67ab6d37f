// The accuracy dashboard (a webview panel): the paper's table, accuracy per slice, answer confusion,
// agreement across models, chain of thought vs direct output, and tags. The host sends the index's data once
// per change (src/protocol/dashboard.ts); every chart is computed here (src/core/dashboard/aggregate.ts), so
// switching a breakdown or a model needs no round trip. Bars and cells post the side panel's filters for the
// failures they count; list entries open a prediction; charts export as PNG, tables as CSV.
//
// The page the host generates is src/host/webviewHtml.ts's: a strict CSP (scripts by nonce, no inline styles);
// this file's CSS is adopted as a constructed stylesheet, chart.js styles its canvases through the CSSOM.
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import type { VscodeCheckbox } from '@vscode-elements/elements/dist/vscode-checkbox/vscode-checkbox.js';
import type { Chart } from 'chart.js';
import type {
  Agreement,
  CotVsDirect,
  DashboardFilters,
  DashboardTable,
  Series,
  SliceAccuracy,
  TagCounts,
} from '../../src/core/dashboard/aggregate';
import {
  BREAKDOWNS,
  RULE_GRADED_SUFFIX,
  accuracy,
  agreement,
  barFilters,
  confusion,
  confusionFilters,
  confusionScopes,
  cotVsDirect,
  cotVsDirectFilters,
  paperTables,
  promptModes,
  scopeId,
  seriesOf,
  sliceAccuracy,
  tagCounts,
  tagFilters,
  toCsv,
} from '../../src/core/dashboard/aggregate';
import { ACCURACY_PERCENT_KEYS } from '../../src/core/accuracyTypes';
import type { DashboardData, PaperRow, SingleSplitRow } from '../../src/core/dashboard/data';
import { DASHBOARD_LABELS } from '../../src/core/dashboard/data';
import type { PromptMode } from '../../src/core/model';
import { MOTION_TYPES } from '../../src/core/model';
import type { DashboardToHost, HostToDashboard } from '../../src/protocol/dashboard';
import type { Theme } from './charts';
import { barChart, chartPng, readTheme, withAlpha } from './charts';
import { readableAlpha } from './colors';
import type { Ranked } from './picker';
import { chartedKeys, modelPicker, rankByAccuracy } from './picker';
import css from './dashboard.css';
import type { VsCodeApi } from '../shared/mount';
import { mount, vscodeApi } from '../shared/mount';
import { formatCount, formatPercent } from '../shared/format';
import { valueName } from '../shared/names';
import { el } from '../shared/dom';
import { button, heading, linkButton, select } from './dom';

type DataMessage = Extract<HostToDashboard, { type: 'data' }>;

/** The page's choices, kept across reloads of the page (VS Code's webview state). */
interface ViewState {
  promptMode: PromptMode | null;
  breakdown: string;
  scope: string;
  cotSlice: number;
  tagScope: string;
  overrides: boolean;
  /** Series keys the charts draw (picker.ts); null: the most accurate few. */
  charted: string[] | null;
}

const DEFAULT_STATE: ViewState = {
  promptMode: null,
  breakdown: 'perspective',
  scope: 'all:judge',
  cotSlice: 0,
  tagScope: 'all',
  overrides: false,
  charted: null,
};

const PROMPT_LABEL: Record<PromptMode, string> = {
  cot: 'chain of thought',
  'direct-output': 'direct output',
  unspecified: 'prompt unspecified',
};
const PAPER_KEYS = ['file', ...ACCURACY_PERCENT_KEYS] as const;
type PaperKey = (typeof PAPER_KEYS)[number];
const RULE_NOTE = `Models marked “${RULE_GRADED_SUFFIX.trim()}” are raw outputs graded by the answer-reading rule, not by a judge; their verdicts are never added to a judge's.`;

function restoreState(raw: unknown): ViewState {
  const s = { ...DEFAULT_STATE };
  if (typeof raw !== 'object' || raw === null) return s;
  const r = raw as Record<string, unknown>;
  if (r.promptMode === 'cot' || r.promptMode === 'direct-output') s.promptMode = r.promptMode;
  if (typeof r.breakdown === 'string' && BREAKDOWNS.some((b) => b.id === r.breakdown)) s.breakdown = r.breakdown;
  if (typeof r.scope === 'string') s.scope = r.scope;
  if (typeof r.cotSlice === 'number' && Number.isSafeInteger(r.cotSlice) && r.cotSlice >= 0) s.cotSlice = r.cotSlice;
  if (typeof r.tagScope === 'string') s.tagScope = r.tagScope;
  if (typeof r.overrides === 'boolean') s.overrides = r.overrides;
  if (Array.isArray(r.charted) && r.charted.every((k) => typeof k === 'string')) s.charted = r.charted as string[];
  return s;
}

/** Typed arrays arrive as typed arrays from VS Code; anything else (a plain array, an indexed object) is converted. */
function int32(v: unknown): Int32Array {
  if (v instanceof Int32Array) return v;
  return Int32Array.from(Array.isArray(v) ? v : Object.values((v ?? {}) as Record<string, number>));
}
function uint8(v: unknown): Uint8Array {
  if (v instanceof Uint8Array) return v;
  return Uint8Array.from(Array.isArray(v) ? v : Object.values((v ?? {}) as Record<string, number>));
}
function normalize(d: DashboardData): DashboardData {
  const p = d.predictions;
  return {
    ...d,
    predictions: {
      id: int32(p.id),
      run: int32(p.run),
      question: int32(p.question),
      outcome: uint8(p.outcome),
      chosen: uint8(p.chosen),
    },
    tags: { names: d.tags.names, prediction: int32(d.tags.prediction), tag: int32(d.tags.tag) },
  };
}

/** Python's float repr as pandas prints it (accuracyTable.ts pythonFloat): what the CLI's table shows. */
function cliNumber(x: number): string {
  const s = String(x);
  return /[.e]/.test(s) ? s : `${s}.0`;
}

class Dashboard {
  private state: ViewState;
  private message: DataMessage | null = null;
  private data: DashboardData | null = null;
  private theme: Theme = readTheme();
  private readonly charts = new Map<string, Chart>();
  private readonly sorts = new Map<string, { key: PaperKey; descending: boolean }>();

  private readonly statusBox = el('div', { id: 'status', role: 'status', 'aria-live': 'polite' });
  private readonly summary = el('p', { id: 'summary', class: 'summary' });
  private readonly controls = el('div', { id: 'controls', class: 'controls' });
  private readonly pickerBox = el('div', { class: 'picker-box' });
  private pickerOpen = false;
  private readonly paper = el('section', { id: 'paper', 'aria-labelledby': 'paper-title' });
  private readonly slices = el('section', { id: 'slices', 'aria-labelledby': 'slices-title' });
  private readonly confusionBox = el('section', { id: 'confusion', 'aria-labelledby': 'confusion-title' });
  private readonly agreementBox = el('section', { id: 'agreement', 'aria-labelledby': 'agreement-title' });
  private readonly cotBox = el('section', { id: 'cot-direct', 'aria-labelledby': 'cot-direct-title' });
  private readonly tagsBox = el('section', { id: 'tags', 'aria-labelledby': 'tags-title' });
  private readonly main = el('main', { id: 'dashboard', hidden: '' });

  constructor(
    root: HTMLElement,
    private readonly vscode: VsCodeApi,
  ) {
    this.state = restoreState(vscode.getState());
    this.main.append(
      this.summary,
      this.controls,
      this.pickerBox,
      this.paper,
      this.slices,
      this.confusionBox,
      this.agreementBox,
      this.cotBox,
      this.tagsBox,
    );
    root.append(el('h1', {}, 'VLM4D accuracy'), this.statusBox, this.main);
    this.statusBox.textContent = 'Waiting for the results…';
    window.addEventListener('message', (e: MessageEvent) => this.receive(e.data as HostToDashboard));
    // VS Code changes the body's class (vscode-light, vscode-dark, vscode-high-contrast…) with the theme.
    new MutationObserver(() => {
      this.theme = readTheme();
      if (this.data) this.renderCharts();
    }).observe(document.body, { attributes: true, attributeFilter: ['class'] });
    this.post({ type: 'ready' });
  }

  private post(m: DashboardToHost): void {
    this.vscode.postMessage(m);
  }

  private save(): void {
    this.vscode.setState(this.state);
  }

  private receive(m: HostToDashboard): void {
    if (!m || typeof m !== 'object') return;
    switch (m.type) {
      case 'status':
        this.message = null;
        this.data = null;
        this.destroyCharts();
        this.main.hidden = true;
        this.statusBox.className = `status ${m.state}`;
        this.statusBox.textContent = m.message;
        return;
      case 'data':
        this.message = m;
        this.data = normalize(m.data);
        this.statusBox.textContent = '';
        this.statusBox.className = 'status';
        this.main.hidden = false;
        this.renderAll();
        this.post({ type: 'rendered', version: this.data.version });
        return;
    }
  }

  // ---- layout ------------------------------------------------------------------------------------

  private renderAll(): void {
    const data = this.data as DashboardData;
    const modes = promptModes(data);
    if (!this.state.promptMode || !modes.includes(this.state.promptMode)) this.state.promptMode = modes[0] ?? 'cot';
    this.renderSummary();
    this.renderControls(modes);
    this.renderPaper();
    this.renderCharts();
  }

  /**
   * The sections that depend on the prompt mode or the theme (all of them), or only those that depend on the
   * breakdown: a breakdown switch leaves the confusion matrices and the agreement lists alone.
   */
  private renderCharts(only: 'all' | 'breakdown' = 'all'): void {
    const t0 = performance.now();
    if (only === 'all') {
      this.destroyCharts();
      this.renderConfusion();
      this.renderAgreement();
    } else for (const id of ['slices-chart', 'cot-direct-chart', 'tags-chart']) this.destroyCharts(id);
    this.renderPicker();
    this.renderSlices();
    this.renderCotDirect();
    this.renderTags();
    // How long drawing took, for tests and measurements (not shown).
    document.body.dataset.renderMs = (performance.now() - t0).toFixed(1);
  }

  /** The series the charts draw, most accurate first (the ranking is the prompt mode's, every slice together). */
  private charted(): Set<string> {
    return chartedKeys(this.ranked(), this.state.charted);
  }

  private ranked(): Ranked[] {
    return rankByAccuracy(sliceAccuracy(this.data as DashboardData, this.state.promptMode as PromptMode, 'split'));
  }

  private renderPicker(): void {
    this.pickerBox.replaceChildren(
      modelPicker(this.ranked(), this.state.charted, this.pickerOpen, (chosen, open) => {
        this.state.charted = chosen;
        this.pickerOpen = open;
        this.save();
        this.renderCharts('breakdown');
        (this.pickerBox.querySelector('summary') as HTMLElement | null)?.focus();
      }),
    );
    const details = this.pickerBox.querySelector('details');
    details?.addEventListener('toggle', () => (this.pickerOpen = details.open));
  }

  private destroyCharts(id?: string): void {
    for (const [key, c] of this.charts) {
      if (id !== undefined && key !== id) continue;
      c.destroy();
      this.charts.delete(key);
    }
  }

  private renderSummary(): void {
    const d = this.data as DashboardData;
    const graded = d.runs.filter((r) => r.grader === 'judge' || r.grader === 'rule');
    const models = new Set(graded.map((r) => r.model));
    const parts = [
      `${formatCount(d.predictions.id.length)} predictions`,
      `${formatCount(graded.length)} runs`,
      `${formatCount(models.size)} models`,
    ];
    const ruled = graded.filter((r) => r.grader === 'rule').length;
    if (ruled) parts.push(`${formatCount(ruled)} rule-graded runs (raw outputs, no judge)`);
    const copies = d.runs.filter((r) => r.grader === 'none').length;
    if (copies) parts.push(`${formatCount(copies)} raw runs not counted (their judged copy is loaded)`);
    if (d.overridden)
      parts.push(
        `${formatCount(d.overridden)} verdicts overridden by you (counted as you set them, except in the paper's table unless you tick it there)`,
      );
    this.summary.textContent = parts.join(' · ');
  }

  private renderControls(modes: PromptMode[]): void {
    const mode = select(
      'prompt-mode',
      'Prompt mode',
      modes.map((m) => ({ value: m, label: PROMPT_LABEL[m] })),
      this.state.promptMode as string,
      (v) => {
        this.state.promptMode = v as PromptMode;
        this.save();
        this.renderCharts();
      },
    );
    const breakdownSelect = select(
      'breakdown',
      'Breakdown',
      BREAKDOWNS.map((b) => ({ value: b.id, label: b.label })),
      this.state.breakdown,
      (v) => {
        this.state.breakdown = v;
        this.state.cotSlice = 0;
        this.save();
        this.renderCharts('breakdown');
      },
    );
    this.controls.replaceChildren(
      mode,
      breakdownSelect,
      el('span', { class: 'hint' }, 'Click a bar or a cell to list its failures in the side panel.'),
    );
  }

  /** A section's heading with its export buttons. */
  private sectionHead(box: HTMLElement, id: string, title: string, ...buttons: HTMLElement[]): void {
    box.replaceChildren(
      el(
        'div',
        { class: 'section-head' },
        heading(2, title, `${id}-title`),
        el('span', { class: 'exports' }, ...buttons),
      ),
    );
  }

  private pngButton(chartId: string): HTMLElement {
    return button('PNG', () => this.exportPng(chartId), {
      'data-export': 'png',
      'data-target': chartId,
      'aria-label': `Export the chart ${chartId} as PNG`,
    });
  }

  private csvButton(name: string, rows: () => (string | number | null)[][] | string): HTMLElement {
    return button('CSV', () => this.exportCsv(name, rows()), {
      'data-export': 'csv',
      'data-target': name,
      'aria-label': `Export ${name} as CSV`,
    });
  }

  private exportPng(chartId: string): void {
    const chart = this.charts.get(chartId);
    if (chart) this.post({ type: 'exportPng', name: chartId, dataUrl: chartPng(chart) });
  }

  private exportCsv(name: string, rows: (string | number | null)[][] | string): void {
    this.post({ type: 'exportCsv', name, csv: typeof rows === 'string' ? rows : toCsv(rows) });
  }

  private showFailures(filters: DashboardFilters | null): void {
    if (filters) this.post({ type: 'showFailures', filters });
  }

  private ruleNote(series: Series[], box: HTMLElement): void {
    if (series.some((s) => s.grader === 'rule')) box.append(el('p', { class: 'note rule-graded' }, RULE_NOTE));
  }

  private numbersDetails(summary: string, table: HTMLElement, open = false): HTMLElement {
    const d = el(
      'details',
      { class: 'numbers' },
      el('summary', {}, summary),
      el('div', { class: 'table-scroll' }, table),
    );
    d.open = open;
    return d;
  }

  // ---- the paper's table ---------------------------------------------------------------------------

  private renderPaper(): void {
    const m = this.message as DataMessage;
    const d = this.data as DashboardData;
    const effective = this.state.overrides && !!m.tables.effective && d.overridden > 0;
    const source = effective ? (m.tables.effective ?? []) : m.tables.judge;
    const csvs = effective ? (m.tables.effectiveCsv ?? []) : m.tables.judgeCsv;
    const tables = paperTables(source, effective ? d.singleSplit.effective : d.singleSplit.judge);
    this.sectionHead(this.paper, 'paper', 'The paper’s table');
    this.paper.append(
      el(
        'p',
        { class: 'note' },
        'Per prompt mode, as the authors’ statistics script computes it (the same numbers as `vlm4d table`); one row per model file present in both splits. Files in one split only are listed after, with that split’s numbers. Click a column’s name to sort.',
      ),
    );
    if (d.overridden && m.tables.effective) {
      const box = document.createElement('vscode-checkbox') as VscodeCheckbox;
      box.id = 'use-overrides';
      box.checked = effective;
      box.label = `With my verdict overrides (${formatCount(d.overridden)})`;
      box.addEventListener('change', () => {
        this.state.overrides = box.checked;
        this.save();
        this.renderPaper();
      });
      this.paper.append(box);
    }
    if (!tables.length) {
      this.paper.append(
        el(
          'p',
          { class: 'empty' },
          'No result folder has the authors’ layout (…/real_mc_<prompt>/ and …/synthetic_mc_<prompt>/), so there is no table to compute.',
        ),
      );
      return;
    }
    tables.forEach((t, i) => {
      const csvIndex = source.findIndex(
        (s) => s.realDir === t.realDir && s.grader === t.grader && s.promptMode === t.promptMode,
      );
      this.paper.append(this.paperTable(t, i, csvIndex >= 0 ? (csvs[csvIndex] ?? null) : null, effective));
    });
  }

  private paperTable(t: DashboardTable, index: number, cliCsv: string | null, effective: boolean): HTMLElement {
    const m = this.message as DataMessage;
    const key = `${t.grader}\0${t.realDir}\0${t.promptMode}`;
    const name = `paper-table-${t.promptMode}${t.grader === 'rule' ? '-rule-graded' : ''}-${index + 1}`;
    const title = `${PROMPT_LABEL[t.promptMode]}${t.grader === 'rule' ? ' — rule-graded (raw outputs, no judge)' : ''}${effective ? ' — with your overrides' : ''}`;
    const wrap = el('div', { class: 'paper-table-box' });
    const head = el(
      'div',
      { class: 'section-head' },
      heading(3, title),
      el(
        'span',
        { class: 'exports' },
        this.csvButton(name, () => this.paperCsv(t, cliCsv)),
      ),
    );
    wrap.append(head, el('p', { class: 'dir' }, `${t.realDir} + ${t.syntheticDir}`));
    type Row = { row: PaperRow; only: SingleSplitRow['split'] | null };
    const rows: Row[] = [
      ...t.rows.map((row) => ({ row, only: null })),
      ...t.single.map((s) => ({ row: s.row, only: s.split })),
    ];
    // pandas writes an all-empty column's zeros as ints, else as floats (accuracyTable.ts accuracyTableCsv).
    const allNull = Object.fromEntries(
      PAPER_KEYS.map((k) => [k, t.rows.every((r) => r[k as keyof PaperRow] === null)]),
    );
    const sort = this.sorts.get(key);
    if (sort) {
      const value = (r: Row): string | number | null =>
        sort.key === 'file' ? r.row.file : (r.row[sort.key] as number | null);
      rows.sort((a, b) => {
        const x = value(a);
        const y = value(b);
        // Blanks last in either direction.
        if (x === null || y === null) return x === y ? 0 : x === null ? 1 : -1;
        const c = typeof x === 'string' ? x.localeCompare(String(y)) : x - (y as number);
        return sort.descending ? -c : c;
      });
    }
    const table = el('table', {
      class: 'paper-table',
      'data-index': String(index),
      'data-prompt': t.promptMode,
      'data-grader': t.grader,
    });
    table.append(el('caption', { class: 'visually-hidden' }, title));
    const headRow = el('tr');
    PAPER_KEYS.forEach((k, i) => {
      const label = m.tables.columns[i] ?? k;
      const th = el('th', {
        scope: 'col',
        'aria-sort': sort?.key === k ? (sort.descending ? 'descending' : 'ascending') : 'none',
      });
      const b = linkButton(
        label,
        () => {
          const now = this.sorts.get(key);
          this.sorts.set(key, { key: k, descending: now?.key === k ? !now.descending : k !== 'file' });
          this.renderPaper();
          (
            this.paper.querySelector(`table[data-index="${index}"] button[data-sort="${k}"]`) as HTMLElement | null
          )?.focus();
        },
        { 'data-sort': k, class: 'sort' },
      );
      th.append(b);
      headRow.append(th);
    });
    table.append(el('thead', {}, headRow));
    const body = el('tbody');
    for (const r of rows) {
      const tr = el('tr', { 'data-file': r.row.file, ...(r.only ? { 'data-only': r.only, class: 'single' } : {}) });
      const nameCell = el('th', { scope: 'row' }, r.row.file);
      if (r.only) nameCell.append(el('span', { class: 'badge' }, `${r.only} only`));
      tr.append(nameCell);
      for (const k of PAPER_KEYS.slice(1)) {
        const v = r.row[k as keyof PaperRow] as number | null;
        // Blank: a column of the split this file does not have. A paired row's null is the script's 0.
        const text = v !== null ? cliNumber(v) : r.only ? '' : allNull[k] ? '0' : '0.0';
        tr.append(el('td', { 'data-key': k }, text));
      }
      body.append(tr);
    }
    table.append(body);
    wrap.append(el('div', { class: 'table-scroll' }, table));
    return wrap;
  }

  /** The CLI's CSV of the paired rows, then the one-split rows with the missing split's columns blank. */
  private paperCsv(t: DashboardTable, cliCsv: string | null): string {
    const m = this.message as DataMessage;
    const head = cliCsv ?? toCsv([m.tables.columns]);
    const extra = t.single.map((s) => [
      s.row.file,
      ...PAPER_KEYS.slice(1).map((k) => {
        const v = s.row[k as keyof PaperRow] as number | null;
        return v === null ? '' : cliNumber(v);
      }),
    ]);
    return extra.length ? head + toCsv(extra) : head;
  }

  // ---- accuracy per slice --------------------------------------------------------------------------

  private renderSlices(): void {
    const d = this.data as DashboardData;
    const chart = sliceAccuracy(d, this.state.promptMode as PromptMode, this.state.breakdown);
    this.sectionHead(
      this.slices,
      'slices',
      'Accuracy per slice',
      this.pngButton('slices-chart'),
      this.csvButton('accuracy-per-slice', () => this.slicesCsv(chart)),
    );
    this.slices.append(
      el(
        'p',
        { class: 'note' },
        `${PROMPT_LABEL[chart.promptMode]}, by ${chart.breakdown.label.toLowerCase()}: correct of the predictions with a verdict, verdicts in force. n = questions in the slice.`,
      ),
    );
    this.ruleNote(chart.series, this.slices);
    const host = el('div', { class: 'chart-scroll' });
    this.slices.append(host);
    // The charted series (picker.ts), by their index in the chart's series.
    const charted = this.charted();
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
        onClick: (d, x) => this.showFailures(barFilters(chart, shown[d] as number, x)),
      },
      this.theme,
    );
    this.charts.set('slices-chart', c);
    this.slices.append(
      this.numbersDetails('Numbers (keyboard: each cell lists its failures)', this.slicesTable(chart)),
    );
  }

  private slicesTable(chart: SliceAccuracy): HTMLElement {
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
            linkButton(text, () => this.showFailures(barFilters(chart, si, x)), {
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

  private slicesCsv(chart: SliceAccuracy): (string | number | null)[][] {
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

  private renderConfusion(): void {
    const d = this.data as DashboardData;
    const mode = this.state.promptMode as PromptMode;
    const scopes = confusionScopes(d, mode);
    const current = scopes.find((s) => scopeId(s.scope) === this.state.scope) ?? scopes[0];
    this.sectionHead(this.confusionBox, 'confusion', 'Answer confusion');
    if (!current) {
      this.confusionBox.append(el('p', { class: 'empty' }, 'No graded predictions in this prompt mode.'));
      return;
    }
    this.state.scope = scopeId(current.scope);
    this.confusionBox.append(
      el(
        'p',
        { class: 'note' },
        `${PROMPT_LABEL[mode]}: the failed predictions of each motion type, by the ground truth’s answer (rows) and the chosen answer (columns), options mapped to canonical labels. Each number opens exactly those failures in the side panel.`,
      ),
      el(
        'div',
        { class: 'controls' },
        select(
          'confusion-scope',
          'Models',
          scopes.map((s) => ({ value: scopeId(s.scope), label: s.label })),
          this.state.scope,
          (v) => {
            this.state.scope = v;
            this.save();
            this.renderConfusion();
          },
        ),
      ),
    );
    const scope = current.scope;
    const ruleGraded =
      scope.kind === 'all'
        ? scope.grader === 'rule'
        : seriesOf(d, mode).find((s) => s.key === scope.key)?.grader === 'rule';
    if (ruleGraded) this.confusionBox.append(el('p', { class: 'note rule-graded' }, RULE_NOTE));
    for (const motion of MOTION_TYPES) {
      const c = confusion(d, mode, current.scope, motion);
      const part = el('div', { class: 'confusion-motion', 'data-motion': motion });
      part.append(heading(3, valueName(motion)));
      if (!c.matrices.length) {
        part.append(el('p', { class: 'empty' }, 'No failures.'));
        this.confusionBox.append(part);
        continue;
      }
      const row = el('div', { class: 'matrices' });
      for (const mx of c.matrices) {
        const max = Math.max(1, ...mx.counts.flat());
        // The strongest heat under which the cell's number (in the text colour) stays readable in this theme
        // (4.6 for 4.5: the browser rounds the alpha to 1/255).
        const heat = readableAlpha(this.theme.text, this.theme.background, this.theme.palette[4] as string, 0.67, 4.6);
        const table = el('table', { class: 'confusion', 'data-motion': motion, 'data-perspective': mx.perspective });
        const caption = el(
          'caption',
          {},
          `${mx.perspective} · ${formatCount(mx.total)} ${mx.total === 1 ? 'failure' : 'failures'} `,
        );
        const csvName = `confusion-${mode}-${motion}-${mx.perspective}`;
        caption.append(
          this.csvButton(csvName, () => [
            ['truth \\ chosen', ...mx.chosen.map((l) => DASHBOARD_LABELS[l] as string)],
            ...mx.truth.map((t, ti) => [DASHBOARD_LABELS[t] as string, ...(mx.counts[ti] ?? [])]),
          ]),
        );
        table.append(caption);
        table.append(
          el(
            'thead',
            {},
            el(
              'tr',
              {},
              el('th', { scope: 'col', class: 'corner' }, 'truth ╲ chosen'),
              ...mx.chosen.map((l) => el('th', { scope: 'col' }, DASHBOARD_LABELS[l] as string)),
            ),
          ),
        );
        const body = el('tbody');
        mx.truth.forEach((t, ti) => {
          const tr = el('tr', {}, el('th', { scope: 'row' }, DASHBOARD_LABELS[t] as string));
          mx.chosen.forEach((ch, ci) => {
            const n = mx.counts[ti]?.[ci] ?? 0;
            const truth = DASHBOARD_LABELS[t] as string;
            const chosen = DASHBOARD_LABELS[ch] as string;
            const td = el('td', { 'data-truth': truth, 'data-chosen': chosen, 'data-count': String(n) });
            if (n) {
              // Heat through the CSSOM (the CSP allows it; an inline style attribute would not be).
              td.style.backgroundColor = withAlpha(this.theme.palette[4] as string, heat * (0.18 + 0.82 * (n / max)));
              td.append(
                linkButton(formatCount(n), () => this.showFailures(confusionFilters(d, c, mx.perspective, t, ch)), {
                  class: 'cell',
                  'data-truth': truth,
                  'data-chosen': chosen,
                  'data-count': String(n),
                  'aria-label': `${n} ${mx.perspective} ${motion} failures: truth ${truth}, chosen ${chosen}; list them`,
                }),
              );
            }
            tr.append(td);
          });
          body.append(tr);
        });
        table.append(body);
        row.append(el('div', { class: 'table-scroll' }, table));
      }
      part.append(row);
      this.confusionBox.append(part);
    }
  }

  // ---- agreement across models ---------------------------------------------------------------------

  private renderAgreement(): void {
    const d = this.data as DashboardData;
    const a = agreement(d, this.state.promptMode as PromptMode);
    this.sectionHead(
      this.agreementBox,
      'agreement',
      'Agreement across models',
      this.pngButton('agreement-chart'),
      this.csvButton(`agreement-${a.promptMode}`, () => [
        ['models failing', 'questions'],
        ...a.histogram.map((n, k) => [k, n]),
      ]),
    );
    this.agreementBox.append(
      el(
        'p',
        { class: 'note' },
        `${PROMPT_LABEL[a.promptMode]}: how many of the ${a.series.length} models fail each question (a question counts once per model, whichever runs of it are loaded).`,
      ),
    );
    this.ruleNote(a.series, this.agreementBox);
    const host = el('div', { class: 'chart-scroll' });
    this.agreementBox.append(host);
    const total = a.histogram.reduce((x, y) => x + y, 0);
    this.charts.set(
      'agreement-chart',
      barChart(
        host,
        {
          id: 'agreement-chart',
          ariaLabel: `Questions by the number of models that fail them, of ${total} questions`,
          labels: a.histogram.map((_, k) => String(k)),
          datasets: [{ label: 'questions', data: a.histogram, color: 0 }],
          xTitle: `models failing the question (of ${a.series.length})`,
          yTitle: 'questions',
          tooltip: (_s, k) => [
            `${formatCount(a.histogram[k] ?? 0)} questions failed by ${k} of ${a.series.length} models`,
          ],
        },
        this.theme,
      ),
    );
    this.agreementBox.append(
      this.questionList(
        'all-fail',
        `Failed by every model that answered them (${formatCount(a.allFail.length)})`,
        a,
        a.allFail,
        false,
      ),
      this.questionList(
        'one-fails',
        `Failed by one model only (${formatCount(a.oneFails.length)})`,
        a,
        a.oneFails,
        true,
      ),
    );
  }

  private questionList(
    id: string,
    title: string,
    a: Agreement,
    entries: Agreement['allFail'],
    withModel: boolean,
  ): HTMLElement {
    const d = this.data as DashboardData;
    const box = el('div', { class: 'question-list' });
    const csv = () => [
      ['split', 'question id', 'question', 'models failing', 'models answering'],
      ...entries.map((e) => {
        const q = d.questions[e.question];
        return [
          q?.split ?? '',
          q?.qid ?? '',
          q?.text ?? '',
          e.failing.map((f) => a.series[f.series]?.label ?? '').join('; '),
          e.answered,
        ];
      }),
    ];
    box.append(
      el(
        'div',
        { class: 'section-head' },
        heading(3, title),
        el('span', { class: 'exports' }, this.csvButton(`${id}-${a.promptMode}`, csv)),
      ),
    );
    if (!entries.length) {
      box.append(el('p', { class: 'empty' }, 'None.'));
      return box;
    }
    const list = el('ol', { id, class: 'questions' });
    for (const e of entries) {
      const q = d.questions[e.question];
      const first = e.failing[0];
      if (!q || !first) continue;
      const who = withModel ? ` — ${a.series[first.series]?.label ?? ''}` : '';
      const li = el('li');
      li.append(
        linkButton(
          `${q.split} ${q.qid}${who}`,
          () => this.post({ type: 'openPrediction', id: first.prediction, version: d.version }),
          {
            'data-id': String(first.prediction),
            'aria-label': `Open ${q.split} ${q.qid}${who} in the detail view`,
          },
        ),
        el('span', { class: 'question-text' }, ` ${q.text}`),
      );
      list.append(li);
    }
    box.append(el('div', { class: 'list-scroll' }, list));
    return box;
  }

  // ---- chain of thought vs direct output -----------------------------------------------------------

  private renderCotDirect(): void {
    const d = this.data as DashboardData;
    const c = cotVsDirect(d, this.state.breakdown);
    if ('reason' in c) {
      this.sectionHead(this.cotBox, 'cot-direct', 'Chain of thought vs direct output');
      this.cotBox.append(el('p', { class: 'empty reason' }, c.reason));
      return;
    }
    const slice = Math.min(this.state.cotSlice, c.slices.length - 1);
    this.sectionHead(
      this.cotBox,
      'cot-direct',
      'Chain of thought vs direct output',
      this.pngButton('cot-direct-chart'),
      this.csvButton('cot-vs-direct', () => this.cotCsv(c)),
    );
    this.cotBox.append(
      el(
        'p',
        { class: 'note' },
        `Accuracy of each model with both prompt modes loaded, by ${c.breakdown.label.toLowerCase()}.`,
      ),
      el(
        'div',
        { class: 'controls' },
        select(
          'cot-slice',
          'Slice',
          c.slices.map((s, i) => ({ value: String(i), label: `${s.label} (n=${formatCount(s.questions)})` })),
          String(slice),
          (v) => {
            this.state.cotSlice = Number(v);
            this.save();
            this.destroyCharts('cot-direct-chart');
            this.renderCotDirect();
          },
        ),
      ),
    );
    this.ruleNote(c.pairs, this.cotBox);
    const host = el('div', { class: 'chart-scroll' });
    this.cotBox.append(host);
    const modes: PromptMode[] = ['cot', 'direct-output'];
    // The charted models (picker.ts) among the pairs, by their index in c.pairs.
    const charted = this.charted();
    const shown = c.pairs.map((p, i) => (charted.has(p.key) ? i : -1)).filter((i) => i >= 0);
    const cells = (m: PromptMode) => shown.map((i) => (m === 'cot' ? c.cot : c.direct)[i] ?? []);
    this.charts.set(
      'cot-direct-chart',
      barChart(
        host,
        {
          id: 'cot-direct-chart',
          ariaLabel: `Chain of thought against direct output, ${c.slices[slice]?.label}, for ${shown.length} of ${c.pairs.length} models`,
          labels: shown.map((i) => (c.pairs[i] as Series).label),
          datasets: modes.map((m, i) => ({
            label: PROMPT_LABEL[m],
            data: cells(m).map((row) => accuracy(row[slice] ?? { correct: 0, failed: 0, ungraded: 0 })),
            color: i,
          })),
          yTitle: 'accuracy (%)',
          yMax: 100,
          tooltip: (mi, pi) => {
            const cell = cells(modes[mi] as PromptMode)[pi]?.[slice];
            return cell
              ? [
                  `${PROMPT_LABEL[modes[mi] as PromptMode]}: ${formatPercent(accuracy(cell))}`,
                  `${formatCount(cell.correct)} correct, ${formatCount(cell.failed)} failed`,
                  'Click: list the failures',
                ]
              : [];
          },
          onClick: (mi, pi) =>
            this.showFailures(cotVsDirectFilters(c, shown[pi] as number, modes[mi] as PromptMode, slice)),
        },
        this.theme,
      ),
    );
    const table = el('table', { id: 'cot-direct-table', class: 'numbers-table' });
    table.append(
      el(
        'thead',
        {},
        el(
          'tr',
          {},
          ...['Model', 'Slice', 'Questions', 'Chain of thought', 'Direct output', 'Difference (points)'].map((h) =>
            el('th', { scope: 'col' }, h),
          ),
        ),
      ),
    );
    const body = el('tbody');
    c.pairs.forEach((p, pi) =>
      c.slices.forEach((s, si) => {
        const a = accuracy(c.cot[pi]?.[si] ?? { correct: 0, failed: 0, ungraded: 0 });
        const b = accuracy(c.direct[pi]?.[si] ?? { correct: 0, failed: 0, ungraded: 0 });
        body.append(
          el(
            'tr',
            { 'data-series': p.key, 'data-slice': s.label },
            el('th', { scope: 'row' }, p.label),
            el('td', {}, s.label),
            el('td', {}, formatCount(s.questions)),
            el('td', {}, formatPercent(a)),
            el('td', {}, formatPercent(b)),
            el('td', {}, a === null || b === null ? '–' : `${a - b >= 0 ? '+' : ''}${(a - b).toFixed(1)}`),
          ),
        );
      }),
    );
    table.append(body);
    this.cotBox.append(this.numbersDetails('Numbers per model and slice', table));
  }

  private cotCsv(c: CotVsDirect): (string | number | null)[][] {
    const rows: (string | number | null)[][] = [
      [
        'model',
        'graded by',
        'slice',
        'questions',
        'cot correct',
        'cot failed',
        'cot accuracy (%)',
        'direct correct',
        'direct failed',
        'direct accuracy (%)',
      ],
    ];
    c.pairs.forEach((p, pi) =>
      c.slices.forEach((s, si) => {
        const a = c.cot[pi]?.[si] ?? { correct: 0, failed: 0, ungraded: 0 };
        const b = c.direct[pi]?.[si] ?? { correct: 0, failed: 0, ungraded: 0 };
        const pa = accuracy(a);
        const pb = accuracy(b);
        rows.push([
          p.model,
          p.grader,
          s.label,
          s.questions,
          a.correct,
          a.failed,
          pa === null ? null : Number(pa.toFixed(4)),
          b.correct,
          b.failed,
          pb === null ? null : Number(pb.toFixed(4)),
        ]);
      }),
    );
    return rows;
  }

  // ---- tags ----------------------------------------------------------------------------------------

  private renderTags(): void {
    const d = this.data as DashboardData;
    const t = tagCounts(d, this.state.promptMode as PromptMode, this.state.breakdown);
    if (!t) {
      this.sectionHead(this.tagsBox, 'tags', 'Tags');
      this.tagsBox.append(
        el(
          'p',
          { class: 'empty' },
          d.tags.names.length
            ? 'No prediction of this prompt mode is tagged.'
            : 'No tags yet: tag failures in the side panel (keys 1-9) or the detail view, and their counts appear here.',
        ),
      );
      return;
    }
    this.sectionHead(
      this.tagsBox,
      'tags',
      'Tags',
      this.pngButton('tags-chart'),
      this.csvButton(`tags-${t.promptMode}`, () => this.tagsCsv(t)),
    );
    this.tagsBox.append(
      el(
        'p',
        { class: 'note' },
        `${PROMPT_LABEL[t.promptMode]}: tagged predictions (any verdict; a question’s tags count for each of its predictions).`,
      ),
    );
    this.ruleNote(t.series, this.tagsBox);
    // Tag × model totals.
    const table = el('table', { id: 'tags-table', class: 'numbers-table' });
    table.append(
      el(
        'thead',
        {},
        el(
          'tr',
          {},
          el('th', { scope: 'col' }, 'Tag'),
          ...t.series.map((s) => el('th', { scope: 'col' }, s.label)),
          el('th', { scope: 'col' }, 'All'),
        ),
      ),
    );
    const body = el('tbody');
    t.tags.forEach((tag, ti) => {
      const tr = el('tr', { 'data-tag': tag }, el('th', { scope: 'row' }, tag));
      let all = 0;
      t.series.forEach((s, si) => {
        const n = (t.counts[ti]?.[si] ?? []).reduce((x, y) => x + y, 0);
        all += n;
        const td = el('td', { 'data-series': s.key, 'data-count': String(n) });
        if (n)
          td.append(
            linkButton(formatCount(n), () => this.showFailures(tagFilters(t, ti, si, null)), {
              'aria-label': `${n} ${s.label} predictions tagged ${tag}; list them`,
            }),
          );
        tr.append(td);
      });
      const td = el('td', { 'data-series': 'all', 'data-count': String(all) });
      if (all)
        td.append(
          linkButton(formatCount(all), () => this.showFailures(tagFilters(t, ti, null, null)), {
            'aria-label': `${all} predictions tagged ${tag}; list them`,
          }),
        );
      tr.append(td);
      body.append(tr);
    });
    table.append(body);
    this.tagsBox.append(el('div', { class: 'table-scroll' }, table));
    // Tags per slice, stacked, for every model or one.
    const scopes = [{ value: 'all', label: 'All models' }, ...t.series.map((s) => ({ value: s.key, label: s.label }))];
    if (!scopes.some((s) => s.value === this.state.tagScope)) this.state.tagScope = 'all';
    const si = t.series.findIndex((s) => s.key === this.state.tagScope);
    this.tagsBox.append(
      el(
        'div',
        { class: 'controls' },
        select('tags-scope', 'Models', scopes, this.state.tagScope, (v) => {
          this.state.tagScope = v;
          this.save();
          this.destroyCharts('tags-chart');
          this.renderTags();
        }),
      ),
    );
    const host = el('div', { class: 'chart-scroll' });
    this.tagsBox.append(host);
    const per = (ti: number, x: number) =>
      si >= 0 ? (t.counts[ti]?.[si]?.[x] ?? 0) : (t.counts[ti] ?? []).reduce((a, row) => a + (row[x] ?? 0), 0);
    this.charts.set(
      'tags-chart',
      barChart(
        host,
        {
          id: 'tags-chart',
          ariaLabel: `Tagged predictions per ${t.breakdown.label.toLowerCase()}, stacked by tag; the totals per model are in the table above.`,
          labels: t.slices.map((s) => s.label),
          datasets: t.tags.map((tag, ti) => ({
            label: tag,
            data: t.slices.map((_, x) => per(ti, x)),
            color: ti,
            stack: 'tags',
          })),
          stacked: true,
          yTitle: 'tagged predictions',
          tooltip: (ti, x) => [`${t.tags[ti]}: ${formatCount(per(ti, x))}`, 'Click: list them'],
          onClick: (ti, x) => this.showFailures(tagFilters(t, ti, si >= 0 ? si : null, x)),
        },
        this.theme,
      ),
    );
  }

  private tagsCsv(t: TagCounts): (string | number | null)[][] {
    const rows: (string | number | null)[][] = [
      ['prompt mode', 'tag', 'model', 'graded by', ...t.breakdown.dims, 'tagged predictions'],
    ];
    t.tags.forEach((tag, ti) =>
      t.series.forEach((s, si) =>
        t.slices.forEach((sl, x) => {
          const n = t.counts[ti]?.[si]?.[x] ?? 0;
          if (n)
            rows.push([
              t.promptMode,
              tag,
              s.model,
              s.grader,
              ...t.breakdown.dims.map((dim) => sl.values[dim] ?? ''),
              n,
            ]);
        }),
      ),
    );
    return rows;
  }
}

mount(css, (root) => new Dashboard(root, vscodeApi()));

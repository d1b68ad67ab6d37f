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
import type { DashboardFilters, DashboardTable, Series } from '../../src/core/dashboard/aggregate';
import { BREAKDOWNS, paperTables, promptModes, sliceAccuracy, toCsv } from '../../src/core/dashboard/aggregate';
import { ACCURACY_PERCENT_KEYS } from '../../src/core/accuracyTypes';
import type { DashboardData, PaperRow, SingleSplitRow } from '../../src/core/dashboard/data';
import type { PromptMode } from '../../src/core/model';
import type { DashboardToHost, HostToDashboard } from '../../src/protocol/dashboard';
import type { Theme } from './charts';
import { chartPng, readTheme } from './charts';
import type { Ranked } from './picker';
import { chartedKeys, modelPicker, rankByAccuracy } from './picker';
import css from './dashboard.css';
import type { VsCodeApi } from '../shared/mount';
import { mount, vscodeApi } from '../shared/mount';
import { formatCount } from '../shared/format';
import { el } from '../shared/dom';
import { button, heading, linkButton, select } from './dom';
import { renderAgreement, renderConfusion, renderCotDirect, renderTags } from './sections';
import { renderSlices } from './slicesSection';
import { PROMPT_LABEL, RULE_NOTE } from './labels';
import { CompareSection } from './compare';
import { FailsMost } from './failsMost';
import { ReviewersSection } from './reviewers';

type DataMessage = Extract<HostToDashboard, { type: 'data' }>;

/** The page's choices, kept across reloads of the page (VS Code's webview state). */
export interface ViewState {
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

const PAPER_KEYS = ['file', ...ACCURACY_PERCENT_KEYS] as const;
type PaperKey = (typeof PAPER_KEYS)[number];

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

export class Dashboard {
  state: ViewState;
  private message: DataMessage | null = null;
  data: DashboardData | null = null;
  theme: Theme = readTheme();
  readonly charts = new Map<string, Chart>();
  private readonly sorts = new Map<string, { key: PaperKey; descending: boolean }>();

  private readonly statusBox = el('div', { id: 'status', role: 'status', 'aria-live': 'polite' });
  private readonly summary = el('p', { id: 'summary', class: 'summary' });
  private readonly controls = el('div', { id: 'controls', class: 'controls' });
  private readonly pickerBox = el('div', { class: 'picker-box' });
  private pickerOpen = false;
  private readonly paper = el('section', { id: 'paper', 'aria-labelledby': 'paper-title' });
  readonly slices = el('section', { id: 'slices', 'aria-labelledby': 'slices-title' });
  readonly confusionBox = el('section', { id: 'confusion', 'aria-labelledby': 'confusion-title' });
  readonly agreementBox = el('section', { id: 'agreement', 'aria-labelledby': 'agreement-title' });
  readonly cotBox = el('section', { id: 'cot-direct', 'aria-labelledby': 'cot-direct-title' });
  readonly tagsBox = el('section', { id: 'tags', 'aria-labelledby': 'tags-title' });
  private readonly compare = new CompareSection(
    () => this.post({ type: 'pickComparison' }),
    (filters) => this.post({ type: 'showFailures', filters }),
  );
  private readonly main = el('main', { id: 'dashboard', hidden: '' });
  private readonly failsMost = new FailsMost((filters) => this.post({ type: 'showFailures', filters }));
  private readonly reviewers = new ReviewersSection(
    (key) => this.post({ type: 'openKey', key }),
    (filters) => this.post({ type: 'showFailures', filters }),
  );

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
      this.failsMost.el,
      this.confusionBox,
      this.agreementBox,
      this.cotBox,
      this.tagsBox,
      this.compare.el,
    );
    root.append(el('h1', {}, 'VLM4D accuracy'), this.statusBox, this.reviewers.el, this.main);
    this.statusBox.textContent = 'Waiting for the results…';
    window.addEventListener('message', (e: MessageEvent) => this.receive(e.data as HostToDashboard));
    // VS Code changes the body's class (vscode-light, vscode-dark, vscode-high-contrast…) with the theme.
    new MutationObserver(() => {
      this.theme = readTheme();
      if (this.data) this.renderCharts();
    }).observe(document.body, { attributes: true, attributeFilter: ['class'] });
    this.post({ type: 'ready' });
  }

  post(m: DashboardToHost): void {
    this.vscode.postMessage(m);
  }

  save(): void {
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
      case 'comparison':
        this.compare.set(m.result, m.error);
        return;
      case 'reviewers':
        this.reviewers.render(m.comparison, this.reviewers.el.hidden);
        return;
      case 'data':
        this.message = m;
        this.data = normalize(m.data);
        this.statusBox.textContent = '';
        this.statusBox.className = 'status';
        this.main.hidden = false;
        this.renderAll();
        this.failsMost.render(m.slices ?? []);
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
      renderConfusion(this);
      renderAgreement(this);
    } else for (const id of ['slices-chart', 'cot-direct-chart', 'tags-chart']) this.destroyCharts(id);
    this.renderPicker();
    renderSlices(this);
    renderCotDirect(this);
    renderTags(this);
    // How long drawing took, for tests and measurements (not shown).
    document.body.dataset.renderMs = (performance.now() - t0).toFixed(1);
  }

  /** The series the charts draw, most accurate first (the ranking is the prompt mode's, every slice together). */
  charted(): Set<string> {
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

  destroyCharts(id?: string): void {
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
  sectionHead(box: HTMLElement, id: string, title: string, ...buttons: HTMLElement[]): void {
    box.replaceChildren(
      el(
        'div',
        { class: 'section-head' },
        heading(2, title, `${id}-title`),
        el('span', { class: 'exports' }, ...buttons),
      ),
    );
  }

  pngButton(chartId: string): HTMLElement {
    return button('PNG', () => this.exportPng(chartId), {
      'data-export': 'png',
      'data-target': chartId,
      'aria-label': `Export the chart ${chartId} as PNG`,
    });
  }

  csvButton(name: string, rows: () => (string | number | null)[][] | string): HTMLElement {
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

  showFailures(filters: DashboardFilters | null): void {
    if (filters) this.post({ type: 'showFailures', filters });
  }

  ruleNote(series: Series[], box: HTMLElement): void {
    if (series.some((s) => s.grader === 'rule')) box.append(el('p', { class: 'note rule-graded' }, RULE_NOTE));
  }

  numbersDetails(summary: string, table: HTMLElement, open = false): HTMLElement {
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
}

mount(css, (root) => new Dashboard(root, vscodeApi()));

// The dashboard's comparison of two runs (VLM4D: Compare Runs…): per slice, the paired counts, the accuracy
// difference B - A with its clip-clustered 95% interval drawn as an error bar, the naive interval beside it,
// and McNemar's p. A difference whose clustered interval excludes 0 is marked. The counts of B's fixes, breaks
// and shared failures (and n) open those questions in the side panel: B's predictions, under the comparison
// filter and the row's slice.
import type { CompareSlice, RunComparisonResult } from '../../src/core/compare/slices';
import type { ComparisonKind } from '../../src/core/index/query';
import type { FailureFilters } from '../../src/protocol/failuresView';
import { formatCount } from '../shared/format';
import { valueName } from '../shared/names';
import { el } from '../shared/dom';
import { button, heading, linkButton } from './dom';

const SVG = 'http://www.w3.org/2000/svg';
const BAR_WIDTH = 160;
const BAR_HEIGHT = 14;

const signed = (x: number | null, digits = 1): string =>
  x === null ? '–' : `${x > 0 ? '+' : x < 0 ? '−' : '±'}${Math.abs(x * 100).toFixed(digits)}`;
const interval = (ci: [number, number] | null): string => (ci ? `[${signed(ci[0])}, ${signed(ci[1])}]` : '–');
const pValue = (p: number): string => (p >= 0.001 ? p.toFixed(3) : p.toExponential(1));

/** The slice's name as the table shows it: "all questions", or its values joined. */
export function sliceLabel(s: CompareSlice): string {
  const values = Object.values(s.slice).map((v) => valueName(v as string));
  return values.length ? values.join(' × ') : 'all questions';
}

/** The side panel's filters for the row's questions of one kind (all paired questions when kind is null). */
export function sliceFilters(r: RunComparisonResult, s: CompareSlice, kind: ComparisonKind | null): FailureFilters {
  const f: Record<string, unknown> = { comparison: { a: r.a, b: r.b, ...(kind ? { kind } : {}) } };
  for (const [field, v] of Object.entries(s.slice)) f[field] = [v];
  return f as FailureFilters;
}

/**
 * The side panel's filters for one run's correct answers in the row (A's or B's): the comparison's list is of
 * its B run's predictions, so for A's the two runs trade places.
 */
export function correctFilters(r: RunComparisonResult, s: CompareSlice, run: 'a' | 'b'): FailureFilters {
  const swapped = run === 'a' ? { ...r, a: r.b, b: r.a } : r;
  return { ...sliceFilters(swapped, s, null), outcome: ['correct'] } as FailureFilters;
}

/** Significant: the clip-clustered interval excludes 0. */
export const significant = (s: CompareSlice): boolean => !!s.ci95 && (s.ci95[0] > 0 || s.ci95[1] < 0);

function errorBar(s: CompareSlice, scale: number): SVGSVGElement {
  const x = (v: number) => BAR_WIDTH / 2 + (v / scale) * (BAR_WIDTH / 2 - 4);
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('width', String(BAR_WIDTH));
  svg.setAttribute('height', String(BAR_HEIGHT));
  svg.setAttribute('class', 'error-bar');
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', `B − A ${signed(s.delta)} points, 95% interval ${interval(s.ci95)}`);
  const line = (x1: number, y1: number, x2: number, y2: number, cls: string) => {
    const l = document.createElementNS(SVG, 'line');
    for (const [k, v] of Object.entries({ x1, y1, x2, y2 })) l.setAttribute(k, String(v));
    l.setAttribute('class', cls);
    svg.append(l);
  };
  line(x(0), 0, x(0), BAR_HEIGHT, 'zero');
  if (s.ci95) {
    const [lo, hi] = s.ci95;
    line(x(lo), BAR_HEIGHT / 2, x(hi), BAR_HEIGHT / 2, 'ci');
    line(x(lo), 3, x(lo), BAR_HEIGHT - 3, 'ci');
    line(x(hi), 3, x(hi), BAR_HEIGHT - 3, 'ci');
  }
  if (s.delta !== null) {
    const dot = document.createElementNS(SVG, 'circle');
    dot.setAttribute('cx', String(x(s.delta)));
    dot.setAttribute('cy', String(BAR_HEIGHT / 2));
    dot.setAttribute('r', '3');
    dot.setAttribute('class', 'delta');
    svg.append(dot);
  }
  return svg;
}

export class CompareSection {
  readonly el = el('section', { id: 'compare', 'aria-labelledby': 'compare-title' });
  private result: RunComparisonResult | null = null;
  private error = '';

  constructor(
    private readonly pick: () => void,
    private readonly showFailures: (filters: FailureFilters) => void,
  ) {
    this.render();
  }

  set(result: RunComparisonResult | null, error?: string): void {
    this.result = result;
    this.error = error ?? '';
    this.render();
  }

  private render(): void {
    const head = el('div', { class: 'section-head' }, heading(2, 'Compare two runs', 'compare-title'));
    head.append(button('Compare runs…', () => this.pick(), { id: 'compare-pick' }));
    this.el.replaceChildren(head);
    const r = this.result;
    if (this.error) this.el.append(el('p', { class: 'status error', role: 'alert' }, this.error));
    if (!r) {
      this.el.append(
        el(
          'p',
          { class: 'note' },
          'Pick a run A and a run B: what B fixed and broke, per slice, and whether it is real.',
        ),
      );
      return;
    }
    this.el.append(
      el(
        'p',
        { class: 'note', id: 'compare-runs' },
        `B = ${r.b} against A = ${r.a}, on the ${formatCount(r.n)} questions both answered. B − A in points; the 95% interval resamples clips (the questions of a clip together); ● marks an interval that excludes 0.`,
      ),
    );
    const scale = Math.max(0.05, ...r.slices.flatMap((s) => (s.ci95 ? s.ci95.map(Math.abs) : [])));
    const table = el('table', { class: 'numbers compare-table', id: 'compare-table' });
    const headRow = el('tr');
    for (const h of [
      'slice',
      'n',
      'A correct',
      'B correct',
      'fixed by B',
      'broken by B',
      'both failed',
      'B − A',
      '95% interval (clips)',
      '',
      'naive interval',
      'McNemar p',
    ])
      headRow.append(el('th', { scope: 'col' }, h));
    table.append(el('thead', {}, headRow));
    const body = el('tbody');
    const link = (n: number, filters: () => FailureFilters, what: string, s: CompareSlice, cls: string) => {
      const td = el('td', { class: `num ${cls}` });
      td.append(
        linkButton(formatCount(n), () => this.showFailures(filters()), {
          'aria-label': `${formatCount(n)} ${what}, ${sliceLabel(s)}: show in the side panel`,
        }),
      );
      return td;
    };
    const count = (s: CompareSlice, n: number, kind: ComparisonKind | null, cls: string) =>
      link(n, () => sliceFilters(r, s, kind), kind ?? 'questions', s, cls);
    for (const s of r.slices) {
      const row = el('tr', { 'data-slice': JSON.stringify(s.slice) });
      const sig = significant(s);
      if (sig) row.classList.add('significant');
      row.append(
        el('th', { scope: 'row' }, sliceLabel(s)),
        count(s, s.n, null, 'n'),
        link(s.aCorrect, () => correctFilters(r, s, 'a'), `correct by ${r.a}`, s, 'a-correct'),
        link(s.bCorrect, () => correctFilters(r, s, 'b'), `correct by ${r.b}`, s, 'b-correct'),
        count(s, s.onlyAFailed, 'fixed', 'fixed'),
        count(s, s.onlyBFailed, 'broken', 'broken'),
        count(s, s.bothFailed, 'bothFailed', 'both-failed'),
        el('td', { class: 'num delta' }, `${signed(s.delta)}${sig ? ' ●' : ''}`),
        el('td', { class: 'num ci' }, interval(s.ci95)),
        el('td', { class: 'bar' }, errorBar(s, scale)),
        el('td', { class: 'num ci-naive' }, interval(s.ci95Naive)),
        el('td', { class: 'num p' }, pValue(s.mcnemarP)),
      );
      body.append(row);
    }
    table.append(body);
    this.el.append(el('div', { class: 'table-scroll' }, table));
  }
}

// The virtualized list of predictions: a listbox whose rows have one fixed height. Only the rows in view
// plus an overscan (and the selected row) are in the DOM; the rows' data comes from the controller's page
// cache, which `needRows` asks to fill. Every field of a row is untrusted model or dataset text and is
// written with textContent / setAttribute only.
import type { PredictionRow } from '../../src/core/index/query';
import { add, el } from '../shared/dom';
import { formatCount } from '../shared/format';
import { setHighlighted, termsOf } from '../shared/highlight';
import { modelNameNodes } from '../shared/modelName';
import { valueName } from '../shared/names';
import { MOTION_BADGE, PERSPECTIVE_BADGE, PROMPT_SHORT } from './labels';

export const ROW_HEIGHT = 44;
/** Rows kept above and below the viewport. */
const OVERSCAN = 8;
/**
 * The tallest scroll area used. Chromium caps element heights near 33.5 million px; beyond this the scroll
 * position is scaled to the list (each pixel of scroll moves more than a pixel of rows).
 */
const MAX_SCROLL_HEIGHT = 6_000_000;

export interface ListCallbacks {
  rowAt(index: number): PredictionRow | undefined;
  /** The list shows rows first..last (inclusive); rows not cached yet should be fetched. */
  needRows(first: number, last: number): void;
  open(index: number, preserveFocus: boolean): void;
  /** The user moved the selection to row `index` with a key (an open detail view follows it). */
  moved(index: number): void;
  selectionChanged(index: number | null): void;
  scrolled(topRow: number): void;
}

interface RowElements {
  root: HTMLElement;
  icon: HTMLElement;
  question: HTMLElement;
  motion: HTMLElement;
  perspective: HTMLElement;
  /** "Rule-graded" on raw outputs: their verdict is the answer-reading rule's, not a judge's. */
  grader: HTMLElement;
  model: HTMLElement;
  prompt: HTMLElement;
  truth: HTMLElement;
  chosen: HTMLElement;
  tags: HTMLElement;
  /** What the element shows now, to skip rewriting unchanged rows. */
  shown: {
    index: number;
    row: PredictionRow | undefined;
    selected: boolean;
    total: number;
    terms: readonly string[];
  } | null;
}

const OUTCOME_ICON = {
  failed: 'codicon-error',
  correct: 'codicon-pass',
  ungraded: 'codicon-circle-large-outline',
} as const;

function answerText(letter: string | null, text: string | number | null): string {
  const t = text === null ? '' : String(text);
  if (letter && t) return `${letter} ${t}`;
  return letter ?? (t || '—');
}

/** What a screen reader says for a row. */
function rowLabel(row: PredictionRow): string {
  if (row.group) {
    return [
      `${row.group.failed} of ${row.group.of} predictions failed`,
      row.question,
      `ground truth ${answerText(row.groundTruthLetter, row.groundTruth)}`,
      `${valueName(row.motion)} motion`,
      `${valueName(row.perspective)} perspective`,
    ].join('. ');
  }
  const parts = [
    row.grader === 'rule' ? `${valueName(row.outcome)} (rule-graded)` : valueName(row.outcome),
    `${row.model}, ${valueName(row.promptMode)}`,
    row.question,
    `ground truth ${answerText(row.groundTruthLetter, row.groundTruth)}`,
    `chose ${answerText(row.chosen, row.chosenText)}`,
    `${valueName(row.motion)} motion`,
    `${valueName(row.perspective)} perspective`,
  ];
  const a = row.annotation;
  if (a?.verdict) parts.push(`verdict overridden to ${a.verdict}`);
  if (a && (a.tags.length || a.questionTags.length))
    parts.push(`tags ${[...new Set([...a.tags, ...a.questionTags])].join(', ')}`);
  if (a?.hasNote) parts.push('has a note');
  return parts.join('. ');
}

export class VirtualList {
  readonly el: HTMLElement;
  private readonly spacer: HTMLElement;
  private readonly pool: RowElements[] = [];
  /** Rows in the DOM by list index. */
  private readonly live = new Map<number, RowElements>();
  private total = 0;
  private selected: number | null = null;
  private frame = 0;
  private viewportHeight = 0;
  /** The search's terms, marked in the rows' questions. */
  private terms: readonly string[] = [];

  constructor(private readonly cb: ListCallbacks) {
    this.el = document.createElement('div');
    this.el.className = 'list';
    this.el.tabIndex = 0;
    this.el.setAttribute('role', 'listbox');
    this.el.setAttribute('aria-label', 'Predictions');
    this.spacer = add(this.el, 'div', 'list-spacer');
    this.spacer.setAttribute('role', 'presentation');
    this.el.addEventListener('scroll', () => this.schedule(), { passive: true });
    this.el.addEventListener('keydown', (e) => this.onKeyDown(e));
    this.el.addEventListener('click', (e) => this.onClick(e, true));
    this.el.addEventListener('dblclick', (e) => this.onClick(e, false));
    new ResizeObserver(() => {
      this.viewportHeight = this.el.clientHeight;
      this.schedule();
    }).observe(this.el);
  }

  get rowCount(): number {
    return this.total;
  }

  get selectedIndex(): number | null {
    return this.selected;
  }

  /** The index of the first row in view. */
  get topRow(): number {
    return Math.min(Math.max(0, this.total - 1), Math.floor(this.logicalTop() / ROW_HEIGHT));
  }

  setTotal(total: number): void {
    if (total === this.total) return;
    this.total = total;
    this.spacer.style.height = `${Math.min(total * ROW_HEIGHT, MAX_SCROLL_HEIGHT)}px`;
    if (this.selected !== null && this.selected >= total) this.setSelected(total ? total - 1 : null, false);
    this.el.setAttribute('aria-busy', 'false');
    this.renderNow();
  }

  /** New data arrived (or the list was reset): redraw what is in view. */
  refresh(): void {
    for (const r of this.live.values()) r.shown = null;
    this.schedule();
  }

  /** The search text whose matches the rows mark. */
  setSearch(text: string): void {
    const terms = termsOf(text);
    if (terms.join('\0') === this.terms.join('\0')) return;
    this.terms = terms;
    this.refresh();
  }

  /** Back to the top with nothing selected (new filters). */
  reset(): void {
    this.selected = null;
    this.el.removeAttribute('aria-activedescendant');
    this.el.scrollTop = 0;
    for (const r of this.live.values()) r.shown = null;
    this.schedule();
  }

  scrollToRow(index: number): void {
    this.el.scrollTop = Math.round((index * ROW_HEIGHT) / this.ratio());
    this.renderNow();
  }

  /** Selects row `index` (null: none) and, with `reveal`, scrolls it into view. */
  select(index: number | null, reveal = true): void {
    this.setSelected(index === null ? null : Math.max(0, Math.min(this.total - 1, index)), reveal);
  }

  /** Moves the selection by `delta` rows (from the top row in view when nothing is selected). */
  move(delta: number): number | null {
    if (!this.total) return null;
    const from = this.selected ?? (delta > 0 ? this.topRow - 1 : this.topRow + this.visibleRows());
    this.select(from + delta);
    return this.selected;
  }

  focus(): void {
    this.el.focus({ preventScroll: true });
  }

  // ------------------------------------------------------------------------------------------ internals

  private visibleRows(): number {
    return Math.max(1, Math.floor(this.viewportHeight / ROW_HEIGHT));
  }

  /** Rows per pixel of scroll beyond 1 when the list is taller than the scroll area. */
  private ratio(): number {
    const content = this.total * ROW_HEIGHT;
    const scroll = Math.min(content, MAX_SCROLL_HEIGHT);
    const vh = this.viewportHeight;
    return scroll > vh && content > scroll ? (content - vh) / (scroll - vh) : 1;
  }

  private logicalTop(): number {
    return this.el.scrollTop * this.ratio();
  }

  private setSelected(index: number | null, reveal: boolean): void {
    const changed = index !== this.selected;
    this.selected = index;
    if (index !== null && reveal) this.reveal(index);
    if (index === null) this.el.removeAttribute('aria-activedescendant');
    this.renderNow();
    if (changed) this.cb.selectionChanged(index);
  }

  private reveal(index: number): void {
    const top = index * ROW_HEIGHT;
    const logical = this.logicalTop();
    const vh = this.viewportHeight || this.el.clientHeight;
    let target: number | null = null;
    if (top < logical) target = top;
    else if (top + ROW_HEIGHT > logical + vh) target = top + ROW_HEIGHT - vh;
    if (target !== null) this.el.scrollTop = Math.round(target / this.ratio());
  }

  private schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.render();
    });
  }

  private renderNow(): void {
    if (this.frame) cancelAnimationFrame(this.frame);
    this.frame = 0;
    this.render();
  }

  private render(): void {
    if (!this.viewportHeight) this.viewportHeight = this.el.clientHeight;
    const logical = this.logicalTop();
    const scrollTop = this.el.scrollTop;
    const first = Math.max(0, Math.floor(logical / ROW_HEIGHT) - OVERSCAN);
    const last = Math.min(this.total - 1, Math.floor((logical + this.viewportHeight) / ROW_HEIGHT) + OVERSCAN);
    const wanted = new Set<number>();
    for (let i = first; i <= last; i++) wanted.add(i);
    // The selected row stays in the DOM so aria-activedescendant always points at an element.
    if (this.selected !== null && this.selected < this.total) wanted.add(this.selected);

    for (const [index, r] of this.live) {
      if (!wanted.has(index)) {
        this.live.delete(index);
        r.root.remove();
        r.shown = null;
        this.pool.push(r);
      }
    }
    for (const index of wanted) {
      let r = this.live.get(index);
      if (!r) {
        r = this.pool.pop() ?? this.createRow();
        this.live.set(index, r);
        this.spacer.append(r.root);
      }
      this.fill(r, index);
      // Rows sit at their logical offset; with a scaled scroll area that offset moves with scrollTop.
      r.root.style.transform = `translateY(${index * ROW_HEIGHT - logical + scrollTop}px)`;
    }
    if (this.selected !== null && this.live.has(this.selected))
      this.el.setAttribute('aria-activedescendant', rowId(this.selected));
    if (this.total > 0 && last >= first) this.cb.needRows(first, last);
    this.cb.scrolled(this.topRow);
  }

  private createRow(): RowElements {
    const root = el('div', 'row');
    root.setAttribute('role', 'option');
    const icon = add(root, 'span', 'row-icon codicon');
    icon.setAttribute('aria-hidden', 'true');
    const main = add(root, 'div', 'row-main');
    const line1 = add(main, 'div', 'row-line');
    const question = add(line1, 'span', 'row-question');
    const badges = add(line1, 'span', 'row-badges');
    const motion = add(badges, 'span', 'badge');
    const perspective = add(badges, 'span', 'badge');
    const grader = add(badges, 'span', 'badge badge-rule');
    grader.textContent = 'Rule-graded';
    grader.title = "No judge graded this raw output: its verdict is the answer-reading rule's";
    const line2 = add(main, 'div', 'row-line row-detail');
    const model = add(line2, 'span', 'row-model');
    const prompt = add(line2, 'span', 'row-prompt');
    add(line2, 'span', 'row-label').textContent = 'truth';
    const truth = add(line2, 'span', 'row-answer row-truth');
    add(line2, 'span', 'row-label chosen-label').textContent = 'chose';
    const chosen = add(line2, 'span', 'row-answer row-chosen');
    const tags = add(line2, 'span', 'row-tags');
    for (const part of [line1, line2]) part.setAttribute('aria-hidden', 'true');
    return { root, icon, question, motion, perspective, grader, model, prompt, truth, chosen, tags, shown: null };
  }

  private fill(r: RowElements, index: number): void {
    const row = this.cb.rowAt(index);
    const selected = index === this.selected;
    const s = r.shown;
    const terms = this.terms;
    if (
      s &&
      s.index === index &&
      s.row === row &&
      s.selected === selected &&
      s.total === this.total &&
      s.terms === terms
    )
      return;
    r.shown = { index, row, selected, total: this.total, terms };
    const root = r.root;
    root.id = rowId(index);
    root.dataset.index = String(index);
    root.setAttribute('aria-posinset', String(index + 1));
    root.setAttribute('aria-setsize', String(this.total));
    root.setAttribute('aria-selected', String(selected));
    root.classList.toggle('selected', selected);
    if (!row) {
      root.classList.add('loading');
      root.removeAttribute('data-id');
      root.setAttribute('aria-label', `Row ${formatCount(index + 1)}, loading`);
      r.icon.className = 'row-icon codicon codicon-loading';
      r.question.textContent = 'Loading…';
      for (const e of [r.motion, r.perspective, r.model, r.prompt, r.truth, r.chosen, r.tags]) e.textContent = '';
      r.motion.hidden = r.perspective.hidden = r.grader.hidden = true;
      root.removeAttribute('title');
      return;
    }
    root.classList.remove('loading');
    root.dataset.id = String(row.id);
    root.dataset.outcome = row.outcome;
    root.setAttribute('aria-label', rowLabel(row));
    r.icon.className = `row-icon codicon ${OUTCOME_ICON[row.outcome] ?? 'codicon-circle-large-outline'} outcome-${row.outcome}`;
    setHighlighted(r.question, row.question, terms);
    r.question.title = row.question;
    r.motion.hidden = false;
    r.motion.textContent = MOTION_BADGE[row.motion] ?? row.motion;
    r.motion.title = `Motion: ${valueName(row.motion)} (${row.rules.motion})`;
    const p = PERSPECTIVE_BADGE[row.perspective];
    r.perspective.hidden = !p;
    r.perspective.textContent = p ?? '';
    r.perspective.title = `Perspective: ${valueName(row.perspective)} (${row.rules.perspective})`;
    r.grader.hidden = row.grader !== 'rule';
    // Grouped by question: the row stands for its question and says how many of its predictions failed.
    root.classList.toggle('grouped', !!row.group);
    if (row.group) r.model.textContent = `${row.group.failed} of ${row.group.of} failed`;
    else r.model.replaceChildren(...modelNameNodes(row.model));
    r.model.title = row.group
      ? `${row.group.failed} of the ${row.group.of} predictions for this question (under the other filters) failed`
      : `${row.model}_${row.samplingLabel}`;
    r.prompt.textContent = PROMPT_SHORT[row.promptMode] ?? row.promptMode;
    r.truth.textContent = answerText(row.groundTruthLetter, row.groundTruth);
    r.truth.title = `Ground truth: ${answerText(row.groundTruthLetter, row.groundTruth)}`;
    r.chosen.textContent = answerText(row.chosen, row.chosenText);
    r.chosen.title = `Chosen: ${answerText(row.chosen, row.chosenText)}`;
    r.chosen.classList.toggle('wrong', row.outcome === 'failed');
    const a = row.annotation;
    const tagList = a ? [...a.tags, ...a.questionTags.filter((t) => !a.tags.includes(t))] : [];
    r.tags.textContent = [
      ...(a?.verdict ? ['overridden'] : []),
      ...tagList.map((t) => `#${t}`),
      ...(a?.hasNote ? ['✎'] : []),
    ].join(' ');
    r.tags.title = a
      ? `${a.verdict ? `Verdict overridden to ${a.verdict}. ` : ''}${tagList.length ? `Tags: ${tagList.join(', ')}. ` : ''}${a.hasNote ? 'Has a note.' : ''}`
      : '';
    root.classList.toggle('overridden', !!a?.verdict);
  }

  private onClick(e: MouseEvent, preserveFocus: boolean): void {
    const rowEl = (e.target as HTMLElement).closest<HTMLElement>('.row');
    if (!rowEl || rowEl.dataset.index === undefined) return;
    const index = Number(rowEl.dataset.index);
    this.focus();
    this.select(index);
    this.cb.open(index, preserveFocus);
  }

  private onKeyDown(e: KeyboardEvent): void {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    const before = this.selected;
    this.navigate(e);
    if (e.defaultPrevented && this.selected !== null && this.selected !== before) this.cb.moved(this.selected);
  }

  private navigate(e: KeyboardEvent): void {
    const page = Math.max(1, this.visibleRows() - 1);
    switch (e.key) {
      case 'ArrowDown':
      case 'j':
        this.move(1);
        break;
      case 'ArrowUp':
      case 'k':
        this.move(-1);
        break;
      case 'PageDown':
        this.move(page);
        break;
      case 'PageUp':
        this.move(-page);
        break;
      case 'Home':
        if (this.total) this.select(0);
        break;
      case 'End':
        if (this.total) this.select(this.total - 1);
        break;
      case 'Enter':
      case ' ':
        if (this.selected === null) return;
        this.cb.open(this.selected, e.key === ' ');
        break;
      default:
        return;
    }
    e.preventDefault();
  }
}

export const rowId = (index: number): string => `row-${index}`;

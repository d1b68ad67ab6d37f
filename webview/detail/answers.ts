// "Every loaded answer to this question": one compact row per loaded run, the failed ones first, each with the
// chosen option's letter and its text. Collapsible to its heading; whether it is collapsed is kept in the
// webview's state, so it stays as the user left it from one prediction to the next and across reloads.
import type { DetailData, DetailToHost, OtherAnswer } from '../../src/protocol/detailView';
import { add } from '../shared/dom';
import { valueName as name } from '../shared/names';
import { icon, OUTCOME_ICON, outcomeText, RULE_GRADED_TITLE } from './verdictText';

/** Failed first, then ungraded, then correct; the host's order within each. */
const RANK: Record<string, number> = { failed: 0, ungraded: 1, correct: 2 };
export const sortAnswers = (others: OtherAnswer[]): OtherAnswer[] =>
  others
    .map((o, i) => ({ o, i }))
    .sort((a, b) => (RANK[a.o.outcome] ?? 1) - (RANK[b.o.outcome] ?? 1) || a.i - b.i)
    .map(({ o }) => o);

/** What an answer chose, in words: "A: counter-clockwise", or why there is no letter. */
export const chosenWords = (o: OtherAnswer): string =>
  o.chosen ? `${o.chosen}: ${o.chosenText ?? ''}`.trimEnd() : (o.chosenText ?? 'no valid answer');

export interface AnswersState {
  collapsed(): boolean;
  setCollapsed(on: boolean): void;
}

export function renderAnswers(
  d: DetailData,
  parent: HTMLElement,
  post: (m: DetailToHost) => void,
  state: AnswersState,
): void {
  const sec = add(parent, 'section', 'block answers');
  sec.id = 'answers';
  const h = add(sec, 'h2');
  const toggle = add(h, 'button', 'section-toggle');
  toggle.type = 'button';
  toggle.id = 'answers-toggle';
  const failed = d.others.filter((o) => o.outcome === 'failed').length;
  const chevron = icon('chevron-down', toggle);
  add(toggle, 'span', '', `Every loaded answer to this question (${d.others.length}, ${failed} failed)`);
  const table = add(sec, 'table', 'others');
  table.id = 'others';
  const setOpen = (open: boolean) => {
    toggle.setAttribute('aria-expanded', String(open));
    chevron.className = `codicon codicon-chevron-${open ? 'down' : 'right'}`;
    table.hidden = !open;
  };
  toggle.setAttribute('aria-controls', table.id);
  setOpen(!state.collapsed());
  toggle.addEventListener('click', () => {
    const open = toggle.getAttribute('aria-expanded') !== 'true';
    setOpen(open);
    state.setCollapsed(!open);
  });
  const head = add(add(table, 'thead'), 'tr');
  for (const th of ['Model', 'Prompt', 'Chose', 'Outcome']) add(head, 'th', '', th);
  const tbody = add(table, 'tbody');
  for (const o of sortAnswers(d.others)) {
    const tr = add(tbody, 'tr', o.current ? 'current' : '');
    tr.dataset.id = String(o.id);
    tr.dataset.outcome = o.outcome;
    const first = add(tr, 'td');
    if (o.current) {
      add(first, 'span', '', `${o.model}_${o.samplingLabel}`);
      add(first, 'span', 'muted shown', ' (shown)');
      tr.setAttribute('aria-current', 'true');
    } else {
      const b = add(first, 'button', 'link', `${o.model}_${o.samplingLabel}`);
      b.type = 'button';
      b.title = 'Open this prediction';
      b.addEventListener('click', () => post({ type: 'open', id: o.id }));
    }
    add(tr, 'td', '', name(o.promptMode));
    add(tr, 'td', 'chose', chosenWords(o));
    const out = add(tr, 'td', `outcome-${o.outcome}`);
    icon(OUTCOME_ICON[o.outcome] ?? 'circle', out);
    add(out, 'span', '', ` ${outcomeText(o.outcome, o.grader)}`);
    if (o.grader === 'rule') out.title = RULE_GRADED_TITLE;
  }
}

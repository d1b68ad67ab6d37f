// How verdicts and outcomes are worded and marked, the same in the decision bar, the verdict section and the
// answers table.
import type { Grader } from '../../src/core/model';
import type { DetailData } from '../../src/protocol/detailView';
import { add } from '../shared/dom';
import { valueName as name } from '../shared/names';

export const OUTCOME_ICON: Record<string, string> = {
  failed: 'error',
  correct: 'pass',
  ungraded: 'circle-large-outline',
};
export const RULE_GRADED_TITLE = 'No judge graded this raw output: its verdict is the answer-reading rule’s';

export const verdictText = (v: boolean | null): string => (v === null ? 'no verdict' : v ? 'correct' : 'wrong');

/** An outcome as shown: a rule's verdict is always labelled as one. */
export const outcomeText = (outcome: string, grader: Grader | undefined): string =>
  grader === 'rule' && outcome !== 'ungraded' ? `${name(outcome)} (rule-graded)` : name(outcome);

/** Who graded the prediction (the verdict an override replaces) and that verdict. */
export function gradedBy(p: DetailData['prediction']): { who: 'judge' | 'rule'; verdict: boolean | null } {
  return p.grader === 'rule'
    ? { who: 'rule', verdict: p.ruleReading.correct }
    : { who: 'judge', verdict: p.judgeCorrect };
}

export function icon(nameOf: string, parent: HTMLElement): HTMLElement {
  const i = add(parent, 'span', `codicon codicon-${nameOf}`);
  i.setAttribute('aria-hidden', 'true');
  return i;
}

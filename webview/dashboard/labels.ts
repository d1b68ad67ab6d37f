// Words the dashboard's sections share.
import { RULE_GRADED_SUFFIX } from '../../src/core/dashboard/aggregate';
import type { PromptMode } from '../../src/core/model';

export const PROMPT_LABEL: Record<PromptMode, string> = {
  cot: 'chain of thought',
  'direct-output': 'direct output',
  unspecified: 'prompt unspecified',
};
export const RULE_NOTE = `Models marked “${RULE_GRADED_SUFFIX.trim()}” are raw outputs graded by the answer-reading rule, not by a judge; their verdicts are never added to a judge's.`;

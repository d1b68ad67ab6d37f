// How the side panel shows facets: their titles, the audit's filters, short forms for the row badges (the
// values' own names are shared by every view: ../shared/names.ts).
import type { MotionType, Perspective, PromptMode } from '../../src/core/model';
import { GRADERS, MOTION_TYPES, OUTCOMES, PERSPECTIVES, PROMPT_MODES, SOURCES, SPLITS } from '../../src/core/model';
import type { AuditFlag } from '../../src/core/index/query';

/** The facets with a fixed list of values, in the order the panel shows them (models come from the index). */
export const FIXED_FACETS = {
  split: SPLITS,
  perspective: PERSPECTIVES,
  motion: MOTION_TYPES,
  source: SOURCES,
  promptMode: PROMPT_MODES,
  grader: GRADERS,
} as const;
export type FixedFacet = keyof typeof FIXED_FACETS;
export { OUTCOMES };

export const FACET_TITLES = {
  split: 'Split',
  perspective: 'Perspective',
  motion: 'Motion',
  source: 'Source',
  promptMode: 'Prompt',
  model: 'Model',
  outcome: 'Outcome',
  grader: 'Graded by',
} as const;

/** The judge audit's filters (the rule's reading against the judge's; see src/core/index/auditLayer.ts). */
export const AUDIT_NAMES: Record<AuditFlag, string> = {
  'judge-disagrees': 'Judge ≠ rule',
  'no-answer': 'No answer read',
  'judges-disagree': 'Judges differ',
};
export const AUDIT_DESCRIPTIONS: Record<AuditFlag, string> = {
  'judge-disagrees': "The answer-reading rule's verdict differs from the judge's",
  'no-answer': 'The answer-reading rule reads no single answer in the response',
  'judges-disagree': 'Another judged file of the same run gives the other verdict',
};

export const MOTION_BADGE: Record<MotionType, string> = {
  translational: 'Translation',
  rotational: 'Rotation',
  counting: 'Counting',
  'false-positive': 'False pos.',
};
export const PERSPECTIVE_BADGE: Record<Perspective, string | null> = {
  egocentric: 'Ego',
  exocentric: 'Exo',
  unspecified: null,
};
export const PROMPT_SHORT: Record<PromptMode, string> = {
  cot: 'CoT',
  'direct-output': 'direct',
  unspecified: 'prompt?',
};

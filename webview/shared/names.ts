// What every view calls a value of the taxonomy, an outcome or a grader, for people (the data holds ids).
import type { Grader, MotionType, Outcome, Perspective, PromptMode, Source, Split } from '../../src/core/model';

const NAMES: Record<Split | Perspective | MotionType | Source | PromptMode | Outcome | Grader, string> = {
  real: 'Real',
  synthetic: 'Synthetic',
  egocentric: 'Egocentric',
  exocentric: 'Exocentric',
  unspecified: 'Unspecified',
  translational: 'Translational',
  rotational: 'Rotational',
  counting: 'Counting',
  'false-positive': 'False positive',
  davis: 'DAVIS',
  ego4d: 'Ego4D',
  'youtube-vos': 'YouTube-VOS',
  unknown: 'Unknown',
  cot: 'CoT',
  'direct-output': 'Direct output',
  failed: 'Failed',
  correct: 'Correct',
  ungraded: 'Ungraded',
  judge: 'Judge',
  rule: 'Rule-graded',
  none: 'Not graded',
};

export function valueName(value: string): string {
  return (NAMES as Record<string, string>)[value] ?? value;
}

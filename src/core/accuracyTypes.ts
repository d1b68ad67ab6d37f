// The paper's accuracy table as data (accuracyTable.ts computes it). Apart from it because the webview
// compiles these types too and accuracyTable.ts is Node-only: nothing here may import Node modules.
import type { Grader, PromptMode } from './model';

/** A percentage, or null where the script divides by nothing and writes the integer 0. */
export type Percent = number | null;

export interface SliceCount {
  correct: number;
  total: number;
}

/** The table's percentage columns, in the script's order (after `file`). */
export const ACCURACY_PERCENT_KEYS = [
  'realEgo',
  'realExo',
  'realOverall',
  'synthDirectional',
  'synthFalsePositive',
  'synthOverall',
  'overall',
] as const;

export interface AccuracyRow {
  file: string;
  realEgo: Percent;
  realExo: Percent;
  realOverall: Percent;
  synthDirectional: Percent;
  synthFalsePositive: Percent;
  synthOverall: Percent;
  overall: Percent;
  counts: { realEgo: SliceCount; realExo: SliceCount; synthDirectional: SliceCount; synthFalsePositive: SliceCount };
}

export interface AccuracyTable {
  promptMode: PromptMode;
  /**
   * judge: judged files (the authors' table). rule: raw outputs no judge has seen, graded by the
   * answer-reading rule; always shown as "rule-graded", never beside the judges' numbers unmarked.
   */
  grader: Grader;
  realDir: string;
  syntheticDir: string;
  rows: AccuracyRow[];
}

// Two reviewers' annotations compared as the extension shows it: yours (the annotations files of the folders
// open, taken together) against a file another reviewer wrote, which must read as an annotations file or is
// refused with the reason. The figures are agreement.ts's. Browser-safe: no Node modules.
import { agreement } from './agreement';
import type { AgreementResult } from './agreement';
import type { Annotations } from './annotations/format';
import { emptyAnnotations, parseAnnotations } from './annotations/format';

/** Largest file taken as another reviewer's annotations (a million annotated predictions is ~150 MB). */
export const REVIEWER_FILE_LIMIT = 200 * 1024 * 1024;

export interface ReviewerComparison {
  /** Your annotations files, and the other reviewer's file (paths as shown). */
  fileA: string;
  fileB: string;
  result: AgreementResult;
  /** Keys of disagreements the open results do not hold (they cannot be opened). */
  missing: string[];
}

/** Several folders' annotations as one reviewer's: prediction items by key (a key is in one folder's results). */
export function ownAnnotations(files: readonly Readonly<Annotations>[]): Annotations {
  const out = emptyAnnotations();
  for (const f of files) Object.assign(out.predictions, f.predictions);
  return out;
}

/**
 * The agreement between `own` and the other reviewer's file text; a reason (naming what is wrong) when the
 * text is not an annotations file or the two share no annotated prediction.
 */
export function compareReviewers(
  own: Annotations,
  otherText: string,
): { ok: true; result: AgreementResult; other: Annotations } | { ok: false; reason: string } {
  const other = parseAnnotations(otherText);
  if (!other.ok) return { ok: false, reason: `it is not a VLM4D annotations file: ${other.reason}` };
  const result = agreement(own, other.data);
  if (!result.n) {
    const theirs = Object.keys(other.data.predictions).length;
    return {
      ok: false,
      reason: `no prediction is annotated in both (yours: ${Object.keys(own.predictions).length}, theirs: ${theirs})`,
    };
  }
  return { ok: true, result, other: other.data };
}

// The graded predictions whose prompt mode is `unspecified` (a harness run whose task or dataset name and
// config do not say cot or direct): the chain-of-thought vs direct-output comparison cannot place them
// on either side, so it names them instead of leaving them out silently.
import { seriesLabel } from './aggregate';
import type { DashboardData } from './data';

export interface UnspecifiedPrompt {
  predictions: number;
  /** The series' labels (model names, "(rule-graded)" for the rule's), sorted. */
  models: string[];
}

export function unspecifiedPrompt(data: DashboardData): UnspecifiedPrompt | null {
  const runs = new Set<number>();
  data.runs.forEach((r, i) => {
    if (r.promptMode === 'unspecified' && r.grader !== 'none') runs.add(i);
  });
  let predictions = 0;
  for (const run of data.predictions.run) if (runs.has(run)) predictions++;
  if (!predictions) return null;
  const models = new Set<string>();
  for (const i of runs) {
    const r = data.runs[i];
    if (r && r.grader !== 'none') models.add(seriesLabel(r.model, r.grader));
  }
  return { predictions, models: [...models].sort() };
}

/** The note shown under the comparison. */
export function unspecifiedPromptNote(u: UnspecifiedPrompt): string {
  const n = u.predictions.toLocaleString('en-US');
  const who = u.models.length === 1 ? (u.models[0] as string) : `${u.models.length} models (${u.models.join(', ')})`;
  return (
    `Not compared: ${n} graded prediction${u.predictions === 1 ? '' : 's'} of ${who} with an unspecified prompt mode ` +
    '(the task or dataset name does not say cot or direct). They are counted everywhere else under ' +
    '"unspecified"; name the task with the prompt mode to compare it (docs/harness-formats.md, Prompt mode).'
  );
}

// `vlm4d compare`: two runs on the questions both answered, overall and per slice, with the accuracy
// difference, its clip-clustered 95% interval beside the naive one, and McNemar's exact p (docs/compare.md).
import type { CompareFilter } from '../core/index/runComparison';
import type { ResultIndex, RunComparisonResult } from '../core/index/resultIndex';
import type { CompareSlice } from '../core/compare/slices';
import { terminalSafe } from '../core/terminalText';

export const COMPARE_USAGE = `  compare FOLDER --a RUN --b RUN [--split ..] [--perspective ..] [--motion ..] [--source ..] [--json]
                                 two runs (<prompt>/<model>_<sampling>, e.g. cot/gpt-4o_32frame) on the
                                 questions both answered: B - A overall and per slice, with a 95% interval
                                 that resamples clips, the naive one, and McNemar's exact p`;

export class CompareUsageError extends Error {}

const pct = (x: number | null) => (x === null ? '-' : `${(100 * x).toFixed(1)}`);
const signed = (x: number | null) => (x === null ? '-' : `${x > 0 ? '+' : ''}${(100 * x).toFixed(1)}`);
const interval = (ci: [number, number] | null) => (ci ? `[${signed(ci[0])}, ${signed(ci[1])}]` : '-');
const pValue = (p: number) => (p < 0.001 ? '<0.001' : p.toFixed(3));

function sliceName(s: CompareSlice): string {
  const values = Object.values(s.slice);
  return values.length ? values.join(' x ') : 'all';
}

/** The comparison as a table for people: one line a slice, a star where the interval leaves out zero. */
export function compareTable(r: RunComparisonResult): string {
  const head = [
    'slice',
    'n',
    'A %',
    'B %',
    'B - A',
    '95% CI (clips)',
    '95% CI (naive)',
    'fixed',
    'broken',
    'McNemar p',
  ];
  const rows = r.slices.map((s) => {
    const significant = s.ci95 !== null && (s.ci95[0] > 0 || s.ci95[1] < 0);
    return [
      sliceName(s),
      String(s.n),
      pct(s.n ? s.aCorrect / s.n : null),
      pct(s.n ? s.bCorrect / s.n : null),
      `${signed(s.delta)}${significant ? ' *' : ''}`,
      interval(s.ci95),
      interval(s.ci95Naive),
      String(s.onlyAFailed),
      String(s.onlyBFailed),
      pValue(s.mcnemarP),
    ];
  });
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] as string).length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i ? c.padStart(widths[i] as number) : c.padEnd(widths[i] as number))).join('  ');
  return [
    `A: ${r.a}`,
    `B: ${r.b}`,
    `${r.n} questions both answered; * where the 95% interval (resampling clips) leaves out 0; fixed = A failed, B right`,
    '',
    line(head),
    ...rows.map(line),
    '',
  ].join('\n');
}

/** Runs the command on an index already synced; 2 with a message for an unknown or missing run. */
export function compareCommand(
  index: ResultIndex,
  o: { a?: string; b?: string; filter: CompareFilter; json: boolean },
  out: (s: string) => void,
): number {
  const runs = index.comparisonRuns();
  if (!o.a || !o.b) throw new CompareUsageError('compare takes --a RUN and --b RUN');
  const unknown = [o.a, o.b].filter((r) => !runs.includes(r));
  if (unknown.length) {
    throw new CompareUsageError(
      `no run named ${unknown.map((u) => `"${u}"`).join(' or ')} in the results; the runs found:\n  ${runs.join('\n  ') || '(none)'}`,
    );
  }
  const result = index.compare(o.a, o.b, o.filter);
  if (o.json) out(JSON.stringify(result, null, 2) + '\n');
  else out(terminalSafe(compareTable(result)).replace(/\\x0a/g, '\n'));
  return 0;
}

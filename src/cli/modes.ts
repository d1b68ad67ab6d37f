// `vlm4d suggest`, `vlm4d slices` and `vlm4d agreement`: the failure-mode suggestions with the detectors'
// measured precision, where the predictions fail most, and how far two reviewers agree (docs/cli.md).
import { agreement } from '../core/agreement';
import type { AgreementResult } from '../core/agreement';
import type { Annotations } from '../core/annotations/format';
import { DETECTORS } from '../core/failureModes';
import { DETECTOR_PRECISION } from '../core/failureModePrecision';
import type { FailureQuery } from '../core/index/query';
import { MAX_PAGE_ROWS } from '../core/index/query';
import type { ResultIndex } from '../core/index/resultIndex';
import type { SliceFilter } from '../core/index/sliceData';
import type { Slice } from '../core/slices/sliceLine';

export const MODES_USAGE = `  suggest FOLDER [filters] [--detector TAG]... [--file PATH] [--json]
                                 failed predictions with an open failure-mode suggestion (not yet a tag,
                                 not rejected in FOLDER/.vlm4d/annotations.json or --file), with the
                                 evidence, and each detector's count and measured precision
  slices FOLDER [filters] [--top K] [--min-support N] [--alpha A] [--json]
                                 where the predictions fail most: conjunctions of up to three field
                                 values scored by SliceLine (failure lift against size)
  agreement FOLDER --file A --file B [--json]
                                 Cohen's kappa per tag and for verdict overrides between two annotations
                                 files (paths relative to FOLDER), over the predictions both annotated,
                                 and where they disagree`;

export class ModesUsageError extends Error {}

/** Columns padded to their widest cell; the first left-aligned, the rest right-aligned. */
function table(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i ? c.padStart(widths[i] as number) : c.padEnd(widths[i] as number))).join('  ');
  return [line(head), ...rows.map(line)].join('\n') + '\n';
}

const pct = (x: number | null) => (x === null ? '-' : `${(100 * x).toFixed(1)}%`);

/** The suggest command's JSON: open suggestions of the failed predictions under the filters. */
export function suggestReport(index: ResultIndex, query: FailureQuery, detectors: readonly string[] | undefined) {
  const unknown = (detectors ?? []).filter((d) => !(DETECTORS as readonly string[]).includes(d));
  if (unknown.length)
    throw new ModesUsageError(`--detector must be one of ${DETECTORS.join(', ')} (got "${unknown.join('", "')}")`);
  index.auditAll();
  const q: FailureQuery = {
    ...query,
    outcome: ['failed'],
    suggested: detectors?.length ? [...detectors] : [...DETECTORS],
  };
  const first = index.query({ ...q, limit: 0 });
  const rows: { key: string; suggestions: { tag: string; detector: string; evidence: string }[] }[] = [];
  for (let offset = 0; offset < first.total; offset += MAX_PAGE_ROWS) {
    for (const r of index.query({ ...q, offset, limit: MAX_PAGE_ROWS }).rows) {
      const open = index
        .suggestions(r.id)
        .filter((s) => s.status === 'open' && (!detectors?.length || detectors.includes(s.detector)))
        .map(({ tag, detector, evidence }) => ({ tag, detector, evidence }));
      rows.push({ key: r.key, suggestions: open });
    }
  }
  // Counts under every filter but the detector one, as the side panel shows them beside it.
  const counts = index.query({ ...query, outcome: ['failed'], limit: 0 }).suggestions?.counts;
  return {
    total: first.total,
    rows,
    detectors: DETECTORS.map((tag) => ({
      tag,
      count: counts?.[tag] ?? 0,
      precision: DETECTOR_PRECISION[tag]?.precision ?? null,
      sample: DETECTOR_PRECISION[tag]?.sample ?? 0,
    })),
  };
}

export function suggestText(r: ReturnType<typeof suggestReport>): string {
  const head = table(
    ['detector', 'open', 'precision', 'sample'],
    r.detectors.map((d) => [d.tag, String(d.count), pct(d.precision), String(d.sample)]),
  );
  const lines = r.rows.flatMap((row) => row.suggestions.map((s) => `${row.key}  ${s.tag}: ${s.evidence}`));
  return `${head}\n${r.total} failed predictions with an open suggestion\n${lines.join('\n')}${lines.length ? '\n' : ''}`;
}

export function slicesReport(
  index: ResultIndex,
  filter: SliceFilter,
  opts: { top?: string; minSupport?: string; alpha?: string },
): { slices: Slice[] } & { n: number; failed: number; minSupport: number } {
  const num = (name: string, v: string | undefined, ok: (x: number) => boolean) => {
    if (v === undefined) return undefined;
    const x = Number(v);
    if (!ok(x)) throw new ModesUsageError(`--${name} is out of range (got "${v}")`);
    return x;
  };
  const r = index.slices(filter, {
    top: num('top', opts.top, (x) => Number.isInteger(x) && x > 0),
    minSupport: num('min-support', opts.minSupport, (x) => Number.isInteger(x) && x > 0),
    alpha: num('alpha', opts.alpha, (x) => x > 0 && x <= 1),
  });
  return { slices: r.slices, n: r.n, failed: r.failed, minSupport: r.minSupport };
}

export function slicesText(r: ReturnType<typeof slicesReport>): string {
  const where = (s: Slice) =>
    Object.entries(s.where)
      .map(([k, v]) => `${k}=${v}`)
      .join(' & ');
  return (
    `${r.n} graded predictions, ${r.failed} failed (${pct(r.n ? r.failed / r.n : null)}); slices of at least ${r.minSupport}\n` +
    table(
      ['slice', 'n', 'failed', 'rate', 'score'],
      r.slices.map((s) => [where(s), String(s.n), String(s.failed), pct(s.failureRate), s.score.toFixed(3)]),
    )
  );
}

export function agreementReport(a: Annotations, b: Annotations): AgreementResult {
  return agreement(a, b);
}

export function agreementText(r: AgreementResult, fileA: string, fileB: string): string {
  const k = (x: number | null) => (x === null ? '-' : x.toFixed(3));
  const verdicts = `verdict overrides: kappa ${k(r.verdict.kappa)}, same on ${r.verdict.agree} of ${r.n}\n`;
  const lines = r.disagreements.map(
    (d) =>
      `${d.key}  A only: ${d.onlyA.join(', ') || '-'}  B only: ${d.onlyB.join(', ') || '-'}${d.verdictA !== d.verdictB ? `  verdict A ${d.verdictA}, B ${d.verdictB}` : ''}`,
  );
  return (
    `A: ${fileA}\nB: ${fileB}\n${r.n} predictions annotated in both\n` +
    table(
      ['tag', 'kappa', 'both', 'only A', 'only B', 'neither'],
      r.tags.map((t) => [t.tag, k(t.kappa), String(t.both), String(t.onlyA), String(t.onlyB), String(t.neither)]),
    ) +
    verdicts +
    `${r.disagreements.length} predictions where they differ\n${lines.join('\n')}${lines.length ? '\n' : ''}`
  );
}

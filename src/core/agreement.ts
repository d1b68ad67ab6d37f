// Agreement between two reviewers who annotated the same predictions in their own annotations files:
// Cohen's kappa per tag (tagged or not, on each prediction both annotated) and for verdict overrides
// (correct, wrong or none), and every prediction where they differ. Browser-safe: no Node modules.
import type { Annotations, VerdictOverride } from './annotations/format';

export interface TagAgreement {
  tag: string;
  /** Cohen's kappa; null when it is undefined (both reviewers gave every prediction the same answer, 1 − p_e = 0). */
  kappa: number | null;
  both: number;
  onlyA: number;
  onlyB: number;
  neither: number;
}

export interface VerdictAgreement {
  kappa: number | null;
  /** Predictions where both gave the same verdict (both none counts). */
  agree: number;
  /** Counts by A's verdict then B's: `correct`, `wrong` or `none` (no override). */
  table: Record<VerdictChoice, Record<VerdictChoice, number>>;
}

export type VerdictChoice = VerdictOverride | 'none';
const VERDICTS: readonly VerdictChoice[] = ['correct', 'wrong', 'none'];

export interface Disagreement {
  key: string;
  /** Tags only A gave, and only B. */
  onlyA: string[];
  onlyB: string[];
  verdictA: VerdictChoice;
  verdictB: VerdictChoice;
}

export interface AgreementResult {
  /** Predictions both files annotate. */
  n: number;
  tags: TagAgreement[];
  verdict: VerdictAgreement;
  disagreements: Disagreement[];
}

/**
 * Cohen's kappa from a square table of counts (rows: rater A's category, columns: B's):
 * (p_o − p_e) / (1 − p_e), p_o the share on the diagonal, p_e the share expected from the margins.
 */
export function cohensKappa(table: readonly (readonly number[])[]): number | null {
  const k = table.length;
  const n = table.reduce((s, row) => s + row.reduce((a, b) => a + b, 0), 0);
  if (n === 0) return null;
  let po = 0;
  let pe = 0;
  for (let i = 0; i < k; i++) {
    po += (table[i]?.[i] ?? 0) / n;
    const rowSum = (table[i] ?? []).reduce((a, b) => a + b, 0);
    const colSum = table.reduce((s, row) => s + (row[i] ?? 0), 0);
    pe += (rowSum / n) * (colSum / n);
  }
  return pe >= 1 ? null : (po - pe) / (1 - pe);
}

/**
 * Agreement over the predictions both files annotate (an item in both, whatever it holds). Tags: every tag
 * either reviewer gave on those predictions, sorted; `vocabulary` adds tags neither used (kappa null then).
 */
export function agreement(a: Annotations, b: Annotations, vocabulary: readonly string[] = []): AgreementResult {
  const keys = Object.keys(a.predictions)
    .filter((k) => Object.prototype.hasOwnProperty.call(b.predictions, k))
    .sort();
  const tagsOf = (d: Annotations, k: string) => new Set(d.predictions[k]?.tags ?? []);
  const all = new Set(vocabulary);
  for (const k of keys) for (const t of [...tagsOf(a, k), ...tagsOf(b, k)]) all.add(t);
  const tags: TagAgreement[] = [...all].sort().map((tag) => {
    let both = 0;
    let onlyA = 0;
    let onlyB = 0;
    let neither = 0;
    for (const k of keys) {
      const inA = tagsOf(a, k).has(tag);
      const inB = tagsOf(b, k).has(tag);
      if (inA && inB) both++;
      else if (inA) onlyA++;
      else if (inB) onlyB++;
      else neither++;
    }
    return {
      tag,
      kappa: cohensKappa([
        [both, onlyA],
        [onlyB, neither],
      ]),
      both,
      onlyA,
      onlyB,
      neither,
    };
  });
  const table = Object.fromEntries(VERDICTS.map((v) => [v, Object.fromEntries(VERDICTS.map((w) => [w, 0]))])) as Record<
    VerdictChoice,
    Record<VerdictChoice, number>
  >;
  const disagreements: Disagreement[] = [];
  let agree = 0;
  for (const k of keys) {
    const va: VerdictChoice = a.predictions[k]?.verdict ?? 'none';
    const vb: VerdictChoice = b.predictions[k]?.verdict ?? 'none';
    table[va][vb]++;
    if (va === vb) agree++;
    const ta = tagsOf(a, k);
    const tb = tagsOf(b, k);
    const onlyA = [...ta].filter((t) => !tb.has(t)).sort();
    const onlyB = [...tb].filter((t) => !ta.has(t)).sort();
    if (onlyA.length || onlyB.length || va !== vb)
      disagreements.push({ key: k, onlyA, onlyB, verdictA: va, verdictB: vb });
  }
  return {
    n: keys.length,
    tags,
    verdict: { kappa: cohensKappa(VERDICTS.map((v) => VERDICTS.map((w) => table[v][w]))), agree, table },
    disagreements,
  };
}

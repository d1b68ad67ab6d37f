// The failure list's comparison filter: with two runs A and B compared, the list holds B's prediction of each
// question both answered, narrowed to one kind of pair: fixed by B (A failed, B correct), broken by B (A
// correct, B failed) or both failed. B's prediction stands for the question because B is the run under
// study (the change being judged); the detail view shows A's answer beside it. The pairs are the comparison's
// own (RunComparison), with the verdicts in force, so the list's counts are the comparison table's.
import type { Database } from 'sql.js';
import type { ComparisonCounts, ComparisonKind, FailureQuery } from './query';
import { COMPARISON_KINDS } from './query';
import type { RunComparison } from './runComparison';
import { selectAll } from './sqlite';

const BATCH = 200;
/** Kind codes in compare_pairs; both correct is kept so that the filter without a kind lists every pair. */
const BOTH_CORRECT = COMPARISON_KINDS.length;

function kindOf(a: boolean, b: boolean): number {
  if (!a && b) return COMPARISON_KINDS.indexOf('fixed');
  if (a && !b) return COMPARISON_KINDS.indexOf('broken');
  if (!a && !b) return COMPARISON_KINDS.indexOf('bothFailed');
  return BOTH_CORRECT;
}

export class ComparisonFilter {
  private filled: { a: string; b: string; version: number } | null = null;

  constructor(
    private readonly db: Database,
    private readonly comparison: RunComparison,
  ) {
    db.run('CREATE TEMP TABLE compare_pairs (id INTEGER PRIMARY KEY, kind INTEGER NOT NULL)');
  }

  /**
   * The SQL condition (on predictions as `p`) of the query's comparison, or null without one. `signature`
   * changes with the runs and the kind: the facet cube is keyed by it.
   */
  cond(c: FailureQuery['comparison'], version: number): { sql: string; signature: string } | null {
    if (!c) return null;
    this.fill(c.a, c.b, version);
    const kind = c.kind ? ` WHERE kind = ${COMPARISON_KINDS.indexOf(c.kind)}` : '';
    return { sql: `p.id IN (SELECT id FROM compare_pairs${kind})`, signature: `${c.a}\0${c.b}\0${c.kind ?? ''}` };
  }

  /** How many of B's predictions are of each kind under the conditions `where` (on `p`). */
  counts(c: NonNullable<FailureQuery['comparison']>, where: string[]): ComparisonCounts {
    const out: ComparisonCounts = { a: c.a, b: c.b, fixed: 0, broken: 0, bothFailed: 0 };
    for (const [kind, n] of selectAll(
      this.db,
      `SELECT c.kind, COUNT(*) FROM compare_pairs c JOIN predictions p ON p.id = c.id
       ${where.length ? `WHERE ${where.join(' AND ')}` : ''} GROUP BY c.kind`,
    )) {
      const name = COMPARISON_KINDS[Number(kind)] as ComparisonKind | undefined;
      if (name) out[name] = Number(n);
    }
    return out;
  }

  /** B's prediction of every pair with its kind, read again when the runs or the data (verdicts) change. */
  private fill(a: string, b: string, version: number): void {
    const f = this.filled;
    if (f && f.a === a && f.b === b && f.version === version) return;
    const rows = this.comparison.predictions(a, b).map((p) => [p.bId, kindOf(p.a, p.b)]);
    this.db.run('DELETE FROM compare_pairs');
    const stmt = this.db.prepare(`INSERT INTO compare_pairs(id, kind) VALUES ${Array(BATCH).fill('(?, ?)').join(',')}`);
    try {
      let i = 0;
      for (; i + BATCH <= rows.length; i += BATCH) stmt.run(rows.slice(i, i + BATCH).flat());
      for (; i < rows.length; i++) this.db.run('INSERT INTO compare_pairs(id, kind) VALUES (?, ?)', rows[i]);
    } finally {
      stmt.free();
    }
    this.filled = { a, b, version };
  }
}

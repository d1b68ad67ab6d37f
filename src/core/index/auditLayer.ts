// The judge audit laid over the index: which predictions the answer-reading rule (answerReading.ts) reads
// differently from the judge, where it reads no answer at all, and where two judges of the same run disagree.
//
// Reading every response costs about 40 µs for a chain of thought (3 s for the published set), too much to
// add to indexing. So the index is queryable first and the audit follows in steps of a bounded number of
// predictions (ResultIndex.auditStep), which the worker runs between queries. Only flagged predictions get a
// row here (a few percent), so filters and counts stay cheap.
import type { Database } from 'sql.js';
import type { AuditCounts, AuditFlag } from './query';
import { AUDIT_FLAGS } from './query';

export const AUDIT_SCHEMA_SQL = `
CREATE TEMP TABLE IF NOT EXISTS audit_flags (prediction_id INTEGER PRIMARY KEY, flags INTEGER NOT NULL);
`;

/** Bit of each flag in `audit_flags.flags`. */
export const AUDIT_BITS: Record<AuditFlag, number> = { 'judge-disagrees': 1, 'no-answer': 2, 'judges-disagree': 4 };

export class AuditLayer {
  /** Prediction id ranges [from, to) not read yet, in id order. */
  private pending: [number, number][] = [];
  /** The two-judges comparison must be redone (runs were added or removed). */
  judgesDirty = false;
  /** Changes whenever flags change, so that cached counts under an audit filter are dropped. */
  version = 0;

  constructor(private readonly db: Database) {
    db.run(AUDIT_SCHEMA_SQL);
  }

  /** A run's predictions were inserted: they wait to be read. */
  add(from: number, to: number): void {
    if (to > from) this.pending.push([from, to]);
    this.pending.sort((a, b) => a[0] - b[0]);
    this.judgesDirty = true;
  }

  /** A run's predictions were deleted: their flags and pending reads go too. */
  drop(from: number, to: number): void {
    this.db.run('DELETE FROM audit_flags WHERE prediction_id >= ? AND prediction_id < ?', [from, to]);
    this.pending = this.pending.filter(([a, b]) => b <= from || a >= to);
    this.judgesDirty = true;
    this.version++;
  }

  /** Everything must be read again (e.g. a benchmark file changed the ground truths). */
  reset(ranges: [number, number][]): void {
    this.db.run('DELETE FROM audit_flags');
    this.pending = [];
    for (const [from, to] of ranges) this.add(from, to);
    this.version++;
  }

  /** The pending reads as they are now, put back when a failed sync rolls the flags back (see checkpoint.ts). */
  checkpoint(): () => void {
    const pending = this.pending.map(([a, b]): [number, number] => [a, b]);
    const judgesDirty = this.judgesDirty;
    return () => {
      this.pending = pending;
      this.judgesDirty = judgesDirty;
      this.version++;
    };
  }

  /** Predictions not read yet. */
  get pendingCount(): number {
    return this.pending.reduce((n, [a, b]) => n + b - a, 0);
  }

  /** The next at most `max` predictions to read, taken off the pending list; null when none is left. */
  take(max: number): [number, number] | null {
    const first = this.pending[0];
    if (!first) return null;
    const [from, to] = first;
    const end = Math.min(to, from + max);
    if (end === to) this.pending.shift();
    else first[0] = end;
    return [from, end];
  }

  /** Stores the flags read for predictions of a range (ids without flags get no row). */
  record(flags: readonly [number, number][]): void {
    if (!flags.length) return;
    const stmt = this.db.prepare('INSERT INTO audit_flags(prediction_id, flags) VALUES (?, ?) ON CONFLICT(prediction_id) DO UPDATE SET flags = flags | excluded.flags');
    try {
      for (const [id, bits] of flags) stmt.run([id, bits]);
    } finally {
      stmt.free();
    }
    this.version++;
  }

  /** Replaces the judges-disagree flags. */
  setJudgesDisagree(ids: readonly number[]): void {
    const bit = AUDIT_BITS['judges-disagree'];
    this.db.run(`UPDATE audit_flags SET flags = flags & ~${bit} WHERE flags & ${bit}`);
    this.db.run('DELETE FROM audit_flags WHERE flags = 0');
    this.record(ids.map((id) => [id, bit]));
    this.judgesDirty = false;
    this.version++;
  }

  /** The SQL condition (on predictions as `p`) for predictions carrying every flag; null for none. */
  static cond(flags: readonly AuditFlag[] | undefined): string | null {
    const mask = (flags ?? []).reduce((m, f) => m | (AUDIT_BITS[f] ?? 0), 0);
    return mask ? `p.id IN (SELECT prediction_id FROM audit_flags WHERE flags & ${mask} = ${mask})` : null;
  }

  /**
   * For each flag, how many predictions carry it under `where` (every other filter, including the other
   * audit flags: `othersOf(flag)` gives that condition).
   */
  counts(othersOf: (flag: AuditFlag) => string): AuditCounts {
    const counts = {} as Record<AuditFlag, number>;
    for (const flag of AUDIT_FLAGS) {
      const bit = AUDIT_BITS[flag];
      // CROSS JOIN keeps the few flagged rows as the outer loop: SQLite otherwise walks the predictions the
      // filters allow (tens of thousands) and looks each up here, ~4 ms a flag at 1x on every query.
      const row = this.db.exec(`SELECT COUNT(*) FROM audit_flags a CROSS JOIN predictions p ON p.id = a.prediction_id WHERE a.flags & ${bit} AND ${othersOf(flag)}`)[0];
      counts[flag] = Number(row?.values[0]?.[0] ?? 0);
    }
    return { counts, pending: this.pendingCount };
  }
}

// What the accuracy dashboard reads of every prediction, kept in typed arrays beside the database as the
// rows are inserted (one block per run, holding the consecutive ids from..to-1), so that its data is built
// without stepping through every prediction in sql.js: at 10x the published results that step alone took
// longer than the dashboard's whole budget. About 9 bytes a prediction; the loader's own arrays are kept.
//
// Invariant: a prediction's question, chosen letter, authors' slice and judge's verdict never change once
// inserted. The rule's verdict and the outcome change in SQL (verdict overrides, raw runs regraded), and
// every such change calls RunFacets.recount() (see runFacets.ts), which moves its epoch on; the blocks'
// copies are then read again from SQL, once, when next asked (of the runs recounted only, when it says which).
import type { Database } from 'sql.js';
import type { Restore } from './checkpoint';

export interface ColumnBlock {
  from: number;
  to: number;
  run: number;
  /** Question row ids. */
  question: Int32Array;
  /** Letter codes 0-3, -1 for none. */
  chosen: Int8Array;
  /** AUTHORS_SLICE codes. */
  slice: Uint8Array;
  /** The judge's and the rule's verdicts: 1, 0, or -1 for none. */
  judge: Int8Array;
  rule: Int8Array;
  /** OUTCOMES codes of the verdict in force. */
  outcome: Uint8Array;
}

/** The ids of the predictions of these question rows (of these runs only, when given), ascending. */
export type QuestionPredictions = (questionRows: readonly number[], runs?: ReadonlySet<number>) => Int32Array;

export class PredictionColumns {
  private blocks: ColumnBlock[] = [];
  /** Moves on whenever the block list does (add, drop, a rollback). */
  private changes = 0;
  /** The ids grouped by question row (`start[row]` to `start[row + 1]`), each id's run beside it. */
  private byQuestion: { changes: number; start: Int32Array; ids: Int32Array; run: Int32Array } | null = null;
  /** The epoch (RunFacets.epoch) at which `rule` and `outcome` were last known to equal SQL's. */
  private freshAt: number;

  constructor(
    private readonly db: Database,
    private readonly epoch: () => number,
    /** The runs whose predictions changed in SQL since an epoch, or null for any (RunFacets.changedSince). */
    private readonly changedSince: (epoch: number) => ReadonlySet<number> | null = () => null,
  ) {
    this.freshAt = epoch();
  }

  /** A run was inserted; its rule verdicts and outcomes as inserted. */
  add(block: ColumnBlock): void {
    this.blocks.push(block);
    this.changes++;
  }

  /** Drops the blocks of the runs whose ids start in [from, to) (one file may hold several runs). */
  drop(from: number, to = from + 1): void {
    this.blocks = this.blocks.filter((b) => b.from < from || b.from >= to);
    this.changes++;
  }

  /** Every block in id order, the rule verdicts and outcomes brought in step with SQL first. */
  current(): readonly ColumnBlock[] {
    const epoch = this.epoch();
    if (this.freshAt !== epoch) {
      this.reread(this.changedSince(this.freshAt));
      this.freshAt = epoch;
    }
    return this.blocks;
  }

  /** The blocks' id ranges [from, to), in id order (without bringing their columns in step). */
  ranges(): [number, number][] {
    return this.blocks.map((b): [number, number] => [b.from, b.to]).sort((a, b) => a[0] - b[0]);
  }

  /**
   * The predictions of these question rows (of `runs` only, when given), ascending. A prediction's question
   * and run never change, so this is current at any time, within a sync too (the annotations are laid over
   * the predictions before it ends); the order by question is built again after the blocks change.
   */
  predictionsOf(questionRows: readonly number[], runs?: ReadonlySet<number>): Int32Array {
    const { start, ids, run } = this.questionOrder();
    const rows = [...new Set(questionRows)].filter((row) => row >= 0 && row + 1 < start.length);
    const kept = (k: number): boolean => !runs || runs.has(run[k] as number);
    let n = 0;
    for (const row of rows) for (let k = start[row] as number; k < (start[row + 1] as number); k++) if (kept(k)) n++;
    const out = new Int32Array(n);
    n = 0;
    for (const row of rows)
      for (let k = start[row] as number; k < (start[row + 1] as number); k++) if (kept(k)) out[n++] = ids[k] as number;
    return out.sort();
  }

  private questionOrder(): NonNullable<PredictionColumns['byQuestion']> {
    if (this.byQuestion?.changes === this.changes) return this.byQuestion;
    let n = 0;
    let maxRow = 0;
    for (const b of this.blocks) {
      n += b.question.length;
      for (const row of b.question) if (row > maxRow) maxRow = row;
    }
    const start = new Int32Array(maxRow + 2);
    for (const b of this.blocks) for (const row of b.question) start[row + 1] = (start[row + 1] as number) + 1;
    for (let r = 1; r < start.length; r++) start[r] = (start[r] as number) + (start[r - 1] as number);
    const at = start.slice();
    const ids = new Int32Array(n);
    const run = new Int32Array(n);
    for (const b of this.blocks)
      for (let i = 0; i < b.question.length; i++) {
        const row = b.question[i] as number;
        const k = at[row] as number;
        at[row] = k + 1;
        ids[k] = b.from + i;
        run[k] = b.run;
      }
    return (this.byQuestion = { changes: this.changes, start, ids, run });
  }

  /** One pass over the predictions (of `runs` only, when given) for the two columns that change in SQL. */
  private reread(runs: ReadonlySet<number> | null): void {
    if (runs?.size === 0) return;
    const where = runs ? `WHERE run_id IN (${[...runs].join(',')})` : '';
    const stmt = this.db.prepare(
      `SELECT id, outcome + 16 * (COALESCE(rule_correct, -1) + 1) FROM predictions ${where} ORDER BY id`,
    );
    try {
      let k = 0;
      let b = this.blocks[0];
      while (stmt.step()) {
        const [id, packed] = stmt.get() as number[];
        while (b && (id as number) >= b.to) b = this.blocks[++k];
        if (!b || (id as number) < b.from) continue;
        const i = (id as number) - b.from;
        b.outcome[i] = (packed as number) & 15;
        b.rule[i] = ((packed as number) >> 4) - 1;
      }
    } finally {
      stmt.free();
    }
  }

  /** The block list is changed in place by a sync (add, drop): copied now. */
  checkpoint(): Restore {
    const blocks = this.blocks.slice();
    return () => {
      this.blocks = blocks;
      this.changes++;
    };
  }
}

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

export class PredictionColumns {
  private blocks: ColumnBlock[] = [];
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
  }

  /** Drops the blocks of the runs whose ids start in [from, to) (one file may hold several runs). */
  drop(from: number, to = from + 1): void {
    this.blocks = this.blocks.filter((b) => b.from < from || b.from >= to);
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
    };
  }
}

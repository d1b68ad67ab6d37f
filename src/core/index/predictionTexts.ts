// Response text, the judge's reading, extra judge fields and the record's own ground truth, by prediction
// id: kept out of SQLite, where binding text dominates the insert cost (docs/benchmark.md).
// One block per result file, holding the consecutive ids of its predictions; blocks stay in id order
// because ids only grow.
import type { ChoiceLetter } from '../model';
import { CHOICE_LETTERS } from '../model';
import type { Restore } from './checkpoint';
import type { PackedTexts } from './textStore';
import { TextIndex } from './textIndex';
import { unpackText } from './textStore';

/** The texts of one file's predictions (ids from..to-1), see textStore.ts. */
export interface TextBlock {
  from: number;
  to: number;
  responses: PackedTexts;
  extracted: PackedTexts;
  /** Extra judge fields by record index (most records have none). */
  extras: Map<number, Record<string, string>>;
  /** The ground truth's letter code as each record states it (-1: none), see CompactRecords.truth. */
  truth: Int8Array;
}

export class PredictionTexts {
  private blocks: TextBlock[] = [];
  private readonly index = new TextIndex();

  add(block: TextBlock): void {
    this.blocks.push(block);
  }

  /** Drops the blocks of the runs whose ids start in [from, to) (one file may hold several runs). */
  drop(from: number, to = from + 1): void {
    this.blocks = this.blocks.filter((t) => t.from < from || t.from >= to);
  }

  /** The block holding prediction `id` (blocks are in id order). */
  private blockOf(id: number): TextBlock | undefined {
    let lo = 0;
    let hi = this.blocks.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const b = this.blocks[mid] as TextBlock;
      if (id < b.from) hi = mid - 1;
      else if (id >= b.to) lo = mid + 1;
      else return b;
    }
    return undefined;
  }

  text(id: number, which: 'responses' | 'extracted'): string | null {
    const b = this.blockOf(id);
    return b ? unpackText(b[which], id - b.from) : null;
  }

  extras(id: number): Record<string, string> {
    const b = this.blockOf(id);
    return (b && b.extras.get(id - b.from)) ?? {};
  }

  /**
   * The ground truth's letter as the prediction's own record states it: what its judge graded against.
   * Null when the record names none of its choices.
   */
  recordTruth(id: number): ChoiceLetter | null {
    const b = this.blockOf(id);
    const code = b ? (b.truth[id - b.from] ?? -1) : -1;
    return code < 0 ? null : (CHOICE_LETTERS[code] ?? null);
  }

  /** Ids of the predictions whose response contains `term`, case-insensitively and literally (searchTerms.ts containsAll). */
  responsesContaining(term: string): number[] {
    const ids: number[] = [];
    for (const block of this.blocks)
      for (const i of this.index.matching(block.responses, term)) ids.push(block.from + i);
    return ids;
  }

  /** Builds the search index of blocks not indexed yet for about `budgetMs`; false once every block is. */
  indexStep(budgetMs: number): boolean {
    const deadline = performance.now() + budgetMs;
    let built = 0;
    for (const block of this.blocks) {
      if (this.index.isBuilt(block.responses)) continue;
      // At least some of one block a step, however short the budget; a block's build stops at the deadline
      // and goes on at the next step (a request that arrives waits for the step to end).
      if (built++ && performance.now() >= deadline) return true;
      if (!this.index.build(block.responses, deadline)) return true;
    }
    if (built) this.index.release();
    return false;
  }

  /** Bytes held by the responses and by their search index (for the benchmark's memory breakdown). */
  memory(): { responses: number; vocabulary: number; postings: number; pairs: number } {
    const responses = this.blocks.reduce((a, b) => a + (b.responses.latin1?.length ?? b.responses.bytes.byteLength), 0);
    return { responses, ...this.index.bytes(this.blocks.map((b) => b.responses)) };
  }

  /** The blocks are changed in place by a sync (add, drop): copied now. */
  checkpoint(): Restore {
    const blocks = this.blocks.slice();
    return () => {
      this.blocks = blocks;
    };
  }
}

// The lists' columns: every prediction's run, question and facet codes in typed arrays, and the predictions
// in each order the side panel lists them (ids sorted by question, and by model), so that a page at any
// offset, under any facet filter, is one pass over an array. A search's or an annotation filter's facet
// counts are summed here from its ids too, instead of a GROUP BY over a join. No SQL index on the
// predictions is needed (at 10x the published results, building one took ~280 ms after the sync, and the
// last page of a list of ~400,000 through it took seconds).
//
// Built after a sync (by the worker before it answers; else when first asked), in one pass over the typed
// columns the insert loop keeps (predictionColumns.ts) and the questions' codes, then sorted with counting
// sorts (~25 ms at 10x). The orders, as SQL would say them:
//   by question: p.question_id, p.run_id, p.id
//   by model:    m.name, r.prompt_mode, p.question_id, p.run_id, p.id (names compared as UTF-8 bytes, as
//                SQLite does); sorted when first asked, or as a background step.
// A sync drops the columns; an annotations change re-reads only the outcomes of the predictions whose
// verdict was or is overridden (the only outcomes it changes).
import type { Database } from 'sql.js';
import type { ColumnBlock } from './predictionColumns';
import { selectAll } from './sqlite';

/** What a page walk keeps: facet codes as sets (null: no filter), the runs allowed, the ids allowed. */
export interface ListFilter {
  perspective: ReadonlySet<number> | null;
  motion: ReadonlySet<number> | null;
  source: ReadonlySet<number> | null;
  outcome: ReadonlySet<number> | null;
  /** Run ids allowed (split, model, prompt mode and grader are the run's); null: every run. */
  runs: ReadonlySet<number> | null;
  /** Allowed ids as flags by id (a search, annotation filters); null: every prediction. */
  subset: Uint8Array | null;
}

interface Columns {
  /** Per id (0 where no prediction has that id): run id, question id, and the codes as CODES_SQL packs them. */
  run: Int32Array;
  question: Int32Array;
  codes: Uint16Array;
  /** The largest run id. */
  maxRun: number;
  /** Every id, ascending. */
  ids: Int32Array;
  byQuestion: Int32Array;
  /** Sorted when a list by model is first asked for (the side panel lists by question unless told). */
  byModel: Int32Array | null;
}

/** Where the columns are built from. */
export interface ListSources {
  /** The inserted predictions' typed columns, their outcomes current (PredictionColumns.current). */
  blocks: () => readonly ColumnBlock[];
  /** Every question row's codes, indexed by row: perspective | motion << 4 | source << 8. */
  questionCodes: () => Uint16Array;
  /** Changes when the predictions do (a sync or its rollback). */
  predictionsVersion: () => number;
  /** Changes with the predictions and with the annotations (whose overrides change outcomes). */
  dataVersion: () => number;
}

/** perspective | motion << 4 | source << 8 | outcome << 12: the low 16 bits of runFacets.ts cubeKey. */
const CODES_SQL = 'perspective | (motion << 4) | (source << 8) | (outcome << 12)';

export class ListColumns {
  private cols: Columns | null = null;
  private builtVersion = -1;
  private seenDataVersion = -1;
  /** The ids whose outcome was an override when the outcomes were last read. */
  private overridden: number[] = [];

  constructor(
    private readonly db: Database,
    private readonly sources: ListSources,
  ) {}

  /** The columns, current with the data: built now if a sync changed the predictions since. */
  current(): Columns {
    if (this.stale()) this.build();
    const cols = this.cols as Columns;
    if (this.seenDataVersion !== this.sources.dataVersion()) this.refreshOutcomes(cols);
    return cols;
  }

  /**
   * Builds the columns if they are not current, else the order by model if it is not sorted yet: one
   * background step; false when there was nothing to do.
   */
  prepare(): boolean {
    if (this.stale()) {
      this.build();
      return true;
    }
    const cols = this.cols as Columns;
    if (cols.byModel) return false;
    this.byModel(cols);
    return true;
  }

  /** Not built, or built before the last change of the predictions. */
  private stale(): boolean {
    return !this.cols || this.builtVersion !== this.sources.predictionsVersion();
  }

  private build(): void {
    const { sources } = this;
    const version = sources.predictionsVersion();
    const dataVersion = sources.dataVersion();
    this.overridden = this.overriddenNow();
    const blocks = [...sources.blocks()].sort((a, b) => a.from - b.from);
    let n = 0;
    let max = 0;
    for (const b of blocks) {
      n += b.to - b.from;
      max = Math.max(max, b.to - 1);
    }
    const run = new Int32Array(max + 1);
    const question = new Int32Array(max + 1);
    const codes = new Uint16Array(max + 1);
    const ids = new Int32Array(n);
    const questionCodes = sources.questionCodes();
    let k = 0;
    for (const b of blocks) {
      const { question: questions, outcome } = b;
      for (let i = 0, id = b.from; id < b.to; i++, id++) {
        const q = questions[i] as number;
        run[id] = b.run;
        question[id] = q;
        codes[id] = (questionCodes[q] as number) | ((outcome[i] as number) << 12);
        ids[k++] = id;
      }
    }
    // Each block is one run's consecutive ids: by run, then id, without sorting the ids.
    const byRun = new Int32Array(n);
    k = 0;
    for (const b of [...blocks].sort((x, y) => x.run - y.run || x.from - y.from))
      for (let id = b.from; id < b.to; id++) byRun[k++] = id;
    const byQuestion = countingSort(byRun, question);
    const maxRun = blocks.reduce((m, b) => Math.max(m, b.run), 0);
    this.cols = { run, question, codes, maxRun, ids, byQuestion, byModel: null };
    this.builtVersion = version;
    this.seenDataVersion = dataVersion;
  }

  /** Per run, its place in the model order: by model name (UTF-8 bytes, SQLite's BINARY), then prompt mode. */
  private modelRanks(): Map<number, number> {
    const runs = selectAll(
      this.db,
      'SELECT r.id, m.name, r.prompt_mode FROM runs r JOIN models m ON m.id = r.model_id',
    ).map(([id, name, prompt]) => ({
      id: Number(id),
      name: Buffer.from(String(name)),
      prompt: Buffer.from(String(prompt)),
    }));
    runs.sort((a, b) => Buffer.compare(a.name, b.name) || Buffer.compare(a.prompt, b.prompt));
    const rank = new Map<number, number>();
    let r = 0;
    runs.forEach((run, i) => {
      const prev = runs[i - 1];
      if (prev && (!prev.name.equals(run.name) || !prev.prompt.equals(run.prompt))) r++;
      rank.set(run.id, r);
    });
    return rank;
  }

  private overriddenNow(): number[] {
    return selectAll(this.db, 'SELECT prediction_id FROM pred_marks WHERE overridden = 1').map(([id]) => Number(id));
  }

  /** After an annotations change: the outcomes of the predictions overridden before or now, read again. */
  private refreshOutcomes(cols: Columns): void {
    const now = this.overriddenNow();
    const ids = [...new Set([...this.overridden, ...now])];
    for (let i = 0; i < ids.length; i += 10_000) {
      for (const [id, codes] of selectAll(
        this.db,
        `SELECT id, ${CODES_SQL} FROM predictions WHERE id IN (${ids.slice(i, i + 10_000).join(',')})`,
      ))
        cols.codes[Number(id)] = Number(codes);
    }
    this.overridden = now;
    this.seenDataVersion = this.sources.dataVersion();
  }

  /**
   * The facet cube of the predictions in `ids` (ascending or not): per (run, low 16 bits of cubeKey), the
   * count, as runFacets.ts cells() gives it for all predictions.
   */
  static cells(cols: Columns, ids: ArrayLike<number>): [number, number, number][] {
    const counts = new Map<number, number>();
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i] as number;
      // Run ids stay far below 2^31 / 2^16: the pair fits a double exactly.
      const key = (cols.run[id] as number) * 65536 + (cols.codes[id] as number);
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    const out: [number, number, number][] = [];
    for (const [key, n] of counts) out.push([Math.floor(key / 65536), key % 65536, n]);
    return out;
  }

  /** The ids in the order by model: model name, prompt mode, then as by question (question, run, id). */
  private byModel(cols: Columns): Int32Array {
    if (!cols.byModel) {
      const rankByRun = new Int32Array(cols.maxRun + 1);
      for (const [run, rank] of this.modelRanks()) if (run <= cols.maxRun) rankByRun[run] = rank;
      const { ids, run } = cols;
      const rankOf = new Int32Array(run.length);
      for (let i = 0; i < ids.length; i++) {
        const id = ids[i] as number;
        rankOf[id] = rankByRun[run[id] as number] as number;
      }
      cols.byModel = countingSort(cols.byQuestion, rankOf);
    }
    return cols.byModel;
  }

  /** The ids of one page: the `offset`-th to the (offset + limit)-th prediction passing `f`, in the list's order. */
  page(f: ListFilter, sort: 'question' | 'model', offset: number, limit: number): number[] {
    const cols = this.current();
    const order = sort === 'model' ? this.byModel(cols) : cols.byQuestion;
    const flags = (s: ReadonlySet<number> | null): Uint8Array | null => {
      if (!s) return null;
      const a = new Uint8Array(16);
      for (const c of s) if (c >= 0 && c < 16) a[c] = 1;
      return a;
    };
    const [pf, mf, sf, of] = [flags(f.perspective), flags(f.motion), flags(f.source), flags(f.outcome)];
    let runs: Uint8Array | null = null;
    if (f.runs) {
      runs = new Uint8Array(Math.max(0, ...f.runs) + 1);
      for (const r of f.runs) if (r >= 0) runs[r] = 1;
    }
    const { subset } = f;
    const out: number[] = [];
    if (limit <= 0) return out;
    let seen = 0;
    for (let i = 0; i < order.length; i++) {
      const id = order[i] as number;
      if (subset && !subset[id]) continue;
      const c = cols.codes[id] as number;
      if (pf && !pf[c & 15]) continue;
      if (mf && !mf[(c >> 4) & 15]) continue;
      if (sf && !sf[(c >> 8) & 15]) continue;
      if (of && !of[(c >> 12) & 15]) continue;
      if (runs && !runs[cols.run[id] as number]) continue;
      if (seen++ < offset) continue;
      out.push(id);
      if (out.length >= limit) break;
    }
    return out;
  }
}

export type ListColumnsData = Columns;

/** `ids` stably sorted by `key[id]` (small non-negative integers). Indexed loops over a copy of the keys: ~3x faster than iterating. */
function countingSort(ids: Int32Array, key: Int32Array): Int32Array {
  const n = ids.length;
  const keys = new Int32Array(n);
  let max = 0;
  for (let i = 0; i < n; i++) {
    const k = key[ids[i] as number] as number;
    keys[i] = k;
    if (k > max) max = k;
  }
  const start = new Int32Array(max + 2);
  for (let i = 0; i < n; i++) (start[(keys[i] as number) + 1] as number)++;
  for (let k = 1; k < start.length; k++) start[k] = (start[k] as number) + (start[k - 1] as number);
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[(start[keys[i] as number] as number)++] = ids[i] as number;
  return out;
}

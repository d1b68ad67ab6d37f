// The lists' columns: every prediction's run, question and facet codes in typed arrays, and the predictions
// in each order the side panel lists them (ids sorted by question, and by model), so that a page at any
// offset, under any facet filter, is one pass over an array instead of SQLite walking its index to the
// offset (at 10x the published results, the last page of a list of ~400,000 took seconds). A search's or
// an annotation filter's facet counts are summed here from its ids too, instead of a GROUP BY over a join.
//
// Built between requests after a sync, in steps (rows read from SQLite by id range), then sorted with
// counting sorts. The orders are those of the SQL the lists use otherwise:
//   by question: p.question_id, p.run_id, p.id
//   by model:    m.name, r.prompt_mode, p.question_id, p.id (names compared as UTF-8 bytes, as SQLite does)
// A sync drops the columns (they are built again); an annotations change re-reads only the outcomes of the
// predictions whose verdict was or is overridden (the only outcomes it changes).
import type { Database } from 'sql.js';
import { selectAll } from './sqlite';

/** Rows read from SQLite per chunk of a build step. */
const CHUNK = 20_000;

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
  /** Per id (0 where no prediction has that id): run id, question id, and the codes as `codes()` packs them. */
  run: Int32Array;
  question: Int32Array;
  codes: Uint16Array;
  /** Every id, ascending. */
  ids: Int32Array;
  byQuestion: Int32Array;
  byModel: Int32Array;
}

interface Building {
  version: number;
  dataVersion: number;
  run: Int32Array;
  question: Int32Array;
  codes: Uint16Array;
  ids: Int32Array;
  n: number;
  lastId: number;
}

/** perspective | motion << 4 | source << 8 | outcome << 12: the low 16 bits of runFacets.ts cubeKey. */
const CODES_SQL = 'perspective | (motion << 4) | (source << 8) | (outcome << 12)';

export class ListColumns {
  private cols: Columns | null = null;
  private builtVersion = -1;
  private seenDataVersion = -1;
  private building: Building | null = null;
  /** The ids whose outcome was an override when the outcomes were last read. */
  private overridden: number[] = [];

  constructor(
    private readonly db: Database,
    /** Changes when the predictions do (a sync or its rollback). */
    private readonly predictionsVersion: () => number,
    /** Changes with the predictions and with the annotations (whose overrides change outcomes). */
    private readonly dataVersion: () => number,
  ) {}

  /** The columns, current with the data, or null while they are (re)built: the caller then asks SQLite. */
  current(): Columns | null {
    if (!this.cols || this.builtVersion !== this.predictionsVersion()) return null;
    if (this.seenDataVersion !== this.dataVersion()) this.refreshOutcomes(this.cols);
    return this.cols;
  }

  /** One build step of about `budgetMs`; false once the columns are current (nothing left to do). */
  step(budgetMs: number): boolean {
    const version = this.predictionsVersion();
    if (this.cols && this.builtVersion === version) return false;
    const until = performance.now() + budgetMs;
    // A change while building (a sync, an annotations change) starts again: rows read before it may be stale.
    if (!this.building || this.building.version !== version || this.building.dataVersion !== this.dataVersion())
      this.building = this.start(version);
    const b = this.building;
    do {
      const rows = selectAll(
        this.db,
        `SELECT id, run_id, question_id, ${CODES_SQL} FROM predictions WHERE id > ? ORDER BY id LIMIT ${CHUNK}`,
        [b.lastId],
      );
      for (const [id, run, question, codes] of rows) {
        const i = Number(id);
        b.run[i] = Number(run);
        b.question[i] = Number(question);
        b.codes[i] = Number(codes);
        b.ids[b.n++] = i;
        b.lastId = i;
      }
      if (rows.length < CHUNK) {
        this.finish(b);
        return false;
      }
    } while (performance.now() < until);
    return true;
  }

  private start(version: number): Building {
    const [max, count] = (
      selectAll(this.db, 'SELECT COALESCE(MAX(id), 0), COUNT(*) FROM predictions')[0] ?? [0, 0]
    ).map(Number) as [number, number];
    this.overridden = this.overriddenNow();
    return {
      version,
      dataVersion: this.dataVersion(),
      run: new Int32Array(max + 1),
      question: new Int32Array(max + 1),
      codes: new Uint16Array(max + 1),
      ids: new Int32Array(count),
      n: 0,
      lastId: 0,
    };
  }

  private finish(b: Building): void {
    const ids = b.ids.subarray(0, b.n);
    const byRun = countingSort(ids, b.run);
    const byQuestion = countingSort(byRun, b.question);
    const rank = this.modelRanks();
    const rankOf = new Int32Array(b.run.length);
    for (const id of ids) rankOf[id] = rank.get(b.run[id] as number) ?? 0;
    const byModel = countingSort(countingSort(ids, b.question), rankOf);
    this.cols = { run: b.run, question: b.question, codes: b.codes, ids, byQuestion, byModel };
    this.builtVersion = b.version;
    this.seenDataVersion = b.dataVersion;
    this.building = null;
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
    this.seenDataVersion = this.dataVersion();
  }

  /** The ids of the predictions of these questions, ascending. */
  predictionsOf(cols: Columns, questionIds: readonly number[]): number[] {
    const wanted = new Set(questionIds);
    const out: number[] = [];
    for (const id of cols.ids) if (wanted.has(cols.question[id] as number)) out.push(id);
    return out;
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

  /** The ids of one page: the `offset`-th to the (offset + limit)-th prediction passing `f`, in the list's order. */
  static page(cols: Columns, f: ListFilter, sort: 'question' | 'model', offset: number, limit: number): number[] {
    const order = sort === 'model' ? cols.byModel : cols.byQuestion;
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

/** `ids` stably sorted by `key[id]` (small non-negative integers). */
function countingSort(ids: Int32Array, key: Int32Array): Int32Array {
  let max = 0;
  for (const id of ids) if ((key[id] as number) > max) max = key[id] as number;
  const start = new Int32Array(max + 2);
  for (const id of ids) start[(key[id] as number) + 1] = (start[(key[id] as number) + 1] as number) + 1;
  for (let k = 1; k < start.length; k++) start[k] = (start[k] as number) + (start[k - 1] as number);
  const out = new Int32Array(ids.length);
  for (const id of ids) {
    const k = key[id] as number;
    out[start[k] as number] = id;
    start[k] = (start[k] as number) + 1;
  }
  return out;
}

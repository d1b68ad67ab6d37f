// The questions table and the state kept beside it: every question the index knows (from a benchmark file,
// else from the first prediction record that states it), its taxonomy (the rules of taxonomy.ts, with the
// labels files' overrides applied) and the row written for it. Rows are written in batches.
//
// Invariants: a question's row id never changes while it is known; `written` holds exactly the ids that
// have a row; a question without text (its benchmark file gone) is kept only while predictions refer to it.
import * as path from 'path';
import type { Database, Statement } from 'sql.js';
import { letterOfChoice } from '../answers';
import type { Derived, MotionType, Perspective, Question, Source, Split } from '../model';
import { MOTION_TYPES, PERSPECTIVES, SOURCES } from '../model';
import type { TaxonomyOverride } from '../parse';
import { classifyQuestion } from '../taxonomy';
import type { Restore } from './checkpoint';
import { allOf, mapCheckpoint, objectsCheckpoint, setCheckpoint } from './checkpoint';
import { questionKey, questionNumber } from './fileLoader';
import { NameTable } from './nameTable';
import { selectAll } from './sqlite';

export interface QuestionState {
  rowId: number;
  dataset: string;
  split: Split;
  id: string;
  /** Entry from a benchmark questions file, and which file. */
  bench: Question | null;
  benchFile: number | null;
  /** The first prediction record seen for it, used when no benchmark file holds the question. */
  fallback: Question | null;
  codes: { perspective: number; motion: number; source: number };
  /** The row as last written, to skip rewriting unchanged questions. */
  signature: string;
  /** Its derived values with their rules (overrides applied), as last written. */
  taxonomy: { source: Derived<Source>; perspective: Derived<Perspective>; motion: Derived<MotionType> } | null;
}

/** A labels file's overrides, by the file's path. */
export type OverrideFile = readonly [file: string, overrides: readonly TaxonomyOverride[]];

export const QUESTION_BATCH = 200;
const QUESTION_COLUMNS = 11;
const QUESTION_PLACEHOLDERS = Array(QUESTION_COLUMNS).fill('?').join(',');
const UPSERT_QUESTIONS_HEAD = `INSERT INTO questions(id, dataset_id, split, qid, qnum, answer_letter, in_benchmark,
  source_rule, perspective_rule, motion_rule, codes) VALUES`;
const UPSERT_QUESTIONS_TAIL = `ON CONFLICT(id) DO UPDATE SET qnum=excluded.qnum, answer_letter=excluded.answer_letter,
  in_benchmark=excluded.in_benchmark, source_rule=excluded.source_rule, perspective_rule=excluded.perspective_rule,
  motion_rule=excluded.motion_rule, codes=excluded.codes`;

const code = <T>(list: readonly T[], v: T): number => list.indexOf(v);
const numberedKey = (dataset: string, split: Split): string => `${dataset}\u0000${split}`;

export class QuestionTable {
  private readonly byKey = new Map<string, QuestionState>();
  private readonly byId = new Map<number, QuestionState>();
  /** Questions by split and the n of `validation_<n>`: the insert loop's lookup, without building keys. */
  private readonly byNumber = new Map<string, QuestionState[]>();
  /** Question rows present in the database. */
  private readonly written = new Set<number>();
  private readonly datasets: NameTable;
  private readonly rules: NameTable;
  private readonly upserts = new Map<number, Statement>();
  private pending: (string | number | null)[] = [];
  /** Taxonomy overrides by split and id, from every labels file, in path order. */
  private overrides = new Map<string, { override: TaxonomyOverride; file: string }[]>();
  private nextRowId = 1;

  constructor(private readonly db: Database) {
    this.datasets = new NameTable(db, 'datasets', 'path');
    this.rules = new NameTable(db, 'rules', 'name');
  }

  get(rowId: number): QuestionState | undefined {
    return this.byId.get(rowId);
  }

  /** The question's text, choices and answer: its benchmark entry, else the record's own. */
  question(rowId: number): Question | undefined {
    const st = this.byId.get(rowId);
    return (st?.bench ?? st?.fallback) || undefined;
  }

  /** Every question's codes, indexed by row id: perspective | motion << 4 | source << 8 (0 for no question). */
  codeTable(): Uint16Array {
    let max = 0;
    for (const rowId of this.byId.keys()) max = Math.max(max, rowId);
    const table = new Uint16Array(max + 1);
    for (const { rowId, codes: c } of this.byId.values())
      table[rowId] = c.perspective | (c.motion << 4) | (c.source << 8);
    return table;
  }

  all(): IterableIterator<QuestionState> {
    return this.byId.values();
  }

  /** The questions of `validation_<n>` ids of one dataset and split, indexed by n (sparse). */
  numbered(dataset: string, split: Split): readonly (QuestionState | undefined)[] {
    return this.byNumber.get(numberedKey(dataset, split)) ?? [];
  }

  isWritten(rowId: number): boolean {
    return this.written.has(rowId);
  }

  /** Keys (fileLoader.ts questionKey) of the questions whose text the index has. */
  knownKeys(): string[] {
    return [...this.byKey].flatMap(([key, q]) => (q.bench || q.fallback ? [key] : []));
  }

  /** Splits holding a question that predictions refer to but that has no text to show (its benchmark file is gone). */
  orphanSplits(): Set<Split> {
    return new Set(
      [...this.byKey.values()].filter((q) => !q.bench && !q.fallback && this.written.has(q.rowId)).map((q) => q.split),
    );
  }

  /** Every question's choices and ground truth, by row id (for the answer-label filter). */
  answers(): Map<number, Question> {
    const out = new Map<number, Question>();
    for (const [rowId, st] of this.byId) {
      const q = st.bench ?? st.fallback;
      if (q) out.set(rowId, q);
    }
    return out;
  }

  state(dataset: string, split: Split, id: string): QuestionState {
    const key = questionKey(dataset, split, id);
    let st = this.byKey.get(key);
    if (!st) {
      st = {
        rowId: this.nextRowId++,
        dataset,
        split,
        id,
        bench: null,
        benchFile: null,
        fallback: null,
        codes: { perspective: 0, motion: 0, source: 0 },
        signature: '',
        taxonomy: null,
      };
      this.byKey.set(key, st);
      this.byId.set(st.rowId, st);
      const num = questionNumber(id);
      if (num !== null && id === `validation_${num}`) {
        let list = this.byNumber.get(numberedKey(dataset, split));
        if (!list) this.byNumber.set(numberedKey(dataset, split), (list = []));
        list[num] = st;
      }
    }
    return st;
  }

  /** A benchmark file's questions: each takes the first file's entry that names it. */
  addBench(dataset: string, questions: readonly Question[], fileId: number): void {
    for (const question of questions) {
      const state = this.state(dataset, question.split, question.id);
      if (!state.bench) {
        state.bench = question;
        state.benchFile = fileId;
      }
    }
  }

  /** A benchmark file is gone: its questions lose the entries it gave them. */
  dropBench(dataset: string, questions: readonly Question[], fileId: number): void {
    for (const q of questions) {
      const state = this.byKey.get(questionKey(dataset, q.split, q.id));
      if (state && state.benchFile === fileId) {
        state.bench = null;
        state.benchFile = null;
      }
    }
  }

  /** The question a prediction answers; created from the record's own text when no benchmark file has it. */
  forPrediction(dataset: string, split: Split, id: string, fallback: Question | null): QuestionState {
    const st = this.state(dataset, split, id);
    if (fallback && !st.fallback) st.fallback = fallback;
    if (!this.written.has(st.rowId)) this.write(st);
    return st;
  }

  /** Computes a question's taxonomy (overrides beat the rules) and queues its row; true when its codes changed. */
  private write(st: QuestionState): boolean {
    const q = st.bench ?? st.fallback;
    if (!q) return false;
    const t = classifyQuestion(q);
    const o = this.overrideFor(st);
    const overrideRule = o ? `labels-file:${path.basename(o.file)}` : '';
    const source = o?.override.source ? { value: o.override.source, rule: overrideRule } : t.source;
    const perspective = o?.override.perspective ? { value: o.override.perspective, rule: overrideRule } : t.perspective;
    const motion = o?.override.motion ? { value: o.override.motion, rule: overrideRule } : t.motion;
    const codes = {
      perspective: code(PERSPECTIVES, perspective.value),
      motion: code(MOTION_TYPES, motion.value),
      source: code(SOURCES, source.value),
    };
    const changed =
      codes.perspective !== st.codes.perspective ||
      codes.motion !== st.codes.motion ||
      codes.source !== st.codes.source;
    st.codes = codes;
    st.taxonomy = { source, perspective, motion };
    const row: (string | number | null)[] = [
      st.rowId,
      this.datasets.id(st.dataset),
      st.split,
      st.id,
      questionNumber(st.id),
      letterOfChoice(q.choices, q.answer),
      st.bench ? 1 : 0,
      this.rules.id(source.rule),
      this.rules.id(perspective.rule),
      this.rules.id(motion.rule),
      codes.perspective | (codes.motion << 4) | (codes.source << 8),
    ];
    const signature = row.join('\u0001');
    if (st.signature !== signature || !this.written.has(st.rowId)) {
      this.pending.push(...row);
      if (this.pending.length >= QUESTION_COLUMNS * QUESTION_BATCH) this.flush();
    }
    st.signature = signature;
    this.written.add(st.rowId);
    return changed;
  }

  /** Writes the question rows computed since the last flush, in batches. */
  flush(): void {
    const rows = this.pending.length / QUESTION_COLUMNS;
    if (!rows) return;
    let stmt = this.upserts.get(rows);
    if (!stmt) {
      const one = `(${QUESTION_PLACEHOLDERS})`;
      stmt = this.db.prepare(`${UPSERT_QUESTIONS_HEAD} ${Array(rows).fill(one).join(',')} ${UPSERT_QUESTIONS_TAIL}`);
      if (rows === QUESTION_BATCH) this.upserts.set(rows, stmt);
    }
    stmt.run(this.pending);
    if (rows !== QUESTION_BATCH) stmt.free();
    this.pending = [];
  }

  /** A labels file applies to the questions of the datasets in its folder; of several, the last in path order wins. */
  private overrideFor(st: QuestionState): { override: TaxonomyOverride; file: string } | undefined {
    const all = this.overrides.get(`${st.split}\u0000${st.id}`);
    if (!all) return undefined;
    let found: { override: TaxonomyOverride; file: string } | undefined;
    for (const o of all) {
      const dir = path.dirname(o.file);
      if (
        st.dataset === '' ||
        st.dataset === dir ||
        st.dataset.startsWith(dir + path.sep) ||
        dir.startsWith(st.dataset + path.sep)
      )
        found = o;
    }
    return found;
  }

  /**
   * After a questions or labels file changed: re-derives every question (with `files`' overrides, in path
   * order) and repeats its codes on its predictions. True when any prediction's codes changed.
   */
  reclassify(files: readonly OverrideFile[]): boolean {
    this.overrides = new Map();
    for (const [file, overrides] of files) {
      for (const o of overrides)
        this.overrides.set(`${o.split}\u0000${o.id}`, [
          ...(this.overrides.get(`${o.split}\u0000${o.id}`) ?? []),
          { override: o, file },
        ]);
    }
    let anyChanged = false;
    let referenced: Set<number> | null = null;
    for (const [key, st] of this.byKey) {
      if (!st.bench && !st.fallback) {
        // Its benchmark file is gone. Predictions that still refer to it keep it: their files are read
        // again for its text (see IndexSync.sync); a question nothing refers to is dropped.
        referenced ??= new Set(
          selectAll(this.db, 'SELECT DISTINCT question_id FROM predictions').map(([id]) => Number(id)),
        );
        if (referenced.has(st.rowId)) continue;
        this.db.run('DELETE FROM questions WHERE id = ?', [st.rowId]);
        this.written.delete(st.rowId);
        this.byKey.delete(key);
        this.byId.delete(st.rowId);
        const num = questionNumber(st.id);
        const list = num === null ? undefined : this.byNumber.get(numberedKey(st.dataset, st.split));
        if (list && num !== null && list[num] === st) delete list[num];
        continue;
      }
      const hadRow = this.written.has(st.rowId);
      if (this.write(st) && hadRow) anyChanged = true;
    }
    this.flush();
    if (anyChanged) {
      // One pass over the predictions (primary-key lookups) rather than an index on question_id.
      this.db.run(`UPDATE predictions SET (perspective, motion, source) =
        (SELECT codes & 15, (codes >> 4) & 15, codes >> 8 FROM questions WHERE questions.id = predictions.question_id)`);
    }
    return anyChanged;
  }

  /** Everything here as it is now, put back when a failed sync rolls the tables back (see checkpoint.ts). */
  checkpoint(): Restore {
    const { nextRowId, overrides } = this;
    return allOf([
      mapCheckpoint(this.byKey),
      mapCheckpoint(this.byId),
      objectsCheckpoint(this.byKey.values()),
      mapCheckpoint(this.byNumber, (list) => list.slice()),
      setCheckpoint(this.written),
      this.datasets.checkpoint(),
      this.rules.checkpoint(),
      () => {
        this.nextRowId = nextRowId;
        this.overrides = overrides;
        this.pending = [];
      },
    ]);
  }

  close(): void {
    for (const s of this.upserts.values()) s.free();
  }
}

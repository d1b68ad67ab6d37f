// The index: every discovered file parsed and loaded into an in-memory SQLite database (sql.js), kept
// in step with the disk by re-reading only the files whose size or mtime changed.
import * as path from 'path';
import type { Database, SqlJsStatic, Statement } from 'sql.js';
import { letterOfChoice, letterOfExtracted } from '../answers';
import type { AssumedLayout, DiscoveredFile } from '../discovery';
import { discover } from '../discovery';
import type { ChoiceLetter, ChoiceValue, Choices, FrameSampling, MotionType, Outcome, Perspective, PredictionRecord, PromptMode, Question, Source, Split, Stage } from '../model';
import { CHOICE_LETTERS, MOTION_TYPES, OUTCOMES, PERSPECTIVES, PROMPT_MODES, SOURCES, SPLITS } from '../model';
import type { QuestionLabel } from '../parse';
import { parseObject, parseRecords, readJsonText, readLabels, readPredictions, readQuestions } from '../parse';
import { classifyQuestion } from '../taxonomy';
import type { CodeFilter, FacetName, FailureQuery, PredictionRow, QueryResult } from './query';
import { FACET_COLUMN, FACET_VALUES, FACETS, facetsFromCube } from './query';
import { AUTHORS_SLICE, DROP_INDEXES_SQL, INDEXES_SQL, SCHEMA_SQL } from './schema';

export interface FileProblem {
  path: string;
  /** error: the file was skipped; warning: it was indexed but some records were skipped. */
  severity: 'error' | 'warning';
  reason: string;
}

export interface IndexCounts {
  files: number;
  runs: number;
  questions: number;
  predictions: number;
  failures: number;
}

export interface SyncReport {
  counts: IndexCounts;
  /** Files read and parsed by this sync (unchanged files are not read again). */
  filesRead: number;
  filesRemoved: number;
  /** Every problem currently known, for all files. */
  problems: FileProblem[];
  cancelled: boolean;
  timings: { discoverMs: number; readParseMs: number; insertMs: number; totalMs: number };
}

/** A folder to index; `assume` reads the files directly inside it as one split's results (CLI `table A B`). */
export interface RootSpec {
  path: string;
  assume?: AssumedLayout;
}

export interface SyncOptions {
  /** Paths to re-read even if their size and mtime look unchanged (e.g. from a file watcher). */
  forcePaths?: readonly string[];
  shouldCancel?: () => boolean;
  onProgress?: (done: number, total: number, file: string) => void;
}

export interface RunSummary {
  filePath: string;
  stage: Stage;
  split: Split;
  promptMode: PromptMode;
  model: string;
  samplingLabel: string;
  predictions: number;
  failures: number;
}

/** Everything the detail view shows about one prediction. */
export interface PredictionDetail extends PredictionRow {
  choices: Choices;
  response: string;
  extractedAnswer: string | null;
  judgeCorrect: boolean | null;
  judgeExtras: Record<string, string>;
  video: string | null;
  filePath: string;
  sampling: FrameSampling;
  rules: { perspective: string; motion: string; source: string };
}

interface QuestionState {
  rowId: number;
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
}

interface FileState {
  fileId: number;
  info: DiscoveredFile;
  /** Prediction ids [from, to) of its run, or questions/labels it contributed. */
  predictionRange: [number, number] | null;
  questions: Question[] | null;
  labels: QuestionLabel[] | null;
}

const BATCH = 200;
const QUESTION_COLUMNS = 17;
// Long text is bound pre-encoded as a blob and cast back: sql.js binds JS strings much more slowly.
const QUESTION_PLACEHOLDERS = '?,?,?,?,CAST(? AS TEXT),CAST(? AS TEXT),CAST(? AS TEXT),?,?,?,?,?,?,?,?,?,?';
const utf8 = new TextEncoder();
const UPSERT_QUESTIONS_HEAD = `INSERT INTO questions(id, split, qid, qnum, video, question, choices, answer, answer_letter, in_benchmark,
  source, source_rule, perspective, perspective_rule, motion, motion_rule, codes) VALUES`;
const UPSERT_QUESTIONS_TAIL = `ON CONFLICT(split, qid) DO UPDATE SET qnum=excluded.qnum, video=excluded.video, question=excluded.question,
  choices=excluded.choices, answer=excluded.answer, answer_letter=excluded.answer_letter, in_benchmark=excluded.in_benchmark,
  source=excluded.source, source_rule=excluded.source_rule, perspective=excluded.perspective,
  perspective_rule=excluded.perspective_rule, motion=excluded.motion, motion_rule=excluded.motion_rule, codes=excluded.codes`;
const PREDICTION_COLUMNS = [
  'id',
  'run_id',
  'question_id',
  'chosen',
  'judge_correct',
  'outcome',
  'authors_slice',
  'split',
  'perspective',
  'motion',
  'source',
  'model',
  'prompt',
  'qorder',
] as const;

const code = <T>(list: readonly T[], v: T): number => list.indexOf(v);
const qkey = (split: Split, id: string): string => `${split}\u0000${id}`;
/** The numeric part of `validation_<n>`, as the authors' script reads it. */
export function questionNumber(id: string): number | null {
  const m = /(\d+)\s*$/.exec(id);
  return m ? Number(m[1]) : null;
}
/** The authors' synthetic false-positive rule, on the record's own ground truth. */
export function isAuthorsFalsePositive(groundTruth: ChoiceValue | null): boolean {
  if (typeof groundTruth !== 'string') return false;
  const a = groundTruth.trim().toLowerCase();
  return a === 'no' || a.startsWith('no ');
}

export class ResultIndex {
  private readonly db: Database;
  private readonly files = new Map<string, FileState>();
  private readonly questions = new Map<string, QuestionState>();
  private readonly models = new Map<string, number>();
  private readonly modelNames = new Map<number, string>();
  /**
   * Response text, the judge's reading and extra judge fields, by prediction id: kept out of SQLite,
   * where binding text dominates the insert cost (shared/notes/performance.md).
   */
  private responses: (string | undefined)[] = [];
  private extracted: (string | null | undefined)[] = [];
  private readonly judgeExtras = new Map<number, Record<string, string>>();
  private readonly insertStatements = new Map<number, Statement>();
  private readonly upsertQuestions = new Map<number, Statement>();
  private nextPredictionId = 1;
  private nextFileId = 1;
  private nextQuestionId = 1;
  private roots: RootSpec[] = [];
  private rootProblems: FileProblem[] = [];
  private dataVersion = 0;
  private cube: { version: number; text: string; rows: Int32Array[] } | null = null;
  private searchHits: { version: number; text: string } | null = null;

  constructor(SQL: SqlJsStatic) {
    this.db = new SQL.Database();
    this.db.run(SCHEMA_SQL);
    this.db.run(INDEXES_SQL);
    this.db.run('CREATE TEMP TABLE search_hits (id INTEGER PRIMARY KEY)');
  }

  /** The folders being indexed; `sync()` brings the index in step with them. */
  setRoots(roots: readonly (string | RootSpec)[]): void {
    const seen = new Set<string>();
    this.roots = [];
    for (const r of roots) {
      const spec = typeof r === 'string' ? { path: r } : r;
      const abs = path.resolve(spec.path);
      if (seen.has(abs)) continue;
      seen.add(abs);
      this.roots.push({ ...spec, path: abs });
    }
  }

  getRoots(): readonly RootSpec[] {
    return this.roots;
  }

  /**
   * Walks the roots and re-reads only new or changed files (and those in `forcePaths`); files gone
   * from disk are dropped. Questions and labels files are read before result files.
   */
  sync(options: SyncOptions = {}): SyncReport {
    const t0 = performance.now();
    const found = new Map<string, DiscoveredFile>();
    this.rootProblems = [];
    for (const root of this.roots) {
      const d = discover(root.path, root.assume);
      for (const f of d.files) if (!found.has(f.path)) found.set(f.path, f);
      for (const p of d.problems) this.rootProblems.push({ path: p.path, severity: 'error', reason: p.reason });
    }
    const t1 = performance.now();
    const force = new Set((options.forcePaths ?? []).map((p) => path.resolve(p)));
    let removed = 0;
    const gone = [...this.files.keys()].filter((p) => !found.has(p));
    const changed: DiscoveredFile[] = [];
    for (const f of found.values()) {
      const prev = this.files.get(f.path);
      if (!prev || prev.info.size !== f.size || prev.info.mtimeMs !== f.mtimeMs || force.has(f.path)) changed.push(f);
    }
    const rank = (f: DiscoveredFile): number => (f.kind === 'questions' ? 0 : f.kind === 'labels' ? 1 : 2);
    changed.sort((a, b) => rank(a) - rank(b) || (a.path < b.path ? -1 : 1));

    let readParseMs = 0;
    let insertMs = 0;
    let read = 0;
    let cancelled = false;
    let taxonomyDirty = false;
    // Building the indexes once after a bulk load is cheaper than maintaining them row by row.
    const bulk = changed.length > 4;
    this.db.run('BEGIN');
    try {
      if (bulk) this.db.run(DROP_INDEXES_SQL);
      for (const p of gone) {
        const st = this.files.get(p);
        if (st && (st.info.kind === 'questions' || st.info.kind === 'labels')) taxonomyDirty = true;
        this.dropFile(p);
        removed++;
      }
      for (const f of changed) {
        if (options.shouldCancel?.()) {
          cancelled = true;
          break;
        }
        if (rank(f) === 2 && taxonomyDirty) {
          this.reclassifyQuestions();
          taxonomyDirty = false;
        }
        options.onProgress?.(read, changed.length, f.path);
        const ta = performance.now();
        const text = readJsonText(f.path);
        const records = !text.ok ? text : f.kind === 'labels' ? parseObject(text.value) : parseRecords(text.value, f.path.endsWith('.jsonl'));
        const tb = performance.now();
        readParseMs += tb - ta;
        read++;
        if (this.files.has(f.path)) this.dropFile(f.path);
        if (f.kind === 'questions' || f.kind === 'labels') taxonomyDirty = true;
        if (!records.ok) {
          this.recordFile(f, 0, 'error', [records.reason]);
          continue;
        }
        this.loadFile(f, records.value, records.warnings);
        insertMs += performance.now() - tb;
      }
      if (taxonomyDirty) this.reclassifyQuestions();
      if (bulk) this.db.run(INDEXES_SQL);
      this.db.run('COMMIT');
    } catch (e) {
      this.db.run('ROLLBACK');
      throw e;
    }
    if (read || removed) this.dataVersion++;
    options.onProgress?.(read, changed.length, '');
    return {
      counts: this.counts(),
      filesRead: read,
      filesRemoved: removed,
      problems: this.problems(),
      cancelled,
      timings: { discoverMs: t1 - t0, readParseMs, insertMs, totalMs: performance.now() - t0 },
    };
  }

  counts(): IndexCounts {
    const one = (sql: string): number => Number(this.db.exec(sql)[0]?.values[0]?.[0] ?? 0);
    return {
      files: one("SELECT COUNT(*) FROM files WHERE status != 'error'"),
      runs: one('SELECT COUNT(*) FROM runs'),
      questions: one('SELECT COUNT(*) FROM questions'),
      predictions: one('SELECT COUNT(*) FROM predictions'),
      failures: one(`SELECT COUNT(*) FROM predictions WHERE outcome = ${code(OUTCOMES, 'failed')}`),
    };
  }

  problems(): FileProblem[] {
    const out = [...this.rootProblems];
    const res = this.db.exec("SELECT path, status, problems FROM files WHERE status != 'ok' ORDER BY path");
    for (const [p, status, problems] of res[0]?.values ?? []) {
      for (const reason of JSON.parse(String(problems)) as string[]) {
        out.push({ path: String(p), severity: status === 'error' ? 'error' : 'warning', reason });
      }
    }
    return out;
  }

  /** Direct SQL access for read-only reports (the accuracy table, tests). */
  select(sql: string, params: (string | number | null)[] = []): (string | number | null)[][] {
    const stmt = this.db.prepare(sql);
    try {
      stmt.bind(params);
      const rows: (string | number | null)[][] = [];
      while (stmt.step()) rows.push(stmt.get() as (string | number | null)[]);
      return rows;
    } finally {
      stmt.free();
    }
  }

  close(): void {
    for (const s of this.insertStatements.values()) s.free();
    for (const s of this.upsertQuestions.values()) s.free();
    this.db.close();
  }

  // ---- loading ---------------------------------------------------------------------------------

  private recordFile(f: DiscoveredFile, records: number, status: 'ok' | 'warning' | 'error', problems: string[], kind = f.kind): number {
    const id = this.nextFileId++;
    this.db.run('INSERT INTO files(id, path, root, kind, size, mtime_ms, records, status, problems) VALUES (?,?,?,?,?,?,?,?,?)', [
      id,
      f.path,
      f.root,
      kind,
      f.size,
      f.mtimeMs,
      records,
      status,
      JSON.stringify(problems),
    ]);
    this.files.set(f.path, { fileId: id, info: f, predictionRange: null, questions: null, labels: null });
    return id;
  }

  private loadFile(f: DiscoveredFile, raw: unknown[], warnings: string[]): void {
    if (f.kind === 'questions') {
      const q = readQuestions(raw, f.split);
      if (!q.ok) return void this.recordFile(f, 0, 'error', [q.reason]);
      const all = [...warnings, ...q.warnings];
      const id = this.recordFile(f, q.value.length, all.length ? 'warning' : 'ok', all);
      const st = this.files.get(f.path) as FileState;
      st.questions = q.value;
      for (const question of q.value) {
        const state = this.questionState(question.split, question.id);
        if (!state.bench) {
          state.bench = question;
          state.benchFile = id;
        }
      }
      return;
    }
    if (f.kind === 'labels') {
      const l = readLabels(raw[0]);
      if (!l.ok) return void this.recordFile(f, 0, 'error', [l.reason]);
      const all = [...warnings, ...l.warnings];
      this.recordFile(f, l.value.length, all.length ? 'warning' : 'ok', all);
      (this.files.get(f.path) as FileState).labels = l.value;
      return;
    }
    const p = readPredictions(raw);
    if (!p.ok) return void this.recordFile(f, 0, 'error', [p.reason]);
    const run = f.run;
    if (!run) return void this.recordFile(f, 0, 'error', ['not in a {split}_mc_{prompt} folder']);
    const graded = p.value.some((r) => r.correct !== null);
    const stage: Stage = graded ? 'judged' : 'raw';
    const all = [...warnings, ...p.warnings];
    if (stage === 'judged' && f.stageHint === 'raw') all.push('holds verdicts although it is under outputs/: indexed as judged');
    const fileId = this.recordFile(f, p.value.length, all.length ? 'warning' : 'ok', all, stage);
    this.insertRun(fileId, f, stage, p.value);
  }

  private modelCode(name: string): number {
    let id = this.models.get(name);
    if (id === undefined) {
      id = this.models.size + 1;
      this.models.set(name, id);
      this.modelNames.set(id, name);
      this.db.run('INSERT INTO models(id, name) VALUES (?, ?)', [id, name]);
    }
    return id;
  }

  private insertRun(fileId: number, f: DiscoveredFile, stage: Stage, records: PredictionRecord[]): void {
    const run = f.run as NonNullable<DiscoveredFile['run']>;
    const modelId = this.modelCode(run.model);
    const sampling = run.sampling;
    const framesN = sampling.kind === 'frames' ? sampling.count : sampling.kind === 'fps' ? sampling.fps : null;
    this.db.run(
      'INSERT INTO runs(id, file_id, stage, split, prompt_mode, model_id, sampling_label, frames_kind, frames_n, file_name, group_dir) VALUES (?,?,?,?,?,?,?,?,?,?,?)',
      [fileId, fileId, stage, run.split, run.promptMode, modelId, run.samplingLabel, sampling.kind, framesN, path.basename(f.path), path.dirname(path.dirname(f.path))],
    );
    const splitCode = code(SPLITS, run.split);
    const promptCode = code(PROMPT_MODES, run.promptMode);
    const from = this.nextPredictionId;
    const values: (number | string | null)[] = [];
    let pending = 0;
    for (const rec of records) {
      const q = this.questionForPrediction(run.split, rec);
      const id = this.nextPredictionId++;
      this.responses[id] = rec.response;
      this.extracted[id] = rec.extractedAnswer;
      if (Object.keys(rec.judgeExtras).length) this.judgeExtras.set(id, rec.judgeExtras);
      const chosen = letterOfExtracted(rec.choices, rec.extractedAnswer);
      const outcome = rec.correct === null ? 'ungraded' : rec.correct ? 'correct' : 'failed';
      const num = questionNumber(rec.id) ?? 0;
      const slice =
        run.split === 'real'
          ? num <= 922
            ? AUTHORS_SLICE.realExo
            : AUTHORS_SLICE.realEgo
          : isAuthorsFalsePositive(rec.groundTruth)
            ? AUTHORS_SLICE.synthFalsePositive
            : AUTHORS_SLICE.synthDirectional;
      values.push(
        id,
        fileId,
        q.rowId,
        chosen === null ? null : CHOICE_LETTERS.indexOf(chosen),
        rec.correct === null ? null : rec.correct ? 1 : 0,
        code(OUTCOMES, outcome),
        slice,
        splitCode,
        q.codes.perspective,
        q.codes.motion,
        q.codes.source,
        modelId,
        promptCode,
        splitCode * 1_000_000 + Math.min(num, 999_999),
      );
      if (++pending === BATCH) {
        this.insertPredictions(values, pending);
        values.length = 0;
        pending = 0;
      }
    }
    if (pending) this.insertPredictions(values, pending);
    this.flushQuestions();
    (this.files.get(f.path) as FileState).predictionRange = [from, this.nextPredictionId];
  }

  private insertPredictions(values: (number | string | null)[], rows: number): void {
    let stmt = this.insertStatements.get(rows);
    if (!stmt) {
      const one = `(${PREDICTION_COLUMNS.map(() => '?').join(',')})`;
      stmt = this.db.prepare(`INSERT INTO predictions(${PREDICTION_COLUMNS.join(',')}) VALUES ${Array(rows).fill(one).join(',')}`);
      this.insertStatements.set(rows, stmt);
    }
    stmt.run(values);
  }

  private dropFile(p: string): void {
    const st = this.files.get(p);
    if (!st) return;
    if (st.predictionRange) {
      const [from, to] = st.predictionRange;
      this.db.run('DELETE FROM predictions WHERE id >= ? AND id < ?', [from, to]);
      for (let i = from; i < to; i++) {
        this.responses[i] = undefined;
        this.extracted[i] = undefined;
        this.judgeExtras.delete(i);
      }
    }
    if (st.questions) {
      for (const q of st.questions) {
        const state = this.questions.get(qkey(q.split, q.id));
        if (state && state.benchFile === st.fileId) {
          state.bench = null;
          state.benchFile = null;
        }
      }
    }
    this.db.run('DELETE FROM runs WHERE file_id = ?', [st.fileId]);
    this.db.run('DELETE FROM files WHERE id = ?', [st.fileId]);
    this.files.delete(p);
  }

  // ---- questions and taxonomy -------------------------------------------------------------------

  private questionState(split: Split, id: string): QuestionState {
    const key = qkey(split, id);
    let st = this.questions.get(key);
    if (!st) {
      st = { rowId: this.nextQuestionId++, split, id, bench: null, benchFile: null, fallback: null, codes: { perspective: 0, motion: 0, source: 0 }, signature: '' };
      this.questions.set(key, st);
    }
    return st;
  }

  /** The question a prediction answers; created from the record itself when no benchmark file has it. */
  private questionForPrediction(split: Split, rec: PredictionRecord): QuestionState {
    const st = this.questionState(split, rec.id);
    if (!st.fallback) st.fallback = { split, id: rec.id, video: rec.video, question: rec.question, choices: rec.choices, answer: rec.groundTruth ?? '' };
    if (!this.written.has(st.rowId)) this.writeQuestion(st);
    return st;
  }

  /** Question rows present in the database. */
  private readonly written = new Set<number>();

  /** Computes a question's taxonomy (labels override the rules) and writes its row. */
  private writeQuestion(st: QuestionState): boolean {
    // Rows are queued and written in batches by flushQuestions().
    const q = st.bench ?? st.fallback;
    if (!q) return false;
    const t = classifyQuestion(q);
    const lab = this.labels.get(qkey(st.split, st.id));
    const labelRule = lab ? `labels-file:${path.basename(lab.file)}` : '';
    const source = lab?.label.source ? { value: lab.label.source, rule: labelRule } : t.source;
    const perspective = lab?.label.perspective ? { value: lab.label.perspective, rule: labelRule } : t.perspective;
    const motion = lab?.label.motion ? { value: lab.label.motion, rule: labelRule } : t.motion;
    const codes = { perspective: code(PERSPECTIVES, perspective.value), motion: code(MOTION_TYPES, motion.value), source: code(SOURCES, source.value) };
    const changed = codes.perspective !== st.codes.perspective || codes.motion !== st.codes.motion || codes.source !== st.codes.source;
    st.codes = codes;
    const row: (string | number | null | Uint8Array)[] = [
        st.rowId,
        st.split,
        st.id,
        questionNumber(st.id),
        q.video ?? st.fallback?.video ?? null,
        q.question,
        JSON.stringify(q.choices),
        JSON.stringify(q.answer),
        letterOfChoice(q.choices, q.answer),
        st.bench ? 1 : 0,
        source.value,
        source.rule,
        perspective.value,
        perspective.rule,
        motion.value,
        motion.rule,
        codes.perspective | (codes.motion << 4) | (codes.source << 8),
      ];
    const signature = row.join('\u0001');
    if (st.signature !== signature || !this.written.has(st.rowId)) {
      for (const i of [4, 5, 6]) if (typeof row[i] === 'string') row[i] = utf8.encode(row[i] as string);
      this.pendingQuestions.push(...row);
      if (this.pendingQuestions.length >= QUESTION_COLUMNS * BATCH) this.flushQuestions();
    }
    st.signature = signature;
    this.written.add(st.rowId);
    return changed;
  }

  private pendingQuestions: (string | number | null | Uint8Array)[] = [];

  /** Writes the question rows computed since the last flush, in batches. */
  private flushQuestions(): void {
    const rows = this.pendingQuestions.length / QUESTION_COLUMNS;
    if (!rows) return;
    let stmt = this.upsertQuestions.get(rows);
    if (!stmt) {
      const one = `(${QUESTION_PLACEHOLDERS})`;
      stmt = this.db.prepare(`${UPSERT_QUESTIONS_HEAD} ${Array(rows).fill(one).join(',')} ${UPSERT_QUESTIONS_TAIL}`);
      if (rows === BATCH) this.upsertQuestions.set(rows, stmt);
    }
    stmt.run(this.pendingQuestions);
    if (rows !== BATCH) stmt.free();
    this.pendingQuestions = [];
  }

  /** Label overrides by question, from every labels file (the last file in path order wins). */
  private labels = new Map<string, { label: QuestionLabel; file: string }>();

  /** After a questions or labels file changed: re-derive every question and repeat it on its predictions. */
  private reclassifyQuestions(): void {
    this.labels = new Map();
    const labelFiles = [...this.files.entries()].filter(([, st]) => st.labels).sort(([a], [b]) => (a < b ? -1 : 1));
    for (const [p, st] of labelFiles) for (const l of st.labels ?? []) this.labels.set(qkey(l.split, l.id), { label: l, file: p });
    let anyChanged = false;
    for (const [key, st] of this.questions) {
      if (!st.bench && !st.fallback) {
        // Its benchmark file is gone and no prediction ever referred to it.
        this.db.run('DELETE FROM questions WHERE id = ?', [st.rowId]);
        this.written.delete(st.rowId);
        this.questions.delete(key);
        continue;
      }
      const hadRow = this.written.has(st.rowId);
      if (this.writeQuestion(st) && hadRow) anyChanged = true;
    }
    // One pass over the predictions (primary-key lookups) rather than an index on question_id.
    this.flushQuestions();
    if (anyChanged) {
      this.db.run(`UPDATE predictions SET (perspective, motion, source) =
        (SELECT codes & 15, (codes >> 4) & 15, codes >> 8 FROM questions WHERE questions.id = predictions.question_id)`);
    }
  }

  // ---- queries ----------------------------------------------------------------------------------

  /** Every run (one result file) with its counts, in path order. */
  runs(): RunSummary[] {
    return this.select(
      `SELECT f.path, r.stage, r.split, r.prompt_mode, m.name, r.sampling_label,
              (SELECT COUNT(*) FROM predictions p WHERE p.run_id = r.id),
              (SELECT COUNT(*) FROM predictions p WHERE p.run_id = r.id AND p.outcome = ${code(OUTCOMES, 'failed')})
       FROM runs r JOIN files f ON f.id = r.file_id JOIN models m ON m.id = r.model_id ORDER BY f.path`,
    ).map(([filePath, stage, split, promptMode, model, samplingLabel, predictions, failures]) => ({
      filePath: String(filePath),
      stage: stage as Stage,
      split: split as Split,
      promptMode: promptMode as PromptMode,
      model: String(model),
      samplingLabel: String(samplingLabel),
      predictions: Number(predictions),
      failures: Number(failures),
    }));
  }

  query(q: FailureQuery): QueryResult {
    const text = (q.text ?? '').trim();
    const filter = this.codeFilter(q);
    const cube = this.facetCube(text);
    const { total, facets } = facetsFromCube(
      cube,
      filter,
      (f, c) => this.valueName(f, c),
      (f) => (f === 'model' ? [...this.models.keys()].sort() : FACET_VALUES[f]),
    );
    const where: string[] = [];
    const params: (number | string)[] = [];
    for (const f of FACETS) {
      const allowed = filter[f];
      if (!allowed) continue;
      if (allowed.size === 0) where.push('0');
      else where.push(`p.${FACET_COLUMN[f]} IN (${[...allowed].join(',')})`);
    }
    if (text) where.push('p.id IN (SELECT id FROM search_hits)');
    const order = q.sort === 'model' ? 'p.model, p.qorder, p.prompt, p.id' : 'p.qorder, p.model, p.prompt, p.id';
    const limit = Math.max(0, Math.min(q.limit ?? 100, 10_000));
    const offset = Math.max(0, q.offset ?? 0);
    const rows = this.selectRows(`${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY ${order} LIMIT ${limit} OFFSET ${offset}`, params);
    return { total, rows, facets };
  }

  /** Predictions of one question across every loaded run (for the detail view's comparison table). */
  questionPredictions(split: Split, qid: string): PredictionRow[] {
    const st = this.questions.get(qkey(split, qid));
    if (!st) return [];
    return this.selectRows(`WHERE p.question_id = ? ORDER BY p.prompt, m.name, p.id`, [st.rowId]);
  }

  prediction(id: number): PredictionDetail | null {
    const row = this.selectRows('WHERE p.id = ?', [id])[0];
    if (!row) return null;
    const extra = this.select(
      `SELECT q.choices, q.video, p.judge_correct, f.path, r.frames_kind, r.frames_n, q.perspective_rule, q.motion_rule, q.source_rule
       FROM predictions p JOIN questions q ON q.id = p.question_id JOIN runs r ON r.id = p.run_id JOIN files f ON f.id = r.file_id WHERE p.id = ?`,
      [id],
    )[0] as (string | number | null)[];
    const [choices, video, judgeCorrect, filePath, framesKind, framesN, pRule, mRule, sRule] = extra;
    const sampling: FrameSampling =
      framesKind === 'frames' ? { kind: 'frames', count: Number(framesN) } : framesKind === 'fps' ? { kind: 'fps', fps: Number(framesN), cap: 64 } : { kind: 'unknown' };
    return {
      ...row,
      choices: JSON.parse(String(choices)) as Choices,
      response: this.responses[id] ?? '',
      extractedAnswer: this.extracted[id] ?? null,
      judgeCorrect: judgeCorrect === null ? null : judgeCorrect === 1,
      judgeExtras: this.judgeExtras.get(id) ?? {},
      video: video === null ? null : String(video),
      filePath: String(filePath),
      sampling,
      rules: { perspective: String(pRule), motion: String(mRule), source: String(sRule) },
    };
  }

  private selectRows(tail: string, params: (number | string)[]): PredictionRow[] {
    const rows = this.select(
      `SELECT p.id, q.split, q.qid, q.question, m.name, r.sampling_label, r.prompt_mode, r.stage, q.answer, q.answer_letter,
              p.chosen, q.choices, p.outcome, q.perspective, q.motion, q.source
       FROM predictions p JOIN questions q ON q.id = p.question_id JOIN runs r ON r.id = p.run_id JOIN models m ON m.id = p.model ${tail}`,
      params,
    );
    return rows.map((r) => {
      const [id, split, qid, question, model, samplingLabel, promptMode, stage, answer, answerLetter, chosen, choices, outcome, perspective, motion, source] = r;
      const chosenLetter = chosen === null ? null : (CHOICE_LETTERS[Number(chosen)] ?? null);
      let chosenText: string | null = this.extracted[Number(id)] ?? null;
      if (chosenLetter) {
        const c = (JSON.parse(String(choices)) as Choices)[chosenLetter];
        if (c !== undefined) chosenText = String(c);
      }
      const fileStem = samplingLabel ? `${model}_${samplingLabel}` : String(model);
      return {
        id: Number(id),
        key: `${split}/${promptMode}/${fileStem}/${qid}`,
        split: split as Split,
        qid: String(qid),
        question: String(question),
        model: String(model),
        samplingLabel: String(samplingLabel),
        promptMode: promptMode as PromptMode,
        stage: stage as Stage,
        groundTruth: JSON.parse(String(answer)) as ChoiceValue,
        groundTruthLetter: (answerLetter as ChoiceLetter | null) ?? null,
        chosen: chosenLetter,
        chosenText,
        outcome: OUTCOMES[Number(outcome)] as Outcome,
        perspective: perspective as Perspective,
        motion: motion as MotionType,
        source: source as Source,
      };
    });
  }

  private codeFilter(q: FailureQuery): CodeFilter {
    const toCodes = <T>(list: readonly T[], values: readonly T[] | undefined): Set<number> | null =>
      values && values.length ? new Set(values.map((v) => list.indexOf(v)).filter((c) => c >= 0)) : null;
    return {
      split: toCodes(SPLITS, q.split),
      perspective: toCodes(PERSPECTIVES, q.perspective),
      motion: toCodes(MOTION_TYPES, q.motion),
      source: toCodes(SOURCES, q.source),
      model: q.model && q.model.length ? new Set(q.model.map((m) => this.models.get(m) ?? -1).filter((c) => c >= 0)) : null,
      promptMode: toCodes(PROMPT_MODES, q.promptMode),
      outcome: toCodes(OUTCOMES, q.outcome),
    };
  }

  private valueName(f: FacetName, c: number): string | undefined {
    return f === 'model' ? this.modelNames.get(c) : FACET_VALUES[f][c];
  }

  /** Counts per combination of facet values (a few thousand rows), cached until the data or search changes. */
  private facetCube(text: string): Int32Array[] {
    if (this.cube && this.cube.version === this.dataVersion && this.cube.text === text) return this.cube.rows;
    if (text) this.prepareSearch(text);
    const cols = FACETS.map((f) => FACET_COLUMN[f]).join(', ');
    const res = this.db.exec(`SELECT ${cols}, COUNT(*) FROM predictions ${text ? 'WHERE id IN (SELECT id FROM search_hits)' : ''} GROUP BY ${cols}`);
    const rows = (res[0]?.values ?? []).map((r) => Int32Array.from(r as number[]));
    this.cube = { version: this.dataVersion, text, rows };
    return rows;
  }

  /** Fills the search_hits table with predictions whose question or response contains `text`. */
  private prepareSearch(text: string): void {
    if (this.searchHits && this.searchHits.version === this.dataVersion && this.searchHits.text === text) return;
    const needle = new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i');
    const hits = new Set<number>();
    const lowered = text.toLowerCase();
    for (const [pid] of this.select(
      'SELECT p.id FROM predictions p JOIN questions q ON q.id = p.question_id WHERE instr(lower(q.question), ?) > 0',
      [lowered],
    )) {
      hits.add(Number(pid));
    }
    for (let i = 1; i < this.responses.length; i++) {
      const r = this.responses[i];
      if (r !== undefined && needle.test(r)) hits.add(i);
    }
    this.db.run('DELETE FROM search_hits');
    const ids = [...hits].sort((a, b) => a - b);
    const stmt = this.db.prepare(`INSERT INTO search_hits(id) VALUES ${Array(BATCH).fill('(?)').join(',')}`);
    try {
      let i = 0;
      for (; i + BATCH <= ids.length; i += BATCH) stmt.run(ids.slice(i, i + BATCH));
      for (; i < ids.length; i++) this.db.run('INSERT INTO search_hits(id) VALUES (?)', [ids[i] as number]);
    } finally {
      stmt.free();
    }
    this.searchHits = { version: this.dataVersion, text };
  }
}

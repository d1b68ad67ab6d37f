// The index: every discovered file parsed and loaded into an in-memory SQLite database (sql.js), kept
// in step with the disk by re-reading only the files whose size or mtime changed.
import * as path from 'path';
import type { Database, SqlJsStatic, Statement } from 'sql.js';
import { letterOfChoice } from '../answers';
import { readAnswer } from '../answerReading';
import type { AuditRecord } from '../audit';
import type { AssumedLayout, DiscoveredFile } from '../discovery';
import { assignDatasets, discover, realFolder } from '../discovery';
import type { ChoiceLetter, Derived, FrameSampling, Grader, MotionType, Outcome, Perspective, PromptMode, Question, Source, Split, Stage } from '../model';
import { CHOICE_LETTERS, GRADERS, MOTION_TYPES, OUTCOMES, PERSPECTIVES, PROMPT_MODES, SOURCES, SPLITS } from '../model';
import type { QuestionLabel } from '../parse';
import { classifyQuestion } from '../taxonomy';
import type { CompactRecords, LoadedFile } from './fileLoader';
import { KnownQuestions, loadFile, questionKey, questionNumber } from './fileLoader';
import type { PackedTexts } from './textStore';
import { matchingTexts, searchPattern, unpackText } from './textStore';
import type { AnnotationCounts, CodeFilter, FacetName, FailureQuery, PredictionDetail, PredictionRow, QueryResult, RowAnnotation } from './query';
import { FACET_VALUES, facetsFromCube } from './query';
import type { AnnotationSource } from './annotationLayer';
import { AnnotationLayer } from './annotationLayer';
import { AUDIT_BITS, AuditLayer } from './auditLayer';
import { LabelFilter } from './labelFilter';
import type { DashboardData } from '../dashboard/data';
import { buildDashboardData } from '../dashboard/data';
import { accuracyRow } from '../accuracyTable';
import { DROP_INDEXES_SQL, INDEXES_SQL, SCHEMA_SQL } from './schema';
import { NameTable } from './nameTable';
import type { Restore } from './checkpoint';
import { allOf, mapCheckpoint, objectsCheckpoint, setCheckpoint } from './checkpoint';

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
  /** Of the failures, those graded by the answer-reading rule (raw outputs), not by a judge. */
  ruleGradedFailures: number;
}

export interface SyncReport {
  counts: IndexCounts;
  /** Files read and parsed by this sync (unchanged files are not read again). */
  filesRead: number;
  filesRemoved: number;
  /** Every problem currently known, for all files. */
  problems: FileProblem[];
  cancelled: boolean;
  /**
   * discover: walking the roots; taxonomy: applying questions and labels files; wait: waiting for result
   * files to be read (overlaps applying them when a parser thread reads); insert: applying them;
   * indexBuild: building the SQL index after a bulk load.
   */
  timings: { discoverMs: number; taxonomyMs: number; waitMs: number; insertMs: number; indexBuildMs: number; totalMs: number };
}

/** A folder to index; `assume` reads the files directly inside it as one split's results (CLI `table A B`). */
export interface RootSpec {
  path: string;
  assume?: AssumedLayout;
}

/** Reads result files (in order) for the index; see fileLoader.ts. */
export type FileSource = (files: readonly DiscoveredFile[], knownQuestions: KnownQuestions) => Iterable<LoadedFile> | AsyncIterable<LoadedFile>;

function* inThreadLoader(files: readonly DiscoveredFile[], known: KnownQuestions): Iterable<LoadedFile> {
  for (const f of files) yield loadFile(f, known);
}

export interface SyncOptions {
  /** Where result files are read; in this thread by default. */
  loader?: FileSource;
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

export type { PredictionDetail } from './query';

interface QuestionState {
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
  /** Its derived values with their rules (labels applied), as last written. */
  taxonomy: { source: Derived<Source>; perspective: Derived<Perspective>; motion: Derived<MotionType> } | null;
}

/** The texts of one file's predictions (ids from..to-1), see textStore.ts. */
interface TextBlock {
  from: number;
  to: number;
  responses: PackedTexts;
  extracted: PackedTexts;
  /** Extra judge fields by record index (most records have none). */
  extras: Map<number, Record<string, string>>;
  /** The ground truth's letter code as each record states it (-1: none), see CompactRecords.truth. */
  truth: Int8Array;
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
const QUESTION_COLUMNS = 11;
const QUESTION_PLACEHOLDERS = Array(QUESTION_COLUMNS).fill('?').join(',');
const UPSERT_QUESTIONS_HEAD = `INSERT INTO questions(id, dataset_id, split, qid, qnum, answer_letter, in_benchmark,
  source_rule, perspective_rule, motion_rule, codes) VALUES`;
const UPSERT_QUESTIONS_TAIL = `ON CONFLICT(id) DO UPDATE SET qnum=excluded.qnum, answer_letter=excluded.answer_letter,
  in_benchmark=excluded.in_benchmark, source_rule=excluded.source_rule, perspective_rule=excluded.perspective_rule,
  motion_rule=excluded.motion_rule, codes=excluded.codes`;
/** id and run_id first: insertPredictions writes them as expressions, not per row. */
const PREDICTION_COLUMNS = ['id', 'run_id', 'question_id', 'chosen', 'judge_correct', 'rule_correct', 'outcome', 'authors_slice', 'perspective', 'motion', 'source'] as const;

/** One cell of a run's facet cube: perspective, motion, source and outcome codes in 4 bits each. */
const cubeKey = (perspective: number, motion: number, source: number, outcome: number): number => perspective | (motion << 4) | (source << 8) | (outcome << 12);
const cubeOutcome = (cell: number): number => cell >> 12;
const code = <T>(list: readonly T[], v: T): number => list.indexOf(v);

/** A prediction's stable key (PredictionRow.key): `<split>/<prompt>/<model>_<sampling>/<qid>`. */
const predictionKey = (split: Split, promptMode: PromptMode, model: string, samplingLabel: string, qid: string): string =>
  `${split}/${promptMode}/${samplingLabel ? `${model}_${samplingLabel}` : model}/${qid}`;

const sqlText = (s: string): string => `'${s.replace(/'/g, "''")}'`;

/** SQL conditions (on predictions as `p`) for the tag, note and override filters; null when unset. */
function annotationConds(q: FailureQuery): { tags: string | null; note: string | null; overridden: string | null } {
  // SQLite reads SQL text up to a NUL: a tag holding one would cut the query short ("unrecognized token").
  const bad = q.tags?.find((t) => t.includes('\u0000'));
  if (bad !== undefined) throw new Error(`invalid tag filter ${JSON.stringify(bad)}: a tag cannot contain a NUL character`);
  return {
    tags: q.tags?.length ? `p.id IN (SELECT prediction_id FROM pred_tags WHERE tag IN (${q.tags.map(sqlText).join(',')}))` : null,
    note: q.hasNote ? 'p.id IN (SELECT prediction_id FROM pred_marks WHERE has_note = 1)' : null,
    overridden: q.overridden ? 'p.id IN (SELECT prediction_id FROM pred_marks WHERE overridden = 1)' : null,
  };
}
export class ResultIndex {
  private readonly db: Database;
  private readonly files = new Map<string, FileState>();
  private readonly questions = new Map<string, QuestionState>();
  private readonly questionsById = new Map<number, QuestionState>();
  /** Questions by split and the n of `validation_<n>`: the insert loop's lookup, without building keys. */
  private readonly byNumber = new Map<string, QuestionState[]>();
  private readonly models: NameTable;
  private readonly datasets: NameTable;
  private readonly rules: NameTable;
  /** Each run's split, model and prompt-mode codes: the facets a prediction takes from its run. */
  private readonly runFacets = new Map<number, { split: number; model: number; prompt: number; grader: number }>();
  /**
   * Response text, the judge's reading and extra judge fields, by prediction id: kept out of SQLite,
   * where binding text dominates the insert cost (docs/benchmark.md).
   */
  private texts: TextBlock[] = [];
  private readonly insertStatements = new Map<number, Statement>();
  private readonly upsertQuestions = new Map<number, Statement>();
  private nextPredictionId = 1;
  private nextFileId = 1;
  private nextQuestionId = 1;
  private roots: RootSpec[] = [];
  private rootProblems: FileProblem[] = [];
  private dataVersion = 0;
  private cube: { version: number; subset: string; rows: Int32Array[] } | null = null;
  private readonly annotationLayer: AnnotationLayer;
  private readonly auditLayer: AuditLayer;
  private readonly labelFilter: LabelFilter;
  /**
   * Per run, the count of its predictions per (perspective, motion, source, outcome), kept as rows are
   * inserted: the facet cube without a GROUP BY over every prediction. Recounted in SQL when a question's
   * taxonomy changes (see reclassifyQuestions).
   */
  private runCubes = new Map<number, Map<number, number>>();
  private searchHits: { version: number; text: string } | null = null;

  constructor(SQL: SqlJsStatic) {
    this.db = new SQL.Database();
    this.db.run(SCHEMA_SQL);
    this.db.run(INDEXES_SQL);
    this.db.run('CREATE TEMP TABLE search_hits (id INTEGER PRIMARY KEY)');
    this.models = new NameTable(this.db, 'models', 'name');
    this.datasets = new NameTable(this.db, 'datasets', 'path');
    this.rules = new NameTable(this.db, 'rules', 'name');
    this.annotationLayer = new AnnotationLayer(this.db, (row) => {
      const st = this.questionsById.get(row);
      return st ? [st.split, st.id] : undefined;
    });
    this.auditLayer = new AuditLayer(this.db);
    this.labelFilter = new LabelFilter(this.db);
  }

  /**
   * Lays the annotations files' tags, notes and verdict overrides over the predictions: counts, lists and
   * tables use the corrected verdicts from then on (the judge's stays in `judgeCorrect`).
   */
  setAnnotations(sources: AnnotationSource[]): void {
    if (this.annotationLayer.set(sources)) this.recountRunCubes();
    this.dataVersion++;
  }

  /** Annotated keys that match nothing in the loaded results (kept in their files, reported). */
  annotationOrphans(): AnnotationLayer['orphans'] {
    return this.annotationLayer.orphans;
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
   * from disk are dropped. Questions and labels files are applied before result files, which come from
   * `options.loader` (in this thread by default; the worker passes a parser thread).
   */
  async sync(options: SyncOptions = {}): Promise<SyncReport> {
    const t0 = performance.now();
    const found = new Map<string, DiscoveredFile>();
    const rootProblems: FileProblem[] = [];
    const within = this.roots.flatMap((r) => realFolder(r.path));
    for (const root of this.roots) {
      const d = discover(root.path, root.assume, within);
      for (const f of d.files) if (!found.has(f.path)) found.set(f.path, f);
      for (const p of d.problems) rootProblems.push({ path: p.path, severity: p.severity ?? 'error', reason: p.reason });
    }
    // Datasets are assigned over all roots: the benchmark files may sit in another folder than the results.
    assignDatasets([...found.values()]);
    const t1 = performance.now();
    const force = new Set((options.forcePaths ?? []).map((p) => path.resolve(p)));
    const gone = [...this.files.keys()].filter((p) => !found.has(p));
    const changed: DiscoveredFile[] = [];
    for (const f of found.values()) {
      const prev = this.files.get(f.path);
      if (!prev || prev.info.size !== f.size || prev.info.mtimeMs !== f.mtimeMs || prev.info.dataset !== f.dataset || force.has(f.path)) changed.push(f);
    }
    const byPath = (a: DiscoveredFile, b: DiscoveredFile): number => (a.path < b.path ? -1 : 1);
    const taxonomyFiles = changed.filter((f) => f.kind === 'questions' || f.kind === 'labels').sort(byPath);
    const resultFiles = changed.filter((f) => f.kind !== 'questions' && f.kind !== 'labels').sort(byPath);
    const total = changed.length;
    let read = 0;
    let insertMs = 0;
    let waitMs = 0;
    let taxonomyMs: number;
    let indexBuildMs: number;
    let cancelled = false;
    // Building the index once after a bulk load is cheaper than maintaining it row by row.
    const bulk = resultFiles.length > 4;
    // A sync that fails leaves the index as it was: the database rolls back, and so must everything kept beside it.
    const restore = this.checkpoint();
    this.db.run('BEGIN');
    try {
      if (bulk) this.db.run(DROP_INDEXES_SQL);
      let taxonomyDirty = false;
      const tt = performance.now();
      for (const p of gone) {
        const kind = this.files.get(p)?.info.kind;
        if (kind === 'questions' || kind === 'labels') taxonomyDirty = true;
        this.dropFile(p);
      }
      for (const f of taxonomyFiles) {
        if (options.shouldCancel?.()) {
          cancelled = true;
          break;
        }
        options.onProgress?.(read, total, f.path);
        this.applyLoaded(f, loadFile(f, new KnownQuestions()));
        read++;
        taxonomyDirty = true;
      }
      const extraFiles: DiscoveredFile[] = [];
      if (taxonomyDirty) {
        this.reclassifyQuestions();
        // Predictions whose question lost its benchmark entry need the question text from their own files.
        const orphanSplits = new Set([...this.questions.values()].filter((q) => this.orphaned(q)).map((q) => q.split));
        const readAnyway = new Set(resultFiles.map((f) => f.path));
        for (const st of this.files.values()) {
          if (st.info.run && orphanSplits.has(st.info.run.split) && !readAnyway.has(st.info.path)) extraFiles.push(st.info);
        }
      }
      taxonomyMs = performance.now() - tt;
      // Result files are read only now: parser threads competing with the taxonomy work cost more than
      // they gain (measured), and now they know which questions the index has and need not send their text.
      const known = new KnownQuestions([...this.questions].flatMap(([key, q]) => (q.bench || q.fallback ? [key] : [])));
      const source = resultFiles.length && !cancelled ? (options.loader ?? inThreadLoader)(resultFiles, known) : null;
      const apply = async (files: readonly DiscoveredFile[], loaded: Iterable<LoadedFile> | AsyncIterable<LoadedFile>): Promise<void> => {
        let i = 0;
        let tw = performance.now();
        for await (const l of loaded) {
          waitMs += performance.now() - tw;
          if (options.shouldCancel?.()) {
            cancelled = true;
            break;
          }
          const f = files[i++] as DiscoveredFile;
          options.onProgress?.(read, total, f.path);
          read++;
          const ta = performance.now();
          this.applyLoaded(f, l);
          insertMs += performance.now() - ta;
          tw = performance.now();
        }
      };
      if (source && !cancelled) await apply(resultFiles, source);
      if (extraFiles.length && !cancelled) await apply(extraFiles, inThreadLoader(extraFiles, new KnownQuestions()));
      this.flushQuestions();
      // New ground truths change the rule's verdicts: the audit reads everything again.
      if (taxonomyDirty) this.auditLayer.reset([...this.files.values()].flatMap((st) => (st.predictionRange ? [st.predictionRange] : [])));
      const ti = performance.now();
      if (bulk) this.db.run(INDEXES_SQL);
      indexBuildMs = performance.now() - ti;
      if (read || gone.length) {
        if (this.regradeRawRuns()) this.recountRunCubes();
        // New prediction rows carry the judges' verdicts: the overrides and tags go back on.
        if (this.annotationLayer.apply(true)) this.recountRunCubes();
      }
      this.rootProblems = rootProblems;
      this.db.run('COMMIT');
    } catch (e) {
      this.rollBack(restore);
      throw e;
    }
    if (read || gone.length) this.dataVersion++;
    options.onProgress?.(read, total, '');
    return {
      counts: this.counts(),
      filesRead: read,
      filesRemoved: gone.length,
      problems: this.problems(),
      cancelled,
      timings: { discoverMs: t1 - t0, taxonomyMs, waitMs, insertMs, indexBuildMs, totalMs: performance.now() - t0 },
    };
  }

  /** Everything outside SQLite that a sync changes, as it is now (see checkpoint.ts). */
  private checkpoint(): Restore {
    const { nextPredictionId, nextFileId, nextQuestionId, labels } = this;
    // Both are changed in place by a sync (push, set, delete): copied now.
    const texts = this.texts.slice();
    const runCubes = new Map(this.runCubes);
    return allOf([
      mapCheckpoint(this.files),
      mapCheckpoint(this.questions),
      mapCheckpoint(this.questionsById),
      objectsCheckpoint(this.questions.values()),
      mapCheckpoint(this.byNumber, (list) => list.slice()),
      setCheckpoint(this.written),
      mapCheckpoint(this.runFacets),
      objectsCheckpoint(this.runFacets.values()),
      this.models.checkpoint(),
      this.datasets.checkpoint(),
      this.rules.checkpoint(),
      this.auditLayer.checkpoint(),
      this.annotationLayer.checkpoint(),
      () => {
        this.nextPredictionId = nextPredictionId;
        this.nextFileId = nextFileId;
        this.nextQuestionId = nextQuestionId;
        this.texts = texts;
        this.runCubes = runCubes;
        this.labels = labels;
        this.pendingQuestions = [];
      },
    ]);
  }

  private rollBack(restore: Restore): void {
    try {
      this.db.run('ROLLBACK');
    } catch {
      // SQLite ends the transaction itself after some errors (out of memory): nothing left to roll back.
    }
    restore();
    // Cached answers (facet cube, search hits) may have been built from the state being undone.
    this.cube = null;
    this.searchHits = null;
    this.dataVersion++;
  }

  /**
   * A raw run is graded by the rule unless a judged file of the same run (split, prompt mode, model,
   * sampling) is loaded: then its predictions are ungraded copies (grader 'none'), so nothing is counted
   * twice. Re-decided after every sync, since either file may come or go. True when any outcome changed.
   */
  private regradeRawRuns(): boolean {
    const judged = new Set(
      this.select("SELECT split, prompt_mode, model_id, sampling_label FROM runs WHERE stage = 'judged'").map((r) => r.join('\u0000')),
    );
    const rule = code(GRADERS, 'rule');
    const none = code(GRADERS, 'none');
    let changed = false;
    for (const [id, split, prompt, model, sampling] of this.select("SELECT id, split, prompt_mode, model_id, sampling_label FROM runs WHERE stage = 'raw'")) {
      const facets = this.runFacets.get(Number(id));
      if (!facets) continue;
      const want = judged.has([split, prompt, model, sampling].join('\u0000')) ? none : rule;
      if (facets.grader === want) continue;
      facets.grader = want;
      changed = true;
      // The rule's verdict: its reading (the chosen letter of a raw prediction) against the question's answer.
      const verdict = want === rule ? `(SELECT CASE WHEN q.answer_letter IS NULL THEN NULL WHEN substr('ABCD', predictions.chosen + 1, 1) = q.answer_letter THEN 1 ELSE 0 END FROM questions q WHERE q.id = predictions.question_id)` : 'NULL';
      this.db.run(`UPDATE predictions SET rule_correct = ${verdict} WHERE run_id = ?`, [Number(id)]);
      this.db.run(
        `UPDATE predictions SET outcome = CASE rule_correct WHEN 1 THEN ${code(OUTCOMES, 'correct')} WHEN 0 THEN ${code(OUTCOMES, 'failed')} ELSE ${code(OUTCOMES, 'ungraded')} END WHERE run_id = ?`,
        [Number(id)],
      );
    }
    return changed;
  }

  /** A question that predictions refer to but that has no text to show (its benchmark file is gone). */
  private orphaned(q: QuestionState): boolean {
    return !q.bench && !q.fallback && this.written.has(q.rowId);
  }

  counts(): IndexCounts {
    const one = (sql: string): number => Number(this.db.exec(sql)[0]?.values[0]?.[0] ?? 0);
    // Predictions and failures from the runs' cubes (kept equal to the table; three scans of it cost ~16 ms at 1x).
    const failed = code(OUTCOMES, 'failed');
    const rule = code(GRADERS, 'rule');
    let predictions = 0;
    let failures = 0;
    let ruleGradedFailures = 0;
    for (const [runId, cube] of this.runCubes) {
      const ruleGraded = this.runFacets.get(runId)?.grader === rule;
      for (const [cell, n] of cube) {
        predictions += n;
        if (cubeOutcome(cell) !== failed) continue;
        failures += n;
        if (ruleGraded) ruleGradedFailures += n;
      }
    }
    return {
      files: one("SELECT COUNT(*) FROM files WHERE status != 'error'"),
      runs: one('SELECT COUNT(*) FROM runs'),
      questions: one('SELECT COUNT(*) FROM questions'),
      predictions,
      failures,
      ruleGradedFailures,
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

  // ---- the accuracy dashboard (dashboard/data.ts) -----------------------------------------------

  /** Everything the accuracy dashboard draws, in columns: built here from the rows, shaped in dashboard/data.ts. */
  dashboardData(): DashboardData {
    const runs = this.select(
      `SELECT r.id, f.path, m.name, r.prompt_mode, r.split, r.sampling_label, r.stage
       FROM runs r JOIN files f ON f.id = r.file_id JOIN models m ON m.id = r.model_id ORDER BY f.path`,
    ).map(([id, file, model, promptMode, split, samplingLabel, stage]) => ({
      id: Number(id),
      file: String(file),
      model: String(model),
      promptMode: promptMode as PromptMode,
      split: split as Split,
      samplingLabel: String(samplingLabel),
      stage: stage as Stage,
      grader: GRADERS[this.runFacets.get(Number(id))?.grader ?? 0] as Grader,
    }));
    return buildDashboardData({
      version: this.dataVersion,
      runs,
      question: (rowId) => {
        const st = this.questionsById.get(rowId);
        const q = st?.bench ?? st?.fallback;
        const t = st?.taxonomy;
        return st && q && t ? { split: st.split, qid: st.id, perspective: t.perspective.value, motion: t.motion.value, source: t.source.value, question: q } : undefined;
      },
      eachPrediction: (fn) => {
        // Stepped rather than select(): at 10x the benchmark that is 800,000 rows, not worth holding twice.
        const stmt = this.db.prepare('SELECT id, run_id, question_id, outcome, chosen, judge_correct, rule_correct, authors_slice FROM predictions ORDER BY id');
        try {
          while (stmt.step()) {
            const [id, runId, questionId, outcome, chosen, judgeCorrect, ruleCorrect, slice] = stmt.get() as (number | null)[];
            fn(Number(id), Number(runId), Number(questionId), Number(outcome), chosen ?? null, judgeCorrect ?? null, ruleCorrect ?? null, Number(slice));
          }
        } finally {
          stmt.free();
        }
      },
      tags: this.select('SELECT prediction_id, tag FROM pred_tags ORDER BY prediction_id, tag').map(([id, tag]) => [Number(id), String(tag)]),
      overriddenIds: this.select('SELECT prediction_id FROM pred_marks WHERE overridden = 1').map(([id]) => Number(id)),
    }, accuracyRow);
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

  private applyLoaded(f: DiscoveredFile, loaded: LoadedFile): void {
    if (this.files.has(f.path)) this.dropFile(f.path);
    const status = (warnings: string[]) => (warnings.length ? 'warning' : 'ok');
    switch (loaded.kind) {
      case 'error':
        this.recordFile(f, 0, 'error', [loaded.reason]);
        return;
      case 'questions': {
        const id = this.recordFile(f, loaded.questions.length, status(loaded.warnings), loaded.warnings);
        (this.files.get(f.path) as FileState).questions = loaded.questions;
        for (const question of loaded.questions) {
          const state = this.questionState(f.dataset, question.split, question.id);
          if (!state.bench) {
            state.bench = question;
            state.benchFile = id;
          }
        }
        return;
      }
      case 'labels':
        this.recordFile(f, loaded.labels.length, status(loaded.warnings), loaded.warnings);
        (this.files.get(f.path) as FileState).labels = loaded.labels;
        return;
      case 'results': {
        const fileId = this.recordFile(f, loaded.records.count, status(loaded.warnings), loaded.warnings, loaded.stage);
        this.insertRun(fileId, f, loaded.stage, loaded.records);
        return;
      }
    }
  }

  private insertRun(fileId: number, f: DiscoveredFile, stage: Stage, records: CompactRecords): void {
    const run = f.run as NonNullable<DiscoveredFile['run']>;
    const modelId = this.models.id(run.model);
    const sampling = run.sampling;
    const framesN = sampling.kind === 'frames' ? sampling.count : sampling.kind === 'fps' ? sampling.fps : null;
    this.db.run(
      'INSERT INTO runs(id, file_id, stage, split, prompt_mode, model_id, sampling_label, frames_kind, frames_n, file_name, group_dir) VALUES (?,?,?,?,?,?,?,?,?,?,?)',
      [fileId, fileId, stage, run.split, run.promptMode, modelId, run.samplingLabel, sampling.kind, framesN, path.basename(f.path), path.dirname(path.dirname(f.path))],
    );
    // A raw run starts rule-graded; regradeRawRuns() turns it to 'none' if a judged copy is loaded too.
    this.runFacets.set(fileId, { split: code(SPLITS, run.split), model: modelId, prompt: code(PROMPT_MODES, run.promptMode), grader: code(GRADERS, stage === 'raw' ? 'rule' : 'judge') });
    const outcomeCodes = [code(OUTCOMES, 'failed'), code(OUTCOMES, 'correct'), code(OUTCOMES, 'ungraded')];
    const from = this.nextPredictionId;
    const byNumber = this.byNumber.get(`${f.dataset}\u0000${run.split}`) ?? [];
    const cube = new Map<number, number>();
    this.runCubes.set(fileId, cube);
    // A batch's first id and the run come first; then each row's own values (see insertPredictions).
    const values: (number | null)[] = [this.nextPredictionId, fileId];
    let pending = 0;
    const fallbacks = new Map(records.fallback);
    for (let i = 0; i < records.count; i++) {
      const fallback = fallbacks.get(i) ?? null;
      const num = records.qnum[i] as number;
      const known = num >= 0 && !fallback ? byNumber[num] : undefined;
      const q = known && this.written.has(known.rowId) ? known : this.questionForPrediction(f.dataset, run.split, num >= 0 ? `validation_${num}` : (unpackText(records.ids, i) as string), fallback);
      this.nextPredictionId++;
      const chosen = records.chosen[i] as number;
      const correct = records.correct[i] as number;
      const ruleCorrect = records.ruleCorrect[i] as number;
      const verdict = correct >= 0 ? correct : ruleCorrect;
      const outcome = outcomeCodes[verdict < 0 ? 2 : verdict] as number;
      const cell = cubeKey(q.codes.perspective, q.codes.motion, q.codes.source, outcome);
      cube.set(cell, (cube.get(cell) ?? 0) + 1);
      values.push(
        q.rowId,
        chosen < 0 ? null : chosen,
        correct < 0 ? null : correct,
        ruleCorrect < 0 ? null : ruleCorrect,
        outcome,
        records.slice[i] as number,
        q.codes.perspective,
        q.codes.motion,
        q.codes.source,
      );
      if (++pending === BATCH) {
        this.insertPredictions(values, pending);
        values.length = 2;
        values[0] = this.nextPredictionId;
        pending = 0;
      }
    }
    if (pending) this.insertPredictions(values, pending);
    this.flushQuestions();
    (this.files.get(f.path) as FileState).predictionRange = [from, this.nextPredictionId];
    this.auditLayer.add(from, this.nextPredictionId);
    this.texts.push({ from, to: this.nextPredictionId, responses: records.responses, extracted: records.extracted, extras: new Map(records.extras), truth: records.truth });
  }

  /**
   * Inserts `rows` predictions of one run: `values` holds the first id, the run, then each row's values
   * but those two. The ids (consecutive) and the run are written as expressions of the first two
   * parameters rather than bound per row: binding costs more than evaluating them.
   */
  private insertPredictions(values: (number | null)[], rows: number): void {
    let stmt = this.insertStatements.get(rows);
    if (!stmt) {
      const own = PREDICTION_COLUMNS.length - 2;
      const tuples = Array.from({ length: rows }, (_, k) => `(?1+${k},?2,${Array.from({ length: own }, (_, c) => `?${3 + k * own + c}`).join(',')})`);
      stmt = this.db.prepare(`INSERT INTO predictions(${PREDICTION_COLUMNS.join(',')}) VALUES ${tuples.join(',')}`);
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
      this.auditLayer.drop(from, to);
      this.texts = this.texts.filter((t) => t.from !== from);
    }
    if (st.questions) {
      for (const q of st.questions) {
        const state = this.questions.get(questionKey(st.info.dataset, q.split, q.id));
        if (state && state.benchFile === st.fileId) {
          state.bench = null;
          state.benchFile = null;
        }
      }
    }
    this.db.run('DELETE FROM runs WHERE file_id = ?', [st.fileId]);
    this.runFacets.delete(st.fileId);
    this.runCubes.delete(st.fileId);
    this.db.run('DELETE FROM files WHERE id = ?', [st.fileId]);
    this.files.delete(p);
  }

  /** The block of texts holding prediction `id` (blocks are in id order). */
  private blockOf(id: number): TextBlock | undefined {
    let lo = 0;
    let hi = this.texts.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const b = this.texts[mid] as TextBlock;
      if (id < b.from) hi = mid - 1;
      else if (id >= b.to) lo = mid + 1;
      else return b;
    }
    return undefined;
  }

  private textOf(id: number, which: 'responses' | 'extracted'): string | null {
    const b = this.blockOf(id);
    return b ? unpackText(b[which], id - b.from) : null;
  }

  // ---- questions and taxonomy -------------------------------------------------------------------

  private questionState(dataset: string, split: Split, id: string): QuestionState {
    const key = questionKey(dataset, split, id);
    let st = this.questions.get(key);
    if (!st) {
      st = { rowId: this.nextQuestionId++, dataset, split, id, bench: null, benchFile: null, fallback: null, codes: { perspective: 0, motion: 0, source: 0 }, signature: '', taxonomy: null };
      this.questions.set(key, st);
      this.questionsById.set(st.rowId, st);
      const num = questionNumber(id);
      if (num !== null && id === `validation_${num}`) {
        let list = this.byNumber.get(`${dataset}\u0000${split}`);
        if (!list) this.byNumber.set(`${dataset}\u0000${split}`, (list = []));
        list[num] = st;
      }
    }
    return st;
  }

  /** The question a prediction answers; created from the record's own text when no benchmark file has it. */
  private questionForPrediction(dataset: string, split: Split, id: string, fallback: Question | null): QuestionState {
    const st = this.questionState(dataset, split, id);
    if (fallback && !st.fallback) st.fallback = fallback;
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
    const lab = this.labelFor(st);
    const labelRule = lab ? `labels-file:${path.basename(lab.file)}` : '';
    const source = lab?.label.source ? { value: lab.label.source, rule: labelRule } : t.source;
    const perspective = lab?.label.perspective ? { value: lab.label.perspective, rule: labelRule } : t.perspective;
    const motion = lab?.label.motion ? { value: lab.label.motion, rule: labelRule } : t.motion;
    const codes = { perspective: code(PERSPECTIVES, perspective.value), motion: code(MOTION_TYPES, motion.value), source: code(SOURCES, source.value) };
    const changed = codes.perspective !== st.codes.perspective || codes.motion !== st.codes.motion || codes.source !== st.codes.source;
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
      this.pendingQuestions.push(...row);
      if (this.pendingQuestions.length >= QUESTION_COLUMNS * BATCH) this.flushQuestions();
    }
    st.signature = signature;
    this.written.add(st.rowId);
    return changed;
  }

  private pendingQuestions: (string | number | null)[] = [];
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

  /** Label overrides by split and id, from every labels file, in path order. */
  private labels = new Map<string, { label: QuestionLabel; file: string }[]>();

  /** A labels file applies to the questions of the datasets in its folder; of several, the last in path order wins. */
  private labelFor(st: QuestionState): { label: QuestionLabel; file: string } | undefined {
    const all = this.labels.get(`${st.split}\u0000${st.id}`);
    if (!all) return undefined;
    let found: { label: QuestionLabel; file: string } | undefined;
    for (const l of all) {
      const dir = path.dirname(l.file);
      if (st.dataset === '' || st.dataset === dir || st.dataset.startsWith(dir + path.sep) || dir.startsWith(st.dataset + path.sep)) found = l;
    }
    return found;
  }

  /** After a questions or labels file changed: re-derive every question and repeat it on its predictions. */
  private reclassifyQuestions(): void {
    this.labels = new Map();
    const labelFiles = [...this.files.entries()].filter(([, st]) => st.labels).sort(([a], [b]) => (a < b ? -1 : 1));
    for (const [p, st] of labelFiles) for (const l of st.labels ?? []) this.labels.set(`${l.split}\u0000${l.id}`, [...(this.labels.get(`${l.split}\u0000${l.id}`) ?? []), { label: l, file: p }]);
    let anyChanged = false;
    let referenced: Set<number> | null = null;
    for (const [key, st] of this.questions) {
      if (!st.bench && !st.fallback) {
        // Its benchmark file is gone. Predictions that still refer to it keep it: their files are read
        // again for its text (see sync); a question nothing refers to is dropped.
        referenced ??= new Set(this.select('SELECT DISTINCT question_id FROM predictions').map(([id]) => Number(id)));
        if (referenced.has(st.rowId)) continue;
        this.db.run('DELETE FROM questions WHERE id = ?', [st.rowId]);
        this.written.delete(st.rowId);
        this.questions.delete(key);
        this.questionsById.delete(st.rowId);
        const num = questionNumber(st.id);
        const list = num === null ? undefined : this.byNumber.get(`${st.dataset}\u0000${st.split}`);
        if (list && num !== null && list[num] === st) delete list[num];
        continue;
      }
      const hadRow = this.written.has(st.rowId);
      if (this.writeQuestion(st) && hadRow) anyChanged = true;
    }
    this.flushQuestions();
    if (anyChanged) {
      // One pass over the predictions (primary-key lookups) rather than an index on question_id.
      this.db.run(`UPDATE predictions SET (perspective, motion, source) =
        (SELECT codes & 15, (codes >> 4) & 15, codes >> 8 FROM questions WHERE questions.id = predictions.question_id)`);
      this.recountRunCubes();
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
    const marks = annotationConds(q);
    const auditCond = AuditLayer.cond(q.audit);
    const labelCond = this.labelFilter.cond(q.truthLabel, q.chosenLabel, this.dataVersion, () => this.questionAnswers());
    // Conditions outside the facet codes: the facet counts are taken over the predictions passing them.
    const extra = [marks.tags, marks.note, marks.overridden, auditCond, labelCond].filter((c): c is string => !!c);
    // The conditions' texts do not change with the flags' or labels' contents: their versions key the cache.
    const cube = this.facetCube(text, extra.join(' AND '), `${auditCond ? this.auditLayer.version : ''}\0${labelCond ? this.labelFilter.signature : ''}`);
    const { total, facets } = facetsFromCube(
      cube,
      filter,
      (f, c) => this.valueName(f, c),
      (f) => (f === 'model' ? this.models.all().sort() : FACET_VALUES[f]),
    );
    const where: string[] = [];
    for (const f of ['perspective', 'motion', 'source'] as const) {
      const allowed = filter[f];
      if (allowed) where.push(allowed.size ? `p.${f} IN (${[...allowed].join(',')})` : '0');
    }
    const outcomeAllowed = filter.outcome;
    // One outcome as `=`: the failed predictions' partial index (schema.ts) applies only then.
    const outcomeCond = !outcomeAllowed
      ? '1'
      : outcomeAllowed.size === 1
        ? `p.outcome = ${[...outcomeAllowed][0]}`
        : outcomeAllowed.size
          ? `p.outcome IN (${[...outcomeAllowed].join(',')})`
          : '0';
    if (filter.split || filter.model || filter.promptMode || filter.grader) {
      const runs = [...this.runFacets].filter(
        ([, r]) =>
          (!filter.split || filter.split.has(r.split)) &&
          (!filter.model || filter.model.has(r.model)) &&
          (!filter.promptMode || filter.promptMode.has(r.prompt)) &&
          (!filter.grader || filter.grader.has(r.grader)),
      );
      where.push(runs.length ? `p.run_id IN (${runs.map(([id]) => id).join(',')})` : '0');
    }
    if (text) where.push('p.id IN (SELECT id FROM search_hits)');
    const always = [auditCond, labelCond].filter((c): c is string => !!c);
    const annotations = this.annotationLayer.empty ? undefined : this.annotationCounts([...where, outcomeCond, ...always], marks);
    const withoutAudit = [...where, outcomeCond, ...[marks.tags, marks.note, marks.overridden, labelCond].filter((c): c is string => !!c)];
    const audit = this.auditLayer.counts((flag) => [...withoutAudit, AuditLayer.cond((q.audit ?? []).filter((f) => f !== flag)) ?? '1'].join(' AND '));
    where.push(...extra);
    const limit = Math.max(0, Math.min(q.limit ?? 100, 10_000));
    const offset = Math.max(0, q.offset ?? 0);
    if (q.group === 'question') return { ...this.questionGroups(where, outcomeCond, limit, offset), facets, audit, ...(annotations ? { annotations } : {}) };
    where.push(outcomeCond);
    const order = q.sort === 'model' ? 'm.name, r.prompt_mode, p.question_id, p.id' : 'p.question_id, p.run_id, p.id';
    const rows = this.selectRows(`WHERE ${where.join(' AND ')} ORDER BY ${order} LIMIT ${limit} OFFSET ${offset}`, []);
    return { total, rows, facets, audit, ...(annotations ? { annotations } : {}) };
  }

  /** Beside the tag, note and override filters: their counts under every other filter. */
  private annotationCounts(where: string[], marks: ReturnType<typeof annotationConds>): AnnotationCounts {
    const others = (own: string | null) => [...where, ...[marks.tags, marks.note, marks.overridden].filter((c) => c && c !== own)].join(' AND ');
    const tags: Record<string, number> = {};
    for (const [tag, n] of this.select(`SELECT t.tag, COUNT(*) FROM pred_tags t JOIN predictions p ON p.id = t.prediction_id WHERE ${others(marks.tags)} GROUP BY t.tag`)) {
      tags[String(tag)] = Number(n);
    }
    const count = (own: string | null, column: string) =>
      Number(this.select(`SELECT COUNT(*) FROM pred_marks m JOIN predictions p ON p.id = m.prediction_id WHERE m.${column} = 1 AND ${others(own)}`)[0]?.[0] ?? 0);
    return { tags, hasNote: count(marks.note, 'has_note'), overridden: count(marks.overridden, 'overridden') };
  }

  /**
   * One row per question that has a prediction passing every filter: that prediction (the first of the
   * question's, in run order) stands for it, with how many of the question's predictions under the other
   * filters failed ("k of n"). Questions where most failed come first.
   */
  private questionGroups(where: string[], outcomeCond: string, limit: number, offset: number): { total: number; rows: PredictionRow[] } {
    const failed = OUTCOMES.indexOf('failed');
    const grouped = `SELECT p.question_id AS qid, COUNT(*) AS n, SUM(p.outcome = ${failed}) AS k, MIN(CASE WHEN ${outcomeCond} THEN p.id END) AS first
      FROM predictions p ${where.length ? `WHERE ${where.join(' AND ')}` : ''} GROUP BY p.question_id HAVING first IS NOT NULL`;
    const total = Number(this.select(`SELECT COUNT(*) FROM (${grouped})`)[0]?.[0] ?? 0);
    const page = this.select(`${grouped} ORDER BY k DESC, n DESC, qid LIMIT ${limit} OFFSET ${offset}`);
    if (!page.length) return { total, rows: [] };
    const counts = new Map(page.map(([, n, k, first]) => [Number(first), { failed: Number(k), of: Number(n) }]));
    const byId = new Map(this.selectRows(`WHERE p.id IN (${[...counts.keys()].join(',')})`, []).map((r) => [r.id, r]));
    const rows: PredictionRow[] = [];
    for (const [id, group] of counts) {
      const row = byId.get(id);
      if (row) rows.push({ ...row, group });
    }
    return { total, rows };
  }

  /** Predictions of one question across every loaded run (for the detail view's comparison table). */
  questionPredictions(predictionId: number): PredictionRow[] {
    return this.selectRows(
      `WHERE p.question_id = (SELECT question_id FROM predictions WHERE id = ?) ORDER BY r.prompt_mode, m.name, p.id`,
      [predictionId],
    );
  }

  /** The prediction with this stable key (`<split>/<prompt>/<model>_<sampling>/<qid>`), if loaded. */
  predictionIdByKey(key: string): number | null {
    const m = /^([^/]+)\/([^/]+)\/(.+)\/([^/]+)$/.exec(key);
    if (!m) return null;
    const [, split, prompt, stem, qid] = m as unknown as [string, string, string, string, string];
    const row = this.select(
      `SELECT p.id FROM predictions p JOIN runs r ON r.id = p.run_id JOIN models m ON m.id = r.model_id JOIN questions q ON q.id = p.question_id
       WHERE r.split = ? AND r.prompt_mode = ? AND (CASE WHEN r.sampling_label = '' THEN m.name ELSE m.name || '_' || r.sampling_label END) = ? AND q.qid = ?
       ORDER BY r.stage = 'judged' DESC, p.id LIMIT 1`,
      [split, prompt, stem, qid],
    )[0];
    return row ? Number(row[0]) : null;
  }

  prediction(id: number): PredictionDetail | null {
    const row = this.selectRows('WHERE p.id = ?', [id])[0];
    if (!row) return null;
    const extra = this.select(
      `SELECT p.question_id, f.path, r.frames_kind, r.frames_n
       FROM predictions p JOIN runs r ON r.id = p.run_id JOIN files f ON f.id = r.file_id WHERE p.id = ?`,
      [id],
    )[0] as (string | number | null)[];
    const [questionId, filePath, framesKind, framesN] = extra;
    const st = this.questionsById.get(Number(questionId));
    const q = st?.bench ?? st?.fallback;
    const response = this.textOf(id, 'responses') ?? '';
    const reading = readAnswer(response, q?.choices ?? {});
    // Against the ground truth the record states (what its judge saw), else the benchmark's.
    const truth = this.recordTruth(id) ?? row.groundTruthLetter;
    const sampling: FrameSampling =
      framesKind === 'frames' ? { kind: 'frames', count: Number(framesN) } : framesKind === 'fps' ? { kind: 'fps', fps: Number(framesN), cap: 64 } : { kind: 'unknown' };
    return {
      ...row,
      choices: q?.choices ?? {},
      response,
      extractedAnswer: this.textOf(id, 'extracted'),
      ruleReading: { letter: reading.letter, rule: reading.rule, correct: truth === null ? null : reading.letter === truth },
      otherJudges: this.otherJudges(id),
      judgeExtras: this.blockOf(id)?.extras.get(id - (this.blockOf(id)?.from ?? 0)) ?? {},
      ...this.videoOf(st, String(filePath)),
      filePath: String(filePath),
      sampling,
    };
  }

  /** The same question in other judged files of the same run (split, prompt mode, model, sampling). */
  private otherJudges(id: number): PredictionDetail['otherJudges'] {
    // The other runs first (a few rows), then the question in each by its run's id range: one query joining
    // the predictions twice walked all of them (~4 ms at 1x on every detail view).
    const others = this.select(
      `SELECT r2.id, f2.path, p.question_id FROM predictions p JOIN runs r ON r.id = p.run_id
       JOIN runs r2 ON r2.split = r.split AND r2.prompt_mode = r.prompt_mode AND r2.model_id = r.model_id AND r2.sampling_label = r.sampling_label
         AND r2.id != r.id AND r2.stage = 'judged'
       JOIN files f2 ON f2.id = r2.file_id
       WHERE p.id = ? AND r.stage = 'judged' ORDER BY f2.path`,
      [id],
    );
    return others.flatMap(([runId, filePath, questionId]) => {
      const range = this.files.get(String(filePath))?.predictionRange;
      if (!range) return [];
      return this.select('SELECT id, judge_correct FROM predictions WHERE id >= ? AND id < ? AND run_id = ? AND question_id = ?', [
        range[0],
        range[1],
        Number(runId),
        Number(questionId),
      ]).map(([otherId, correct]) => ({
        id: Number(otherId),
        filePath: String(filePath),
        judgeCorrect: correct === null ? null : correct === 1,
        extractedAnswer: this.textOf(Number(otherId), 'extracted'),
      }));
    });
  }

  // ---- the judge audit (auditLayer.ts) ----------------------------------------------------------

  /**
   * Reads the next at most `max` predictions' responses with the answer-reading rule and flags those where
   * it disagrees with the judge or reads nothing; once all are read, compares the judges of runs judged
   * twice. Returns how many predictions are still to read (0: the audit is complete).
   */
  auditStep(max = 1000): { pending: number; changed: boolean } {
    const range = this.auditLayer.take(max);
    if (!range) {
      if (!this.auditLayer.judgesDirty) return { pending: 0, changed: false };
      this.auditLayer.setJudgesDisagree(this.judgesDisagreeing());
      return { pending: 0, changed: true };
    }
    const [from, to] = range;
    const flags: [number, number][] = [];
    const rows = this.select('SELECT id, question_id, judge_correct, chosen FROM predictions WHERE id >= ? AND id < ?', [from, to]);
    for (const [id, questionId, judgeCorrect, chosen] of rows) {
      const pid = Number(id);
      const st = this.questionsById.get(Number(questionId));
      const q = st?.bench ?? st?.fallback;
      if (!q) continue;
      if (judgeCorrect === null) {
        // Raw output: its chosen letter is already the rule's reading.
        if (chosen === null) flags.push([pid, AUDIT_BITS['no-answer']]);
        continue;
      }
      const reading = readAnswer(this.textOf(pid, 'responses') ?? '', q.choices);
      const truth = this.recordTruth(pid) ?? letterOfChoice(q.choices, q.answer);
      const ruleCorrect = reading.letter !== null && reading.letter === truth;
      const bits = (ruleCorrect !== (judgeCorrect === 1) ? AUDIT_BITS['judge-disagrees'] : 0) | (reading.letter === null ? AUDIT_BITS['no-answer'] : 0);
      if (bits) flags.push([pid, bits]);
    }
    this.auditLayer.record(flags);
    return { pending: this.auditLayer.pendingCount, changed: true };
  }

  /**
   * Every judged prediction as the audit module (audit.ts) takes it, with the question's choices and ground
   * truth (as the index's flags use them) and its stable key as id.
   */
  auditRecords(): AuditRecord[] {
    const out: AuditRecord[] = [];
    const rows = this.select(
      `SELECT p.id, p.question_id, r.prompt_mode, m.name, r.sampling_label, p.judge_correct
       FROM predictions p JOIN runs r ON r.id = p.run_id JOIN models m ON m.id = r.model_id
       WHERE r.stage = 'judged' AND p.judge_correct IS NOT NULL ORDER BY p.id`,
    );
    for (const [id, questionId, promptMode, model, samplingLabel, judgeCorrect] of rows) {
      const st = this.questionsById.get(Number(questionId));
      const q = st?.bench ?? st?.fallback;
      if (!st || !q) continue;
      // Graded against the record's own ground truth, as its judge was (the benchmark's may have changed since).
      const truth = this.recordTruth(Number(id));
      out.push({
        id: predictionKey(st.split, promptMode as PromptMode, String(model), String(samplingLabel), st.id),
        split: st.split,
        promptMode: promptMode as PromptMode,
        model: String(model),
        choices: q.choices,
        response: this.textOf(Number(id), 'responses') ?? '',
        groundTruth: truth ? (q.choices[truth] ?? q.answer) : q.answer,
        extractedAnswer: this.textOf(Number(id), 'extracted'),
        judgeCorrect: judgeCorrect === 1,
      });
    }
    return out;
  }

  /**
   * The ground truth's letter as the prediction's own record states it: what its judge graded against.
   * Null when the record names none of its choices.
   */
  private recordTruth(id: number): ChoiceLetter | null {
    const b = this.blockOf(id);
    const code = b ? (b.truth[id - b.from] ?? -1) : -1;
    return code < 0 ? null : (CHOICE_LETTERS[code] ?? null);
  }

  /** Runs the whole audit now (the CLI and tests; the worker goes step by step between queries). */
  auditAll(): void {
    while (this.auditStep(50_000).changed);
  }

  /** Predictions whose verdict another judged file of the same run contradicts. */
  private judgesDisagreeing(): number[] {
    const twice = this.select(
      `SELECT GROUP_CONCAT(id) FROM runs WHERE stage = 'judged' GROUP BY split, prompt_mode, model_id, sampling_label HAVING COUNT(*) > 1`,
    ).map(([ids]) => String(ids));
    const out: number[] = [];
    for (const runIds of twice) {
      const byQuestion = new Map<number, { ids: number[]; verdicts: Set<number> }>();
      for (const [id, questionId, correct] of this.select(`SELECT id, question_id, judge_correct FROM predictions WHERE run_id IN (${runIds}) AND judge_correct IS NOT NULL`)) {
        let g = byQuestion.get(Number(questionId));
        if (!g) byQuestion.set(Number(questionId), (g = { ids: [], verdicts: new Set() }));
        g.ids.push(Number(id));
        g.verdicts.add(Number(correct));
      }
      for (const g of byQuestion.values()) if (g.verdicts.size > 1) out.push(...g.ids);
    }
    return out;
  }

  /** Every question's choices and ground truth, by question row id (for the answer-label filter). */
  private questionAnswers(): Map<number, Question> {
    const out = new Map<number, Question>();
    for (const [rowId, st] of this.questionsById) {
      const q = st.bench ?? st.fallback;
      if (q) out.set(rowId, q);
    }
    return out;
  }

  private annotationOf(id: number): { annotation?: RowAnnotation } {
    const a = this.annotationLayer.row(id);
    return a ? { annotation: a } : {};
  }

  /** The clip's video field and the file it came from: the benchmark file, else the result file. */
  private videoOf(st: QuestionState | undefined, resultFile: string): { video: string | null; videoDeclaredIn: string | null } {
    if (st?.bench?.video && st.benchFile !== null) {
      const benchPath = this.select('SELECT path FROM files WHERE id = ?', [st.benchFile])[0]?.[0];
      return { video: st.bench.video, videoDeclaredIn: benchPath === undefined || benchPath === null ? null : String(benchPath) };
    }
    const video = st?.fallback?.video ?? null;
    return { video, videoDeclaredIn: video ? resultFile : null };
  }

  private selectRows(tail: string, params: (number | string)[]): PredictionRow[] {
    const rows = this.select(
      `SELECT p.id, p.question_id, m.name, r.sampling_label, r.prompt_mode, r.stage, q.answer_letter,
              p.chosen, p.outcome, p.judge_correct, p.run_id
       FROM predictions p JOIN questions q ON q.id = p.question_id JOIN runs r ON r.id = p.run_id JOIN models m ON m.id = r.model_id ${tail}`,
      params,
    );
    return rows.map((r) => {
      const [id, questionId, model, samplingLabel, promptMode, stage, answerLetter, chosen, outcome, judgeCorrect, runId] = r;
      const st = this.questionsById.get(Number(questionId)) as QuestionState;
      const t = st.taxonomy as NonNullable<QuestionState['taxonomy']>;
      const q = (st.bench ?? st.fallback) as Question;
      const { split, id: qid } = st;
      const chosenLetter = chosen === null ? null : (CHOICE_LETTERS[Number(chosen)] ?? null);
      let chosenText: string | null = this.textOf(Number(id), 'extracted');
      if (chosenLetter) {
        const c = q.choices[chosenLetter];
        if (c !== undefined) chosenText = String(c);
      }
      return {
        id: Number(id),
        key: predictionKey(split, promptMode as PromptMode, String(model), String(samplingLabel), String(qid)),
        split: split as Split,
        qid: String(qid),
        question: q.question,
        model: String(model),
        samplingLabel: String(samplingLabel),
        promptMode: promptMode as PromptMode,
        stage: stage as Stage,
        groundTruth: q.answer,
        groundTruthLetter: (answerLetter as ChoiceLetter | null) ?? null,
        chosen: chosenLetter,
        chosenText,
        outcome: OUTCOMES[Number(outcome)] as Outcome,
        judgeCorrect: judgeCorrect === null ? null : judgeCorrect === 1,
        grader: GRADERS[this.runFacets.get(Number(runId))?.grader ?? 0] as Grader,
        perspective: t.perspective.value,
        motion: t.motion.value,
        source: t.source.value,
        rules: { perspective: t.perspective.rule, motion: t.motion.rule, source: t.source.rule },
        ...this.annotationOf(Number(id)),
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
      model: q.model && q.model.length ? new Set(q.model.map((m) => this.models.find(m) ?? -1).filter((c) => c >= 0)) : null,
      promptMode: toCodes(PROMPT_MODES, q.promptMode),
      outcome: toCodes(OUTCOMES, q.outcome),
      grader: toCodes(GRADERS, q.grader),
    };
  }

  private valueName(f: FacetName, c: number): string | undefined {
    return f === 'model' ? this.models.name(c) : FACET_VALUES[f][c];
  }

  /**
   * Counts per combination of facet values (a few thousand rows), cached until the data or the search
   * changes: SQLite groups by run and question taxonomy, and each run stands for its split, model and prompt.
   */
  private facetCube(text: string, marks: string, marksVersion: string): Int32Array[] {
    const subset = `${text}\0${marks}\0${marksVersion}`;
    if (this.cube && this.cube.version === this.dataVersion && this.cube.subset === subset) return this.cube.rows;
    const rows: Int32Array[] = [];
    // In FACETS order: split, perspective, motion, source, model, promptMode, outcome, grader; then the count.
    const add = (runId: number, key: number, count: number): void => {
      const run = this.runFacets.get(runId);
      if (run) rows.push(Int32Array.of(run.split, key & 15, (key >> 4) & 15, (key >> 8) & 15, run.model, run.prompt, (key >> 12) & 15, run.grader, count));
    };
    if (text || marks) {
      if (text) this.prepareSearch(text);
      const conds = [...(text ? ['p.id IN (SELECT id FROM search_hits)'] : []), ...(marks ? [marks] : [])];
      const grouped = this.select(
        `SELECT run_id, perspective, motion, source, outcome, COUNT(*) FROM predictions p WHERE ${conds.join(' AND ')}
         GROUP BY run_id, perspective, motion, source, outcome`,
      );
      for (const [runId, perspective, motion, source, outcome, count] of grouped) {
        add(Number(runId), cubeKey(Number(perspective), Number(motion), Number(source), Number(outcome)), Number(count));
      }
    } else {
      for (const [runId, cube] of this.runCubes) for (const [key, count] of cube) add(runId, key, count);
    }
    this.cube = { version: this.dataVersion, subset, rows };
    return rows;
  }

  /** Recounts every run's cube in SQL, after the taxonomy of some questions changed. */
  private recountRunCubes(): void {
    this.runCubes = new Map();
    const grouped = this.select('SELECT run_id, perspective, motion, source, outcome, COUNT(*) FROM predictions GROUP BY run_id, perspective, motion, source, outcome');
    for (const [runId, perspective, motion, source, outcome, count] of grouped) {
      let cube = this.runCubes.get(Number(runId));
      if (!cube) this.runCubes.set(Number(runId), (cube = new Map()));
      cube.set(cubeKey(Number(perspective), Number(motion), Number(source), Number(outcome)), Number(count));
    }
  }

  /** Fills the search_hits table with predictions whose question or response contains `text`. */
  private prepareSearch(text: string): void {
    if (this.searchHits && this.searchHits.version === this.dataVersion && this.searchHits.text === text) return;
    const needle = searchPattern(text);
    const inQuestion = new RegExp(needle.source, 'i');
    const hits = new Set<number>();
    const matchingQuestions = [...this.questionsById.values()].filter((st) => inQuestion.test((st.bench ?? st.fallback)?.question ?? '')).map((st) => st.rowId);
    if (matchingQuestions.length) {
      for (const [pid] of this.select(`SELECT id FROM predictions WHERE question_id IN (${matchingQuestions.join(',')})`)) hits.add(Number(pid));
    }
    for (const block of this.texts) for (const i of matchingTexts(block.responses, needle)) hits.add(block.from + i);
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

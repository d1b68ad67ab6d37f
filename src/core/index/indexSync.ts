// Keeping the index in step with the disk: walking the roots, re-reading only the files whose size or
// mtime changed, inserting their runs and predictions, dropping what is gone, regrading raw runs, and the
// counts and problems that follow. A sync runs in one transaction; if it fails, the database and every
// piece of state kept beside it (question table, texts, run facets, layers) go back to how they were.
import * as path from 'path';
import type { Database } from 'sql.js';
import type { BulkStatement } from './bulkInsert';
import type { Restore } from './checkpoint';
import { allOf, mapCheckpoint } from './checkpoint';
import type { DiscoveredFile } from '../discovery';
import { assignDatasets, discoverRoots } from '../discovery';
import type { PromptMode, Question, Split, Stage } from '../model';
import { GRADERS, OUTCOMES, PROMPT_MODES, SPLITS } from '../model';
import type { TaxonomyOverride } from '../parse';
import type { AnnotationLayer } from './annotationLayer';
import type { AuditLayer } from './auditLayer';
import type { CompactRecords, LoadedFile } from './fileLoader';
import { KnownQuestions, loadFile } from './fileLoader';
import type { FileProblem, IndexCounts, RootSpec, RunSummary, SyncOptions, SyncReport } from './indexTypes';
import type { NameTable } from './nameTable';
import type { PredictionTexts } from './predictionTexts';
import type { QuestionTable } from './questionTable';
import type { RunFacets } from './runFacets';
import { cubeKey } from './runFacets';
import type { PredictionColumns } from './predictionColumns';
import { selectAll } from './sqlite';
import { unpackText } from './textStore';

interface FileState {
  fileId: number;
  info: DiscoveredFile;
  /** Prediction ids [from, to) of its run, or the questions or taxonomy overrides it contributed. */
  predictionRange: [number, number] | null;
  questions: Question[] | null;
  overrides: TaxonomyOverride[] | null;
  /** The runs it holds besides the one numbered like the file (a harness file holds one per split). */
  moreRuns?: number[];
}

/** The parts of the index a sync changes, handed over by ResultIndex. */
export interface SyncParts {
  questions: QuestionTable;
  texts: PredictionTexts;
  runs: RunFacets;
  columns: PredictionColumns;
  models: NameTable;
  audit: AuditLayer;
  annotations: AnnotationLayer;
  /** The indexed data changed (or was rolled back): cached answers must go. */
  dataChanged: () => void;
  /** Prepares an INSERT run with integers and NULLs only (bulkInsert.ts). */
  bulk: (sql: string) => BulkStatement;
}

/**
 * Rows a statement inserts. A file's last rows go in batches of the powers of two below it, so that every
 * sync prepares at most nine statements (one per size) instead of one for each file's remainder.
 */
const BATCH = 256;
/** id and run_id first: insertPredictions writes them as expressions, not per row. */
const PREDICTION_COLUMNS = [
  'id',
  'run_id',
  'question_id',
  'chosen',
  'judge_correct',
  'rule_correct',
  'outcome',
  'authors_slice',
  'perspective',
  'motion',
  'source',
] as const;
const code = <T>(list: readonly T[], v: T): number => list.indexOf(v);

function* inThreadLoader(files: readonly DiscoveredFile[], known: KnownQuestions): Iterable<LoadedFile> {
  for (const f of files) yield loadFile(f, known);
}

export class IndexSync {
  private readonly files = new Map<string, FileState>();
  private readonly insertStatements = new Map<number, BulkStatement>();
  private nextPredictionId = 1;
  private nextFileId = 1;
  private rootProblems: FileProblem[] = [];

  constructor(
    private readonly db: Database,
    private readonly parts: SyncParts,
  ) {}

  /** Prediction ids [from, to) of a result file's run, if it is loaded. */
  rangeOf(filePath: string): [number, number] | null {
    return this.files.get(filePath)?.predictionRange ?? null;
  }

  /**
   * Walks the roots and re-reads only new or changed files (and those in `forcePaths`); files gone
   * from disk are dropped. Questions and labels files are applied before result files, which come from
   * `options.loader` (in this thread by default; the worker passes a parser pool).
   */
  async sync(roots: readonly RootSpec[], options: SyncOptions = {}): Promise<SyncReport> {
    const { questions, audit, annotations, runs } = this.parts;
    const t0 = performance.now();
    const { found, problems: rootProblems } = discoverRoots(roots);
    // Datasets are assigned over all roots: the benchmark files may sit in another folder than the results.
    assignDatasets([...found.values()]);
    const t1 = performance.now();
    const force = new Set((options.forcePaths ?? []).map((p) => path.resolve(p)));
    const gone = [...this.files.keys()].filter((p) => !found.has(p));
    const changed: DiscoveredFile[] = [];
    for (const f of found.values()) {
      const prev = this.files.get(f.path);
      if (
        !prev ||
        prev.info.size !== f.size ||
        prev.info.mtimeMs !== f.mtimeMs ||
        prev.info.dataset !== f.dataset ||
        force.has(f.path)
      )
        changed.push(f);
    }
    const byPath = (a: DiscoveredFile, b: DiscoveredFile): number => (a.path < b.path ? -1 : 1);
    const taxonomyFiles = changed.filter((f) => f.kind === 'questions' || f.kind === 'labels').sort(byPath);
    const resultFiles = changed.filter((f) => f.kind !== 'questions' && f.kind !== 'labels').sort(byPath);
    const total = changed.length;
    let read = 0;
    let insertMs = 0;
    let waitMs = 0;
    let taxonomyMs: number;
    let cancelled = false;
    // A sync that fails leaves the index as it was: the database rolls back, and so must everything kept beside it.
    const restore = this.checkpoint();
    this.db.run('BEGIN');
    try {
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
        if (questions.reclassify(this.overrideFiles())) runs.recount();
        // Predictions whose question lost its benchmark entry need the question text from their own files.
        const orphanSplits = questions.orphanSplits();
        const readAnyway = new Set(resultFiles.map((f) => f.path));
        for (const st of this.files.values()) {
          // A harness file's join to the benchmark (its splits, its ids) depends on the questions files too.
          const joined = st.info.harness !== undefined;
          if ((joined || (st.info.run && orphanSplits.has(st.info.run.split))) && !readAnyway.has(st.info.path))
            extraFiles.push(st.info);
        }
      }
      taxonomyMs = performance.now() - tt;
      // Result files are read only now: parser threads competing with the taxonomy work cost more than
      // they gain (measured), and now they know which questions the index has and need not send their text.
      const known = new KnownQuestions(questions.knownKeys());
      const source = resultFiles.length && !cancelled ? (options.loader ?? inThreadLoader)(resultFiles, known) : null;
      const apply = async (
        files: readonly DiscoveredFile[],
        loaded: Iterable<LoadedFile> | AsyncIterable<LoadedFile>,
      ): Promise<void> => {
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
      questions.flush();
      // New ground truths change the rule's verdicts: the audit reads everything again.
      if (taxonomyDirty)
        audit.reset([...this.files.values()].flatMap((st) => (st.predictionRange ? [st.predictionRange] : [])));
      if (read || gone.length) {
        if (this.regradeRawRuns()) runs.recount();
        // New prediction rows carry the judges' verdicts: the overrides and tags go back on.
        if (annotations.apply(true)) runs.recount();
      }
      this.rootProblems = rootProblems;
      this.db.run('COMMIT');
    } catch (e) {
      this.rollBack(restore);
      throw e;
    }
    if (read || gone.length) this.parts.dataChanged();
    options.onProgress?.(read, total, '');
    return {
      counts: this.counts(),
      filesRead: read,
      filesRemoved: gone.length,
      problems: this.problems(),
      cancelled,
      timings: { discoverMs: t1 - t0, taxonomyMs, waitMs, insertMs, listsMs: 0, totalMs: performance.now() - t0 },
    };
  }

  /** Every labels file's overrides, in path order (the last that applies to a question wins). */
  private overrideFiles(): [string, TaxonomyOverride[]][] {
    return [...this.files.entries()]
      .flatMap(([p, st]): [string, TaxonomyOverride[]][] => (st.overrides ? [[p, st.overrides]] : []))
      .sort(([a], [b]) => (a < b ? -1 : 1));
  }

  /** Everything outside SQLite that a sync changes, as it is now (see checkpoint.ts). */
  private checkpoint(): Restore {
    const { nextPredictionId, nextFileId } = this;
    const { questions, texts, runs, models, audit, annotations } = this.parts;
    return allOf([
      mapCheckpoint(this.files),
      questions.checkpoint(),
      runs.checkpoint(),
      texts.checkpoint(),
      this.parts.columns.checkpoint(),
      models.checkpoint(),
      audit.checkpoint(),
      annotations.checkpoint(),
      () => {
        this.nextPredictionId = nextPredictionId;
        this.nextFileId = nextFileId;
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
    this.parts.dataChanged();
  }

  /**
   * A raw run is graded by the rule unless a judged file of the same run (split, prompt mode, model,
   * sampling) is loaded: then its predictions are ungraded copies (grader 'none'), so nothing is counted
   * twice. Re-decided after every sync, since either file may come or go. True when any outcome changed.
   */
  private regradeRawRuns(): boolean {
    // The judged runs by (split, prompt mode, model, sampling), with their files: the rule-graded records of
    // a partly judged harness file are a raw run of the same file as its judged records, not a copy.
    const judged = new Map<string, Set<number>>();
    for (const [split, prompt, model, sampling, file] of selectAll(
      this.db,
      "SELECT split, prompt_mode, model_id, sampling_label, file_id FROM runs WHERE stage = 'judged'",
    )) {
      const k = [split, prompt, model, sampling].join('\u0000');
      (judged.get(k) ?? judged.set(k, new Set()).get(k))?.add(Number(file));
    }
    const elsewhere = (k: string, file: number): boolean => [...(judged.get(k) ?? [])].some((f) => f !== file);
    const rule = code(GRADERS, 'rule');
    const none = code(GRADERS, 'none');
    let changed = false;
    for (const [id, split, prompt, model, sampling, file] of selectAll(
      this.db,
      "SELECT id, split, prompt_mode, model_id, sampling_label, file_id FROM runs WHERE stage = 'raw'",
    )) {
      const facets = this.parts.runs.get(Number(id));
      if (!facets) continue;
      const want = elsewhere([split, prompt, model, sampling].join('\u0000'), Number(file)) ? none : rule;
      if (facets.grader === want) continue;
      facets.grader = want;
      changed = true;
      // The rule's verdict: its reading (the chosen letter of a raw prediction) against the question's answer.
      const verdict =
        want === rule
          ? `(SELECT CASE WHEN q.answer_letter IS NULL THEN NULL WHEN substr('ABCD', predictions.chosen + 1, 1) = q.answer_letter THEN 1 ELSE 0 END FROM questions q WHERE q.id = predictions.question_id)`
          : 'NULL';
      this.db.run(`UPDATE predictions SET rule_correct = ${verdict} WHERE run_id = ?`, [Number(id)]);
      this.db.run(
        `UPDATE predictions SET outcome = CASE rule_correct WHEN 1 THEN ${code(OUTCOMES, 'correct')} WHEN 0 THEN ${code(OUTCOMES, 'failed')} ELSE ${code(OUTCOMES, 'ungraded')} END WHERE run_id = ?`,
        [Number(id)],
      );
    }
    return changed;
  }

  counts(): IndexCounts {
    const one = (sql: string): number => Number(this.db.exec(sql)[0]?.values[0]?.[0] ?? 0);
    return {
      files: one("SELECT COUNT(*) FROM files WHERE status != 'error'"),
      runs: one('SELECT COUNT(*) FROM runs'),
      questions: one('SELECT COUNT(*) FROM questions'),
      ...this.parts.runs.totals(),
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

  /** Every run (one result file) with its counts, in path order. */
  runs(): RunSummary[] {
    return selectAll(
      this.db,
      `SELECT r.id, f.path, r.stage, r.split, r.prompt_mode, m.name, r.sampling_label
       FROM runs r JOIN files f ON f.id = r.file_id JOIN models m ON m.id = r.model_id ORDER BY f.path`,
    ).map(([runId, filePath, stage, split, promptMode, model, samplingLabel]) => {
      const { predictions, failures } = this.parts.runs.totals(Number(runId));
      return {
        filePath: String(filePath),
        stage: stage as Stage,
        split: split as Split,
        promptMode: promptMode as PromptMode,
        model: String(model),
        samplingLabel: String(samplingLabel),
        predictions,
        failures,
      };
    });
  }

  close(): void {
    for (const s of this.insertStatements.values()) s.free();
  }

  // ---- loading ---------------------------------------------------------------------------------

  private recordFile(
    f: DiscoveredFile,
    records: number,
    status: 'ok' | 'warning' | 'error',
    problems: string[],
    kind = f.kind,
  ): number {
    const id = this.nextFileId++;
    this.db.run(
      'INSERT INTO files(id, path, root, kind, size, mtime_ms, records, status, problems) VALUES (?,?,?,?,?,?,?,?,?)',
      [id, f.path, f.root, kind, f.size, f.mtimeMs, records, status, JSON.stringify(problems)],
    );
    this.files.set(f.path, { fileId: id, info: f, predictionRange: null, questions: null, overrides: null });
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
        this.parts.questions.addBench(f.dataset, loaded.questions, id);
        return;
      }
      case 'labels':
        this.recordFile(f, loaded.overrides.length, status(loaded.warnings), loaded.warnings);
        (this.files.get(f.path) as FileState).overrides = loaded.overrides;
        return;
      case 'results': {
        const fileId = this.recordFile(f, loaded.records.count, status(loaded.warnings), loaded.warnings, loaded.stage);
        this.insertRun(fileId, f, loaded.stage, loaded.records);
        return;
      }
      case 'harness': {
        const count = loaded.parts.reduce((n, p) => n + p.records.count, 0);
        const judged = loaded.parts.some((p) => p.stage === 'judged');
        const fileId = this.recordFile(f, count, status(loaded.warnings), loaded.warnings, judged ? 'judged' : 'raw');
        loaded.parts.forEach((p, i) => {
          const runId = i === 0 ? fileId : this.nextFileId++;
          if (i > 0) ((this.files.get(f.path) as FileState).moreRuns ??= []).push(runId);
          this.insertRun(fileId, { ...f, run: p.run }, p.stage, p.records, runId);
        });
        return;
      }
    }
  }

  private insertRun(fileId: number, f: DiscoveredFile, stage: Stage, records: CompactRecords, runId = fileId): void {
    const { questions, models, runs, audit, texts } = this.parts;
    const run = f.run as NonNullable<DiscoveredFile['run']>;
    const modelId = models.id(run.model);
    const sampling = run.sampling;
    const framesN = sampling.kind === 'frames' ? sampling.count : sampling.kind === 'fps' ? sampling.fps : null;
    this.db.run(
      'INSERT INTO runs(id, file_id, stage, split, prompt_mode, model_id, sampling_label, frames_kind, frames_n, file_name, group_dir) VALUES (?,?,?,?,?,?,?,?,?,?,?)',
      [
        runId,
        fileId,
        stage,
        run.split,
        run.promptMode,
        modelId,
        run.samplingLabel,
        sampling.kind,
        framesN,
        path.basename(f.path),
        path.dirname(path.dirname(f.path)),
      ],
    );
    // A raw run starts rule-graded; regradeRawRuns() turns it to 'none' if a judged copy is loaded too.
    const cube = runs.add(runId, {
      split: code(SPLITS, run.split),
      model: modelId,
      prompt: code(PROMPT_MODES, run.promptMode),
      grader: code(GRADERS, stage === 'raw' ? 'rule' : 'judge'),
    });
    const outcomeCodes = [code(OUTCOMES, 'failed'), code(OUTCOMES, 'correct'), code(OUTCOMES, 'ungraded')];
    const from = this.nextPredictionId;
    const byNumber = questions.numbered(f.dataset, run.split);
    // A batch's first id and the run come first; then each row's own values (see insertPredictions).
    const values: (number | null)[] = [this.nextPredictionId, runId];
    let pending = 0;
    const fallbacks = new Map(records.fallback);
    const questionRows = new Int32Array(records.count);
    const outcomes = new Uint8Array(records.count);
    for (let i = 0; i < records.count; i++) {
      const fallback = fallbacks.get(i) ?? null;
      const num = records.qnum[i] as number;
      const known = num >= 0 && !fallback ? byNumber[num] : undefined;
      const q =
        known && questions.isWritten(known.rowId)
          ? known
          : questions.forPrediction(
              f.dataset,
              run.split,
              num >= 0 ? `validation_${num}` : (unpackText(records.ids, i) as string),
              fallback,
            );
      this.nextPredictionId++;
      const chosen = records.chosen[i] as number;
      const correct = records.correct[i] as number;
      const ruleCorrect = records.ruleCorrect[i] as number;
      const verdict = correct >= 0 ? correct : ruleCorrect;
      const outcome = outcomeCodes[verdict < 0 ? 2 : verdict] as number;
      const slice = records.slice[i] as number;
      const cell = cubeKey(q.codes.perspective, q.codes.motion, q.codes.source, outcome, slice, correct, ruleCorrect);
      cube.set(cell, (cube.get(cell) ?? 0) + 1);
      questionRows[i] = q.rowId;
      outcomes[i] = outcome;
      values.push(
        q.rowId,
        chosen < 0 ? null : chosen,
        correct < 0 ? null : correct,
        ruleCorrect < 0 ? null : ruleCorrect,
        outcome,
        slice,
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
    questions.flush();
    const state = this.files.get(f.path) as FileState;
    state.predictionRange = [state.predictionRange?.[0] ?? from, this.nextPredictionId];
    audit.add(from, this.nextPredictionId);
    texts.add({
      from,
      to: this.nextPredictionId,
      responses: records.responses,
      extracted: records.extracted,
      extras: new Map(records.extras),
      truth: records.truth,
    });
    const { chosen, slice, correct: judge, ruleCorrect: rule } = records;
    this.parts.columns.add({
      from,
      to: this.nextPredictionId,
      run: runId,
      question: questionRows,
      chosen,
      slice,
      judge,
      rule,
      outcome: outcomes,
    });
  }

  /**
   * Inserts `rows` predictions of one run: `values` holds the first id, the run, then each row's values
   * but those two. The ids (consecutive) and the run are written as expressions of the first two
   * parameters rather than bound per row: binding costs more than evaluating them.
   */
  private insertPredictions(values: (number | null)[], rows: number): void {
    if (rows === BATCH) return this.insertStatement(rows).run(values);
    // Fewer rows (a file's last ones): in batches of the powers of two that sum to their number.
    const own = PREDICTION_COLUMNS.length - 2;
    let done = 0;
    for (let size = BATCH >> 1; size >= 1; size >>= 1) {
      if (rows - done < size) continue;
      const part = values.slice(2 + done * own, 2 + (done + size) * own);
      part.unshift((values[0] as number) + done, values[1] as number);
      this.insertStatement(size).run(part);
      done += size;
    }
  }

  private insertStatement(rows: number): BulkStatement {
    let stmt = this.insertStatements.get(rows);
    if (!stmt) {
      const own = PREDICTION_COLUMNS.length - 2;
      const tuples = Array.from(
        { length: rows },
        (_, k) => `(?1+${k},?2,${Array.from({ length: own }, (_, c) => `?${3 + k * own + c}`).join(',')})`,
      );
      stmt = this.parts.bulk(`INSERT INTO predictions(${PREDICTION_COLUMNS.join(',')}) VALUES ${tuples.join(',')}`);
      this.insertStatements.set(rows, stmt);
    }
    return stmt;
  }

  private dropFile(p: string): void {
    const st = this.files.get(p);
    if (!st) return;
    if (st.predictionRange) {
      const [from, to] = st.predictionRange;
      this.db.run('DELETE FROM predictions WHERE id >= ? AND id < ?', [from, to]);
      this.parts.audit.drop(from, to);
      this.parts.texts.drop(from, to);
      this.parts.columns.drop(from, to);
    }
    if (st.questions) this.parts.questions.dropBench(st.info.dataset, st.questions, st.fileId);
    this.db.run('DELETE FROM runs WHERE file_id = ?', [st.fileId]);
    for (const runId of [st.fileId, ...(st.moreRuns ?? [])]) this.parts.runs.drop(runId);
    this.db.run('DELETE FROM files WHERE id = ?', [st.fileId]);
    this.files.delete(p);
  }
}

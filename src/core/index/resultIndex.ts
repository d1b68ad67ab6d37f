// The index: every discovered file parsed and loaded into an in-memory SQLite database (sql.js), kept
// in step with the disk by re-reading only the files whose size or mtime changed. This class owns the
// database and hands it, with the lookups each needs, to the parts that do the work:
//   indexSync.ts        the sync: load, insert, drop, regrade, counts and problems
//   questionTable.ts    the questions with their taxonomy and the labels files' overrides
//   failureQueries.ts   the failure list: filters, facet counts, search, grouping by question
//   predictionDetail.ts one prediction in full, and the lookup by stable key
//   auditLayer.ts       the judge audit, annotationLayer.ts the annotations, dashboardRows.ts the dashboard
import * as path from 'path';
import type { Database, SqlJsStatic } from 'sql.js';
import type { AuditRecord } from '../audit';
import type { DashboardData } from '../dashboard/data';
import type { AnnotationOrphan, AnnotationSource } from './annotationLayer';
import { AnnotationLayer } from './annotationLayer';
import { AuditLayer } from './auditLayer';
import type { PredictionSuggestion } from './suggestionLayer';
import { SuggestionLayer } from './suggestionLayer';
import type { SliceFilter } from './sliceData';
import { sliceInput } from './sliceData';
import type { SliceOptions, SliceResult } from '../slices/sliceLine';
import { findSlices } from '../slices/sliceLine';
import { dashboardData } from './dashboardRows';
import { FailureQueries } from './failureQueries';
import { ListColumns } from './listColumns';
import { IndexSync } from './indexSync';
import type {
  FileProblem,
  IndexCounts,
  RootSpec,
  RunSummary,
  SqlReader,
  SqlValue,
  SyncOptions,
  SyncReport,
} from './indexTypes';
import { NameTable } from './nameTable';
import { PredictionColumns } from './predictionColumns';
import { PredictionDetails } from './predictionDetail';
import { PredictionRows } from './predictionRows';
import { PredictionTexts } from './predictionTexts';
import type { FailureQuery, PredictionDetail, PredictionRow, QueryResult } from './query';
import { QuestionTable } from './questionTable';
import type { CompareFilter } from './runComparison';
import { RunComparison } from './runComparison';
import type { BootstrapOptions } from '../compare/paired';
import type { RunComparisonResult } from '../compare/slices';
import { compareSlices } from '../compare/slices';
import { RunFacets } from './runFacets';

export type { RunComparisonResult };
import { prepareBulk } from './bulkInsert';
import { SCHEMA_SQL } from './schema';
import { selectAll } from './sqlite';

export class ResultIndex implements SqlReader {
  private readonly db: Database;
  private roots: RootSpec[] = [];
  /** Bumped whenever the indexed data or the annotations over it change: cached answers are keyed by it. */
  private dataVersion = 0;
  /** Changes only when the predictions do (a sync or its rollback), not with the annotations. */
  private predictionsVersion = 0;
  private readonly questions: QuestionTable;
  private readonly runFacets: RunFacets;
  private readonly annotationLayer: AnnotationLayer;
  private readonly auditLayer: AuditLayer;
  private readonly suggestionLayer: SuggestionLayer;
  private readonly syncer: IndexSync;
  private readonly failures: FailureQueries;
  private readonly details: PredictionDetails;
  private readonly comparison: RunComparison;
  private readonly texts: PredictionTexts;
  private readonly lists: ListColumns;
  private readonly columns: PredictionColumns;
  private readonly rows: PredictionRows;
  private lastSlices: { key: string; result: SliceResult } | null = null;

  constructor(SQL: SqlJsStatic) {
    const db = (this.db = new SQL.Database());
    db.run(SCHEMA_SQL);
    const models = new NameTable(db, 'models', 'name');
    const questions = (this.questions = new QuestionTable(db));
    const texts = (this.texts = new PredictionTexts());
    const runs = (this.runFacets = new RunFacets(db));
    const columns = (this.columns = new PredictionColumns(
      db,
      () => runs.epoch,
      (epoch) => runs.changedSince(epoch),
    ));
    const annotations = (this.annotationLayer = new AnnotationLayer(db, (rows, runs) =>
      columns.predictionsOf(rows, runs),
    ));
    const audit = (this.auditLayer = new AuditLayer(db, {
      question: (row) => {
        const st = questions.get(row);
        const q = st?.bench ?? st?.fallback;
        return st && q ? { split: st.split, qid: st.id, question: q } : undefined;
      },
      text: (id, which) => texts.text(id, which),
      recordTruth: (id) => texts.recordTruth(id),
    }));
    const dataChanged = (): void => {
      this.dataVersion++;
      this.predictionsVersion++;
    };
    const suggestions = (this.suggestionLayer = new SuggestionLayer(db, {
      question: (row) => {
        const st = questions.get(row);
        return st?.bench ?? st?.fallback ?? undefined;
      },
      response: (id) => texts.text(id, 'responses') ?? '',
      dataVersion: () => this.predictionsVersion,
      predictionRanges: () => columns.ranges(),
      tags: (id) => annotations.row(id)?.tags ?? [],
      rejected: () => annotations.rejected,
    }));
    this.syncer = new IndexSync(db, {
      questions,
      texts,
      runs,
      columns,
      models,
      audit,
      annotations,
      dataChanged,
      bulk: (sql) => prepareBulk(SQL, db, sql),
    });
    const rows = (this.rows = new PredictionRows(db, questions, texts, runs, annotations));
    this.lists = new ListColumns(db, {
      blocks: () => columns.current(),
      questionCodes: () => questions.codeTable(),
      predictionsVersion: () => this.predictionsVersion,
      dataVersion: () => this.dataVersion,
    });
    this.comparison = new RunComparison(db, questions, (file) => this.syncer.rangeOf(file));
    this.failures = new FailureQueries(db, {
      questions,
      texts,
      runs,
      models,
      rows,
      annotations,
      audit,
      suggestions,
      comparison: this.comparison,
      lists: this.lists,
      predictionsOf: (questionRows, runs) => columns.predictionsOf(questionRows, runs),
      dataVersion: () => this.dataVersion,
    });
    this.details = new PredictionDetails(
      db,
      rows,
      questions,
      texts,
      (file) => this.syncer.rangeOf(file),
      (questionRows, runs) => columns.predictionsOf(questionRows, runs),
    );
  }

  /**
   * Lays the annotations files' tags, notes and verdict overrides over the predictions: counts, lists and
   * tables use the corrected verdicts from then on (the judge's stays in `judgeCorrect`).
   */
  setAnnotations(sources: AnnotationSource[]): void {
    // Overrides rewrite the outcomes of their own predictions only: only those predictions' runs are recounted.
    if (this.annotationLayer.set(sources)) this.runFacets.recount(this.annotationLayer.runsRewritten());
    this.dataVersion++;
  }

  /** Annotated keys that match nothing in the loaded results (kept in their files, reported). */
  annotationOrphans(): AnnotationOrphan[] {
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

  /** See IndexSync.sync: re-reads new and changed files, drops those gone; all or nothing. */
  async sync(options: SyncOptions = {}): Promise<SyncReport> {
    const report = await this.syncer.sync(this.roots, options);
    if (!options.lists) return report;
    const t = performance.now();
    this.lists.current();
    this.failures.prepare();
    const listsMs = performance.now() - t;
    return { ...report, timings: { ...report.timings, listsMs, totalMs: report.timings.totalMs + listsMs } };
  }

  counts(): IndexCounts {
    return this.syncer.counts();
  }

  problems(): FileProblem[] {
    return this.syncer.problems();
  }

  /** Every run (one result file) with its counts, in path order. */
  runs(): RunSummary[] {
    return this.syncer.runs();
  }

  /** Direct SQL access for read-only reports (the accuracy table, tests). */
  select(sql: string, params: SqlValue[] = []): SqlValue[][] {
    return selectAll(this.db, sql, params);
  }

  /**
   * Work left after a sync, done between requests (the lists' columns, then the search index): about
   * `budgetMs`; false when none is left.
   */
  backgroundStep(budgetMs: number): boolean {
    return this.lists.prepare() || this.texts.indexStep(budgetMs);
  }

  /** Bytes held beside the database: responses and their search index. */
  textMemory(): ReturnType<PredictionTexts['memory']> {
    return this.texts.memory();
  }

  /** Per run and authors' slice, from the runs' cubes (the accuracy table's fast path). */
  accuracyCounts(): ReturnType<RunFacets['accuracyCounts']> {
    return this.runFacets.accuracyCounts();
  }

  close(): void {
    this.syncer.close();
    this.questions.close();
    this.db.close();
  }

  query(q: FailureQuery): QueryResult {
    return this.failures.query(q);
  }

  /** Up to `limit` predictions with ids above `afterId`, in id order, with their responses (paging for export). */
  predictionsAfter(afterId: number, limit: number): { row: PredictionRow; response: string | null }[] {
    return this.rows
      .select(`WHERE p.id > ? ORDER BY p.id LIMIT ?`, [afterId, limit])
      .map((row) => ({ row, response: this.texts.text(row.id, 'responses') }));
  }

  /** Predictions of one question across every loaded run (for the detail view's comparison table). */
  questionPredictions(predictionId: number): PredictionRow[] {
    return this.details.questionPredictions(predictionId);
  }

  /** The prediction with this stable key (predictionKey.ts), if loaded. */
  predictionIdByKey(key: string): number | null {
    return this.details.idByKey(key);
  }

  prediction(id: number): PredictionDetail | null {
    return this.details.prediction(id);
  }

  /**
   * Everything the accuracy dashboard draws, in columns: gathered in dashboardRows.ts, shaped in dashboard/data.ts.
   * `columns`: where the predictions are read (the tests pass columns read from SQL).
   */
  dashboardData(columns: Pick<PredictionColumns, 'current'> = this.columns): DashboardData {
    return dashboardData(this.db, {
      dataVersion: this.dataVersion,
      columns,
      grader: (runId) => this.runFacets.grader(runId),
      question: (rowId) => {
        const st = this.questions.get(rowId);
        const q = st?.bench ?? st?.fallback;
        const t = st?.taxonomy;
        return st && q && t
          ? {
              split: st.split,
              qid: st.id,
              perspective: t.perspective.value,
              motion: t.motion.value,
              source: t.source.value,
              question: q,
            }
          : undefined;
      },
    });
  }

  /** The next step of the judge audit (AuditLayer.step); `pending` 0: the audit is complete. */
  auditStep(max = 1000): { pending: number; changed: boolean } {
    // The detectors' suggestions follow the same way (suggestionLayer.ts), once the audit is done.
    const audit = this.auditLayer.step(max);
    return audit.changed ? audit : this.suggestionLayer.step(max * 4);
  }

  /** Predictions the judge audit, then the detectors, have still to read (as auditStep reports them). */
  auditPending(): number {
    return this.auditLayer.pendingCount || this.suggestionLayer.pendingCount;
  }

  /**
   * Where the predictions under the facet filters fail most (sliceData.ts, ../slices/sliceLine.ts). The
   * dashboard asks again after every change: the last answer is kept until the predictions or the verdicts
   * in force change (a tag or a note changes nothing here; at 10x the discovery takes seconds).
   */
  slices(filter: SliceFilter = {}, options: SliceOptions = {}): SliceResult {
    const key = JSON.stringify([this.predictionsVersion, this.runFacets.epoch, filter, options]);
    if (this.lastSlices?.key === key) return this.lastSlices.result;
    const result = findSlices(
      sliceInput(this.db, filter, {
        blocks: this.columns.current(),
        questionCodes: this.questions.codeTable(),
        question: (row) => this.questions.question(row),
      }),
      options,
    );
    this.lastSlices = { key, result };
    return result;
  }

  /** One prediction's failure-mode suggestions with their evidence and status (suggestionLayer.ts). */
  suggestions(id: number): PredictionSuggestion[] {
    return this.suggestionLayer.suggestionsOf(id);
  }

  /** Every judged prediction as the audit module (audit.ts) takes it. */
  auditRecords(): AuditRecord[] {
    return this.auditLayer.records();
  }

  /** Runs the whole audit now (the CLI and tests; the worker goes step by step between queries). */
  auditAll(): void {
    while (this.auditStep(50_000).changed);
  }

  /** The runs as two runs are compared (`<prompt>/<model>_<sampling>`, both splits), sorted. */
  comparisonRuns(): string[] {
    return this.comparison.runNames();
  }

  /** Two runs compared on the questions both answered: overall, then per slice (compare/slices.ts). */
  compare(a: string, b: string, filter: CompareFilter = {}, opts: BootstrapOptions = {}): RunComparisonResult {
    const pairs = this.comparison.pairs(a, b, filter);
    return { a, b, n: pairs.length, slices: compareSlices(pairs, opts) };
  }
}

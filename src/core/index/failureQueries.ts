// The failure list's queries: one page of rows under the filters, the total, the facet counts (for every
// filter, the count of each of its values under all the other filters), the counts beside the tag, note,
// override and audit filters, one row per question when grouped, and the text search.
//
// Cached: the facet cube and the search hits, each keyed by the data version (and the search text and
// flag versions), so that a sync or a rollback drops them by bumping the version.
import type { Database } from 'sql.js';
import { searchTerms } from '../searchTerms';
import { GRADERS, MOTION_TYPES, OUTCOMES, PERSPECTIVES, PROMPT_MODES, SOURCES, SPLITS } from '../model';
import type { AnnotationLayer } from './annotationLayer';
import { AnswerLabelFilter } from './answerLabelFilter';
import { AuditLayer } from './auditLayer';
import { ComparisonFilter } from './comparisonFilter';
import type { RunComparison } from './runComparison';
import type { NameTable } from './nameTable';
import type { PredictionRows } from './predictionRows';
import type { PredictionTexts } from './predictionTexts';
import type { AnnotationCounts, CodeFilter, FacetCube, FailureQuery, PredictionRow, QueryResult } from './query';
import { FACET_VALUES, clampPageLimit, facetsFromCube } from './query';
import type { QuestionTable } from './questionTable';
import type { RunFacets } from './runFacets';
import type { SuggestionLayer } from './suggestionLayer';
import { selectAll } from './sqlite';
import { SearchHits } from './searchHits';
import { ListColumns } from './listColumns';
import { keysCond, samplingCond } from './keyedFilters';
import type { QuestionPredictions } from './predictionColumns';

/** The parts of the index the queries read, handed over by ResultIndex. */
export interface QueryParts {
  questions: QuestionTable;
  texts: PredictionTexts;
  runs: RunFacets;
  models: NameTable;
  rows: PredictionRows;
  annotations: AnnotationLayer;
  audit: AuditLayer;
  suggestions: SuggestionLayer;
  comparison: RunComparison;
  /** The lists' columns (listColumns.ts): pages and a subset's facet counts without SQLite. */
  lists: ListColumns;
  /** The predictions of question rows (PredictionColumns.predictionsOf). */
  predictionsOf: QuestionPredictions;
  /** Changes whenever the indexed data does: the caches here are keyed by it. */
  dataVersion: () => number;
}

const sqlText = (s: string): string => `'${s.replace(/'/g, "''")}'`;

/** SQL conditions (on predictions as `p`) for the tag, note and override filters; null when unset. */
function annotationConds(q: FailureQuery): { tags: string | null; note: string | null; overridden: string | null } {
  // SQLite reads SQL text up to a NUL: a tag holding one would cut the query short ("unrecognized token").
  const bad = q.tags?.find((t) => t.includes('\u0000'));
  if (bad !== undefined)
    throw new Error(`invalid tag filter ${JSON.stringify(bad)}: a tag cannot contain a NUL character`);
  return {
    tags: q.tags?.length
      ? `p.id IN (SELECT prediction_id FROM pred_tags WHERE tag IN (${q.tags.map(sqlText).join(',')}))`
      : null,
    note: q.hasNote ? 'p.id IN (SELECT prediction_id FROM pred_marks WHERE has_note = 1)' : null,
    overridden: q.overridden ? 'p.id IN (SELECT prediction_id FROM pred_marks WHERE overridden = 1)' : null,
  };
}

export class FailureQueries {
  private readonly answerLabelFilter: AnswerLabelFilter;
  private readonly comparisonFilter: ComparisonFilter;
  private cube: { version: number; subset: string; rows: FacetCube; flags: Uint8Array | null } | null = null;
  private searchHits: { version: number; text: string; ids: Int32Array; flags: Uint8Array } | null = null;
  /** The current search's hits as flags by id, read by the SQL function search_hit(id). */
  private hitFlags: Uint8Array = new Uint8Array(0);
  /** Which predictions a search text matches; its hitsFor(term) is the one lookup per term. */
  readonly search: SearchHits;

  constructor(
    private readonly db: Database,
    private readonly parts: QueryParts,
  ) {
    // A search's hits as a condition of the SQL counts: a lookup in flags instead of a table of hits, whose
    // inserts cost more than the search itself for a common word (~330,000 rows at 10x for "moving").
    db.create_function('search_hit', (id: number) => (this.hitFlags[id] ? 1 : 0));
    this.answerLabelFilter = new AnswerLabelFilter(db);
    this.search = new SearchHits({
      ...parts,
      predictionsOf: (qids) => parts.predictionsOf(qids),
    });
    this.comparisonFilter = new ComparisonFilter(db, parts.comparison);
  }

  private select(sql: string): (string | number | null)[][] {
    return selectAll(this.db, sql);
  }

  query(q: FailureQuery): QueryResult {
    const { runs, models, audit, annotations, suggestions } = this.parts;
    const suggestCond = suggestions.cond(q.suggested);
    // A text without a term ('""') searches for nothing, like an empty box.
    const text = searchTerms(q.text ?? '').length ? (q.text ?? '').trim() : '';
    const filter = this.codeFilter(q);
    const marks = annotationConds(q);
    const auditCond = AuditLayer.cond(q.audit);
    let labelCond = this.answerLabelFilter.cond(q.truthLabel, q.chosenLabel, this.parts.dataVersion(), () =>
      this.parts.questions.answers(),
    );
    const compare = this.comparisonFilter.cond(q.comparison, this.parts.dataVersion());
    const keyed = [samplingCond(q.samplingLabel), keysCond(this.db, q.keys, this.parts.predictionsOf)].filter(
      (c): c is string => !!c,
    );
    if (keyed.length) labelCond = [labelCond, ...keyed].filter((c) => !!c).join(' AND ');
    // Conditions outside the facet codes: the facet counts are taken over the predictions passing them.
    const extra = [marks.tags, marks.note, marks.overridden, auditCond, labelCond, suggestCond, compare?.sql].filter(
      (c): c is string => !!c,
    );
    // The conditions' texts do not change with the flags' or labels' contents: their versions key the cache.
    const { rows: cube, flags: subsetFlags } = this.facetCube(
      text,
      extra.join(' AND '),
      `${auditCond ? audit.version : ''}\0${labelCond ? this.answerLabelFilter.signature : ''}\0${suggestCond ? suggestions.version : ''}\0${compare?.signature ?? ''}`,
    );
    const { total, facets } = facetsFromCube(
      cube,
      filter,
      (f, c) => (f === 'model' ? models.name(c) : FACET_VALUES[f][c]),
      (f) => (f === 'model' ? models.all().sort() : FACET_VALUES[f]),
    );
    const where: string[] = [];
    for (const f of ['perspective', 'motion', 'source'] as const) {
      const allowed = filter[f];
      if (allowed) where.push(allowed.size ? `p.${f} IN (${[...allowed].join(',')})` : '0');
    }
    const outcomeAllowed = filter.outcome;
    const outcomeCond = !outcomeAllowed
      ? '1'
      : outcomeAllowed.size
        ? `p.outcome IN (${[...outcomeAllowed].join(',')})`
        : '0';
    let runsAllowed: Set<number> | null = null;
    if (filter.split || filter.model || filter.promptMode || filter.grader) {
      const allowedRuns = [...runs.entries()].filter(
        ([, r]) =>
          (!filter.split || filter.split.has(r.split)) &&
          (!filter.model || filter.model.has(r.model)) &&
          (!filter.promptMode || filter.promptMode.has(r.prompt)) &&
          (!filter.grader || filter.grader.has(r.grader)),
      );
      runsAllowed = new Set(allowedRuns.map(([id]) => id));
      where.push(allowedRuns.length ? `p.run_id IN (${allowedRuns.map(([id]) => id).join(',')})` : '0');
    }
    if (text) where.push('search_hit(p.id)');
    const always = [auditCond, labelCond, suggestCond, compare?.sql].filter((c): c is string => !!c);
    const annotationCounts = annotations.empty
      ? undefined
      : this.annotationCounts([...where, outcomeCond, ...always], marks);
    const withoutAudit = [
      ...where,
      outcomeCond,
      ...[marks.tags, marks.note, marks.overridden, labelCond, compare?.sql].filter((c): c is string => !!c),
    ];
    // Beside the suggested filter (any of its detectors): each detector's open suggestions under every other filter.
    const suggestionCounts = suggestions.counts([...withoutAudit, auditCond ?? '1'].join(' AND '));
    withoutAudit.push(suggestCond ?? '1');
    const auditCounts = audit.counts((flag) =>
      [...withoutAudit, AuditLayer.cond((q.audit ?? []).filter((f) => f !== flag)) ?? '1'].join(' AND '),
    );
    // The kinds fix B's verdict, so their counts ignore the outcome filter.
    const comparison =
      q.comparison &&
      this.comparisonFilter.counts(q.comparison, [...where, ...extra.filter((c) => c !== compare?.sql)]);
    where.push(...extra);
    const limit = clampPageLimit(q.limit);
    const offset = Math.max(0, q.offset ?? 0);
    const counts = {
      facets,
      audit: auditCounts,
      suggestions: suggestionCounts,
      ...(annotationCounts ? { annotations: annotationCounts } : {}),
      ...(comparison ? { comparison } : {}),
    };
    if (q.group === 'question') return { ...this.questionGroups(where, outcomeCond, limit, offset), ...counts };
    const { perspective, motion, source, outcome } = filter;
    const f = { perspective, motion, source, outcome, runs: runsAllowed, subset: subsetFlags };
    const ids = this.parts.lists.page(f, q.sort === 'model' ? 'model' : 'question', offset, limit);
    return { total, rows: this.rowsOf(ids), ...counts };
  }

  /** Builds now what every list's first query reads: the facet cube without a search or other conditions. */
  prepare(): void {
    this.facetCube('', '', '');
  }

  /** The rows of these predictions, in this order. */
  private rowsOf(ids: readonly number[]): PredictionRow[] {
    if (!ids.length) return [];
    const byId = new Map(this.parts.rows.select(`WHERE p.id IN (${ids.join(',')})`, []).map((r) => [r.id, r]));
    return ids.flatMap((id) => byId.get(id) ?? []);
  }

  /** Beside the tag, note and override filters: their counts under every other filter. */
  private annotationCounts(where: string[], marks: ReturnType<typeof annotationConds>): AnnotationCounts {
    const others = (own: string | null) =>
      [...where, ...[marks.tags, marks.note, marks.overridden].filter((c) => c && c !== own)].join(' AND ');
    const tags: Record<string, number> = {};
    for (const [tag, n] of this.select(
      `SELECT t.tag, COUNT(*) FROM pred_tags t JOIN predictions p ON p.id = t.prediction_id WHERE ${others(marks.tags)} GROUP BY t.tag`,
    )) {
      tags[String(tag)] = Number(n);
    }
    const count = (own: string | null, column: string) =>
      Number(
        this.select(
          `SELECT COUNT(*) FROM pred_marks m JOIN predictions p ON p.id = m.prediction_id WHERE m.${column} = 1 AND ${others(own)}`,
        )[0]?.[0] ?? 0,
      );
    return { tags, hasNote: count(marks.note, 'has_note'), overridden: count(marks.overridden, 'overridden') };
  }

  /**
   * One row per question that has a prediction passing every filter: that prediction (the first of the
   * question's, in run order) stands for it, with how many of the question's predictions under the other
   * filters failed ("k of n"). Questions where most failed come first.
   */
  private questionGroups(
    where: string[],
    outcomeCond: string,
    limit: number,
    offset: number,
  ): { total: number; rows: PredictionRow[] } {
    const failed = OUTCOMES.indexOf('failed');
    const grouped = `SELECT p.question_id AS qid, COUNT(*) AS n, SUM(p.outcome = ${failed}) AS k, MIN(CASE WHEN ${outcomeCond} THEN p.id END) AS first
      FROM predictions p ${where.length ? `WHERE ${where.join(' AND ')}` : ''} GROUP BY p.question_id HAVING first IS NOT NULL`;
    const total = Number(this.select(`SELECT COUNT(*) FROM (${grouped})`)[0]?.[0] ?? 0);
    const page = this.select(`${grouped} ORDER BY k DESC, n DESC, qid LIMIT ${limit} OFFSET ${offset}`);
    if (!page.length) return { total, rows: [] };
    const counts = new Map(page.map(([, n, k, first]) => [Number(first), { failed: Number(k), of: Number(n) }]));
    const byId = new Map(
      this.parts.rows.select(`WHERE p.id IN (${[...counts.keys()].join(',')})`, []).map((r) => [r.id, r]),
    );
    const rows: PredictionRow[] = [];
    for (const [id, group] of counts) {
      const row = byId.get(id);
      if (row) rows.push({ ...row, group });
    }
    return { total, rows };
  }

  private codeFilter(q: FailureQuery): CodeFilter {
    const toCodes = <T>(list: readonly T[], values: readonly T[] | undefined): Set<number> | null =>
      values && values.length ? new Set(values.map((v) => list.indexOf(v)).filter((c) => c >= 0)) : null;
    return {
      split: toCodes(SPLITS, q.split),
      perspective: toCodes(PERSPECTIVES, q.perspective),
      motion: toCodes(MOTION_TYPES, q.motion),
      source: toCodes(SOURCES, q.source),
      model:
        q.model && q.model.length
          ? new Set(q.model.map((m) => this.parts.models.find(m) ?? -1).filter((c) => c >= 0))
          : null,
      promptMode: toCodes(PROMPT_MODES, q.promptMode),
      outcome: toCodes(OUTCOMES, q.outcome),
      grader: toCodes(GRADERS, q.grader),
    };
  }

  /**
   * Counts per combination of facet values (a few thousand rows), cached until the data or the search
   * changes: each run stands for its split, model and prompt. Without a search or other conditions, the
   * runs' cubes; with them, summed from the lists' columns over the ids passing them (`flags`, for the
   * page).
   */
  private facetCube(text: string, marks: string, marksVersion: string): { rows: FacetCube; flags: Uint8Array | null } {
    const version = this.parts.dataVersion();
    // The flags' and labels' versions matter only with conditions: without, one cube serves every query.
    const subset = text || marks ? `${text}\0${marks}\0${marksVersion}` : '';
    if (this.cube && this.cube.version === version && this.cube.subset === subset) {
      // The search's flags back for the SQL counts (another search may have replaced them meanwhile).
      if (text) this.prepareSearch(text);
      return this.cube;
    }
    const runs: number[] = [];
    const cells: number[] = [];
    const place = new Map<number, number>();
    const add = (runId: number, key: number, count: number): void => {
      let r = place.get(runId);
      if (r === undefined) {
        const run = this.parts.runs.get(runId);
        if (!run) return;
        place.set(runId, (r = runs.length / 4));
        runs.push(run.split, run.model, run.prompt, run.grader);
      }
      cells.push(r, key & 0xffff, count);
    };
    let flags: Uint8Array | null = null;
    if (text) this.prepareSearch(text);
    if (text || marks) {
      const cols = this.parts.lists.current();
      let ids: ArrayLike<number> = text ? (this.searchHits?.ids ?? []) : [];
      if (marks)
        ids = this.select(
          `SELECT p.id FROM predictions p WHERE ${marks}${text ? ' AND search_hit(p.id)' : ''} ORDER BY p.id`,
        ).map(([id]) => Number(id));
      flags = new Uint8Array(cols.run.length);
      for (let i = 0; i < ids.length; i++) flags[ids[i] as number] = 1;
      for (const [runId, key, count] of ListColumns.cells(cols, ids)) add(runId, key, count);
    } else {
      for (const [runId, key, count] of this.parts.runs.cells()) add(runId, key, count);
    }
    this.cube = { version, subset, rows: { runs: Int32Array.from(runs), cells: Int32Array.from(cells) }, flags };
    return this.cube;
  }

  /** Sets the flags search_hit(id) reads to the predictions matching every term of `text` (searchHits.ts). */
  private prepareSearch(text: string): void {
    const version = this.parts.dataVersion();
    if (!(this.searchHits && this.searchHits.version === version && this.searchHits.text === text)) {
      const ids = this.search.matching(text) ?? new Int32Array(0);
      const flags = new Uint8Array(ids.length ? (ids[ids.length - 1] as number) + 1 : 0);
      for (const id of ids) flags[id] = 1;
      this.searchHits = { version, text, ids, flags };
    }
    this.hitFlags = this.searchHits.flags;
  }
}

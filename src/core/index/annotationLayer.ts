// Annotations (tags, notes, verdict overrides from the annotations files) laid over the index: which
// predictions carry which tags (a question's tags count for each of its predictions), which have notes, and
// the verdict in force. Re-applied after every sync, since prediction ids change when files are re-read.
import * as path from 'path';
import type { Database } from 'sql.js';
import type { Annotations, VerdictOverride } from '../annotations/format';
import { PredictionKeys } from './keyedFilters';
import type { QuestionPredictions } from './predictionColumns';
import type { RowAnnotation } from './query';
import { OUTCOMES } from '../model';
import { selectAll } from './sqlite';

export interface AnnotationOrphan {
  root: string;
  kind: 'prediction' | 'question';
  key: string;
}

/** One results folder's annotations file, as read. */
export interface AnnotationSource {
  root: string;
  data: Annotations;
}

export const ANNOTATION_SCHEMA_SQL = `
CREATE TEMP TABLE IF NOT EXISTS pred_tags (prediction_id INTEGER NOT NULL, tag TEXT NOT NULL, PRIMARY KEY (prediction_id, tag));
CREATE TEMP TABLE IF NOT EXISTS pred_marks (prediction_id INTEGER PRIMARY KEY, has_note INTEGER NOT NULL, overridden INTEGER NOT NULL);
`;

const FAILED = OUTCOMES.indexOf('failed');
const CORRECT = OUTCOMES.indexOf('correct');
const UNGRADED = OUTCOMES.indexOf('ungraded');

export class AnnotationLayer {
  private sources: AnnotationSource[] = [];
  private byId = new Map<number, RowAnnotation>();
  /** Predictions whose outcome is an override now. */
  private overridden = new Set<number>();
  /** Predictions whose outcome the last apply() wrote in SQL (overridden before or now). */
  private rewritten: number[] = [];
  /** Annotated keys that matched no prediction or question in the index. */
  orphans: AnnotationOrphan[] = [];
  /** Per prediction, the detectors whose suggestions its annotations reject (suggestionLayer.ts). */
  rejected = new Map<number, string[]>();

  constructor(
    private readonly db: Database,
    /** The predictions of question rows, current within a sync too (PredictionColumns.predictionsOf). */
    private readonly predictionsOf: QuestionPredictions,
  ) {
    db.run(ANNOTATION_SCHEMA_SQL);
  }

  get empty(): boolean {
    return this.byId.size === 0 && this.overridden.size === 0;
  }

  row(id: number): RowAnnotation | undefined {
    return this.byId.get(id);
  }

  set(sources: AnnotationSource[]): boolean {
    this.sources = sources;
    return this.apply();
  }

  /** The runs of the predictions whose outcome the last apply() wrote (their cubes need a recount). */
  runsRewritten(): number[] {
    if (!this.rewritten.length) return [];
    return selectAll(this.db, `SELECT DISTINCT run_id FROM predictions WHERE id IN (${this.rewritten.join(',')})`).map(
      ([run]) => Number(run),
    );
  }

  /** The keys' lookup and each root's runs, for which roots; dropped when the indexed data changes (`apply(true)`). */
  private maps: { roots: string; keys: PredictionKeys; runsOf: Map<string, Set<number>> } | null = null;

  /**
   * Finds the predictions of the annotations' keys: each key under the results folder holding its file.
   * Reads the runs and questions (small tables), not the predictions: a map of every prediction's key took
   * ~2 s at 10x the published results.
   */
  private keyLookup(roots: string[]): NonNullable<AnnotationLayer['maps']> {
    const signature = roots.join('\0');
    if (this.maps?.roots === signature) return this.maps;
    const runsOf = new Map(roots.map((r) => [r, new Set<number>()]));
    for (const [id, file] of selectAll(this.db, 'SELECT r.id, f.path FROM runs r JOIN files f ON f.id = r.file_id')) {
      const root = roots.find((r) => isInside(String(file), r));
      if (root !== undefined) runsOf.get(root)?.add(Number(id));
    }
    return (this.maps = { roots: signature, keys: new PredictionKeys(this.db, this.predictionsOf), runsOf });
  }

  /**
   * What apply() replaces, as it is now, put back when a failed sync rolls the tables back (see
   * checkpoint.ts). apply() builds new maps and sets rather than changing these.
   */
  checkpoint(): () => void {
    const { byId, overridden, orphans, maps, rejected } = this;
    return () => {
      this.rejected = rejected;
      this.byId = byId;
      this.overridden = overridden;
      this.orphans = orphans;
      this.maps = maps;
    };
  }

  /**
   * Lays the annotations over the current predictions; true when any outcome changed. `dataChanged`: the
   * predictions were re-read since the last call (their ids and keys must be looked up again).
   */
  apply(dataChanged = false): boolean {
    if (dataChanged) this.maps = null;
    let outcomesChanged = false;
    this.rewritten = [...this.overridden];
    // The judges' (or for raw outputs the rule's) verdicts back first.
    if (this.overridden.size) {
      this.db.run(
        `UPDATE predictions SET outcome = CASE COALESCE(judge_correct, rule_correct) WHEN 1 THEN ${CORRECT} WHEN 0 THEN ${FAILED} ELSE ${UNGRADED} END
         WHERE id IN (${[...this.overridden].join(',')})`,
      );
      outcomesChanged = true;
    }
    this.overridden = new Set();
    this.byId = new Map();
    this.rejected = new Map();
    this.orphans = [];
    this.db.run('DELETE FROM pred_tags');
    this.db.run('DELETE FROM pred_marks');
    const active = this.sources.filter(
      (s) => Object.keys(s.data.predictions).length || Object.keys(s.data.questions).length,
    );
    if (!active.length) return outcomesChanged;

    const { keys, runsOf } = this.keyLookup(active.map((s) => s.root));
    const entry = (id: number): RowAnnotation => {
      let a = this.byId.get(id);
      if (!a) this.byId.set(id, (a = { tags: [], questionTags: [], hasNote: false }));
      return a;
    };
    const overrides: [number, VerdictOverride][] = [];
    for (const s of active) {
      for (const [key, item] of Object.entries(s.data.predictions)) {
        const ids = keys.prediction(key, runsOf.get(s.root));
        if (!ids.length) {
          this.orphans.push({ root: s.root, kind: 'prediction', key });
          continue;
        }
        for (const id of ids) {
          const a = entry(id);
          a.tags = [...new Set([...a.tags, ...item.tags])].sort();
          a.hasNote ||= !!item.note;
          if (item.rejected?.length)
            this.rejected.set(id, [...new Set([...(this.rejected.get(id) ?? []), ...item.rejected])]);
          if (item.verdict) {
            a.verdict = item.verdict;
            overrides.push([id, item.verdict]);
          }
        }
      }
      for (const [key, item] of Object.entries(s.data.questions)) {
        const ids = keys.question(key, runsOf.get(s.root));
        if (!ids.length) {
          this.orphans.push({ root: s.root, kind: 'question', key });
          continue;
        }
        for (const id of ids) {
          const a = entry(id);
          a.questionTags = [...new Set([...a.questionTags, ...item.tags])].sort();
          a.hasNote ||= !!item.note;
        }
      }
    }

    const tagStmt = this.db.prepare('INSERT OR IGNORE INTO pred_tags VALUES (?, ?)');
    const markStmt = this.db.prepare('INSERT INTO pred_marks VALUES (?, ?, ?)');
    try {
      for (const [id, a] of this.byId) {
        for (const t of new Set([...a.tags, ...a.questionTags])) tagStmt.run([id, t]);
        markStmt.run([id, a.hasNote ? 1 : 0, a.verdict ? 1 : 0]);
      }
    } finally {
      tagStmt.free();
      markStmt.free();
    }
    for (const verdict of ['correct', 'wrong'] as const) {
      const ids = overrides.filter(([, v]) => v === verdict).map(([id]) => id);
      if (!ids.length) continue;
      this.db.run(
        `UPDATE predictions SET outcome = ${verdict === 'correct' ? CORRECT : FAILED} WHERE id IN (${ids.join(',')})`,
      );
      for (const id of ids) {
        this.overridden.add(id);
        this.rewritten.push(id);
      }
      outcomesChanged = true;
    }
    return outcomesChanged;
  }
}

function isInside(file: string, root: string): boolean {
  const rel = path.relative(root, file);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

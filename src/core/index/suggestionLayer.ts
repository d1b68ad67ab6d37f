// The failure-mode detectors (../failureModes.ts) laid over the index: which predictions each detector flags,
// for the "suggested" filter and the counts beside it, and one prediction's suggestions with their evidence.
//
// Like the judge audit, the detectors read every response, so the index is queryable first and they follow in
// bounded steps the owner runs between queries (ResultIndex.auditStep). Whenever the indexed data changes,
// every prediction is read again: the whole pass is well under a second for the published set, and it spares
// the bookkeeping of which ranges a sync touched. A suggestion the prediction already carries as a tag, or
// one its annotations reject, is not offered (filters and counts leave it out; suggestionsOf marks it).
import type { Database } from 'sql.js';
import type { Detector, FailureCase, Suggestion } from '../failureModes';
import { DETECTORS, detectFailureModes, detectorBits } from '../failureModes';
import type { ChoiceLetter } from '../model';
import { CHOICE_LETTERS, OUTCOMES, PERSPECTIVES } from '../model';
import type { Question } from '../model';
import type { SuggestionCounts } from './query';
import { selectAll } from './sqlite';

export const SUGGESTION_SCHEMA_SQL = `
CREATE TEMP TABLE IF NOT EXISTS suggestions (prediction_id INTEGER NOT NULL, detector INTEGER NOT NULL, PRIMARY KEY (prediction_id, detector));
CREATE TEMP TABLE IF NOT EXISTS suggestion_detectors (code INTEGER PRIMARY KEY, name TEXT NOT NULL);
CREATE TEMP TABLE IF NOT EXISTS suggestion_rejects (prediction_id INTEGER NOT NULL, detector TEXT NOT NULL, PRIMARY KEY (prediction_id, detector));
`;

export type { SuggestionCounts };

/** Rows a statement when the detectors' codes are inserted. */
const INSERT_ROWS = 500;

/** One suggestion of one prediction, and what the user made of it. */
export interface PredictionSuggestion extends Suggestion {
  /** open: offered; accepted: the prediction carries the tag; rejected: its annotations say never again. */
  status: 'open' | 'accepted' | 'rejected';
}

/** What the detectors look up beside the database (the question table and the texts, see ResultIndex). */
export interface SuggestionLookups {
  question: (questionRowId: number) => Question | undefined;
  response: (predictionId: number) => string;
  dataVersion: () => number;
  /** The predictions' id ranges [from, to), in id order: every prediction id is in exactly one. */
  predictionRanges: () => readonly (readonly [number, number])[];
  /** The prediction's own tags (annotationLayer.ts). */
  tags: (predictionId: number) => readonly string[];
  /** Per prediction, the detectors its annotations reject: a new map whenever the annotations are laid anew. */
  rejected: () => ReadonlyMap<number, readonly string[]>;
}

/** On suggestions as `s`: the prediction does not carry the tag yet, and its annotations do not reject it. */
const OPEN = `NOT EXISTS (SELECT 1 FROM pred_tags t JOIN suggestion_detectors n ON n.code = s.detector
    WHERE t.prediction_id = s.prediction_id AND t.tag = n.name)
  AND NOT EXISTS (SELECT 1 FROM suggestion_rejects r JOIN suggestion_detectors n ON n.code = s.detector
    WHERE r.prediction_id = s.prediction_id AND r.detector = n.name)`;

export class SuggestionLayer {
  /** The data version the suggestions were (or are being) computed for; -1: never. */
  private computedFor = -1;
  /**
   * Prediction ids still to read, in order, and how far the reading has got. Listed by the first step, not
   * when the data changes: a query right after a sync does not wait for it (~0.5 s at 10x the published
   * results); until then `size` says how many there are.
   */
  private queue: number[] | null = [];
  private size = 0;
  private at = 0;
  /** The files and prediction ids the suggestions were computed for. */
  private signature = '';
  private rejectedIn: ReadonlyMap<number, readonly string[]> | null = null;
  /** Changes whenever suggestions or rejections change, so that cached counts are dropped. */
  version = 0;

  constructor(
    private readonly db: Database,
    private readonly lookups: SuggestionLookups,
  ) {
    db.run(SUGGESTION_SCHEMA_SQL);
    db.run('DELETE FROM suggestion_detectors');
    for (const d of DETECTORS) db.run('INSERT INTO suggestion_detectors VALUES (?, ?)', [DETECTORS.indexOf(d), d]);
  }

  /** Starts over when the indexed data changed since the last pass; takes the rejections in when they changed. */
  private refresh(): void {
    const rejected = this.lookups.rejected();
    if (rejected !== this.rejectedIn) this.setRejected(rejected);
    const v = this.lookups.dataVersion();
    if (v === this.computedFor) return;
    this.computedFor = v;
    // A sync that failed and was rolled back leaves the same files and predictions: nothing to redo.
    // From the ranges kept beside the table: reading the ids from SQL took ~90 ms at 10x the published results.
    const ranges = this.lookups.predictionRanges();
    const files = selectAll(this.db, "SELECT GROUP_CONCAT(id || ':' || size || ':' || mtime_ms) FROM files")[0]?.[0];
    const signature = `${String(files)}\0${ranges.map(([from, to]) => `${from}-${to}`).join(',')}`;
    if (signature === this.signature) return;
    this.signature = signature;
    this.db.run('DELETE FROM suggestions');
    this.queue = null;
    this.size = ranges.reduce((n, [from, to]) => n + to - from, 0);
    this.at = 0;
    this.version++;
  }

  /** The ids to read, listed now if not yet: the failed predictions first (what the lists show), then the rest (an override may make them failures). */
  private listed(): number[] {
    this.queue ??= selectAll(
      this.db,
      `SELECT id FROM predictions ORDER BY outcome != ${OUTCOMES.indexOf('failed')}, id`,
    ).map(([id]) => Number(id));
    return this.queue;
  }

  /** Predictions not read yet. */
  get pendingCount(): number {
    this.refresh();
    return (this.queue?.length ?? this.size) - this.at;
  }

  /** The failure case of one prediction as the detectors take it, or null when its question is unknown. */
  private caseOf(id: number, questionId: number, chosen: number | null, perspective: number): FailureCase | null {
    const q = this.lookups.question(questionId);
    if (!q) return null;
    return {
      question: q.question,
      choices: q.choices,
      groundTruth: q.answer,
      chosen: chosen === null ? null : ((CHOICE_LETTERS[chosen] as ChoiceLetter | undefined) ?? null),
      perspective: PERSPECTIVES[perspective] ?? 'unspecified',
      response: this.lookups.response(id),
    };
  }

  /**
   * Runs the detectors over the next at most `max` predictions. Every prediction is read, not only the
   * failed ones: a verdict override can turn any of them into a failure without the data changing. The
   * filters decide which are listed. Returns how many are still to read.
   */
  step(max: number): { pending: number; changed: boolean } {
    this.refresh();
    const queue = this.listed();
    if (this.at >= queue.length) return { pending: 0, changed: false };
    const ids = queue.slice(this.at, this.at + max);
    this.at += ids.length;
    const rows = selectAll(
      this.db,
      `SELECT id, question_id, chosen, perspective FROM predictions WHERE id IN (${ids.join(',')})`,
    );
    // Pairs of prediction id and detector code. Only the codes: the evidence is written by suggestionsOf.
    const found: number[] = [];
    for (const [id, questionId, chosen, perspective] of rows) {
      const q = this.lookups.question(Number(questionId));
      if (!q) continue;
      const bits = detectorBits(
        q.choices,
        q.answer,
        chosen === null ? null : ((CHOICE_LETTERS[Number(chosen)] as ChoiceLetter | undefined) ?? null),
        PERSPECTIVES[Number(perspective)] ?? 'unspecified',
        () => this.lookups.response(Number(id)),
      );
      for (let b = bits, code = 0; b; b >>>= 1, code++) if (b & 1) found.push(Number(id), code);
    }
    this.insert(found);
    this.version++;
    return { pending: queue.length - this.at, changed: true };
  }

  /** Inserts pairs of prediction id and detector code, many rows a statement (a statement a row cost ~10x more). */
  private insert(pairs: readonly number[]): void {
    const rows = (n: number) => `INSERT OR IGNORE INTO suggestions VALUES ${Array(n).fill('(?, ?)').join(',')}`;
    let at = 0;
    while (at < pairs.length) {
      const n = Math.min(INSERT_ROWS, (pairs.length - at) / 2);
      const stmt = this.db.prepare(rows(n));
      try {
        for (; pairs.length - at >= 2 * n; at += 2 * n) stmt.run(pairs.slice(at, at + 2 * n));
      } finally {
        stmt.free();
      }
    }
  }

  /** Reads everything now (the CLI and tests). */
  all(): void {
    while (this.step(50_000).changed);
  }

  /** Replaces the rejected detectors per prediction (from the annotations files). */
  private setRejected(rejected: ReadonlyMap<number, readonly string[]>): void {
    this.rejectedIn = rejected;
    this.db.run('DELETE FROM suggestion_rejects');
    const stmt = this.db.prepare('INSERT OR IGNORE INTO suggestion_rejects VALUES (?, ?)');
    try {
      for (const [id, list] of rejected) for (const d of list) stmt.run([id, d]);
    } finally {
      stmt.free();
    }
    this.version++;
  }

  /**
   * The SQL condition (on predictions as `p`) for predictions with an open suggestion from any of these
   * detectors: flagged, not already tagged with it, not rejected; null for no filter.
   */
  cond(detectors: readonly string[] | undefined): string | null {
    this.refresh();
    const known = (detectors ?? []).filter((d) => (DETECTORS as readonly string[]).includes(d));
    if (!detectors?.length) return null;
    if (!known.length) return '0';
    return `(${known.map((d) => this.openCond(d as Detector)).join(' OR ')})`;
  }

  private openCond(d: Detector): string {
    return `p.id IN (SELECT s.prediction_id FROM suggestions s WHERE s.detector = ${DETECTORS.indexOf(d)} AND ${OPEN})`;
  }

  /** For each detector, its open suggestions under `others` (every filter but the suggested one). */
  counts(others: string): SuggestionCounts {
    this.refresh();
    const counts = Object.fromEntries(DETECTORS.map((d) => [d, 0])) as Record<Detector, number>;
    // The flagged rows as the outer loop, all detectors in one pass.
    for (const [code, n] of selectAll(
      this.db,
      `SELECT s.detector, COUNT(*) FROM suggestions s CROSS JOIN predictions p ON p.id = s.prediction_id
       WHERE ${OPEN} AND ${others} GROUP BY s.detector`,
    )) {
      const d = DETECTORS[Number(code)];
      if (d) counts[d] = Number(n);
    }
    return { counts, pending: this.pendingCount };
  }

  /** One prediction's suggestions with their evidence and status, computed afresh (the table holds no text). */
  suggestionsOf(id: number): PredictionSuggestion[] {
    const row = selectAll(this.db, 'SELECT question_id, chosen, perspective FROM predictions WHERE id = ?', [id])[0];
    if (!row) return [];
    const [questionId, chosen, perspective] = row;
    const c = this.caseOf(id, Number(questionId), chosen === null ? null : Number(chosen), Number(perspective));
    if (!c) return [];
    const tags = this.lookups.tags(id);
    const rejected = this.lookups.rejected().get(id) ?? [];
    return detectFailureModes(c).map((s) => ({
      ...s,
      status: rejected.includes(s.detector) ? 'rejected' : tags.includes(s.tag) ? 'accepted' : 'open',
    }));
  }
}

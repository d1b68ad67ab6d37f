// The judge audit laid over the index: which predictions the answer-reading rule (answerReading.ts) reads
// differently from the judge, where it reads no answer at all, and where two judges of the same run disagree.
//
// Reading every response costs about 40 µs for a chain of thought (3 s for the published set), too much to
// add to indexing. So the index is queryable first and the audit follows in steps of a bounded number of
// predictions (step), which the worker runs between queries. Only flagged predictions get a row here (a few
// percent), so filters and counts stay cheap. Also here: every judged prediction as the audit module
// (../audit.ts) takes it.
import type { Database } from 'sql.js';
import { letterOfChoice } from '../answers';
import { readAnswer } from '../answerReading';
import type { AuditRecord } from '../audit';
import type { ChoiceLetter, PromptMode, Question, Split } from '../model';
import type { SqlValue } from './indexTypes';
import { formatPredictionKey } from './predictionKey';
import type { AuditCounts, AuditFlag } from './query';
import { AUDIT_FLAGS } from './query';
import { selectAll } from './sqlite';

export const AUDIT_SCHEMA_SQL = `
CREATE TEMP TABLE IF NOT EXISTS audit_flags (prediction_id INTEGER PRIMARY KEY, flags INTEGER NOT NULL);
`;

/** Bit of each flag in `audit_flags.flags`. */
export const AUDIT_BITS: Record<AuditFlag, number> = { 'judge-disagrees': 1, 'no-answer': 2, 'judges-disagree': 4 };

/** What the audit looks up beside the database (the question table and the texts, see ResultIndex). */
export interface AuditLookups {
  /** A question row's split, id, choices and ground truth. */
  question: (questionRowId: number) => { split: Split; qid: string; question: Question } | undefined;
  text: (predictionId: number, which: 'responses' | 'extracted') => string | null;
  /** The ground truth's letter as the prediction's own record states it (what its judge graded against). */
  recordTruth: (predictionId: number) => ChoiceLetter | null;
}

export class AuditLayer {
  /** Prediction id ranges [from, to) not read yet, in id order. */
  private pending: [number, number][] = [];
  /** The two-judges comparison must be redone (runs were added or removed). */
  private judgesDirty = false;
  /** Changes whenever flags change, so that cached counts under an audit filter are dropped. */
  version = 0;

  constructor(
    private readonly db: Database,
    private readonly lookups: AuditLookups,
  ) {
    db.run(AUDIT_SCHEMA_SQL);
  }

  private select(sql: string, params: SqlValue[] = []): SqlValue[][] {
    return selectAll(this.db, sql, params);
  }

  /**
   * Reads the next at most `max` predictions' responses with the answer-reading rule and flags those where
   * it disagrees with the judge or reads nothing; once all are read, compares the judges of runs judged
   * twice. Returns how many predictions are still to read (0: the audit is complete).
   */
  step(max: number): { pending: number; changed: boolean } {
    const range = this.take(max);
    if (!range) {
      if (!this.judgesDirty) return { pending: 0, changed: false };
      this.setJudgesDisagree(this.judgesDisagreeing());
      return { pending: 0, changed: true };
    }
    const [from, to] = range;
    const flags: [number, number][] = [];
    const rows = this.select(
      'SELECT id, question_id, judge_correct, chosen FROM predictions WHERE id >= ? AND id < ?',
      [from, to],
    );
    for (const [id, questionId, judgeCorrect, chosen] of rows) {
      const pid = Number(id);
      const q = this.lookups.question(Number(questionId))?.question;
      if (!q) continue;
      if (judgeCorrect === null) {
        // Raw output: its chosen letter is already the rule's reading.
        if (chosen === null) flags.push([pid, AUDIT_BITS['no-answer']]);
        continue;
      }
      const reading = readAnswer(this.lookups.text(pid, 'responses') ?? '', q.choices);
      const truth = this.lookups.recordTruth(pid) ?? letterOfChoice(q.choices, q.answer);
      const ruleCorrect = reading.letter !== null && reading.letter === truth;
      const bits =
        (ruleCorrect !== (judgeCorrect === 1) ? AUDIT_BITS['judge-disagrees'] : 0) |
        (reading.letter === null ? AUDIT_BITS['no-answer'] : 0);
      if (bits) flags.push([pid, bits]);
    }
    this.record(flags);
    return { pending: this.pendingCount, changed: true };
  }

  /**
   * Every judged prediction as the audit module (audit.ts) takes it, with the question's choices and ground
   * truth (as the flags here use them) and its stable key as id.
   */
  records(): AuditRecord[] {
    const out: AuditRecord[] = [];
    const rows = this.select(
      `SELECT p.id, p.question_id, r.prompt_mode, m.name, r.sampling_label, p.judge_correct
       FROM predictions p JOIN runs r ON r.id = p.run_id JOIN models m ON m.id = r.model_id
       WHERE r.stage = 'judged' AND p.judge_correct IS NOT NULL ORDER BY p.id`,
    );
    for (const [id, questionId, promptMode, model, samplingLabel, judgeCorrect] of rows) {
      const found = this.lookups.question(Number(questionId));
      if (!found) continue;
      const { split, qid, question: q } = found;
      // Graded against the record's own ground truth, as its judge was (the benchmark's may have changed since).
      const truth = this.lookups.recordTruth(Number(id));
      out.push({
        id: formatPredictionKey({
          split,
          promptMode: promptMode as PromptMode,
          model: String(model),
          samplingLabel: String(samplingLabel),
          qid,
        }),
        split,
        promptMode: promptMode as PromptMode,
        model: String(model),
        choices: q.choices,
        response: this.lookups.text(Number(id), 'responses') ?? '',
        groundTruth: truth ? (q.choices[truth] ?? q.answer) : q.answer,
        extractedAnswer: this.lookups.text(Number(id), 'extracted'),
        judgeCorrect: judgeCorrect === 1,
      });
    }
    return out;
  }

  /** Predictions whose verdict another judged file of the same run contradicts. */
  private judgesDisagreeing(): number[] {
    const twice = this.select(
      `SELECT GROUP_CONCAT(id) FROM runs WHERE stage = 'judged' GROUP BY split, prompt_mode, model_id, sampling_label HAVING COUNT(*) > 1`,
    ).map(([ids]) => String(ids));
    const out: number[] = [];
    for (const runIds of twice) {
      const byQuestion = new Map<number, { ids: number[]; verdicts: Set<number> }>();
      for (const [id, questionId, correct] of this.select(
        `SELECT id, question_id, judge_correct FROM predictions WHERE run_id IN (${runIds}) AND judge_correct IS NOT NULL`,
      )) {
        let g = byQuestion.get(Number(questionId));
        if (!g) byQuestion.set(Number(questionId), (g = { ids: [], verdicts: new Set() }));
        g.ids.push(Number(id));
        g.verdicts.add(Number(correct));
      }
      for (const g of byQuestion.values()) if (g.verdicts.size > 1) out.push(...g.ids);
    }
    return out;
  }

  /** A run's predictions were inserted: they wait to be read. */
  add(from: number, to: number): void {
    if (to > from) this.pending.push([from, to]);
    this.pending.sort((a, b) => a[0] - b[0]);
    this.judgesDirty = true;
  }

  /** A run's predictions were deleted: their flags and pending reads go too. */
  drop(from: number, to: number): void {
    this.db.run('DELETE FROM audit_flags WHERE prediction_id >= ? AND prediction_id < ?', [from, to]);
    this.pending = this.pending.filter(([a, b]) => b <= from || a >= to);
    this.judgesDirty = true;
    this.version++;
  }

  /** Everything must be read again (e.g. a benchmark file changed the ground truths). */
  reset(ranges: [number, number][]): void {
    this.db.run('DELETE FROM audit_flags');
    this.pending = [];
    for (const [from, to] of ranges) this.add(from, to);
    this.version++;
  }

  /** The pending reads as they are now, put back when a failed sync rolls the flags back (see checkpoint.ts). */
  checkpoint(): () => void {
    const pending = this.pending.map(([a, b]): [number, number] => [a, b]);
    const judgesDirty = this.judgesDirty;
    return () => {
      this.pending = pending;
      this.judgesDirty = judgesDirty;
      this.version++;
    };
  }

  /** Predictions not read yet. */
  get pendingCount(): number {
    return this.pending.reduce((n, [a, b]) => n + b - a, 0);
  }

  /** The next at most `max` predictions to read, taken off the pending list; null when none is left. */
  private take(max: number): [number, number] | null {
    const first = this.pending[0];
    if (!first) return null;
    const [from, to] = first;
    const end = Math.min(to, from + max);
    if (end === to) this.pending.shift();
    else first[0] = end;
    return [from, end];
  }

  /** Stores the flags read for predictions of a range (ids without flags get no row). */
  private record(flags: readonly [number, number][]): void {
    if (!flags.length) return;
    const stmt = this.db.prepare(
      'INSERT INTO audit_flags(prediction_id, flags) VALUES (?, ?) ON CONFLICT(prediction_id) DO UPDATE SET flags = flags | excluded.flags',
    );
    try {
      for (const [id, bits] of flags) stmt.run([id, bits]);
    } finally {
      stmt.free();
    }
    this.version++;
  }

  /** Replaces the judges-disagree flags. */
  private setJudgesDisagree(ids: readonly number[]): void {
    const bit = AUDIT_BITS['judges-disagree'];
    this.db.run(`UPDATE audit_flags SET flags = flags & ~${bit} WHERE flags & ${bit}`);
    this.db.run('DELETE FROM audit_flags WHERE flags = 0');
    this.record(ids.map((id) => [id, bit]));
    this.judgesDirty = false;
    this.version++;
  }

  /** The SQL condition (on predictions as `p`) for predictions carrying every flag; null for none. */
  static cond(flags: readonly AuditFlag[] | undefined): string | null {
    const mask = (flags ?? []).reduce((m, f) => m | (AUDIT_BITS[f] ?? 0), 0);
    return mask ? `p.id IN (SELECT prediction_id FROM audit_flags WHERE flags & ${mask} = ${mask})` : null;
  }

  /**
   * For each flag, how many predictions carry it under `where` (every other filter, including the other
   * audit flags: `othersOf(flag)` gives that condition).
   */
  counts(othersOf: (flag: AuditFlag) => string): AuditCounts {
    const counts = {} as Record<AuditFlag, number>;
    for (const flag of AUDIT_FLAGS) {
      const bit = AUDIT_BITS[flag];
      // CROSS JOIN keeps the few flagged rows as the outer loop: SQLite otherwise walks the predictions the
      // filters allow (tens of thousands) and looks each up here, ~4 ms a flag at 1x on every query.
      const row = this.db.exec(
        `SELECT COUNT(*) FROM audit_flags a CROSS JOIN predictions p ON p.id = a.prediction_id WHERE a.flags & ${bit} AND ${othersOf(flag)}`,
      )[0];
      counts[flag] = Number(row?.values[0]?.[0] ?? 0);
    }
    return { counts, pending: this.pendingCount };
  }
}

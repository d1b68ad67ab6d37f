// The answer-label filter: predictions whose ground truth and chosen option have given canonical labels
// (answerLabels.ts), i.e. one cell of the dashboard's confusion matrix. Labels depend on each question's
// option texts, so the filter is a table of the (question, chosen letter) pairs that match, rebuilt only
// when the labels asked for or the data change.
import type { Database } from 'sql.js';
import { answerLabel, answerLabelOfChoice } from '../answerLabels';
import type { Question } from '../model';
import { CHOICE_LETTERS } from '../model';

export const ANSWER_LABEL_SCHEMA_SQL = `
CREATE TEMP TABLE IF NOT EXISTS answer_label_pairs (question_id INTEGER NOT NULL, chosen INTEGER NOT NULL, PRIMARY KEY (question_id, chosen));
`;

/** `chosen` as stored in answer_label_pairs: the letter's code 0-3, or -1 for no chosen letter. */
const NONE = -1;

export class AnswerLabelFilter {
  /** What answer_label_pairs holds now: the data version and the labels asked for. */
  private built: string | null = null;

  get signature(): string {
    return this.built ?? '';
  }

  constructor(private readonly db: Database) {
    db.run(ANSWER_LABEL_SCHEMA_SQL);
  }

  /**
   * The SQL condition (on predictions as `p`) for these labels, or null when neither list is given.
   * `answers` gives every question's choices and ground truth by row id; it is called only on a rebuild.
   */
  cond(
    truth: readonly string[] | undefined,
    chosen: readonly string[] | undefined,
    dataVersion: number,
    answers: () => Map<number, Question>,
  ): string | null {
    const t = truth?.length ? new Set(truth) : null;
    const c = chosen?.length ? new Set(chosen) : null;
    if (!t && !c) return null;
    const signature = `${dataVersion}\0${[...(t ?? [])].sort().join('\u0001')}\0${[...(c ?? [])].sort().join('\u0001')}`;
    if (this.built !== signature) this.build(t, c, answers());
    this.built = signature;
    return 'EXISTS (SELECT 1 FROM answer_label_pairs l WHERE l.question_id = p.question_id AND l.chosen = IFNULL(p.chosen, -1))';
  }

  private build(truth: Set<string> | null, chosen: Set<string> | null, answers: Map<number, Question>): void {
    this.db.run('DELETE FROM answer_label_pairs');
    const stmt = this.db.prepare('INSERT OR IGNORE INTO answer_label_pairs(question_id, chosen) VALUES (?, ?)');
    try {
      for (const [rowId, q] of answers) {
        if (truth && !truth.has(answerLabel(q.answer))) continue;
        for (const [code, letter] of [[NONE, null], ...CHOICE_LETTERS.map((l, i) => [i, l] as const)] as const) {
          if (!chosen || chosen.has(answerLabelOfChoice(q.choices, letter, q.answer))) stmt.run([rowId, code]);
        }
      }
    } finally {
      stmt.free();
    }
  }
}

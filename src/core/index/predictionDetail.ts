// One prediction in full, for the detail view: its row, choices, response, the answer-reading rule's
// reading beside the judge's, the other judges of the same run, its clip and frame sampling; the same
// question's predictions across runs; and the lookup of a prediction by its stable key.
import type { Database } from 'sql.js';
import { readAnswer } from '../answerReading';
import type { FrameSampling } from '../model';
import type { SqlValue } from './indexTypes';
import { predictionsOfKeys } from './keyedFilters';
import type { QuestionPredictions } from './predictionColumns';
import type { PredictionRows } from './predictionRows';
import type { PredictionTexts } from './predictionTexts';
import type { PredictionDetail, PredictionRow } from './query';
import type { QuestionState, QuestionTable } from './questionTable';
import { selectAll } from './sqlite';

export class PredictionDetails {
  constructor(
    private readonly db: Database,
    private readonly rows: PredictionRows,
    private readonly questions: QuestionTable,
    private readonly texts: PredictionTexts,
    /** Prediction ids [from, to) of a loaded result file's run. */
    private readonly rangeOf: (filePath: string) => [number, number] | null,
    /** The predictions of questions, from the lists' columns (no SQL index on the predictions' questions). */
    private readonly predictionsOf: QuestionPredictions,
  ) {}

  private select(sql: string, params: SqlValue[] = []): SqlValue[][] {
    return selectAll(this.db, sql, params);
  }

  prediction(id: number): PredictionDetail | null {
    const row = this.rows.select('WHERE p.id = ?', [id])[0];
    if (!row) return null;
    const extra = this.select(
      `SELECT p.question_id, f.path, r.frames_kind, r.frames_n
       FROM predictions p JOIN runs r ON r.id = p.run_id JOIN files f ON f.id = r.file_id WHERE p.id = ?`,
      [id],
    )[0] as SqlValue[];
    const [questionId, filePath, framesKind, framesN] = extra;
    const st = this.questions.get(Number(questionId));
    const q = st?.bench ?? st?.fallback;
    const response = this.texts.text(id, 'responses') ?? '';
    const reading = readAnswer(response, q?.choices ?? {});
    // Against the ground truth the record states (what its judge saw), else the benchmark's.
    const truth = this.texts.recordTruth(id) ?? row.groundTruthLetter;
    const sampling: FrameSampling =
      framesKind === 'frames'
        ? { kind: 'frames', count: Number(framesN) }
        : framesKind === 'fps'
          ? { kind: 'fps', fps: Number(framesN), cap: 64 }
          : { kind: 'unknown' };
    return {
      ...row,
      choices: q?.choices ?? {},
      response,
      extractedAnswer: this.texts.text(id, 'extracted'),
      ruleReading: {
        letter: reading.letter,
        rule: reading.rule,
        correct: truth === null ? null : reading.letter === truth,
      },
      otherJudges: this.otherJudges(id),
      judgeExtras: this.texts.extras(id),
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
      const range = this.rangeOf(String(filePath));
      if (!range) return [];
      return this.select(
        'SELECT id, judge_correct FROM predictions WHERE id >= ? AND id < ? AND run_id = ? AND question_id = ?',
        [range[0], range[1], Number(runId), Number(questionId)],
      ).map(([otherId, correct]) => ({
        id: Number(otherId),
        filePath: String(filePath),
        judgeCorrect: correct === null ? null : correct === 1,
        extractedAnswer: this.texts.text(Number(otherId), 'extracted'),
      }));
    });
  }

  /** The clip's video field and the file it came from: the benchmark file, else the result file. */
  private videoOf(
    st: QuestionState | undefined,
    resultFile: string,
  ): { video: string | null; videoDeclaredIn: string | null } {
    if (st?.bench?.video && st.benchFile !== null) {
      const benchPath = this.select('SELECT path FROM files WHERE id = ?', [st.benchFile])[0]?.[0];
      return {
        video: st.bench.video,
        videoDeclaredIn: benchPath === undefined || benchPath === null ? null : String(benchPath),
      };
    }
    const video = st?.fallback?.video ?? null;
    return { video, videoDeclaredIn: video ? resultFile : null };
  }

  /** Predictions of one question across every loaded run (for the detail view's comparison table). */
  questionPredictions(predictionId: number): PredictionRow[] {
    const question = this.select('SELECT question_id FROM predictions WHERE id = ?', [predictionId])[0]?.[0];
    if (question === undefined) return [];
    const ids = this.predictionsOf([Number(question)]);
    return this.rows.select(`WHERE p.id IN (${ids.join(',')}) ORDER BY r.prompt_mode, m.name, p.id`, []);
  }

  /** The prediction with this stable key (predictionKey.ts), if loaded; the judged copy before a raw one. */
  idByKey(key: string): number | null {
    const ids = predictionsOfKeys(this.db, [key], this.predictionsOf);
    if (!ids.length) return null;
    const row = this.select(
      `SELECT p.id FROM predictions p JOIN runs r ON r.id = p.run_id WHERE p.id IN (${ids.join(',')})
       ORDER BY r.stage = 'judged' DESC, p.id LIMIT 1`,
    )[0];
    return row ? Number(row[0]) : null;
  }
}

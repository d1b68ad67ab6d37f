// Prediction rows as the failure list, the detail view and the CLI show them: one SQL select joined with
// the question table, the texts and the annotations kept beside the database.
import type { Database } from 'sql.js';
import type { ChoiceLetter, Outcome, PromptMode, Question, Split, Stage } from '../model';
import { CHOICE_LETTERS, OUTCOMES } from '../model';
import type { AnnotationLayer } from './annotationLayer';
import type { SqlValue } from './indexTypes';
import { formatPredictionKey } from './predictionKey';
import type { PredictionTexts } from './predictionTexts';
import type { PredictionRow } from './query';
import type { QuestionState, QuestionTable } from './questionTable';
import type { RunFacets } from './runFacets';
import { selectAll } from './sqlite';

export class PredictionRows {
  constructor(
    private readonly db: Database,
    private readonly questions: QuestionTable,
    private readonly texts: PredictionTexts,
    private readonly runs: RunFacets,
    private readonly annotations: AnnotationLayer,
  ) {}

  /** The rows that `tail` (WHERE ... ORDER BY ..., on predictions as `p`) selects. */
  select(tail: string, params: SqlValue[]): PredictionRow[] {
    const rows = selectAll(
      this.db,
      `SELECT p.id, p.question_id, m.name, r.sampling_label, r.prompt_mode, r.stage, q.answer_letter,
              p.chosen, p.outcome, p.judge_correct, p.run_id
       FROM predictions p JOIN questions q ON q.id = p.question_id JOIN runs r ON r.id = p.run_id JOIN models m ON m.id = r.model_id ${tail}`,
      params,
    );
    return rows.map((r) => {
      const [
        id,
        questionId,
        model,
        samplingLabel,
        promptMode,
        stage,
        answerLetter,
        chosen,
        outcome,
        judgeCorrect,
        runId,
      ] = r;
      const st = this.questions.get(Number(questionId)) as QuestionState;
      const t = st.taxonomy as NonNullable<QuestionState['taxonomy']>;
      const q = (st.bench ?? st.fallback) as Question;
      const { split, id: qid } = st;
      const chosenLetter = chosen === null ? null : (CHOICE_LETTERS[Number(chosen)] ?? null);
      let chosenText: string | null = this.texts.text(Number(id), 'extracted');
      if (chosenLetter) {
        const c = q.choices[chosenLetter];
        if (c !== undefined) chosenText = String(c);
      }
      const annotation = this.annotations.row(Number(id));
      return {
        id: Number(id),
        key: formatPredictionKey({
          split,
          promptMode: promptMode as PromptMode,
          model: String(model),
          samplingLabel: String(samplingLabel),
          qid: String(qid),
        }),
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
        grader: this.runs.grader(Number(runId)),
        perspective: t.perspective.value,
        motion: t.motion.value,
        source: t.source.value,
        rules: { perspective: t.perspective.rule, motion: t.motion.rule, source: t.source.rule },
        ...(annotation ? { annotation } : {}),
      };
    });
  }
}

// The shown prediction as Markdown (src/core/predictionMarkdown.ts) from what the detail view holds: the one
// text both the view's "Copy as Markdown" and the host's command copy, with the tags and override in force.
import type { MarkdownPrediction } from '../core/predictionMarkdown';
import { predictionMarkdown } from '../core/predictionMarkdown';
import type { DetailData } from './detailView';

export function detailMarkdown(d: DetailData): string {
  const p = d.prediction;
  const a = d.annotation;
  const m: MarkdownPrediction = {
    key: p.key,
    split: p.split,
    qid: p.qid,
    model: p.model,
    samplingLabel: p.samplingLabel,
    promptMode: p.promptMode,
    question: p.question,
    choices: p.choices,
    groundTruth: p.groundTruth,
    groundTruthLetter: p.groundTruthLetter,
    chosen: p.chosen,
    chosenText: p.chosenText,
    outcome: p.outcome,
    judgeCorrect: p.judgeCorrect,
    grader: p.grader,
    ruleReading: p.ruleReading,
    response: p.response,
    annotation: { tags: a.tags, questionTags: a.questionTags, ...(a.verdict ? { verdict: a.verdict } : {}) },
  };
  return predictionMarkdown(m);
}

// A prediction's stable key, `<split>/<prompt>/<model>_<sampling>/<qid>`: the name annotations files and
// saved links use for it, since row ids change whenever files are re-read. Formatted and parsed only here.
// Browser-safe: no Node modules.
import type { PromptMode, Split } from '../model';

export interface PredictionKeyParts {
  split: Split;
  promptMode: PromptMode;
  model: string;
  /** e.g. `32frame`; empty when the file name has none. */
  samplingLabel: string;
  qid: string;
}

/** The run part of a key, `<split>/<prompt>/<model>_<sampling>` (the model alone when there is no sampling). */
export function runStem(split: string, promptMode: string, model: string, samplingLabel: string): string {
  return `${split}/${promptMode}/${samplingLabel ? `${model}_${samplingLabel}` : model}`;
}

export function formatPredictionKey(p: PredictionKeyParts): string {
  return `${runStem(p.split, p.promptMode, p.model, p.samplingLabel)}/${p.qid}`;
}

/**
 * A key's parts as far as they can be told apart: the run's stem (`<model>_<sampling>`, since a model name
 * may itself hold `_`) stays whole; null for anything not shaped like a key.
 */
export function parsePredictionKey(
  key: string,
): { split: string; promptMode: string; stem: string; qid: string } | null {
  const m = /^([^/]+)\/([^/]+)\/(.+)\/([^/]+)$/.exec(key);
  if (!m) return null;
  const [, split, promptMode, stem, qid] = m as unknown as [string, string, string, string, string];
  return { split, promptMode, stem, qid };
}

/** A question's key in the annotations files, `<split>/<qid>`. */
export function questionAnnotationKey(split: string, qid: string): string {
  return `${split}/${qid}`;
}

/**
 * A run as two runs are compared: one model's outputs in one prompt mode at one frame sampling, across both
 * splits, named as in the prediction keys: `<prompt>/<model>_<sampling>` (e.g. `cot/gpt-4o_32frame`).
 */
export function comparisonRunName(promptMode: string, model: string, samplingLabel: string): string {
  return `${promptMode}/${samplingLabel ? `${model}_${samplingLabel}` : model}`;
}

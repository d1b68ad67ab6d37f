// The vocabulary every layer shares: what a result file, a run, a question and a prediction are.
// Plain data only; nothing here knows about SQLite, workers or VS Code.

export type Split = 'real' | 'synthetic';
/** unspecified: a harness run whose task name and config do not say (see harness/harnessRow.ts). */
export type PromptMode = 'cot' | 'direct-output' | 'unspecified';
export type Perspective = 'egocentric' | 'exocentric' | 'unspecified';
export type MotionType = 'translational' | 'rotational' | 'counting' | 'false-positive';
export type Source = 'davis' | 'ego4d' | 'youtube-vos' | 'synthetic' | 'unknown';
/** failed / correct come from a verdict (the judge's, or the rule's for raw outputs); ungraded: no verdict at all (e.g. no known ground truth). */
export type Outcome = 'failed' | 'correct' | 'ungraded';
/** judged: an LLM judge's verdict file (processed_outputs*); raw: model outputs without a verdict (outputs/). */
export type Stage = 'judged' | 'raw';
export type FileKind = 'judged' | 'raw' | 'questions' | 'labels';

export const SPLITS: readonly Split[] = ['real', 'synthetic'];
export const PROMPT_MODES: readonly PromptMode[] = ['cot', 'direct-output', 'unspecified'];
export const PERSPECTIVES: readonly Perspective[] = ['egocentric', 'exocentric', 'unspecified'];
export const MOTION_TYPES: readonly MotionType[] = ['translational', 'rotational', 'counting', 'false-positive'];
export const SOURCES: readonly Source[] = ['davis', 'ego4d', 'youtube-vos', 'synthetic', 'unknown'];
export const OUTCOMES: readonly Outcome[] = ['failed', 'correct', 'ungraded'];
/**
 * Who graded a prediction: an LLM judge (judged files), or the deterministic answer-reading rule
 * (answerReading.ts) for raw outputs no judge has seen ("rule-graded"; never mixed silently with a judge's).
 * none: a raw output whose run also has a judged file loaded (the pipeline's outputs/ beside
 * processed_outputs/): the judge's copy holds the verdicts, and this copy stays ungraded so that no
 * prediction is counted twice.
 */
export type Grader = 'judge' | 'rule' | 'none';
export const GRADERS: readonly Grader[] = ['judge', 'rule', 'none'];

/** A value the tool derived, with the name of the rule that produced it (shown to the user). */
export interface Derived<T> {
  value: T;
  rule: string;
}

export type ChoiceLetter = 'A' | 'B' | 'C' | 'D';
export const CHOICE_LETTERS: readonly ChoiceLetter[] = ['A', 'B', 'C', 'D'];
/** Choice values are strings, or integers in counting questions. */
export type ChoiceValue = string | number;
export type Choices = Partial<Record<ChoiceLetter, ChoiceValue>>;

/** How many frames the model was given: `_32frame` (N uniformly sampled) or `_1fps` (1 per second, at most 64). */
export type FrameSampling =
  { kind: 'frames'; count: number } | { kind: 'fps'; fps: number; cap: number } | { kind: 'unknown' };

/** One benchmark question, keyed by (split, id): the same id exists in both splits. */
export interface Question {
  split: Split;
  id: string;
  video: string | null;
  question: string;
  choices: Choices;
  /** Ground truth as the choice text (string or integer), as in the benchmark files. */
  answer: ChoiceValue;
}

/** What the path of a result file says about it. */
export interface RunDescriptor {
  stage: Stage;
  split: Split;
  promptMode: PromptMode;
  /** Everything before the file name's last `_`, e.g. `gpt-4o`. */
  model: string;
  /** The part after the last `_`, e.g. `32frame`, `1fps`. */
  samplingLabel: string;
  sampling: FrameSampling;
}

/**
 * One model's answer to one question, as read from a result file. When read with `utf8Bytes` (parse.ts
 * readPredictions), `response`, `question` and `video` are UTF-8 bytes, one character each.
 */
export interface PredictionRecord {
  id: string;
  question: string;
  choices: Choices;
  response: string;
  /** Present in judged files; in raw files taken from the benchmark entry's `answer`. */
  groundTruth: ChoiceValue | null;
  /** The judge's reading, e.g. "B: left"; null in raw files. */
  extractedAnswer: string | null;
  /** The judge's verdict; null in raw files. */
  correct: boolean | null;
  /** A clip path or URL carried by the record itself (raw files copy the benchmark's `video`). */
  video: string | null;
  /** Any further judge fields (rationale, explanation, reasoning, ...), kept for display. */
  judgeExtras: Record<string, string>;
}

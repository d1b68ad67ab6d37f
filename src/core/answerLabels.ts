// Canonical labels for answer options, so that answers can be compared across questions (the dashboard's
// confusion matrices): left, right, towards, away, clockwise, counter-clockwise, not moving, absent, counts
// 0-8 and 9+, other. Rules in order; the first that matches names the label.
import type { ChoiceLetter, ChoiceValue, Choices } from './model';

export const ANSWER_LABELS = ['left', 'right', 'towards', 'away', 'clockwise', 'counter-clockwise', 'not moving', 'absent', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9+', 'other'] as const;
export type AnswerLabel = (typeof ANSWER_LABELS)[number];
/** What a prediction with no readable answer is shown as. */
export const NO_ANSWER_LABEL = 'no answer';

const RULES: [RegExp, AnswerLabel][] = [
  // Absence before anything else: "there are no cars moving left" is about absence.
  [/^(?:there (?:is|are|was|were) no\b|no \w[\w -]* there$|nothing$|none(?: of them)?$|no one$|nobody$)|\bnot (?:in|present in|visible in) (?:the|this) (?:video|scene|clip)\b/, 'absent'],
  [/\b(?:counter|anti)[- ]?clockwise\b/, 'counter-clockwise'],
  [/\bclockwise\b/, 'clockwise'],
  [/^(?:not (?:moving|spinning|turning|rotating|changing)|staying (?:in place|still)|stationary|static|still|no (?:motion|movement|rotation|turn)|moving straight and not turning|(?:it|they) (?:is|are|does not|do not|doesn't|don't) (?:not )?move)\b/, 'not moving'],
  [/\bright to left\b/, 'left'],
  [/\bleft to right\b/, 'right'],
  [/\bleft\b/, 'left'],
  [/\bright\b/, 'right'],
  [/\b(?:towards?|closer|approach(?:es|ing)?)\b/, 'towards'],
  [/\b(?:away|further|farther)\b/, 'away'],
];

/** The label of an option's text (or of an integer option). */
export function answerLabel(value: ChoiceValue): AnswerLabel {
  const text = String(value).trim().toLowerCase();
  if (/^\d+$/.test(text)) {
    const n = Number(text);
    return n >= 9 ? '9+' : (String(n) as AnswerLabel);
  }
  for (const [pattern, label] of RULES) if (pattern.test(text)) return label;
  return 'other';
}

/** The label of a prediction's chosen option (`letter` null or not an option: "no answer"). */
export function answerLabelOfChoice(choices: Choices, letter: ChoiceLetter | null): AnswerLabel | typeof NO_ANSWER_LABEL {
  const value = letter === null ? undefined : choices[letter];
  return value === undefined ? NO_ANSWER_LABEL : answerLabel(value);
}

// Canonical labels for answer options, so that answers can be compared across questions (the dashboard's
// confusion matrices): directions (left, right, towards, away, up, down, forwards, backwards, in front,
// behind, and the sequences left then right / right then left), turning senses, not moving, absent, yes and
// no, both and neither, unsure, counts 0-8 and 9+, and other for the rest (under 2% of the benchmark's ground
// truths; docs/user-guide.md). Rules in order; the first that matches names the label. A chosen option that the
// labels cannot tell from the truth (another option with the truth's label) is "other option", so that no
// failure ever sits on a confusion matrix's diagonal.
import type { ChoiceLetter, ChoiceValue, Choices } from './model';
import { NUMBER_WORDS } from './words';

export const ANSWER_LABELS = [
  'left',
  'right',
  'left then right',
  'right then left',
  'towards',
  'away',
  'up',
  'down',
  'forwards',
  'backwards',
  'in front',
  'behind',
  'clockwise',
  'counter-clockwise',
  'not moving',
  'absent',
  'yes',
  'no',
  'both',
  'neither',
  'unsure',
  '0',
  '1',
  '2',
  '3',
  '4',
  '5',
  '6',
  '7',
  '8',
  '9+',
  'other',
  'other option',
] as const;
export type AnswerLabel = (typeof ANSWER_LABELS)[number];
/** What a prediction with no readable answer is shown as. */
export const NO_ANSWER_LABEL = 'no answer';

const RULES: [RegExp, AnswerLabel][] = [
  // Absence before anything else: "there are no cars moving left" is about absence.
  [
    /^(?:there?\s+(?:is|are|was|were) no\b|no \w[\w -]* (?:there|in the (?:video|scene|clip)|used)\.?$|no \w+\.?$|nothing\.?$|none(?: of them)?\.?$|no one$|nobody$)|\bnot (?:in|present in|visible in) (?:the|this) (?:video|scene|clip)\b/,
    'absent',
  ],
  [
    /^(?:not sure|unsure|(?:it'?s )?unclear|cannot (?:tell|be determined)|not enough information\b|can'?t tell)/,
    'unsure',
  ],
  [/\b(?:counter|anti)[- ]?clockwise\b/, 'counter-clockwise'],
  [/\bclockwise\b/, 'clockwise'],
  [
    /^(?:not (?:moving|spinning|turning|rotating|changing)|staying (?:in place|still)|stationary|static|still|no (?:motion|movement|rotation|turn(?:ing)?)|moving straight and not turning|almost stayed in place|in no direction|(?:it|they) (?:is|are|does not|do not|doesn't|don't) (?:not )?move)\b|\b(?:did not|didn'?t|does not|doesn['’]?t) move\b|\bremained in the same (?:place|location|position)\b/,
    'not moving',
  ],
  [/\bleft,? (?:and )?then (?:to the )?right\b/, 'left then right'],
  [/\bright,? (?:and )?then (?:to the )?left\b/, 'right then left'],
  [/\bright to left\b/, 'left'],
  [/\bleft to right\b/, 'right'],
  [/\bleft\b/, 'left'],
  [/\bright\b/, 'right'],
  [/\b(?:towards?|closer|approach(?:es|ing)?)\b/, 'towards'],
  [/\b(?:away|further|farther)\b/, 'away'],
  [/^(?:neither|none of (?:these|the above)|did nothing)\b/, 'neither'],
  [/^both\b/, 'both'],
  [/^yes\b/, 'yes'],
  [/^no\b/, 'no'],
  [/\bbottom to top\b|\b(?:up|upwards?|uphill|above|rising|ascending|higher)\b/, 'up'],
  [/\btop to bottom\b|\b(?:down|downwards?|downhill|below|descending|lower|falling)\b/, 'down'],
  [/\b(?:forwards?|ahead)\b|^straight$/, 'forwards'],
  [/\b(?:backwards?|back)\b/, 'backwards'],
  [/\bin front\b|^front$/, 'in front'],
  [/\bbehind\b/, 'behind'],
];

/** A count the option states: "3", "3 times", "2 logs", "once", "one book", "a book, once". */
function countOf(text: string): number | null {
  const digits = /^(\d+)(?:\s+(?:times?|\w+s?))?\.?$/.exec(text) ?? /\b(\d+) times?\.?$/.exec(text);
  if (digits) return Number(digits[1]);
  const word =
    /^(once|twice|thrice|one|two|three|four|five|six|seven|eight|nine|ten)\b(?:\s+\w+s?)?\.?$/.exec(text) ??
    /,\s*(once|twice|thrice)\.?$/.exec(text);
  return word ? (NUMBER_WORDS[word[1] as string] ?? null) : null;
}

/** The label of an option's text (or of an integer option). */
export function answerLabel(value: ChoiceValue): AnswerLabel {
  const text = String(value).trim().toLowerCase();
  const n = countOf(text);
  if (n !== null) return n >= 9 ? '9+' : (String(n) as AnswerLabel);
  for (const [pattern, label] of RULES) if (pattern.test(text)) return label;
  return 'other';
}

const same = (a: ChoiceValue, b: ChoiceValue) => String(a).trim().toLowerCase() === String(b).trim().toLowerCase();

/**
 * The label of a prediction's chosen option (`letter` null or not an option: "no answer"). Given the question's
 * ground truth, an option other than the truth that the labels would put with it is "other option": a failure
 * is never labelled as the truth.
 */
export function answerLabelOfChoice(
  choices: Choices,
  letter: ChoiceLetter | null,
  truth?: ChoiceValue,
): AnswerLabel | typeof NO_ANSWER_LABEL {
  const value = letter === null ? undefined : choices[letter];
  if (value === undefined) return NO_ANSWER_LABEL;
  const label = answerLabel(value);
  return truth !== undefined && !same(value, truth) && label === answerLabel(truth) ? 'other option' : label;
}

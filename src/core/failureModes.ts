// Failure-mode detectors: deterministic rules that propose a tag from the default vocabulary for a failed
// prediction, each with the evidence it found. They read the question's options through the canonical answer
// labels (answerLabels.ts), so "to the left" and "left" are one direction, and the response's own words for
// the one rule that reads the chain of thought. A suggestion is never a tag until the user accepts it.
// Definitions and measured precision: docs/failure-modes.md.
import { answerLabel, answerLabelOfChoice } from './answerLabels';
import type { AnswerLabel } from './answerLabels';
import { finalAnswerSpan } from './answers';
import type { ChoiceLetter, ChoiceValue, Choices, Perspective } from './model';
import { CHOICE_LETTERS } from './model';
import { escapeRegExp } from './words';

export const DETECTORS = [
  'direction-reversal',
  'rotation-sense-reversed',
  'missed-motion',
  'hallucinated-motion',
  'absent-object-answered',
  'counting-error',
  'reasoning-contradicts-answer',
  'no-valid-answer',
  'perspective-confusion',
] as const;
export type Detector = (typeof DETECTORS)[number];

/** One line per detector: what it means, as the docs and the detail view say it. */
export const DETECTOR_DEFINITIONS: Record<Detector, string> = {
  'direction-reversal':
    'The chosen direction is the opposite of the truth (left/right, towards/away, up/down, forwards/backwards, in front/behind).',
  'rotation-sense-reversed': 'Clockwise was chosen for counter-clockwise, or the reverse.',
  'missed-motion': '"Not moving" was chosen where the truth is a motion.',
  'hallucinated-motion': 'A motion was chosen where the truth is "not moving".',
  'absent-object-answered':
    'The object is not in the clip (a false-positive question), yet a direction or state was chosen.',
  'counting-error': 'A count was chosen that differs from the true count (off by k).',
  'reasoning-contradicts-answer': 'The chain of thought concludes one option, the final answer names another.',
  'no-valid-answer': 'No option can be read from the response.',
  'perspective-confusion':
    "On an egocentric question, left and right were swapped: the answer is how the motion looks from the other frame (the camera wearer's left against the viewer's).",
};

export interface FailureCase {
  question: string;
  choices: Choices;
  groundTruth: ChoiceValue;
  chosen: ChoiceLetter | null;
  perspective: Perspective;
  response: string;
}

export interface Suggestion {
  tag: Detector;
  detector: Detector;
  /** What was found, in a sentence: the labels compared, or the words quoted from the response. */
  evidence: string;
}

const OPPOSITE: Partial<Record<AnswerLabel, AnswerLabel>> = {
  left: 'right',
  right: 'left',
  towards: 'away',
  away: 'towards',
  up: 'down',
  down: 'up',
  forwards: 'backwards',
  backwards: 'forwards',
  'in front': 'behind',
  behind: 'in front',
  'left then right': 'right then left',
  'right then left': 'left then right',
};
const ROTATION = new Set<AnswerLabel>(['clockwise', 'counter-clockwise']);
const MOTION = new Set<AnswerLabel>([...(Object.keys(OPPOSITE) as AnswerLabel[]), 'clockwise', 'counter-clockwise']);
const COUNT = (l: string): number | null => (/^\d$/.test(l) ? Number(l) : l === '9+' ? 9 : null);

const LETTER_NAMED = /\b(?:option|answer|choice)\s*\(?([A-D])\)?(?!\w)|\(([A-D])\)/g;
// Not global: a global pattern's test() leaves lastIndex behind, where matchAll() would then start.
const LETTER_NAMED_ONCE = new RegExp(LETTER_NAMED.source);

interface OptionPatterns {
  /** Each option's text as a pattern. */
  each: [ChoiceLetter, RegExp][];
  /** Any of them: a quick test that a sentence may name an option at all. */
  any: RegExp | null;
  /**
   * The options' texts in lower case when every one is ASCII, else null. A case-insensitive pattern matches
   * an ASCII text only on ASCII characters, so a sentence whose lower case holds none of them cannot match:
   * a substring search, far cheaper than the pattern, rules most sentences out.
   */
  lower: string[] | null;
}

/** The options' patterns, built once per question's choices (the predictions of a question share them). */
const PATTERNS = new WeakMap<Choices, OptionPatterns>();
function optionPatterns(choices: Choices): OptionPatterns {
  let out = PATTERNS.get(choices);
  if (out) return out;
  const texts: [ChoiceLetter, string][] = [];
  for (const letter of CHOICE_LETTERS) {
    const value = choices[letter];
    if (value === undefined || typeof value === 'number' || String(value).trim().length < 3) continue;
    texts.push([letter, `(?<![\\w-])${escapeRegExp(String(value).trim())}(?![\\w-])`]);
  }
  out = {
    each: texts.map(([letter, re]) => [letter, new RegExp(re, 'gi')]),
    any: texts.length ? new RegExp(texts.map(([, re]) => re).join('|'), 'i') : null,
    lower: null,
  };
  const values = CHOICE_LETTERS.map((l) => choices[l])
    .filter((v) => v !== undefined && typeof v !== 'number' && String(v).trim().length >= 3)
    .map((v) => String(v).trim());
  const ascii = (v: string) => [...v].every((ch) => ch.charCodeAt(0) < 128);
  if (values.every(ascii)) out.lower = values.map((v) => v.toLowerCase());
  PATTERNS.set(choices, out);
  return out;
}

/** Whether a sentence may name an option: most do not, and the full reading below costs far more. */
function mayNameOption(sentence: string, choices: Choices): boolean {
  // The letter pattern is case-sensitive and needs one of these words or a parenthesis.
  const letterWord =
    sentence.includes('(') || sentence.includes('option') || sentence.includes('answer') || sentence.includes('choice');
  if (letterWord && LETTER_NAMED_ONCE.test(sentence)) return true;
  const p = optionPatterns(choices);
  if (!p.any) return false;
  if (p.lower) {
    const lower = sentence.toLowerCase();
    if (!p.lower.some((t) => lower.includes(t))) return false;
  }
  return p.any.test(sentence);
}

const isSpace = (c: number): boolean =>
  c === 32 ||
  (c >= 9 && c <= 13) ||
  c === 0xa0 ||
  c === 0x1680 ||
  (c >= 0x2000 && c <= 0x200a) ||
  c === 0x2028 ||
  c === 0x2029 ||
  c === 0x202f ||
  c === 0x205f ||
  c === 0x3000 ||
  c === 0xfeff;
const isStop = (c: number): boolean => c === 46 || c === 33 || c === 63; // . ! ?

/**
 * The text's sentences from the last to the first, as `text.split(/(?<=[.!?])\s+|\n+/)` gives them up to
 * surrounding white space (and white-space-only pieces, which the reader skips), found lazily: the reader
 * stops at the last sentence naming an option, usually near the end, so most of a long text is never split.
 */
function* sentencesFromEnd(text: string): Generator<string> {
  let end = text.length;
  for (let i = text.length - 1; i >= 0; i--) {
    const c = text.charCodeAt(i);
    if (c === 10 || (isSpace(c) && i > 0 && isStop(text.charCodeAt(i - 1)))) {
      yield text.slice(i + 1, end);
      end = i;
    }
  }
  yield text.slice(0, end);
}

/**
 * The options one sentence names: by letter ("option B", "(B)") or by text, a text found inside another
 * option's longer text ("clockwise" in "counter-clockwise") not counted.
 */
function optionsNamed(sentence: string, choices: Choices): Set<ChoiceLetter> {
  const found: { letter: ChoiceLetter; start: number; end: number }[] = [];
  for (const m of sentence.matchAll(LETTER_NAMED)) {
    found.push({ letter: (m[1] ?? m[2]) as ChoiceLetter, start: m.index, end: m.index + m[0].length });
  }
  for (const [letter, re] of optionPatterns(choices).each) {
    for (const m of sentence.matchAll(re)) found.push({ letter, start: m.index, end: m.index + m[0].length });
  }
  const inside = (a: (typeof found)[number]) =>
    found.some((b) => b !== a && b.start <= a.start && a.end <= b.end && b.end - b.start > a.end - a.start);
  return new Set(found.filter((f) => !inside(f)).map((f) => f.letter));
}

const NOT_A_CONCLUSION =
  /^\W*(?:option\s*)?\(?[A-D][:.)]\s|\?\s*$|:\s*$|\b(?:to determine|whether|let'?s|in(?:correct)|not correct|wrong|rule[sd]? out|eliminat\w*|unlikely|cannot be|can'?t be|is not the|isn'?t the|doesn'?t (?:match|fit)|does not (?:match|fit))\b/i;

/**
 * The option the reasoning concludes: the one named by the last sentence that names any, when it names only
 * one (a sentence naming two, "not moving and facing right", concludes nothing the rule can tell).
 */
function concludedOption(reasoning: string, choices: Choices): { letter: ChoiceLetter; sentence: string } | null {
  for (const piece of sentencesFromEnd(reasoning)) {
    const sentence = piece.trim();
    // Not a conclusion: a question restated ("to determine whether …", "…?"), an option listed or ruled out.
    if (!sentence || !mayNameOption(sentence, choices) || NOT_A_CONCLUSION.test(sentence)) continue;
    const named = [...optionsNamed(sentence, choices)];
    if (named.length === 0) continue;
    if (named.length > 1) return null;
    return {
      letter: named[0] as ChoiceLetter,
      sentence: sentence.length > 200 ? `${sentence.slice(0, 197)}…` : sentence,
    };
  }
  return null;
}

/**
 * Where the reasoning concludes one option and the final answer names another: the option the last sentence
 * naming any before the final answer concludes (concludedOption) differs from the one chosen, and its label too.
 */
function contradiction(c: FailureCase, chosenLabel: string): Suggestion | null {
  if (c.chosen === null) return null;
  const span = finalAnswerSpan(c.response);
  if (!span) return null;
  const concluded = concludedOption(c.response.slice(0, span.start), c.choices);
  if (!concluded || concluded.letter === c.chosen) return null;
  if (answerLabelOfChoice(c.choices, concluded.letter) === chosenLabel) return null;
  return {
    tag: 'reasoning-contradicts-answer',
    detector: 'reasoning-contradicts-answer',
    evidence: `The reasoning concludes ${concluded.letter} (${String(c.choices[concluded.letter])}): "${concluded.sentence}"; the final answer is ${c.chosen} (${String(c.choices[c.chosen])}).`,
  };
}

/** The detectors' suggestions for one failed prediction, in the order of DETECTORS. */
export function detectFailureModes(c: FailureCase): Suggestion[] {
  const out: Suggestion[] = [];
  const add = (tag: Detector, evidence: string) => out.push({ tag, detector: tag, evidence });
  const truth = answerLabel(c.groundTruth);
  if (c.chosen === null || c.choices[c.chosen] === undefined) {
    add('no-valid-answer', 'No option could be read from the response.');
    return out;
  }
  const chosenValue = c.choices[c.chosen] as ChoiceValue;
  const chosen = answerLabelOfChoice(c.choices, c.chosen, c.groundTruth);
  const pair = `truth "${String(c.groundTruth)}" (${truth}), chosen ${c.chosen} "${String(chosenValue)}" (${chosen})`;
  if (OPPOSITE[truth] === chosen) {
    add('direction-reversal', `The chosen direction is the opposite of the truth: ${pair}.`);
    const lateral = (truth === 'left' || truth === 'right') && c.perspective === 'egocentric';
    if (lateral) add('perspective-confusion', `Left and right swapped on an egocentric question: ${pair}.`);
  }
  if (ROTATION.has(truth) && ROTATION.has(chosen as AnswerLabel) && truth !== chosen)
    add('rotation-sense-reversed', `The turning sense is reversed: ${pair}.`);
  if (MOTION.has(truth) && chosen === 'not moving') add('missed-motion', `"Not moving" chosen for a motion: ${pair}.`);
  if (truth === 'not moving' && MOTION.has(chosen as AnswerLabel))
    add('hallucinated-motion', `A motion chosen where nothing moves: ${pair}.`);
  if (truth === 'absent' && chosen !== 'absent')
    add(
      'absent-object-answered',
      `The object is not in the clip, yet ${c.chosen} "${String(chosenValue)}" was chosen.`,
    );
  const t = COUNT(truth);
  const k = COUNT(chosen);
  if (t !== null && k !== null && t !== k) add('counting-error', `Off by ${k - t > 0 ? '+' : ''}${k - t}: ${pair}.`);
  const contra = contradiction(c, chosen);
  if (contra) out.push(contra);
  return out.sort((a, b) => DETECTORS.indexOf(a.tag) - DETECTORS.indexOf(b.tag));
}

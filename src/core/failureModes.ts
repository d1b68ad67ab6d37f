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
 * What one piece of the reasoning concludes: undefined when it is no conclusion (it names no option, restates
 * the question, lists or rules out an option), null when it names several options (it concludes nothing the
 * rule can tell), else the option and the sentence.
 */
function conclusionIn(piece: string, choices: Choices): { letter: ChoiceLetter; sentence: string } | null | undefined {
  const sentence = piece.trim();
  // Not a conclusion: a question restated ("to determine whether …", "…?"), an option listed or ruled out.
  if (!sentence || !mayNameOption(sentence, choices) || NOT_A_CONCLUSION.test(sentence)) return undefined;
  const named = [...optionsNamed(sentence, choices)];
  if (named.length === 0) return undefined;
  if (named.length > 1) return null;
  return { letter: named[0] as ChoiceLetter, sentence };
}

/**
 * The option the reasoning concludes: the one named by the last sentence that names any, when it names only
 * one (a sentence naming two, "not moving and facing right", concludes nothing the rule can tell).
 */
function concludedOption(reasoning: string, choices: Choices): { letter: ChoiceLetter; sentence: string } | null {
  for (const piece of sentencesFromEnd(reasoning)) {
    const found = conclusionIn(piece, choices);
    if (found === undefined) continue;
    if (found === null) return null;
    const { letter, sentence } = found;
    return { letter, sentence: sentence.length > 200 ? `${sentence.slice(0, 197)}…` : sentence };
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

/**
 * The detectors that compare the chosen option's label with the truth's, in the order of DETECTORS (all but
 * reasoning-contradicts-answer and no-valid-answer).
 */
function labelDetectors(truth: AnswerLabel, chosen: string, perspective: Perspective): Detector[] {
  const out: Detector[] = [];
  if (OPPOSITE[truth] === chosen) out.push('direction-reversal');
  if (ROTATION.has(truth) && ROTATION.has(chosen as AnswerLabel) && truth !== chosen)
    out.push('rotation-sense-reversed');
  if (MOTION.has(truth) && chosen === 'not moving') out.push('missed-motion');
  if (truth === 'not moving' && MOTION.has(chosen as AnswerLabel)) out.push('hallucinated-motion');
  if (truth === 'absent' && chosen !== 'absent') out.push('absent-object-answered');
  const t = COUNT(truth);
  const k = COUNT(chosen);
  if (t !== null && k !== null && t !== k) out.push('counting-error');
  if (OPPOSITE[truth] === chosen && (truth === 'left' || truth === 'right') && perspective === 'egocentric')
    out.push('perspective-confusion');
  return out;
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
  const evidence: Record<Exclude<Detector, 'reasoning-contradicts-answer' | 'no-valid-answer'>, () => string> = {
    'direction-reversal': () => `The chosen direction is the opposite of the truth: ${pair}.`,
    'perspective-confusion': () => `Left and right swapped on an egocentric question: ${pair}.`,
    'rotation-sense-reversed': () => `The turning sense is reversed: ${pair}.`,
    'missed-motion': () => `"Not moving" chosen for a motion: ${pair}.`,
    'hallucinated-motion': () => `A motion chosen where nothing moves: ${pair}.`,
    'absent-object-answered': () =>
      `The object is not in the clip, yet ${c.chosen} "${String(chosenValue)}" was chosen.`,
    'counting-error': () => {
      const off = (COUNT(chosen) as number) - (COUNT(truth) as number);
      return `Off by ${off > 0 ? '+' : ''}${off}: ${pair}.`;
    },
  };
  for (const tag of labelDetectors(truth, chosen, c.perspective)) add(tag, evidence[tag as keyof typeof evidence]());
  const contra = contradiction(c, chosen);
  if (contra) out.push(contra);
  return out.sort((a, b) => DETECTORS.indexOf(a.tag) - DETECTORS.indexOf(b.tag));
}

// The bulk pass: every prediction of the index read by the detectors, for their codes only (the evidence is
// written when one prediction's suggestions are asked for, by detectFailureModes). Same verdicts, cheaper:
// the label detectors once per question and chosen option, and the reasoning read in one pass from its end
// that stops only where an option may be named, instead of every sentence tested against the options'
// patterns (test/unit/failureModeBulk.test.ts holds both paths to the same verdicts).

const isSeparator = (text: string, i: number): boolean => {
  const c = text.charCodeAt(i);
  return c === 10 || (isSpace(c) && i > 0 && isStop(text.charCodeAt(i - 1)));
};

/** Where the piece of sentencesFromEnd holding position `at` starts (`at` itself not a separator). */
function pieceStart(text: string, at: number): number {
  for (let i = at - 1; i >= 0; i--) if (isSeparator(text, i)) return i + 1;
  return 0;
}

// Outside TAB..~: every non-ASCII character (and a few control characters, which take the slower path alike).
const NON_ASCII = /[^\t-~]/;
/** `\w` of a pattern without the `u` flag, and the hyphen: what the option patterns' look-arounds refuse. */
const isWordOrHyphen = (c: number): boolean =>
  (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 45;
const isWord = (c: number): boolean => c !== 45 && isWordOrHyphen(c);
/** LETTER_NAMED's first alternative, tried at one place (sticky). */
const LETTER_WORD_AT = /(?:option|answer|choice)\s*\(?[A-D]\)?(?!\w)/y;

/**
 * Whether `t` (ASCII, lower case) is at `i` of `text` as a case-insensitive pattern without the `u` flag
 * finds it: such a pattern matches an ASCII letter to its two cases only, and anything else to itself.
 */
function caselessAt(text: string, t: string, i: number): boolean {
  if (i + t.length > text.length) return false;
  for (let k = 0; k < t.length; k++) {
    const want = t.charCodeAt(k);
    const c = text.charCodeAt(i + k);
    if (c !== want && !(want >= 97 && want <= 122 && (c | 32) === want)) return false;
  }
  return true;
}

/** Whether an option's pattern (the text `t` in lower case between the look-arounds) matches at `i` of `text`. */
function textAt(text: string, t: string, i: number): boolean {
  return (
    (i === 0 || !isWordOrHyphen(text.charCodeAt(i - 1))) &&
    caselessAt(text, t, i) &&
    (i + t.length === text.length || !isWordOrHyphen(text.charCodeAt(i + t.length)))
  );
}

/** Whether LETTER_NAMED matches at `i` of `text`: "(B)", or "option B" after no word character. */
function letterAt(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  if (c === 40) return text.charCodeAt(i + 1) >= 65 && text.charCodeAt(i + 1) <= 68 && text.charCodeAt(i + 2) === 41;
  if (i > 0 && isWord(text.charCodeAt(i - 1))) return false;
  const second = text.charCodeAt(i + 1);
  if (second !== (c === 111 ? 112 : c === 97 ? 110 : 104)) return false; // op…, an…, ch…
  LETTER_WORD_AT.lastIndex = i;
  return LETTER_WORD_AT.test(text);
}

/** The bulk pass's reading of a question's options: their texts in lower case, and where a name may start. */
interface OptionTexts {
  texts: [ChoiceLetter, string][];
  /** By ASCII code: bit k, option text k may start with it; bit 4, a letter word ("option", "answer", "choice") or "(". */
  starts: Uint8Array;
}
const LETTER_BIT = 16;

/** The options' texts when each is ASCII (null when one is not), kept per question's choices. */
const OPTION_TEXTS = new WeakMap<Choices, OptionTexts | null>();
function optionTexts(choices: Choices): OptionTexts | null {
  let out = OPTION_TEXTS.get(choices);
  if (out !== undefined) return out;
  const texts: [ChoiceLetter, string][] = [];
  for (const letter of CHOICE_LETTERS) {
    const value = choices[letter];
    if (value === undefined || typeof value === 'number' || String(value).trim().length < 3) continue;
    texts.push([letter, String(value).trim().toLowerCase()]);
  }
  out = null;
  if (!texts.some(([, t]) => NON_ASCII.test(t))) {
    const starts = new Uint8Array(128);
    texts.forEach(([, t], k) => {
      const c = t.charCodeAt(0);
      starts[c] = (starts[c] as number) | (1 << k);
      if (c >= 97 && c <= 122) starts[c - 32] = (starts[c - 32] as number) | (1 << k);
    });
    for (const c of [111, 97, 99, 40]) starts[c] = (starts[c] as number) | LETTER_BIT; // o a c (
    out = { texts, starts };
  }
  OPTION_TEXTS.set(choices, out);
  return out;
}

/**
 * optionsNamed without the options' patterns (compiling them for every question cost more than the
 * reading): whether the sentence names no option (undefined), several (null) or which one. Each option's
 * text is searched as its global pattern searches: the first place from where the last match ended.
 */
function oneOptionNamed(sentence: string, texts: [ChoiceLetter, string][]): ChoiceLetter | null | undefined {
  const found: { letter: ChoiceLetter; start: number; end: number }[] = [];
  for (const m of sentence.matchAll(LETTER_NAMED)) {
    found.push({ letter: (m[1] ?? m[2]) as ChoiceLetter, start: m.index, end: m.index + m[0].length });
  }
  for (const [letter, t] of texts) {
    for (let i = 0; i + t.length <= sentence.length; i++) {
      if (!textAt(sentence, t, i)) continue;
      found.push({ letter, start: i, end: i + t.length });
      i += t.length - 1;
    }
  }
  let one: ChoiceLetter | undefined;
  for (const a of found) {
    const inside = found.some(
      (b) => b !== a && b.start <= a.start && a.end <= b.end && b.end - b.start > a.end - a.start,
    );
    if (inside || a.letter === one) continue;
    if (one !== undefined) return null;
    one = a.letter;
  }
  return one;
}

/**
 * concludedOption's letter, without testing every sentence: one pass from the end of the reasoning stops
 * only where the letter pattern or an option's pattern matches (a table of the characters they start with
 * and the look-behind rule most places out), and reads the sentence holding it as concludedOption reads it.
 * A sentence naming an option holds such a place (its ends border on white space or the text's ends, which
 * the look-arounds take alike), so none that concludedOption would read is skipped, and they are read in
 * its order. Options with a non-ASCII text are left to concludedOption itself.
 */
function concludedLetter(reasoning: string, choices: Choices): ChoiceLetter | null {
  const o = optionTexts(choices);
  if (o === null) return concludedOption(reasoning, choices)?.letter ?? null;
  const { texts, starts } = o;
  // Where the piece (of sentencesFromEnd) after the places still to look at starts.
  let next = reasoning.length + 1;
  for (let i = reasoning.length - 1; i >= 0; i--) {
    const c = reasoning.charCodeAt(i);
    const bits = c < 128 ? (starts[c] as number) : 0;
    if (bits === 0) continue;
    let names = (bits & LETTER_BIT) !== 0 && letterAt(reasoning, i);
    for (let k = 0; !names && k < texts.length; k++)
      names = (bits & (1 << k)) !== 0 && textAt(reasoning, (texts[k] as [ChoiceLetter, string])[1], i);
    if (!names) continue;
    const first = pieceStart(reasoning, i);
    let end = i + 1;
    while (end < next - 1 && !isSeparator(reasoning, end)) end++;
    const sentence = reasoning.slice(first, end).trim();
    // As conclusionIn reads it; mayNameOption only spares optionsNamed the sentences in which it finds none.
    const found = !sentence || NOT_A_CONCLUSION.test(sentence) ? undefined : oneOptionNamed(sentence, texts);
    if (found !== undefined) return found;
    // On before the piece and its separator.
    next = first;
    i = first - 1;
  }
  return null;
}

/** The answer labels of one question's options, kept for the bulk pass (the predictions of a question share them). */
interface QuestionLabels {
  groundTruth: ChoiceValue;
  truth: AnswerLabel;
  /** By letter code: the option's label as the chosen one (answerLabelOfChoice with the truth), and without. */
  chosen: string[];
  plain: string[];
  /** By letter code * 2 + (egocentric ? 1 : 0): the label detectors' bits; -1 until computed. */
  bits: number[];
}
const LABELS = new WeakMap<Choices, QuestionLabels>();
function questionLabels(choices: Choices, groundTruth: ChoiceValue): QuestionLabels {
  let q = LABELS.get(choices);
  if (q && q.groundTruth === groundTruth) return q;
  q = {
    groundTruth,
    truth: answerLabel(groundTruth),
    chosen: CHOICE_LETTERS.map((l) => answerLabelOfChoice(choices, l, groundTruth)),
    plain: CHOICE_LETTERS.map((l) => answerLabelOfChoice(choices, l)),
    bits: CHOICE_LETTERS.flatMap(() => [-1, -1]),
  };
  LABELS.set(choices, q);
  return q;
}

const BIT = Object.fromEntries(DETECTORS.map((d, i) => [d, 1 << i])) as Record<Detector, number>;

/**
 * The detectors detectFailureModes gives for one prediction, as bits (bit i: DETECTORS[i]), without their
 * evidence. `response` is called only when the reasoning is read (an option was chosen).
 */
export function detectorBits(
  choices: Choices,
  groundTruth: ChoiceValue,
  chosen: ChoiceLetter | null,
  perspective: Perspective,
  response: () => string,
): number {
  const code = chosen === null ? -1 : CHOICE_LETTERS.indexOf(chosen);
  if (code < 0 || choices[chosen as ChoiceLetter] === undefined) return BIT['no-valid-answer'];
  const q = questionLabels(choices, groundTruth);
  const chosenLabel = q.chosen[code] as string;
  const at = code * 2 + (perspective === 'egocentric' ? 1 : 0);
  let bits = q.bits[at] as number;
  if (bits < 0) {
    bits = 0;
    for (const d of labelDetectors(q.truth, chosenLabel, perspective)) bits |= BIT[d];
    q.bits[at] = bits;
  }
  const text = response();
  const span = finalAnswerSpan(text);
  if (!span) return bits;
  const concluded = concludedLetter(text.slice(0, span.start), choices);
  if (concluded === null || concluded === chosen) return bits;
  if (q.plain[CHOICE_LETTERS.indexOf(concluded)] === chosenLabel) return bits;
  return bits | BIT['reasoning-contradicts-answer'];
}

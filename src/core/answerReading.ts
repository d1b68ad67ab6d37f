// Deterministic reading of the option a response chose, for grading raw outputs without an LLM judge and
// for auditing a judge. The rules below are tried in this FIXED order; the first that decides wins, and its
// id is returned with the letter so the user sees why. They run on the response after `cleanMarkup`
// (LaTeX \boxed{}/\text{} unwrapped, `$`, `*`, `` ` `` and _italics_ markers removed, curly quotes and the
// full-width colon made plain), except bold-letter, which needs the `**`.
//
//  1. empty                   Blank response: no answer.                              "" → null
//  2. bare-letter             The whole response is one letter, however wrapped.      "B", "(B)", "**B**", "B." → B
//  3. option-text             The whole response is one option's text (case-insensitive; integer options
//                             compare as text).                                       "left" → the option "left"; "3" → the option 3
//  4. final-answer-sentence   The prompt's sentence: the LAST "(Therefore,) the final answer is(:) X" (also
//                             "would/must/should/can be", "is then", ", therefore, is", 最终答案是) whose value
//                             reads (see VALUES).                                      "Therefore, the final answer is: **B**" → B;
//                             "...is: B: left", "...is: $\boxed{C}$", "the final answer is 'D'.", "...is: d." → that letter
//  5. final-answer-variant    The last "Final Answer: X", "final choice is X", "the correct / best / most likely
//                             answer (option) is X", "the answer (to the question) is X", "I choose / I took X", or
//                             "X is the (correct / obvious ...) answer".  "**Final answer**: **B**", "the answer is (B)" → B
//  6. answer-colon            The last "Answer: X" (or "Answer X" ending a line).    "Answer: (A) 1" → A
//  7. boxed                   The last \boxed{X}, when no final answer sentence was written.  "so \boxed{C}" → C
//     Rules 4-6 decide "no answer" instead of a letter when the value they read is:
//     several-letters         several different letters: a hedge.                   "the final answer is: A or C" → null
//     letter-text-conflict    a letter followed by another option's text or another count (also at the start
//                             of a response, rule 8).                      "the final answer is: C: left" with C "right" → null
//     conditional-answer      an answer under a condition: "B if ...", or different letters each stated with an
//                             "if"/"or" on their line.   "...is: A' (if coming closer). ...is: C' (if going further away)." → null
//     final-answer-unreadable a refusal or placeholder ("$LETTER", "N/A", "cannot be determined", "None of the
//                             above"), an options listing, or text naming no option, as the last final answer
//                             sentence or "Final Answer:" — unless rules 5-7 read a letter after it; also a
//                             response whose only final answer sentence quotes the prompt's template back
//                             ("...is: $LETTER' (without quotes)").                    "the final answer is: L." → null
//  8. letter-colon-text       The last "B: left" / "B. left" / "B) left" whose text is option B's own text
//                             (entries of an options listing — neighbouring lines "A: ...", "B: ..." — are
//                             skipped), or a response that begins "B." / "B:" / "B)" or with a letter alone on
//                             its first line.                                          "...has turned D: right." → D
//  9. bold-letter             The last bold letter.                                   "I pick **C** here" → C
// 10. parenthesized-letter    The last "(B)".                                          "it must be (D) then" → D
// 11. last-mention            A letter closing the response after a line break, colon or full stop ("...the
//                             lead. B"), else the last "option B" / "choice B" or line starting "B:" / "B)"
//                             outside listings: a response that mentions A and later C reads C.
//                                                                                      "Option A is out; option C fits" → C
// 12. option-mention          The conclusion — the last of the final two sentences that names an option —
//                             names options' texts (or, for integer options, numbers as digits or words: "once",
//                             "two"); the last one not negated ("not", "no", "neither"... shortly before) wins,
//                             unless the sentence hedges ("cannot", "whether", "if", "might"...) or the response
//                             is cut off mid-sentence.          "The car is moving towards the left side." → the option "left"
// 13. no-valid-answer         Nothing readable.                                       "I cannot tell." → null
//
// VALUES — the text right after an answer phrase (rules 4-6), in order: quotes, brackets, a leading comma,
// "option"/"choice"/"letter" and a leftover "$LETTER" placeholder before a letter ("$LETTER = D") are skipped.
// Then (a) an options listing is unreadable; (b) an upper-case letter A-D not followed by a letter or digit
// ("B", "(B)", "B: left", "B.") — it wins over trailing text unless a second letter follows (several-letters),
// the text is another option's (letter-text-conflict), a refusal ("D. Cannot be determined") or an "if"
// (conditional-answer); (c) a lower-case a-d closed by ")" or followed by ".", ":", "," or the end; (d) an
// option's text at the start, the longest if several ("3", "left"); (e) a number word for an integer option
// ("three", not "one of"); (f) a refusal or placeholder (unreadable); (g) the rest of that sentence read as
// in rule 12 ("the final answer is that the bird is not moving"; rule 4, "Final Answer:" and "the correct
// answer is" only).
//
// Option texts are compared case-insensitively with hyphens as spaces, "counterclockwise" = "anti-clockwise" =
// "counter-clockwise" and "toward(s)", "forward(s)"... alike; options "yes", "no" and "possibly" are too common
// as words to be read by rule 12.
//
// Of each kind of answer phrase only the last 64 are read (MAX_PHRASES_READ): a runaway response repeating
// one thousands of times is read in linear time, and what decides is at its end.
//
// Letters are never matched inside words, and a capital "A" starting a sentence ("A car moves left") is only
// read after an answer phrase or as a line's "A:" / "A)" / "A." label.
import type { ChoiceLetter, ChoiceValue, Choices } from './model';
import { CHOICE_LETTERS } from './model';
import { NUMBER_WORDS, escapeRegExp } from './words';

export interface AnswerReading {
  /** The option read, or null when the response states no single answer. */
  letter: ChoiceLetter | null;
  /** The id of the rule that decided (see ANSWER_RULES). */
  rule: AnswerRule;
}

/** The rule ids in the order they are tried (the no-answer outcomes of rules 4-7 follow rule 7). */
export const ANSWER_RULES = [
  'empty',
  'bare-letter',
  'option-text',
  'final-answer-sentence',
  'final-answer-variant',
  'answer-colon',
  'boxed',
  'several-letters',
  'letter-text-conflict',
  'conditional-answer',
  'final-answer-unreadable',
  'letter-colon-text',
  'bold-letter',
  'parenthesized-letter',
  'last-mention',
  'option-mention',
  'no-valid-answer',
] as const;
export type AnswerRule = (typeof ANSWER_RULES)[number];

/** The rules whose reading is null: the response states no single answer. */
export const NO_ANSWER_RULES: readonly AnswerRule[] = [
  'empty',
  'several-letters',
  'letter-text-conflict',
  'conditional-answer',
  'final-answer-unreadable',
  'no-valid-answer',
];

/** Removes markup that wraps answers: LaTeX boxes and text, `$`, markdown bold/italics/code, fancy quotes. */
export function cleanMarkup(s: string): string {
  let t = s.replace(/\r\n?/g, '\n').replace(/[“”]/g, '"').replace(/[‘’]/g, "'").replace(/：/g, ':');
  for (let i = 0; i < 3; i++) t = t.replace(/\\?\b(?:boxed|text|textbf|mathrm|mathbf)\s*\{([^{}]*)\}/g, '$1');
  t = t
    .replace(/\\[()[\]]/g, ' ')
    .replace(/\$/g, '')
    .replace(/\*+/g, '')
    .replace(/`+/g, '');
  t = t.replace(/(^|[^\w])_{1,2}([^_\n]+?)_{1,2}(?=[^\w]|$)/g, '$1$2');
  return t;
}

/**
 * Lower case; hyphens and runs of spaces as one space; "counterclockwise" and "anti-clockwise" as "counter
 * clockwise"; "toward" as "towards", "forward" as "forwards".
 */
function norm(v: ChoiceValue): string {
  return String(v)
    .toLowerCase()
    .replace(/[-–—]/g, ' ')
    .replace(/\b(?:counter|anti) ?clockwise\b/g, 'counter clockwise')
    .replace(/\b(to|for|back|up|down|in|out|side)wards?\b/g, '$1wards')
    .replace(/\s+/g, ' ')
    .trim();
}

interface OptionText {
  letter: ChoiceLetter;
  text: string;
  numeric: boolean;
}

function optionTexts(choices: Choices): OptionText[] {
  const out: OptionText[] = [];
  for (const letter of CHOICE_LETTERS) {
    const c = choices[letter];
    if (c === undefined) continue;
    const text = norm(c).replace(/[.!]+$/, '');
    if (text !== '') out.push({ letter, text, numeric: /^\d+$/.test(text) });
  }
  return out;
}

/** Whether normalized `low` starts with option text `t` as whole words. */
function startsWithText(low: string, t: string): boolean {
  return low.startsWith(t) && !/^[a-z0-9]/.test(low.slice(t.length));
}

/** A value that declines to answer, or a template placeholder left unfilled. */
const REFUSAL =
  /^(?:\(?\s*(?:letter|answer|option|choice)\b|[a-z_]*letter|n\/?a\b|none\b|null\b|nothing\b|unknown|undetermin|indetermin|inconclusive|insufficient|uncertain|unclear|unable|cannot|can't|could\s*n[o']t|not\s+(?:determin|applicable|possible|available|enough|clear|sure|provided|one|any|a\s+single)|impossible|error|no\s+(?:valid|definitive|single|clear|correct|answer|option|choice|relevant|information|conclusive)|it\s+(?:is\s+)?(?:not|impossible|cannot|unclear)|either\b|neither\b|ambiguous|there\s+is\s+no\s+(?:correct|valid|single|definitive)|\?)/i;

/** Words that make a conclusion sentence a hedge (rule 12). */
const HEDGE =
  /\b(?:cannot|can't|can ?not|could ?n[o']t|not possible|impossible|unclear|not clear|whether|either|uncertain|unsure|not sure|difficult to|hard to|unable|don't know|do not know|not (?:be )?determin\w*|undetermin\w*|insufficient|not enough|no way|not applicable|if|possibly|could|might|at least)\b/i;

/** An answer under a condition: "B if it turns", "A (assuming ...)", "A or ...". */
const CONDITION_AFTER = /\b(?:if|assuming|depending|unless|or|otherwise)\b/i;

type Value =
  | { kind: 'letter'; letter: ChoiceLetter; conditional: boolean; ifRightAfter: boolean }
  | { kind: 'several' }
  | { kind: 'conflict' }
  | { kind: 'unreadable'; refusal: boolean }
  | { kind: 'echo' };
type NoLetterKind = 'several' | 'conflict' | 'unreadable' | 'echo';
const NO_LETTER_RULE: Record<NoLetterKind, AnswerRule> = {
  several: 'several-letters',
  conflict: 'letter-text-conflict',
  unreadable: 'final-answer-unreadable',
  echo: 'final-answer-unreadable',
};

/** What the text right after an answer phrase says; null when it is empty. */
function valueAt(seg: string, before: string, choices: Choices, sentenceMention: boolean): Value | null {
  let s = seg.replace(/^[\s"'[{<_,\-–—]+/, '');
  s = s.replace(/^(?:the\s+)?(?:option|choice|letter)\s*:?\s*(?=\(?[A-Da-d]\b)/i, '');
  // A placeholder followed by the letter after all: "$LETTER = D", "$LETTER is: A", "$LETTER_A".
  s = s.replace(/^letter(?:_|['"]?\s*(?:is\s*:?|=|:)?\s*['"]?)(?=\(?[A-D](?![A-Za-z0-9]))/i, '');
  s = s.replace(/^[\s"'[{<_]+/, '');
  // A first line of stray punctuation (':")') is skipped.
  if (/^[^\n\p{L}\p{N}]+\n/u.test(s)) s = s.replace(/^[^\n\p{L}\p{N}]+\n\s*/u, '');
  if (s === '') return null;
  const lines = s.split('\n');
  const firstLine = lines[0] as string;
  // The prompt quoted back: "'Therefore, the final answer is: $LETTER' (without quotes), where $LETTER must be...".
  if (/^letter['"]?\s*\(without quotes\)/i.test(s)) return { kind: 'echo' };
  if (isListing(lines, 0)) return { kind: 'unreadable', refusal: true };
  const m = /^\(?([A-D])\)?(?!['’]?[A-Za-z0-9])/.exec(s) ?? /^\(?([a-d])(?:\)|(?=[.:,]|\s*$))(?![A-Za-z0-9])/.exec(s);
  if (m) {
    // "$B (right)\nor $A (left)": a hedge continued on the next line.
    const next = lines[1] !== undefined && /^\s*or\b/i.test(lines[1]) ? ` ${lines[1]}` : '';
    return letterValue(
      (m[1] as string).toUpperCase() as ChoiceLetter,
      (firstLine.slice(m[0].length) + next).slice(0, 120),
      before,
      choices,
    );
  }
  const low = norm(firstLine);
  let best: OptionText | null = null;
  for (const o of optionTexts(choices))
    if (startsWithText(low, o.text) && (!best || o.text.length > best.text.length)) best = o;
  if (best) return { kind: 'letter', letter: best.letter, conditional: false, ifRightAfter: false };
  const word = /^([a-z]+)\b(?!\s+(?:of|another|option|choice)\b)/.exec(low);
  const n = word ? NUMBER_WORDS[word[1] as string] : undefined;
  if (n !== undefined) {
    const o = optionTexts(choices).find((x) => x.text === String(n));
    if (o) return { kind: 'letter', letter: o.letter, conditional: false, ifRightAfter: false };
  }
  if (REFUSAL.test(firstLine.trim())) return { kind: 'unreadable', refusal: true };
  if (sentenceMention) {
    const sentence = (/^.*?(?:[.!?](?=\s|$)|$)/.exec(firstLine) ?? [firstLine])[0];
    const letter = mentionIn(sentence, choices);
    if (letter) return { kind: 'letter', letter, conditional: false, ifRightAfter: false };
  }
  return { kind: 'unreadable', refusal: false };
}

const OTHER_LETTER_END = String.raw`(?=\s*(?:$|[,.;:)/'"(]|(?:or|and)\b|\(?[A-D](?![A-Za-z0-9])))`;
/** "B or C", "A, D, or C", "A(D)", "(A B C D)", "B (right), otherwise A": a second letter right after the first. */
const SECOND_LETTER = [
  /(?:\bor\b|\band\b|\botherwise\b)\s*['"]?\(?([A-D])\)?(?![A-Za-z0-9'])/,
  new RegExp(String.raw`^[\s,;/&()'"]*['"]?\(?([A-D])\)?(?![A-Za-z0-9'])${OTHER_LETTER_END}`),
  new RegExp(String.raw`,\s*['"]?\(?([A-D])\)?(?![A-Za-z0-9'])${OTHER_LETTER_END}`),
];

/** A letter read after an answer phrase, checked against what follows it on its line. */
function letterValue(letter: ChoiceLetter, rest: string, before: string, choices: Choices): Value {
  for (const re of SECOND_LETTER) {
    const other = re.exec(rest);
    if (other && other[1] !== letter) return { kind: 'several' };
  }
  const sep = /^[ \t]*(?:[:.)\-–—]|\s(?=[A-Za-z0-9(]))[ \t]*(.*)/.exec(rest);
  const after = sep ? norm((sep[1] as string).replace(/^["'(]+/, '')) : '';
  if (after !== '' && !/^letter\b/.test(after)) {
    const opts = optionTexts(choices);
    const own = opts.find((o) => o.letter === letter);
    if (!(own && startsWithText(after, own.text))) {
      const named = opts.filter((o) => startsWithText(after, o.text)).sort((a, b) => b.text.length - a.text.length)[0];
      if (named && named.letter !== letter) return { kind: 'conflict' };
      // "D) 3" or "D (four scoops)" when D is 1.
      const count = /^(\d+|zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\b/.exec(after);
      const n = count
        ? /^\d+$/.test(count[1] as string)
          ? Number(count[1])
          : NUMBER_WORDS[count[1] as string]
        : undefined;
      if (own?.numeric && n !== undefined && String(n) !== own.text) return { kind: 'conflict' };
      // "D. Cannot be determined" declines, unless D itself is such an option ("Not enough information...").
      if (REFUSAL.test(after) && !(own && REFUSAL.test(own.text))) return { kind: 'unreadable', refusal: true };
    }
  }
  const clause = (before.split('\n').pop() ?? '').split(/[.!?](?=\s)/).pop() ?? '';
  return {
    kind: 'letter',
    letter,
    conditional: CONDITION_AFTER.test(rest) || /\b(?:if|or)\b/i.test(clause),
    ifRightAfter: /^['"]?\s*\(?\s*if\b/i.test(rest),
  };
}

interface Reading {
  value: Value;
  at: number;
}

/**
 * Answer phrases read per pattern: the last ones. Reading one costs tens of microseconds, and a response
 * repeating "the final answer is" a million times would otherwise take minutes; what decides is the last
 * phrases (and the letters stated under conditions among them).
 */
export const MAX_PHRASES_READ = 64;

/** The last `max` matches of `re` (global) in `text`, as [position, length], in order. */
function lastMatches(text: string, re: RegExp, max: number): [number, number][] {
  // A ring of the last positions and lengths: nothing is kept per match.
  const ring = new Int32Array(2 * max);
  let n = 0;
  re.lastIndex = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const k = 2 * (n++ % max);
    ring[k] = m.index;
    ring[k + 1] = m[0].length;
    if (m[0].length === 0) re.lastIndex++;
  }
  const out: [number, number][] = [];
  for (let i = Math.max(0, n - max); i < n; i++)
    out.push([ring[2 * (i % max)] as number, ring[2 * (i % max) + 1] as number]);
  return out;
}

/** The value after each of the last matches of `re` (global) in `text` that reads anything, with the match's position. */
function allValues(text: string, re: RegExp, choices: Choices, sentenceMention: boolean): Reading[] {
  const out: Reading[] = [];
  for (const [at, length] of lastMatches(text, re, MAX_PHRASES_READ)) {
    const from = at + length;
    const value = valueAt(
      text.slice(from, from + 400),
      text.slice(Math.max(0, at - 300), at),
      choices,
      sentenceMention,
    );
    if (value) out.push({ value, at });
  }
  return out;
}

const FINAL_SENTENCE =
  /\bfinal\s+answer\s*(?:,\s*therefore\s*,\s*)?(?:is|would\s+be|will\s+be|must\s+be|should\s+be|can\s+be(?:\s+\w+)?\s+stated\s+as|can\s+be|could\s+be)(?:\s+then)?(?:\s*,?\s*therefore\s*,?)?\s*:?|(?:最终|最后的?)答案\s*(?:是|为)?\s*:?|答案\s*(?:是|为)\s*:?/gi;
const FINAL_LABEL = /\bfinal\s+(?:answer|choice|option|selection)\s*(?:[:\-–—=]|\bis\b)\s*:?/gi;
const FINAL_VARIANTS = [
  FINAL_LABEL,
  /\b(?:correct|right|best|most\s+(?:likely|appropriate|accurate|plausible|suitable|fitting|reasonable)|appropriate|suitable|fitting|proper)\s+(?:answer|option|choice|response)\s*(?:(?:from|among)\s+the\s+(?:given\s+)?(?:options|choices)\s*)?(?:is|would\s+be|should\s+be|must\s+be|will\s+be|:)\s*:?/gi,
  /\banswer\s*(?:,\s*therefore\s*,\s*|\s+to\s+(?:the|this)\s+question\s+)?(?:is|would\s+be|should\s+be|must\s+be|will\s+be)\s*:?/gi,
  /\bI\s+(?:would\s+|will\s+)?(?:choose|chose|select|selected|pick|picked|took|go\s+with|went\s+with)\s*:?/gi,
];
const LETTER_IS_ANSWER =
  /(?:^|[^A-Za-z0-9])\(?([A-D])\)?\s+(?:is|would\s+be|seems\s+to\s+be)\s+the\s+(?:[\w-]+\s+){0,3}?(?:answer|option|choice)\b/g;
const ANSWER_COLON = /\b[Aa]nswer\s*(?::|(?=\s+\(?[A-D]\)?[.)]?[ \t]*(?:$|\n)))/g;
const BOXED = /\\boxed\s*\{\s*(?:\\text(?:bf)?\s*\{)?\s*\(?([A-D])\b/g;

const SPACE_OR_DASH = /[\s\-–—]/;
const OPENING = /[\s"'([{]/;
const CLOSING = /[\s"'.)\]}!]/;

/**
 * The text without the quotes, brackets and spaces around it (and the closing full stop). A loop rather
 * than `/[...]+$/`, which backtracks over every run of spaces inside a text: quadratic in a run's length.
 */
function trimWrapping(s: string): string {
  let from = 0;
  let to = s.length;
  while (from < to && OPENING.test(s.charAt(from))) from++;
  while (to > from && CLOSING.test(s.charAt(to - 1))) to--;
  return s.slice(from, to);
}

/** Whether `s` has more than `n` characters other than spaces and dashes (counted only as far as needed). */
function longerThan(s: string, n: number): boolean {
  let count = 0;
  for (let i = 0; i < s.length; i++) if (!SPACE_OR_DASH.test(s.charAt(i)) && ++count > n) return true;
  return false;
}

/** The last match of `re` (global) in `text`, without keeping every match. */
function lastMatch(text: string, re: RegExp): RegExpExecArray | null {
  let last: RegExpExecArray | null = null;
  re.lastIndex = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    last = m;
    if (m[0].length === 0) re.lastIndex++;
  }
  return last;
}

/** Reads the option a response chose; see the rules at the top of this file. */
export function readAnswer(response: string, choices: Choices): AnswerReading {
  const raw = typeof response === 'string' ? response : '';
  const text = cleanMarkup(raw).trim();
  if (text === '') return { letter: null, rule: 'empty' };

  // 2-3: the whole response is the answer.
  const whole = trimWrapping(text);
  if (/^[A-D]$/.test(whole)) return { letter: whole as ChoiceLetter, rule: 'bare-letter' };
  // Normalizing never shortens a text below its characters other than spaces and dashes: a long response
  // cannot be an option's text, and normalizing all of it (megabytes, in a runaway response) is skipped.
  const options = optionTexts(choices);
  const longest = options.reduce((n, o) => Math.max(n, o.text.length), 0);
  if (!longerThan(whole, longest)) {
    const wholeNorm = norm(whole);
    for (const o of options) if (o.text === wholeNorm) return { letter: o.letter, rule: 'option-text' };
  }

  // 4-7: answer phrases.
  const phrased = answerPhrases(text, raw, choices);
  if (phrased) return phrased;

  // 8-12: weaker signs.
  const lct = letterWithText(text, choices);
  if (lct) return { letter: lct, rule: 'letter-colon-text' };
  const start = /^\(?([A-D])\)?(?:\s*[:.)][ \t]*(?=\S)|[ \t]*\n)/.exec(text);
  if (start) {
    const letter = start[1] as ChoiceLetter;
    const v = letterValue(
      letter,
      `: ${text.slice(start[0].length, start[0].length + 120).split('\n', 1)[0] as string}`,
      '',
      choices,
    );
    return v.kind === 'conflict'
      ? { letter: null, rule: 'letter-text-conflict' }
      : { letter, rule: 'letter-colon-text' };
  }
  const bold = lastMatch(raw, /\*\*\s*\(?([A-D])\)?\s*(?:[:.)][^*\n]*)?\*\*/g);
  if (bold) return { letter: bold[1] as ChoiceLetter, rule: 'bold-letter' };
  const paren = lastMatch(text, /\(([A-D])\)/g);
  if (paren) return { letter: paren[1] as ChoiceLetter, rule: 'parenthesized-letter' };
  const mention = lastMention(text);
  if (mention) return { letter: mention, rule: 'last-mention' };
  const om = conclusionMention(text, choices);
  if (om) return { letter: om, rule: 'option-mention' };
  return { letter: null, rule: 'no-valid-answer' };
}

/** Rules 4-7 and their no-answer outcomes; null when no answer phrase decides. */
function answerPhrases(text: string, raw: string, choices: Choices): AnswerReading | null {
  const sentence = allValues(text, FINAL_SENTENCE, choices, true);
  const variants = FINAL_VARIANTS.map((re) =>
    allValues(text, re, choices, re !== FINAL_VARIANTS[2] && re !== FINAL_VARIANTS[3]),
  );
  const label = variants[0] as Reading[];
  const colon = allValues(text, ANSWER_COLON, choices, false);

  // Different letters each stated under a condition ("If it grows, the final answer is: A. If it shrinks, ... C").
  const conditional = new Set<ChoiceLetter>();
  for (const r of [...sentence, ...variants.flat(), ...colon])
    if (r.value.kind === 'letter' && r.value.conditional) conditional.add(r.value.letter);
  const decide = (r: Reading, rule: AnswerRule): AnswerReading => {
    const v = r.value;
    if (v.kind !== 'letter') return { letter: null, rule: NO_LETTER_RULE[v.kind] };
    if (v.ifRightAfter || (v.conditional && conditional.size > 1)) return { letter: null, rule: 'conditional-answer' };
    return { letter: v.letter, rule };
  };

  // The last final answer sentence that states something: free text naming no option ("the final answer must
  // be one of the options") after a stated answer does not void it; a refusal does.
  const stating = sentence.filter((r) => r.value.kind !== 'echo');
  const lastSentence = stating.filter((r) => r.value.kind !== 'unreadable' || r.value.refusal).pop() ?? stating.pop();
  if (lastSentence && lastSentence.value.kind !== 'unreadable') return decide(lastSentence, 'final-answer-sentence');
  // A final answer sentence or "Final answer:" that reads nothing still lets a later answer phrase decide.
  const lastLabel = label.filter((r) => r.value.kind !== 'echo').pop();
  const unreadLabel = lastLabel && lastLabel.value.kind === 'unreadable' ? lastLabel.at : -1;
  const after = Math.max(lastSentence ? lastSentence.at : -1, unreadLabel);
  for (const readings of variants) {
    const r = readings.filter((x) => x.value.kind !== 'unreadable' && x.value.kind !== 'echo').pop();
    if (r && r.at > after) return decide(r, 'final-answer-variant');
  }
  const lia = lastMatch(text, LETTER_IS_ANSWER);
  if (lia && (lia.index ?? 0) > after) return { letter: lia[1] as ChoiceLetter, rule: 'final-answer-variant' };
  const c = colon.filter((x) => x.value.kind !== 'unreadable' && x.value.kind !== 'echo').pop();
  if (c && c.at > after) return decide(c, 'answer-colon');
  const boxed = lastMatch(raw, BOXED);
  if (boxed && after < 0) return { letter: boxed[1] as ChoiceLetter, rule: 'boxed' };
  // The last stated final answer ("the final answer is ...", "Final answer: ...") names no single option,
  // or the response ends by quoting the prompt's template back.
  const stated = lastSentence && (!lastLabel || lastSentence.at >= lastLabel.at) ? lastSentence : lastLabel;
  if (stated && stated.value.kind === 'unreadable') return { letter: null, rule: 'final-answer-unreadable' };
  if ([...sentence, ...label].some((r) => r.value.kind === 'echo'))
    return { letter: null, rule: 'final-answer-unreadable' };
  return null;
}

const LISTING_ENTRY = /^\s*(?:[-•*]\s*)?(?:option\s+)?\(?([A-D])\s*[:.)]/i;

/** Whether line i is an entry of an options listing: it and a neighbouring line start "A:", "B)"... for different letters. */
function isListing(lines: readonly string[], i: number): boolean {
  const own = LISTING_ENTRY.exec(lines[i] ?? '');
  if (!own) return false;
  return [lines[i - 1], lines[i + 1]].some((l) => {
    const e = l === undefined ? null : LISTING_ENTRY.exec(l);
    return e !== null && (e[1] as string).toUpperCase() !== (own[1] as string).toUpperCase();
  });
}

/** Rule 8: the last "B: left" / "B. left" / "B) left" whose text is option B's own text, outside options listings. */
function letterWithText(text: string, choices: Choices): ChoiceLetter | null {
  const lines = text.split('\n');
  const opts = optionTexts(choices);
  let found: ChoiceLetter | null = null;
  for (let i = 0; i < lines.length; i++) {
    if (isListing(lines, i)) continue;
    const line = lines[i] as string;
    for (const m of line.matchAll(/(?:^|[^A-Za-z0-9])\(?([A-D])\s*[:.)]\s*(?=\S)/g)) {
      const own = opts.find((o) => o.letter === m[1]);
      if (!own) continue;
      const from = (m.index ?? 0) + m[0].length;
      const rest = norm(line.slice(from, from + own.text.length * 2 + 8).replace(/^["']/, ''));
      if (startsWithText(rest, own.text)) found = own.letter;
    }
  }
  return found;
}

/** Rule 11: a letter closing the response, else the last "option B" / "choice B" / line starting "B:" outside listings. */
function lastMention(text: string): ChoiceLetter | null {
  const end = /(?:^|\n|:|[.!?]\s)[ \t]*\(?([A-D])\)?[.)]?\s*$/.exec(text);
  if (end) return end[1] as ChoiceLetter;
  const lines = text.split('\n');
  let best: { letter: ChoiceLetter; at: number } | null = null;
  let offset = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    const entry = /^[ \t]*\(?([A-D])[ \t]*[:.)]/.exec(line);
    if (entry && !isListing(lines, i)) best = { letter: entry[1] as ChoiceLetter, at: offset };
    for (const m of line.matchAll(/\b(?:option|choice)\s+\(?([A-D])\)?(?![A-Za-z0-9])/gi)) {
      const at = offset + (m.index ?? 0);
      if (!best || at >= best.at) best = { letter: (m[1] as string).toUpperCase() as ChoiceLetter, at };
    }
    offset += line.length + 1;
  }
  return best ? best.letter : null;
}

/** Option texts too common as plain words to count as a mention in a sentence ("There is no indication..."). */
const WEAK_TEXTS = new Set(['yes', 'no', 'possibly']);
const NEGATION =
  /\b(?:not|no|nor|neither|never|without|isn't|aren't|doesn't|don't|didn't|wasn't|weren't)\b[^,;.]{0,30}$/;
const NUMBER_CONTEXT =
  /\b(?:image|images|frame|frames|step|steps|second|seconds|option|choice|figure|part|point|number)\s*$|[#_]$/i;

/**
 * Rule 12 within one sentence: the option whose text (or, for integer options, number) is named last, not
 * negated; null when it names none or hedges. At one place the longest option text wins.
 */
function mentionIn(sentence: string, choices: Choices): ChoiceLetter | null {
  // A conclusion is a sentence, not a page: only its last 1,000 characters are read.
  const low = norm(sentence.slice(-1000));
  const found = new Map<ChoiceLetter, number>();
  const taken = new Uint8Array(low.length);
  let stripped = low;
  for (const o of optionTexts(choices).sort((a, b) => b.text.length - a.text.length)) {
    if (WEAK_TEXTS.has(o.text)) continue;
    const patterns = [escapeRegExp(o.text)];
    if (o.numeric) for (const [w, n] of Object.entries(NUMBER_WORDS)) if (String(n) === o.text) patterns.push(w);
    const re = new RegExp(`(?<![a-z0-9])(?:${patterns.join('|')})(?![a-z0-9])`, 'g');
    for (const m of low.matchAll(re)) {
      const start = m.index ?? 0;
      const end = start + m[0].length;
      if (taken.subarray(start, end).some((x) => x === 1)) continue;
      taken.fill(1, start, end);
      // The option's own words ("not sure", "not moving") must not count as hedges or negations.
      stripped = stripped.slice(0, start) + ' '.repeat(end - start) + stripped.slice(end);
      const before = low.slice(Math.max(0, start - 40), start);
      if (NEGATION.test(before)) continue;
      if (
        o.numeric &&
        (NUMBER_CONTEXT.test(before) ||
          (m[0] === 'one' && /^\s+(?:of|another|side|hand|direction|way)\b/.test(low.slice(end))))
      )
        continue;
      found.set(o.letter, Math.max(end, found.get(o.letter) ?? -1));
    }
  }
  if (HEDGE.test(stripped)) return null;
  let last: ChoiceLetter | null = null;
  let lastEnd = -1;
  for (const [letter, end] of found) if (end > lastEnd) [last, lastEnd] = [letter, end];
  return last;
}

/** Rule 12: the last of the final two sentences that names an option decides. */
function conclusionMention(text: string, choices: Choices): ChoiceLetter | null {
  // A response cut off mid-sentence has no conclusion.
  if (!/[.!?:"')\]]\s*$/.test(text)) return null;
  const opts = optionTexts(choices);
  const sentences = text
    .split(/(?<=[.!?])\s+|\n+/)
    .map((s) => s.trim())
    .filter((s) => /[a-z0-9]/i.test(s));
  for (const s of sentences.slice(-2).reverse()) {
    const low = norm(s);
    const names = opts.some(
      (o) => !WEAK_TEXTS.has(o.text) && new RegExp(`(?<![a-z0-9])${escapeRegExp(o.text)}(?![a-z0-9])`).test(low),
    );
    const numberWord =
      opts.some((o) => o.numeric) &&
      /\b(?:zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|once|twice|thrice|single)\b/.test(low);
    if (names || numberWord) return mentionIn(s, choices);
  }
  return null;
}

// Maps answer texts to choice letters. The judge writes its reading as "B: left"; ground truths are
// choice texts (or integers for counting questions).
import type { ChoiceLetter, ChoiceValue, Choices } from './model';
import { CHOICE_LETTERS } from './model';

export const NO_VALID_ANSWER = 'No Valid Answer';

function norm(v: ChoiceValue): string {
  return String(v).trim().toLowerCase();
}

/** The letter whose choice text equals `value` (trimmed, case-insensitive; 3 equals "3"). */
export function letterOfChoice(choices: Choices, value: ChoiceValue | null): ChoiceLetter | null {
  if (value === null) return null;
  // Called for every record loaded: the same text as written needs no normalising (its norm is equal).
  const wanted = norm(value);
  for (const letter of CHOICE_LETTERS) {
    const c = choices[letter];
    if (c !== undefined && (c === value || norm(c) === wanted)) return letter;
  }
  return null;
}

const LETTER_AT_START = /^\s*\(?([A-D])\)?\s*(?:[:.)]|$)/;

/** The letter the judge extracted: "B: left", "B", "(B)", or an option's exact text; null for "No Valid Answer". */
export function letterOfExtracted(choices: Choices, extracted: string | null): ChoiceLetter | null {
  if (extracted === null) return null;
  // The judge's usual "B: left" without the regular expression (called for every record loaded); the
  // expression reads these the same way.
  const first = extracted.charCodeAt(0) - 65;
  if (first >= 0 && first < 4) {
    const next = extracted.length === 1 ? 58 : extracted.charCodeAt(1);
    if (next === 58 /* : */ || next === 46 /* . */ || next === 41 /* ) */) return CHOICE_LETTERS[first] as ChoiceLetter;
  }
  const m = LETTER_AT_START.exec(extracted);
  if (m) return m[1] as ChoiceLetter;
  return letterOfChoice(choices, extracted);
}

/**
 * Where the response states its final answer, to highlight: the last "Therefore, the final answer is: X"
 * sentence or a variant ("Final answer: X", "The answer is X"), from its first word to the end of its line.
 * Character offsets into `response`; null when there is none.
 */
export function finalAnswerSpan(response: string): { start: number; end: number } | null {
  const pattern = /(?:therefore,?\s+)?(?:the\s+)?(?:final\s+answer|answer)\s*(?:is\b)?\s*[:：]?[^\S\n]*(?=\S)/gi;
  let last: RegExpExecArray | null = null;
  let finalSeen = false;
  for (let m = pattern.exec(response); m; m = pattern.exec(response)) {
    // A "final answer" sentence wins over a later plain "answer" mention.
    const isFinal = /final/i.test(m[0]);
    if (isFinal || !finalSeen) last = m;
    finalSeen ||= isFinal;
  }
  if (!last) return null;
  const lineEnd = response.indexOf('\n', last.index + last[0].length);
  let end = lineEnd < 0 ? response.length : lineEnd;
  while (end > last.index && /\s/.test(response[end - 1] as string)) end--;
  return end > last.index ? { start: last.index, end } : null;
}

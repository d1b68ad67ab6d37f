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
  const wanted = norm(value);
  for (const letter of CHOICE_LETTERS) {
    const c = choices[letter];
    if (c !== undefined && norm(c) === wanted) return letter;
  }
  return null;
}

/** The letter the judge extracted: "B: left", "B", "(B)", or an option's exact text; null for "No Valid Answer". */
export function letterOfExtracted(choices: Choices, extracted: string | null): ChoiceLetter | null {
  if (extracted === null) return null;
  const m = /^\s*\(?([A-D])\)?\s*(?:[:.)]|$)/.exec(extracted);
  if (m) return m[1] as ChoiceLetter;
  return letterOfChoice(choices, extracted);
}

// Small text helpers the answer readers share. Browser-safe: the answer labels are bundled into the webviews.

/** Count words as options and responses write them ("twice", "a single", "three"). */
export const NUMBER_WORDS: Readonly<Record<string, number>> = {
  zero: 0,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  once: 1,
  twice: 2,
  thrice: 3,
  single: 1,
};

/** `s` with every character a regular expression would act on escaped. */
export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

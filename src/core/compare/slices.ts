// A comparison of two runs overall and per slice: split, perspective, motion type, source, and perspective x
// motion type, each with its paired statistics (paired.ts). Pure over the paired questions.
import type { MotionType, Perspective, Source, Split } from '../model';
import type { BootstrapOptions, PairedItem, PairedStats } from './paired';
import { pairedStats } from './paired';

/** One question both runs answered, with its slice values. */
export interface ComparePair extends PairedItem {
  /** `<split>/<qid>`. */
  question: string;
  split: Split;
  perspective: Perspective;
  motion: MotionType;
  source: Source;
}

export type SliceField = 'split' | 'perspective' | 'motion' | 'source';
export type Slice = Partial<Record<SliceField, string>>;

export interface CompareSlice extends PairedStats {
  /** `{}` for all the questions; else the slice's values, e.g. `{ perspective: 'egocentric' }`. */
  slice: Slice;
}

/** The groupings reported, in order, after the overall one. */
export const SLICE_GROUPS: readonly (readonly SliceField[])[] = [
  ['split'],
  ['perspective'],
  ['motion'],
  ['source'],
  ['perspective', 'motion'],
];

/** Overall first (`slice: {}`), then each grouping's slices in the order their values first appear. */
export function compareSlices(pairs: readonly ComparePair[], opts: BootstrapOptions = {}): CompareSlice[] {
  const out: CompareSlice[] = [{ slice: {}, ...pairedStats(pairs, opts) }];
  for (const fields of SLICE_GROUPS) {
    const groups = new Map<string, { slice: Slice; pairs: ComparePair[] }>();
    for (const p of pairs) {
      const slice: Slice = Object.fromEntries(fields.map((f) => [f, p[f]]));
      const key = fields.map((f) => p[f]).join('\u0000');
      let g = groups.get(key);
      if (!g) groups.set(key, (g = { slice, pairs: [] }));
      g.pairs.push(p);
    }
    for (const g of groups.values()) out.push({ slice: g.slice, ...pairedStats(g.pairs, opts) });
  }
  return out;
}

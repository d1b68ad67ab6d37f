// A comparison of two runs overall and per slice: split, perspective, motion type, source, and perspective x
// motion type, each with its paired statistics (paired.ts), the slices sharing one set of bootstrap resamples
// (sharedBootstrap.ts). Pure over the paired questions.
import type { MotionType, Perspective, Source, Split } from '../model';
import type { BootstrapOptions, PairedItem, PairedStats } from './paired';
import { mcnemarExactP, pairedCounts } from './paired';
import { clusterCells, sharedIntervals } from './sharedBootstrap';

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

/** Two runs compared: what ResultIndex.compare answers and the CLI prints as JSON. */
export interface RunComparisonResult {
  a: string;
  b: string;
  /** Questions both runs answered with a verdict, under the filter. */
  n: number;
  /** Overall first (`slice: {}`), then per split, perspective, motion, source, perspective x motion. */
  slices: CompareSlice[];
}

/** The groupings reported, in order, after the overall one. */
export const SLICE_GROUPS: readonly (readonly SliceField[])[] = [
  ['split'],
  ['perspective'],
  ['motion'],
  ['source'],
  ['perspective', 'motion'],
];

/**
 * Overall first (`slice: {}`), then each grouping's slices in the order their values first appear, the
 * questions taken in the order of their key (`<split>/<id>`). All slices share one set of bootstrap
 * resamples (sharedBootstrap.ts): the clips in the order of their first question, drawn anew in each resample
 * from a generator seeded with `seed`; the naive interval likewise over the questions, from a second generator
 * with the same seed.
 */
export function compareSlices(pairs: readonly ComparePair[], opts: BootstrapOptions = {}): CompareSlice[] {
  const resamples = opts.resamples ?? 2000;
  const seed = opts.seed ?? 1;
  const sorted = [...pairs].sort((x, y) => (x.question < y.question ? -1 : x.question > y.question ? 1 : 0));
  const slices: { slice: Slice; items: number[] }[] = [{ slice: {}, items: sorted.map((_, i) => i) }];
  for (const fields of SLICE_GROUPS) {
    const groups = new Map<string, { slice: Slice; items: number[] }>();
    sorted.forEach((p, i) => {
      const key = fields.map((f) => p[f]).join('\u0000');
      let g = groups.get(key);
      if (!g) groups.set(key, (g = { slice: Object.fromEntries(fields.map((f) => [f, p[f]])), items: [] }));
      g.items.push(i);
    });
    slices.push(...groups.values());
  }
  // Cells: one per combination of every slice field; each slice is the union of the cells of its questions.
  const FIELDS = ['split', 'perspective', 'motion', 'source'] as const;
  const cellIndex = new Map<string, number>();
  const cellOf = Int32Array.from(sorted, (p) => {
    const key = FIELDS.map((f) => p[f]).join('\u0000');
    let c = cellIndex.get(key);
    if (c === undefined) cellIndex.set(key, (c = cellIndex.size));
    return c;
  });
  const sliceCells = slices.map((s) => Int32Array.from(new Set(s.items.map((i) => cellOf[i] as number))));
  const clipIndex = new Map<string, number>();
  const clipOf = Int32Array.from(sorted, (p) => {
    let c = clipIndex.get(p.cluster);
    if (c === undefined) clipIndex.set(p.cluster, (c = clipIndex.size));
    return c;
  });
  const questionOf = Int32Array.from(sorted, (_, i) => i);
  const diffOf = Int8Array.from(sorted, (p) => Number(p.b) - Number(p.a));
  const clustered = sharedIntervals(
    clusterCells(clipIndex.size, clipOf, cellOf, diffOf),
    cellIndex.size,
    sliceCells,
    resamples,
    seed,
  );
  const naive = sharedIntervals(
    clusterCells(sorted.length, questionOf, cellOf, diffOf),
    cellIndex.size,
    sliceCells,
    resamples,
    seed,
  );
  return slices.map((s, i) => {
    const c = pairedCounts(s.items.map((j) => sorted[j] as ComparePair));
    return {
      slice: s.slice,
      ...c,
      delta: c.n ? (c.bCorrect - c.aCorrect) / c.n : null,
      ci95: clustered[i] ?? null,
      ci95Naive: naive[i] ?? null,
      mcnemarP: mcnemarExactP(c.onlyAFailed, c.onlyBFailed),
    };
  });
}

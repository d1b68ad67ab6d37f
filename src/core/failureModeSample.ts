// Precision of the failure-mode detectors on a blind, hand-labelled sample (scripts/failure-mode-sample.ts
// draws it, scripts/failure-mode-precision.ts measures it; docs/failure-modes.md shows the result). For each
// detector, the items drawn for it are a uniform random sample of what it flags; its precision is the share
// of them the reviewers tagged with its tag, given per reviewer and as their mean, with Wilson 95% intervals.
// Browser-safe: no Node modules.
import type { Detector } from './failureModes';
import { DETECTORS } from './failureModes';

/** One sampled prediction: why it was drawn ("unflagged" or a detector) and what the detectors flag now. */
export interface SampleItem {
  id: string;
  drawnFor: string[];
  flags: string[];
}

/** Wilson score interval for k successes in n trials (z = 1.96 for 95%). */
export function wilson(k: number, n: number, z = 1.96): [number, number] {
  if (n === 0) return [0, 1];
  const p = k / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / (1 + z2 / n);
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

export interface DetectorPrecision {
  tag: Detector;
  /** Items drawn for the detector that it still flags. */
  sample: number;
  /** Per reviewer: how many of them carry the tag, the share, its interval. */
  reviewers: { confirmed: number; precision: number; low: number; high: number }[];
  /** The reviewers' mean share; the interval is Wilson's at that share over `sample` items. */
  precision: number;
  low: number;
  high: number;
}

export interface SampleMeasure {
  detectors: DetectorPrecision[];
  /** Failures no detector flags: how many, and how many of them each reviewer gave each tag (what was missed). */
  unflagged: { sample: number; tagged: Record<string, number>[] };
}

export function measurePrecision(
  items: readonly SampleItem[],
  labels: readonly ReadonlyMap<string, readonly string[]>[],
): SampleMeasure {
  const detectors = DETECTORS.map((tag): DetectorPrecision => {
    const mine = items.filter((i) => i.drawnFor.includes(tag) && i.flags.includes(tag));
    const reviewers = labels.map((l) => {
      const confirmed = mine.filter((i) => l.get(i.id)?.includes(tag)).length;
      const [low, high] = wilson(confirmed, mine.length);
      return { confirmed, precision: mine.length ? confirmed / mine.length : 0, low, high };
    });
    const precision = reviewers.reduce((s, r) => s + r.precision, 0) / Math.max(1, reviewers.length);
    const [low, high] = wilson(precision * mine.length, mine.length);
    return { tag, sample: mine.length, reviewers, precision, low, high };
  });
  const unflagged = items.filter((i) => i.drawnFor.includes('unflagged') && i.flags.length === 0);
  return {
    detectors,
    unflagged: {
      sample: unflagged.length,
      tagged: labels.map((l) => {
        const counts: Record<string, number> = {};
        for (const i of unflagged) for (const t of l.get(i.id) ?? []) counts[t] = (counts[t] ?? 0) + 1;
        return counts;
      }),
    },
  };
}

// Paired comparison of two runs on the questions both answered: counts, the accuracy difference B - A with a
// 95% interval, and McNemar's exact test. VLM4D's questions share clips (1,816 questions on about 1,000 clips),
// and a model that misreads a clip tends to miss every question about it: questions of one clip are not
// independent. The interval therefore comes from a bootstrap that resamples clips, each with all its questions;
// the naive interval (resampling questions) is given beside it to show how much narrower it would wrongly be.
// Formulas and their reasons: docs/compare.md.

/** One question both runs answered: its clip, and whether each run got it right (the verdict in force). */
export interface PairedItem {
  cluster: string;
  a: boolean;
  b: boolean;
}

export interface PairedCounts {
  n: number;
  aCorrect: number;
  bCorrect: number;
  bothCorrect: number;
  /** A failed where B was right: what B fixed. */
  onlyAFailed: number;
  /** B failed where A was right: what B broke. */
  onlyBFailed: number;
  bothFailed: number;
}

export interface PairedStats extends PairedCounts {
  /** Accuracy of B minus accuracy of A (null when n is 0). */
  delta: number | null;
  /** 95% percentile interval of `delta`, resampling clusters (clips). */
  ci95: [number, number] | null;
  /** The same, resampling questions as if independent. */
  ci95Naive: [number, number] | null;
  /** Two-sided exact McNemar p-value (binomial test of the discordant pairs at 1/2). */
  mcnemarP: number;
}

export function pairedCounts(items: readonly PairedItem[]): PairedCounts {
  const c: PairedCounts = {
    n: items.length,
    aCorrect: 0,
    bCorrect: 0,
    bothCorrect: 0,
    onlyAFailed: 0,
    onlyBFailed: 0,
    bothFailed: 0,
  };
  for (const { a, b } of items) {
    if (a) c.aCorrect++;
    if (b) c.bCorrect++;
    if (a && b) c.bothCorrect++;
    else if (!a && b) c.onlyAFailed++;
    else if (a && !b) c.onlyBFailed++;
    else c.bothFailed++;
  }
  return c;
}

/**
 * Two-sided exact McNemar test: under the null hypothesis each of the `fixed + broken` discordant pairs goes
 * either way with probability 1/2; p = min(1, 2 P(X <= min(fixed, broken))), X ~ Binomial(fixed + broken, 1/2).
 * Summed in log space, so thousands of pairs do not underflow.
 */
export function mcnemarExactP(fixed: number, broken: number): number {
  const n = fixed + broken;
  if (n === 0) return 1;
  const k = Math.min(fixed, broken);
  // log C(n, i) 2^-n for i = 0..k, by the recurrence C(n, i) = C(n, i - 1) (n - i + 1) / i.
  let logTerm = -n * Math.LN2;
  let max = logTerm;
  const logs = [logTerm];
  for (let i = 1; i <= k; i++) {
    logTerm += Math.log(n - i + 1) - Math.log(i);
    logs.push(logTerm);
    if (logTerm > max) max = logTerm;
  }
  let sum = 0;
  for (const l of logs) sum += Math.exp(l - max);
  return Math.min(1, 2 * Math.exp(max) * sum);
}

/** A small seeded generator (mulberry32): the same seed gives the same intervals on every machine. */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Per group: how many items and the sum of (b - a) over them. */
function groupSums(
  items: readonly PairedItem[],
  key: (item: PairedItem, i: number) => string | number,
): { n: Int32Array; diff: Int32Array } {
  const index = new Map<string | number, number>();
  const n: number[] = [];
  const diff: number[] = [];
  items.forEach((item, i) => {
    const k = key(item, i);
    let g = index.get(k);
    if (g === undefined) {
      g = n.length;
      index.set(k, g);
      n.push(0);
      diff.push(0);
    }
    n[g] = (n[g] as number) + 1;
    diff[g] = (diff[g] as number) + Number(item.b) - Number(item.a);
  });
  return { n: Int32Array.from(n), diff: Int32Array.from(diff) };
}

/**
 * The percentile interval of the accuracy difference over `resamples` bootstrap samples, each drawing as many
 * groups as there are, with replacement; a sample's difference is its summed (b - a) over its summed size.
 */
export function bootstrapInterval(
  groups: { n: Int32Array; diff: Int32Array },
  resamples: number,
  random: () => number,
  level = 0.95,
): [number, number] | null {
  const g = groups.n.length;
  if (g === 0) return null;
  const deltas = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) {
    let n = 0;
    let diff = 0;
    for (let j = 0; j < g; j++) {
      const pick = Math.floor(random() * g);
      n += groups.n[pick] as number;
      diff += groups.diff[pick] as number;
    }
    deltas[r] = diff / n;
  }
  deltas.sort();
  const at = (q: number) => deltas[Math.min(resamples - 1, Math.max(0, Math.floor(q * resamples)))] as number;
  return [at((1 - level) / 2), at(1 - (1 - level) / 2)];
}

export interface BootstrapOptions {
  resamples?: number;
  seed?: number;
}

/** Counts, difference, both intervals and McNemar's p for one set of paired items. */
export function pairedStats(items: readonly PairedItem[], opts: BootstrapOptions = {}): PairedStats {
  const resamples = opts.resamples ?? 2000;
  const seed = opts.seed ?? 1;
  const c = pairedCounts(items);
  return {
    ...c,
    delta: c.n ? (c.bCorrect - c.aCorrect) / c.n : null,
    ci95: bootstrapInterval(
      groupSums(items, (x) => x.cluster),
      resamples,
      seededRandom(seed),
    ),
    ci95Naive: bootstrapInterval(
      groupSums(items, (_, i) => i),
      resamples,
      seededRandom(seed),
    ),
    mcnemarP: mcnemarExactP(c.onlyAFailed, c.onlyBFailed),
  };
}

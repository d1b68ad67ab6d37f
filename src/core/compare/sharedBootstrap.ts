// One bootstrap for many slices of the same questions. Each resample draws the clusters (clips, or questions
// for the naive interval) once, with replacement; every slice's difference under that resample is then summed
// over its own clusters with the same multiplicities. The slices are consistent with one another (the same
// draws behind every row of the table), and a comparison with all its slices costs one set of draws instead of
// one per slice. Formulas: docs/compare.md.

/** Per slice, its clusters with how many of its items each holds and their summed (b - a). */
export interface SliceClusters {
  cluster: Int32Array;
  n: Int32Array;
  diff: Int32Array;
}

/** Groups a slice's items by cluster: `clusterOf[i]` is item i's cluster, `diffOf[i]` its (b - a). */
export function sliceClusters(items: readonly number[], clusterOf: Int32Array, diffOf: Int8Array): SliceClusters {
  const at = new Map<number, number>();
  const cluster: number[] = [];
  const n: number[] = [];
  const diff: number[] = [];
  for (const i of items) {
    const c = clusterOf[i] as number;
    let g = at.get(c);
    if (g === undefined) {
      at.set(c, (g = cluster.length));
      cluster.push(c);
      n.push(0);
      diff.push(0);
    }
    n[g] = (n[g] as number) + 1;
    diff[g] = (diff[g] as number) + (diffOf[i] as number);
  }
  return { cluster: Int32Array.from(cluster), n: Int32Array.from(n), diff: Int32Array.from(diff) };
}

/**
 * The percentile interval of each slice's accuracy difference over `resamples` shared resamples. Resample r
 * draws `clusters` times `floor(random() * clusters)`; a slice's difference is sum(m_c diff_c) / sum(m_c n_c)
 * over its clusters c, m_c being how often c was drawn. A resample that draws none of a slice's clusters says
 * nothing about it and is left out of that slice's percentiles; a slice with no items gets null.
 */
export function sharedIntervals(
  clusters: number,
  slices: readonly SliceClusters[],
  resamples: number,
  random: () => number,
  level = 0.95,
): ([number, number] | null)[] {
  const deltas = slices.map(() => new Float64Array(resamples));
  const kept = new Int32Array(slices.length);
  const m = new Int32Array(clusters);
  for (let r = 0; r < resamples; r++) {
    m.fill(0);
    for (let j = 0; j < clusters; j++) {
      const pick = Math.floor(random() * clusters);
      m[pick] = (m[pick] as number) + 1;
    }
    for (let s = 0; s < slices.length; s++) {
      const { cluster, n, diff } = slices[s] as SliceClusters;
      let num = 0;
      let den = 0;
      for (let g = 0; g < cluster.length; g++) {
        const k = m[cluster[g] as number] as number;
        if (k === 0) continue;
        num += k * (diff[g] as number);
        den += k * (n[g] as number);
      }
      if (den > 0) {
        (deltas[s] as Float64Array)[kept[s] as number] = num / den;
        kept[s] = (kept[s] as number) + 1;
      }
    }
  }
  return deltas.map((all, s) => {
    const k = kept[s] as number;
    if (k === 0) return null;
    const sorted = all.subarray(0, k).sort();
    const at = (q: number) => sorted[Math.min(k - 1, Math.max(0, Math.floor(q * k)))] as number;
    return [at((1 - level) / 2), at(1 - (1 - level) / 2)];
  });
}

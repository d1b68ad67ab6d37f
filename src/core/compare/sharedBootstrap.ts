// One bootstrap for many slices of the same questions. Each resample draws the clusters (clips, or questions
// for the naive interval) once, with replacement; every slice's difference under that resample is then summed
// over its own questions with the same multiplicities. The slices are consistent with one another (the same
// draws behind every row of the table), and a comparison with all its slices costs one set of draws instead of
// one per slice. Formulas: docs/compare.md.
//
// The sums go through "cells": the finest partition of the questions that every slice is a union of (for the
// comparison table, one cell per split x perspective x motion x source). A draw adds its cluster's questions to
// their cells; a slice then sums its few cells. The sums are integers, so the result is exactly the per-question
// computation's.

/** Each cluster's questions summed per cell: entries off[c]..off[c+1] of cell, n (questions) and diff (b - a). */
export interface ClusterCells {
  off: Int32Array;
  cell: Int32Array;
  n: Int32Array;
  diff: Int32Array;
}

/** Groups items by cluster and cell: item i is in cluster `clusterOf[i]` (0..clusters-1) and cell `cellOf[i]`. */
export function clusterCells(
  clusters: number,
  clusterOf: Int32Array,
  cellOf: Int32Array,
  diffOf: Int8Array,
): ClusterCells {
  const perCluster: Map<number, { n: number; diff: number }>[] = Array.from({ length: clusters }, () => new Map());
  clusterOf.forEach((c, i) => {
    const cells = perCluster[c] as Map<number, { n: number; diff: number }>;
    const cell = cellOf[i] as number;
    const e = cells.get(cell) ?? { n: 0, diff: 0 };
    e.n++;
    e.diff += diffOf[i] as number;
    cells.set(cell, e);
  });
  const off = new Int32Array(clusters + 1);
  const cell: number[] = [];
  const n: number[] = [];
  const diff: number[] = [];
  perCluster.forEach((cells, c) => {
    for (const [k, e] of cells) {
      cell.push(k);
      n.push(e.n);
      diff.push(e.diff);
    }
    off[c + 1] = cell.length;
  });
  return { off, cell: Int32Array.from(cell), n: Int32Array.from(n), diff: Int32Array.from(diff) };
}

/**
 * The percentile interval of each slice's accuracy difference over `resamples` shared resamples. Resample r
 * draws `clusters` times `floor(u * clusters)`, u the next number of seededRandom(seed); a slice's difference is the summed (b - a) of its
 * questions, each counted as often as its cluster was drawn, over their number counted the same way. A resample
 * that draws none of a slice's questions says nothing about it and is left out of that slice's percentiles; a
 * slice with no questions gets null. `sliceCells[s]` lists the cells slice s is made of.
 */
export function sharedIntervals(
  cc: ClusterCells,
  cells: number,
  sliceCells: readonly Int32Array[],
  resamples: number,
  seed: number,
  level = 0.95,
): ([number, number] | null)[] {
  const clusters = cc.off.length - 1;
  const deltas = sliceCells.map(() => new Float64Array(resamples));
  const kept = new Int32Array(sliceCells.length);
  const cellNum = new Int32Array(cells);
  const cellDen = new Int32Array(cells);
  const { off, cell, n, diff } = cc;
  // seededRandom (paired.ts), inlined: millions of draws, and a call each would be a third of the time.
  let state = seed >>> 0;
  for (let r = 0; r < resamples; r++) {
    cellNum.fill(0);
    cellDen.fill(0);
    for (let j = 0; j < clusters; j++) {
      state = (state + 0x6d2b79f5) >>> 0;
      let t = state;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      const c = Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * clusters);
      const end = off[c + 1] as number;
      for (let e = off[c] as number; e < end; e++) {
        const k = cell[e] as number;
        cellNum[k] = (cellNum[k] as number) + (diff[e] as number);
        cellDen[k] = (cellDen[k] as number) + (n[e] as number);
      }
    }
    for (let s = 0; s < sliceCells.length; s++) {
      const own = sliceCells[s] as Int32Array;
      let num = 0;
      let den = 0;
      for (let g = 0; g < own.length; g++) {
        num += cellNum[own[g] as number] as number;
        den += cellDen[own[g] as number] as number;
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

// Slice discovery ("where does it fail most"): the conjunctions of up to three feature values whose failure
// rate is high relative to their size, scored as in SliceLine (Sagadeeva & Boehm, SIGMOD 2021):
//
//   score(S) = α (ē_S / ē − 1) − (1 − α) (n / |S| − 1)
//
// ē the failure rate of all n predictions, ē_S that of slice S, |S| its size; α weighs the error lift
// against the size. Only slices of at least `minSupport` predictions count, and only those scoring above 0.
// The lattice is walked level by level (one feature, then pairs, then triples): a candidate of level k joins
// two slices of level k−1 that differ in one predicate, every one of its k−1 sub-slices must have survived,
// and it is dropped before counting when SliceLine's upper bound on its score (from the smallest size and
// failure count of its parents) cannot beat the k-th best score found so far. A slice with exactly the rows
// of one of its parents is not listed (it names the same predictions). Browser-safe: no Node modules.

export interface SliceOptions {
  /** Weight of the error lift against the size penalty, 0 < α ≤ 1 (SliceLine's default 0.95). */
  alpha?: number;
  /** The fewest predictions a slice must hold (default: 1% of them, at least 10). */
  minSupport?: number;
  /** The most predicates in a slice, 1 to 3 (default 3). */
  maxLevel?: number;
  /** How many slices to return, best first (default 10). */
  top?: number;
}

/** One slice: its predicates (feature name to value), its size, failures, failure rate and score. */
export interface Slice {
  where: Record<string, string>;
  n: number;
  failed: number;
  failureRate: number;
  score: number;
}

/**
 * The rows, column by column: per feature, each row's value; and whether each row failed. A row may stand
 * for several predictions with the same values: `n[i]` of them (1 when `n` is left out), `failed[i]` failed.
 */
export interface SliceInput {
  features: readonly string[];
  /** values[f][i]: row i's value of feature f. */
  values: readonly (readonly string[])[];
  failed: readonly (boolean | number)[];
  n?: readonly number[];
}

export interface SliceResult {
  slices: Slice[];
  n: number;
  failed: number;
  minSupport: number;
  alpha: number;
  /** Candidates counted and candidates pruned by the bounds, per level: how much the pruning saved. */
  evaluated: number[];
  pruned: number[];
}

/** A predicate: feature index and value code, packed as feature * 2^20 + code (codes stay below 2^20). */
type Pred = number;
const CODE_BITS = 2 ** 20;
const featureOf = (p: Pred) => Math.floor(p / CODE_BITS);

interface Candidate {
  preds: Pred[];
  n: number;
  failed: number;
  /** Upper bounds from the parents, before counting. */
  nUb: number;
  failedUb: number;
}

/** SliceLine's score of a slice of size n with `failed` failures. */
export function sliceScore(failed: number, n: number, total: number, totalFailed: number, alpha: number): number {
  if (n === 0 || totalFailed === 0) return -Infinity;
  const avg = totalFailed / total;
  return alpha * (failed / n / avg - 1) - (1 - alpha) * (total / n - 1);
}

/**
 * SliceLine's upper bound on the score of any slice below one whose size is at most nUb with at most
 * failedUb failures (errors are 0 or 1 here): the score is evaluated where its maximum can lie, at the
 * smallest allowed size, at the size where the failures stop filling the slice, and at the largest.
 */
function scoreUpperBound(
  nUb: number,
  failedUb: number,
  minSupport: number,
  total: number,
  totalFailed: number,
  alpha: number,
): number {
  let best = -Infinity;
  for (const s of [minSupport, Math.max(minSupport, failedUb), nUb]) {
    if (s < minSupport || s > nUb || s <= 0) continue;
    best = Math.max(best, sliceScore(Math.min(failedUb, s), s, total, totalFailed, alpha));
  }
  return best;
}

export function findSlices(input: SliceInput, options: SliceOptions = {}): SliceResult {
  const alpha = options.alpha ?? 0.95;
  if (!(alpha > 0 && alpha <= 1)) throw new Error(`alpha must be in (0, 1], not ${alpha}`);
  const maxLevel = Math.min(3, Math.max(1, Math.floor(options.maxLevel ?? 3)));
  const top = Math.max(1, Math.floor(options.top ?? 10));
  const rowsIn = input.failed.length;
  const sizeOf = (i: number): number => input.n?.[i] ?? 1;
  const failedOf = (i: number): number => Number(input.failed[i]);
  let total = 0;
  let totalFailed = 0;
  for (let i = 0; i < rowsIn; i++) {
    total += sizeOf(i);
    totalFailed += failedOf(i);
  }
  const minSupport = Math.max(1, Math.floor(options.minSupport ?? Math.max(10, Math.ceil(total / 100))));
  const F = input.features.length;

  // Codes per feature value, row by row; then the rows folded into distinct combinations with their counts.
  const dict = input.features.map(() => new Map<string, number>());
  const names = input.features.map(() => [] as string[]);
  const valueCodes = new Int32Array(rowsIn * F);
  for (let f = 0; f < F; f++) {
    const values = input.values[f] as readonly string[];
    const codesOf = dict[f] as Map<string, number>;
    const known = names[f] as string[];
    for (let i = 0; i < rowsIn; i++) {
      const v = values[i] as string;
      let c = codesOf.get(v);
      if (c === undefined) {
        c = known.length;
        codesOf.set(v, c);
        known.push(v);
      }
      valueCodes[i * F + f] = c;
    }
  }
  // A slice's number: feature f's value code + 1 in a mixed radix (0: feature not in the slice).
  const radix: number[] = [];
  let base = 1;
  for (let f = 0; f < F; f++) {
    radix.push(base);
    base *= (names[f] as string[]).length + 1;
  }
  if (!Number.isSafeInteger(base)) throw new Error('too many distinct feature values to find slices');
  const folded = new Map<number, number>();
  const rowN: number[] = [];
  const rowFailed: number[] = [];
  const rowCodes: number[] = [];
  for (let i = 0; i < rowsIn; i++) {
    let key = 0;
    for (let f = 0; f < F; f++) key += ((valueCodes[i * F + f] as number) + 1) * (radix[f] as number);
    let r = folded.get(key);
    if (r === undefined) {
      folded.set(key, (r = rowN.length));
      rowN.push(0);
      rowFailed.push(0);
      for (let f = 0; f < F; f++) rowCodes.push(valueCodes[i * F + f] as number);
    }
    rowN[r] = (rowN[r] as number) + sizeOf(i);
    rowFailed[r] = (rowFailed[r] as number) + failedOf(i);
  }
  const rows: Rows = {
    count: rowN.length,
    features: F,
    codes: Int32Array.from(rowCodes),
    n: Float64Array.from(rowN),
    failed: Float64Array.from(rowFailed),
    cardinality: names.map((v) => v.length),
  };
  const keyOf = (preds: readonly Pred[]) => {
    let k = 0;
    for (const p of preds) k += ((p % CODE_BITS) + 1) * (radix[featureOf(p)] as number);
    return k;
  };

  const result: Slice[] = [];
  const consider = (c: Candidate) => {
    const score = sliceScore(c.failed, c.n, total, totalFailed, alpha);
    if (c.n < minSupport || !(score > 0)) return;
    // As large as one of its parents: the added predicate selects the same rows (every "cot" prediction when
    // all are cot), a name for a slice already listed, not a new one. (An addition to SliceLine.)
    if (c.preds.length > 1 && c.n === c.nUb) return;
    result.push({
      where: Object.fromEntries(
        c.preds.map((p) => [input.features[featureOf(p)], (names[featureOf(p)] as string[])[p % CODE_BITS]]),
      ),
      n: c.n,
      failed: c.failed,
      failureRate: c.failed / c.n,
      score,
    });
    result.sort(bySlice);
    if (result.length > top) result.length = top;
  };
  /** The score a candidate must beat to enter the top list (0 until the list is full). */
  const threshold = () => (result.length < top ? 0 : (result[result.length - 1] as Slice).score);

  const evaluated: number[] = [];
  const pruned: number[] = [];
  let level: Candidate[] = [];
  for (let k = 1; k <= maxLevel; k++) {
    let candidates: Candidate[];
    if (k === 1) {
      candidates = [];
      for (let f = 0; f < F; f++)
        for (let c = 0; c < (names[f] as string[]).length; c++)
          candidates.push({ preds: [f * CODE_BITS + c], n: 0, failed: 0, nUb: total, failedUb: totalFailed });
    } else {
      candidates = joinLevel(level, keyOf);
    }
    const kept = candidates.filter(
      (c) =>
        c.nUb >= minSupport &&
        // Not below: a slice tying the last of the list may still enter it on the tie-breaks.
        scoreUpperBound(c.nUb, c.failedUb, minSupport, total, totalFailed, alpha) >= threshold(),
    );
    pruned.push(candidates.length - kept.length);
    evaluated.push(kept.length);
    count(kept, rows, keyOf);
    for (const c of kept) consider(c);
    // Only slices large enough can have children large enough; the bound prunes the rest at the next level.
    level = kept.filter((c) => c.n >= minSupport);
  }
  return { slices: result, n: total, failed: totalFailed, minSupport, alpha, evaluated, pruned };
}

/** Best first: score, then more failures, then the predicates' text (a stable order for ties). */
function bySlice(a: Slice, b: Slice): number {
  if (b.score !== a.score) return b.score - a.score;
  if (b.failed !== a.failed) return b.failed - a.failed;
  const ka = JSON.stringify(a.where);
  const kb = JSON.stringify(b.where);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

/**
 * Level k+1 from level k (predicates sorted by feature): two slices with the same first k−1 predicates and
 * last predicates on different features join; the result is kept only when all its k-predicate sub-slices
 * are in level k, and its bounds are the smallest size and failure count among them.
 */
function joinLevel(level: readonly Candidate[], keyOf: (preds: readonly Pred[]) => number): Candidate[] {
  const byKey = new Map(level.map((c) => [keyOf(c.preds), c]));
  const groups = new Map<number, Candidate[]>();
  for (const c of level) {
    const prefix = keyOf(c.preds.slice(0, -1));
    const g = groups.get(prefix);
    if (g) g.push(c);
    else groups.set(prefix, [c]);
  }
  const out: Candidate[] = [];
  for (const g of groups.values()) {
    g.sort((a, b) => (a.preds[a.preds.length - 1] as number) - (b.preds[b.preds.length - 1] as number));
    for (let i = 0; i < g.length; i++) {
      for (let j = i + 1; j < g.length; j++) {
        const a = g[i] as Candidate;
        const b = g[j] as Candidate;
        const la = a.preds[a.preds.length - 1] as number;
        const lb = b.preds[b.preds.length - 1] as number;
        if (featureOf(la) === featureOf(lb)) continue;
        const preds = [...a.preds, lb];
        let nUb = Math.min(a.n, b.n);
        let failedUb = Math.min(a.failed, b.failed);
        let complete = true;
        for (let drop = 0; drop < preds.length - 2 && complete; drop++) {
          const parent = byKey.get(keyOf(preds.filter((_, x) => x !== drop)));
          if (!parent) complete = false;
          else {
            nUb = Math.min(nUb, parent.n);
            failedUb = Math.min(failedUb, parent.failed);
          }
        }
        if (complete) out.push({ preds, n: 0, failed: 0, nUb, failedUb });
      }
    }
  }
  return out;
}

/** The distinct rows, each feature's value code per row (row-major), with their sizes and failures. */
interface Rows {
  count: number;
  features: number;
  codes: Int32Array;
  n: Float64Array;
  failed: Float64Array;
  /** Distinct values per feature. */
  cardinality: readonly number[];
}

/**
 * Counts each candidate's rows, shape by shape (the features its predicates are on): every row adds its
 * size and failures to the cell of its values on those features, and each candidate reads its own cell.
 */
function count(candidates: Candidate[], rows: Rows, keyOf: (preds: readonly Pred[]) => number): void {
  const byShape = new Map<string, Candidate[]>();
  for (const c of candidates) {
    const shape = c.preds.map(featureOf).join(',');
    const list = byShape.get(shape);
    if (list) list.push(c);
    else byShape.set(shape, [c]);
  }
  const { codes, features: F } = rows;
  for (const [shape, list] of byShape) {
    const fs = shape.split(',').map(Number);
    const strides: number[] = [];
    let cells = 1;
    for (const f of fs) {
      strides.push(cells);
      cells *= rows.cardinality[f] as number;
    }
    const cellOf = (r: number): number => {
      let cell = 0;
      for (let k = 0; k < fs.length; k++) cell += (codes[r * F + (fs[k] as number)] as number) * (strides[k] as number);
      return cell;
    };
    // An array of cells when it is not much larger than the rows (its zeroing and memory then cost no more
    // than the rows do), else a map of the candidates' keys.
    if (cells <= 8 * rows.count) {
      const n = new Float64Array(cells);
      const failed = new Float64Array(cells);
      for (let r = 0; r < rows.count; r++) {
        const cell = cellOf(r);
        n[cell] = (n[cell] as number) + (rows.n[r] as number);
        failed[cell] = (failed[cell] as number) + (rows.failed[r] as number);
      }
      for (const c of list) {
        let cell = 0;
        c.preds.forEach((p, k) => (cell += (p % CODE_BITS) * (strides[k] as number)));
        c.n = n[cell] as number;
        c.failed = failed[cell] as number;
      }
    } else {
      const byKey = new Map(list.map((c) => [keyOf(c.preds), c]));
      const radixOf = (f: number, code: number): number => keyOf([f * CODE_BITS + code]);
      for (let r = 0; r < rows.count; r++) {
        let key = 0;
        for (const f of fs) key += radixOf(f, codes[r * F + f] as number);
        const c = byKey.get(key);
        if (c) {
          c.n += rows.n[r] as number;
          c.failed += rows.failed[r] as number;
        }
      }
    }
  }
}

// What the queries need of each run (one result file) without asking SQLite: its split, model, prompt and
// grader codes (the facets a prediction takes from its run), and its facet cube, the count of its
// predictions per (perspective, motion, source, outcome), kept as rows are inserted so that facet counts
// and totals need no GROUP BY over every prediction.
//
// Invariant: the cubes count exactly the rows of the predictions table; whatever changes a prediction's
// codes or outcome in SQL calls recount().
import type { Database } from 'sql.js';
import type { Grader } from '../model';
import { GRADERS, OUTCOMES } from '../model';
import type { Restore } from './checkpoint';
import { allOf, mapCheckpoint, objectsCheckpoint } from './checkpoint';
import { selectAll } from './sqlite';

export interface RunFacet {
  split: number;
  model: number;
  prompt: number;
  grader: number;
}

/**
 * One cell of a run's facet cube: perspective, motion, source and outcome codes in 4 bits each; then the
 * authors' slice (2 bits) and the judge's and the rule's verdicts (2 bits each: 0, 1, or 2 for none), so
 * that the paper's table is summed from the cubes too (accuracyCounts). The facet counts read the low 16 bits.
 */
export const cubeKey = (
  perspective: number,
  motion: number,
  source: number,
  outcome: number,
  slice = 0,
  judgeCorrect: number | null = null,
  ruleCorrect: number | null = null,
): number =>
  perspective |
  (motion << 4) |
  (source << 8) |
  (outcome << 12) |
  (slice << 16) |
  (verdictBits(judgeCorrect) << 18) |
  (verdictBits(ruleCorrect) << 20);
const verdictBits = (v: number | null): number => (v === null || v < 0 ? 2 : v);
const FACET_BITS = 0xffff;
const cubeOutcome = (cell: number): number => (cell >> 12) & 15;
const CORRECT = OUTCOMES.indexOf('correct');

/** Per run and authors' slice: how many predictions, and how many each verdict source calls correct. */
export interface SliceCounts {
  total: number;
  judge: number;
  rule: number;
  /** The verdict in force (overrides applied). */
  effective: number;
}

export class RunFacets {
  private readonly facets = new Map<number, RunFacet>();
  private cubes = new Map<number, Map<number, number>>();
  private recounts = 0;
  /** Each recount since the last full one (or rollback): the epoch it moved to, the runs it read (null: all). */
  private recounted: { epoch: number; runs: ReadonlySet<number> | null }[] = [];

  constructor(private readonly db: Database) {}

  /** A run was inserted: its facets, and its (empty) cube for the insert loop to fill. */
  add(runId: number, facet: RunFacet): Map<number, number> {
    this.facets.set(runId, facet);
    const cube = new Map<number, number>();
    this.cubes.set(runId, cube);
    return cube;
  }

  drop(runId: number): void {
    this.facets.delete(runId);
    this.cubes.delete(runId);
  }

  get(runId: number): RunFacet | undefined {
    return this.facets.get(runId);
  }

  grader(runId: number): Grader {
    return GRADERS[this.facets.get(runId)?.grader ?? 0] as Grader;
  }

  entries(): IterableIterator<[number, RunFacet]> {
    return this.facets.entries();
  }

  /** Every cell of every run's facet cube: (run id, cell key, count), the key as cubeKey's first four codes. */
  cells(): [number, number, number][] {
    const out: [number, number, number][] = [];
    const facetCells = new Map<number, number>();
    for (const [runId, cube] of this.cubes) {
      facetCells.clear();
      for (const [key, count] of cube)
        facetCells.set(key & FACET_BITS, (facetCells.get(key & FACET_BITS) ?? 0) + count);
      for (const [key, count] of facetCells) out.push([runId, key, count]);
    }
    return out;
  }

  /** Per run, its counts per authors' slice (AUTHORS_SLICE codes), from the cubes: no scan of the predictions. */
  accuracyCounts(): Map<number, Map<number, SliceCounts>> {
    const out = new Map<number, Map<number, SliceCounts>>();
    for (const [runId, cube] of this.cubes) {
      const slices = new Map<number, SliceCounts>();
      out.set(runId, slices);
      for (const [cell, n] of cube) {
        const slice = (cell >> 16) & 3;
        let c = slices.get(slice);
        if (!c) slices.set(slice, (c = { total: 0, judge: 0, rule: 0, effective: 0 }));
        c.total += n;
        if (((cell >> 18) & 3) === 1) c.judge += n;
        if (((cell >> 20) & 3) === 1) c.rule += n;
        if (cubeOutcome(cell) === CORRECT) c.effective += n;
      }
    }
    return out;
  }

  /** Moves on whenever predictions' codes or outcomes changed in SQL (recount) or were rolled back. */
  get epoch(): number {
    return this.recounts;
  }

  /**
   * The runs whose predictions changed since `epoch`, or null when that may be any run. (The log holds
   * every epoch since the last full recount, which itself says "any run".)
   */
  changedSince(epoch: number): Set<number> | null {
    const runs = new Set<number>();
    for (const r of this.recounted) {
      if (r.epoch <= epoch) continue;
      if (!r.runs) return null;
      for (const run of r.runs) runs.add(run);
    }
    return runs;
  }

  /**
   * Recounts the cubes in SQL after predictions' codes or outcomes changed there: of `runs` only when just
   * their predictions changed (an override: one run, not a scan of every prediction), else of every run.
   */
  recount(runs?: Iterable<number>): void {
    this.recounts++;
    const only = runs ? new Set(runs) : null;
    if (only) {
      this.recounted.push({ epoch: this.recounts, runs: only });
      for (const run of only) this.cubes.delete(run);
    } else {
      this.recounted = [{ epoch: this.recounts, runs: null }];
      this.cubes = new Map();
    }
    const grouped = selectAll(
      this.db,
      `SELECT run_id, perspective, motion, source, outcome, authors_slice, judge_correct, rule_correct, COUNT(*)
       FROM predictions ${only ? `WHERE run_id IN (${[...only, -1].join(',')})` : ''}
       GROUP BY run_id, perspective, motion, source, outcome, authors_slice, judge_correct, rule_correct`,
    );
    for (const [runId, perspective, motion, source, outcome, slice, judge, rule, count] of grouped) {
      let cube = this.cubes.get(Number(runId));
      if (!cube) this.cubes.set(Number(runId), (cube = new Map()));
      const key = cubeKey(
        Number(perspective),
        Number(motion),
        Number(source),
        Number(outcome),
        Number(slice),
        judge === null ? null : Number(judge),
        rule === null ? null : Number(rule),
      );
      cube.set(key, Number(count));
    }
  }

  /**
   * Predictions and failures from the cubes, of every run or of one (kept equal to the table; counting a
   * run in SQL scans every prediction: at 10x the published results, the runs' list took a minute).
   */
  totals(onlyRun?: number): { predictions: number; failures: number; ruleGradedFailures: number } {
    const failed = OUTCOMES.indexOf('failed');
    const rule = GRADERS.indexOf('rule');
    let predictions = 0;
    let failures = 0;
    let ruleGradedFailures = 0;
    const cubes = onlyRun === undefined ? this.cubes : [[onlyRun, this.cubes.get(onlyRun) ?? new Map()] as const];
    for (const [runId, cube] of cubes) {
      const ruleGraded = this.facets.get(runId)?.grader === rule;
      for (const [cell, n] of cube) {
        predictions += n;
        if (cubeOutcome(cell) !== failed) continue;
        failures += n;
        if (ruleGraded) ruleGradedFailures += n;
      }
    }
    return { predictions, failures, ruleGradedFailures };
  }

  checkpoint(): Restore {
    const cubes = new Map(this.cubes);
    return allOf([
      mapCheckpoint(this.facets),
      objectsCheckpoint(this.facets.values()),
      () => {
        this.cubes = cubes;
        this.recounts++;
        this.recounted = [{ epoch: this.recounts, runs: null }];
      },
    ]);
  }
}

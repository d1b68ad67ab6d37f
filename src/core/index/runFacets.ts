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

/** One cell of a run's facet cube: perspective, motion, source and outcome codes in 4 bits each. */
export const cubeKey = (perspective: number, motion: number, source: number, outcome: number): number =>
  perspective | (motion << 4) | (source << 8) | (outcome << 12);
const cubeOutcome = (cell: number): number => cell >> 12;

export class RunFacets {
  private readonly facets = new Map<number, RunFacet>();
  private cubes = new Map<number, Map<number, number>>();

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

  /** Every cell of every run's cube: (run id, cell key, count). */
  *cells(): Iterable<[number, number, number]> {
    for (const [runId, cube] of this.cubes) for (const [key, count] of cube) yield [runId, key, count];
  }

  /** Recounts every run's cube in SQL, after predictions' codes or outcomes changed there. */
  recount(): void {
    this.cubes = new Map();
    const grouped = selectAll(
      this.db,
      'SELECT run_id, perspective, motion, source, outcome, COUNT(*) FROM predictions GROUP BY run_id, perspective, motion, source, outcome',
    );
    for (const [runId, perspective, motion, source, outcome, count] of grouped) {
      let cube = this.cubes.get(Number(runId));
      if (!cube) this.cubes.set(Number(runId), (cube = new Map()));
      cube.set(cubeKey(Number(perspective), Number(motion), Number(source), Number(outcome)), Number(count));
    }
  }

  /** Predictions and failures from the cubes (kept equal to the table; three scans of it cost ~16 ms at 1x). */
  totals(): { predictions: number; failures: number; ruleGradedFailures: number } {
    const failed = OUTCOMES.indexOf('failed');
    const rule = GRADERS.indexOf('rule');
    let predictions = 0;
    let failures = 0;
    let ruleGradedFailures = 0;
    for (const [runId, cube] of this.cubes) {
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
      },
    ]);
  }
}

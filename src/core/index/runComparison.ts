// The questions two runs both answered, with the verdict in force of each (an override, else the judge's,
// else the answer-reading rule's) and the clip each question is about: what a comparison is computed from.
// A run here spans both splits (comparisonRunName); where two judged files hold the same run and split, the
// first in path order is taken, as the accuracy table does.
import type { Database } from 'sql.js';
import type { ComparePair } from '../compare/slices';
import type { MotionType, Perspective, Source, Split } from '../model';
import { MOTION_TYPES, OUTCOMES, PERSPECTIVES, SOURCES } from '../model';
import { comparisonRunName } from './predictionKey';
import type { QuestionTable } from './questionTable';
import { selectAll } from './sqlite';

export interface CompareFilter {
  split?: Split[];
  perspective?: Perspective[];
  motion?: MotionType[];
  source?: Source[];
}

const CORRECT = OUTCOMES.indexOf('correct');
const FAILED = OUTCOMES.indexOf('failed');

export class RunComparison {
  constructor(
    private readonly db: Database,
    private readonly questions: QuestionTable,
    /** The ids of a file's predictions, first and last (null: not known, the run is scanned). */
    private readonly rangeOf: (filePath: string) => [number, number] | null = () => null,
  ) {}

  /** Every run's comparison name, sorted. */
  runNames(): string[] {
    const rows = selectAll(
      this.db,
      'SELECT DISTINCT r.prompt_mode, m.name, r.sampling_label FROM runs r JOIN models m ON m.id = r.model_id',
    );
    return [...new Set(rows.map(([p, m, s]) => comparisonRunName(String(p), String(m), String(s))))].sort();
  }

  /** The questions both runs answered with a verdict (correct or failed), under the filter. */
  pairs(a: string, b: string, filter: CompareFilter = {}): ComparePair[] {
    return this.read(a, b, filter).pairs;
  }

  /** The predictions behind each pair: A's and B's prediction ids with their verdicts (correct: true). */
  predictions(a: string, b: string): { aId: number; bId: number; a: boolean; b: boolean }[] {
    return this.read(a, b, {}).ids;
  }

  private read(
    a: string,
    b: string,
    filter: CompareFilter,
  ): { pairs: ComparePair[]; ids: { aId: number; bId: number; a: boolean; b: boolean }[] } {
    // Only the two runs' files are read: their runs first, from the small runs table, in path order.
    const runs = selectAll(
      this.db,
      `SELECT r.id, r.prompt_mode, m.name, r.sampling_label, r.split, f.path
       FROM runs r JOIN models m ON m.id = r.model_id JOIN files f ON f.id = r.file_id ORDER BY f.path`,
    ).filter(([, p, m, s]) => [a, b].includes(comparisonRunName(String(p), String(m), String(s))));
    const rows: unknown[][] = [];
    for (const [runId, prompt, model, sampling, split, file] of runs) {
      // A file's predictions have consecutive ids: the range lets SQLite read them by primary key.
      const range = this.rangeOf(String(file));
      for (const [qid, pid, outcome, perspective, motion, source] of selectAll(
        this.db,
        `SELECT question_id, id, outcome, perspective, motion, source FROM predictions
         WHERE ${range ? `id BETWEEN ${range[0]} AND ${range[1]} AND ` : ''}run_id = ${Number(runId)}
         AND outcome IN (${CORRECT}, ${FAILED}) ORDER BY id`,
      ))
        rows.push([qid, pid, outcome, split, prompt, model, sampling, perspective, motion, source]);
    }
    const verdicts = { a: new Map<number, boolean>(), b: new Map<number, boolean>() };
    const predictionIds = { a: new Map<number, number>(), b: new Map<number, number>() };
    const facets = new Map<number, { split: Split; perspective: Perspective; motion: MotionType; source: Source }>();
    for (const [qid, pid, outcome, split, prompt, model, sampling, perspective, motion, source] of rows) {
      const name = comparisonRunName(String(prompt), String(model), String(sampling));
      const side = name === a ? 'a' : name === b ? 'b' : null;
      if (!side) continue;
      const q = Number(qid);
      // A later file of the same run and split is another judge's copy: the first in path order counts.
      if (verdicts[side].has(q)) continue;
      verdicts[side].set(q, Number(outcome) === CORRECT);
      predictionIds[side].set(q, Number(pid));
      facets.set(q, {
        split: split as Split,
        perspective: PERSPECTIVES[Number(perspective)] as Perspective,
        motion: MOTION_TYPES[Number(motion)] as MotionType,
        source: SOURCES[Number(source)] as Source,
      });
    }
    const keep = (f: { split: Split; perspective: Perspective; motion: MotionType; source: Source }) =>
      (!filter.split || filter.split.includes(f.split)) &&
      (!filter.perspective || filter.perspective.includes(f.perspective)) &&
      (!filter.motion || filter.motion.includes(f.motion)) &&
      (!filter.source || filter.source.includes(f.source));
    const out: ComparePair[] = [];
    const ids: { aId: number; bId: number; a: boolean; b: boolean }[] = [];
    for (const [q, av] of verdicts.a) {
      const bv = verdicts.b.get(q);
      const f = facets.get(q);
      if (bv === undefined || !f || !keep(f)) continue;
      ids.push({ aId: predictionIds.a.get(q) as number, bId: predictionIds.b.get(q) as number, a: av, b: bv });
      const st = this.questions.get(q);
      const question = `${f.split}/${st?.id ?? q}`;
      // The clip a question is about; a question without one is its own cluster.
      const clip = st?.bench?.video ?? st?.fallback?.video ?? null;
      out.push({ question, cluster: clip ?? `question:${question}`, a: av, b: bv, ...f });
    }
    return { pairs: out, ids };
  }
}

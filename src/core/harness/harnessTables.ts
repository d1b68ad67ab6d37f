// The authors' accuracy table for runs read from harness files, which have no {real,synthetic}_mc_<prompt>
// folders to pair by: a real and a synthetic run pair when they have the same model, prompt mode and frame
// sampling and come from the same folder (lmms-eval writes one run's tasks side by side, VLMEvalKit one
// evaluation's datasets in one T<date> folder). Rows are named `<model>_<sampling>`.
import * as path from 'path';
import type { AccuracyRow, AccuracyTable, SliceCount } from '../accuracyTypes';
import type { SqlReader, SqlValue } from '../index/indexTypes';
import type { SliceCounts } from '../index/runFacets';
import { AUTHORS_SLICE } from '../index/schema';
import type { Grader, PromptMode } from '../model';

const AUTHORS_DIR = /^(real|synthetic)_mc_/;

type Counts = Map<number, SliceCount>;

export function harnessTables(
  index: SqlReader,
  grader: Grader,
  notJudgedElsewhere: string,
  row: (name: string, counts: AccuracyRow['counts']) => AccuracyRow,
  effective = false,
): AccuracyTable[] {
  // effective: the verdicts as corrected by the user's overrides (outcome 1 is correct).
  const verdict = effective ? '(p.outcome = 1)' : grader === 'judge' ? 'p.judge_correct' : 'p.rule_correct';
  const stage = `r.stage = '${grader === 'judge' ? 'judged' : 'raw'}' ${grader === 'rule' ? notJudgedElsewhere : ''}`;
  // From the runs' cubes when the index keeps them (the GROUP BY below scans every prediction, and at 10x the
  // published results its sorter alone held ~200 MB); the same rows either way.
  const rows = index.accuracyCounts
    ? cubeRows(
        index.select(
          `SELECT r.id, f.path, r.split, r.prompt_mode, m.name, r.sampling_label
           FROM runs r JOIN files f ON f.id = r.file_id JOIN models m ON m.id = r.model_id WHERE ${stage}`,
        ),
        index.accuracyCounts(),
        effective ? 'effective' : grader === 'judge' ? 'judge' : 'rule',
      )
    : index.select(
        `SELECT f.path, r.split, r.prompt_mode, m.name, r.sampling_label, p.authors_slice, SUM(${verdict}), COUNT(*)
         FROM predictions p JOIN runs r ON r.id = p.run_id JOIN files f ON f.id = r.file_id JOIN models m ON m.id = r.model_id
         WHERE ${stage}
         GROUP BY p.run_id, p.authors_slice`,
      );
  // folder → prompt mode → row name → split → counts
  const groups = new Map<string, Map<PromptMode, Map<string, { real?: Counts; synthetic?: Counts }>>>();
  for (const [file, split, prompt, model, sampling, slice, correct, total] of rows) {
    const dir = path.dirname(String(file));
    if (AUTHORS_DIR.test(path.basename(dir))) continue;
    let byPrompt = groups.get(dir);
    if (!byPrompt) groups.set(dir, (byPrompt = new Map()));
    let byName = byPrompt.get(prompt as PromptMode);
    if (!byName) byPrompt.set(prompt as PromptMode, (byName = new Map()));
    const name = sampling ? `${String(model)}_${String(sampling)}` : String(model);
    let pair = byName.get(name);
    if (!pair) byName.set(name, (pair = {}));
    const s = split as 'real' | 'synthetic';
    const counts = (pair[s] ??= new Map());
    const c = counts.get(Number(slice)) ?? { correct: 0, total: 0 };
    counts.set(Number(slice), { correct: c.correct + Number(correct), total: c.total + Number(total) });
  }
  const empty: SliceCount = { correct: 0, total: 0 };
  const tables: AccuracyTable[] = [];
  for (const dir of [...groups.keys()].sort())
    for (const [promptMode, byName] of groups.get(dir) ?? []) {
      const out: AccuracyRow[] = [];
      for (const name of [...byName.keys()].sort()) {
        const { real, synthetic } = byName.get(name) ?? {};
        if (!real || !synthetic) continue;
        out.push(
          row(name, {
            realExo: real.get(AUTHORS_SLICE.realExo) ?? empty,
            realEgo: real.get(AUTHORS_SLICE.realEgo) ?? empty,
            synthDirectional: synthetic.get(AUTHORS_SLICE.synthDirectional) ?? empty,
            synthFalsePositive: synthetic.get(AUTHORS_SLICE.synthFalsePositive) ?? empty,
          }),
        );
      }
      if (out.length) tables.push({ promptMode, grader, realDir: dir, syntheticDir: dir, rows: out });
    }
  return tables;
}

/** The GROUP BY's rows (path, split, prompt, model, sampling, slice, correct, total) from the runs' cubes. */
function cubeRows(
  runs: SqlValue[][],
  counts: Map<number, Map<number, SliceCounts>>,
  verdict: 'judge' | 'rule' | 'effective',
): SqlValue[][] {
  const rows: SqlValue[][] = [];
  for (const [id, ...run] of runs)
    for (const [slice, c] of counts.get(Number(id)) ?? []) rows.push([...run, slice, c[verdict], c.total]);
  return rows;
}

// The paper's accuracy table, computed exactly as the authors' statistics script does it: per model
// file present in both the real and the synthetic folder, real split by id (<= 922 exocentric), synthetic
// split by the ground truth's "no ..." false-positive rule, percentages as correct / total * 100 rounded
// to 2 decimals with Python's round(), printed as pandas prints floats.
import * as path from 'path';
import { csvField } from './csv';
import { harnessTables } from './harness/harnessTables';
import type { AccuracyRow, AccuracyTable, Percent, SliceCount } from './accuracyTypes';
import { ACCURACY_PERCENT_KEYS } from './accuracyTypes';
import type { SqlReader, SqlValue } from './index/indexTypes';
import type { SliceCounts } from './index/runFacets';
import { AUTHORS_SLICE } from './index/schema';
import type { Grader, PromptMode } from './model';

export type { AccuracyRow, AccuracyTable, Percent, SliceCount };

export const ACCURACY_COLUMNS = [
  'Model (JSON File)',
  'Real Ego-centric Accuracy (%)',
  'Real Exo-centric Accuracy (%)',
  'Real Overall Accuracy (%)',
  'Synthetic Directional Accuracy (%)',
  'Synthetic FP Accuracy (%)',
  'Synthetic Overall Accuracy (%)',
  'Overall Accuracy (%)',
] as const;

/** Python's round(x, 2) for the non-negative values here: correctly rounded, ties to even. */
export function pythonRound2(x: number): number {
  // An exact tie at the third decimal is only possible when 8x is an odd integer (x = k/8).
  const eighths = x * 8;
  if (Number.isInteger(eighths) && eighths % 2 !== 0) {
    const scaled = x * 100; // exact: k * 12.5
    const down = Math.floor(scaled);
    return (down % 2 === 0 ? down : down + 1) / 100;
  }
  return Number(x.toFixed(2));
}

function percent(c: SliceCount): Percent {
  return c.total ? pythonRound2((c.correct / c.total) * 100) : null;
}

function sum(...cs: SliceCount[]): SliceCount {
  return { correct: cs.reduce((a, c) => a + c.correct, 0), total: cs.reduce((a, c) => a + c.total, 0) };
}

/** Builds one row from the four slices' counts, in the script's order of operations. */
export function accuracyRow(file: string, counts: AccuracyRow['counts']): AccuracyRow {
  return {
    file,
    realEgo: percent(counts.realEgo),
    realExo: percent(counts.realExo),
    realOverall: percent(sum(counts.realExo, counts.realEgo)),
    synthDirectional: percent(counts.synthDirectional),
    synthFalsePositive: percent(counts.synthFalsePositive),
    synthOverall: percent(sum(counts.synthFalsePositive, counts.synthDirectional)),
    overall: percent(sum(counts.realExo, counts.realEgo, counts.synthFalsePositive, counts.synthDirectional)),
    counts,
  };
}

type VerdictSource = 'judge' | 'effective';

/**
 * A raw run is rule-graded only when no other judged file of the same run is loaded (see
 * IndexSync.regradeRawRuns); the rule-graded records of a partly judged harness file stay rule-graded.
 */
const NOT_JUDGED_ELSEWHERE = `AND NOT EXISTS (SELECT 1 FROM runs j WHERE j.stage = 'judged' AND j.split = r.split
  AND j.prompt_mode = r.prompt_mode AND j.model_id = r.model_id AND j.sampling_label = r.sampling_label
  AND j.file_id != r.file_id)`;

/**
 * Every table the index holds: one per pair of `<dir>/real_mc_<prompt>` and `<dir>/synthetic_mc_<prompt>`
 * folders, one row per judged file name present in both, sorted by file name. With explicit folders,
 * only that pair. `verdict: 'judge'` uses the judge's verdicts as the files hold them (the authors' numbers).
 * Judged tables come first; then the same for raw outputs, graded by the answer-reading rule (`grader: 'rule'`).
 */
export function accuracyTables(
  index: SqlReader,
  options: { realDir?: string; syntheticDir?: string; verdict?: VerdictSource } = {},
): AccuracyTable[] {
  // Harness runs (lmms-eval, VLMEvalKit) pair by model, prompt and sampling instead of by folder name.
  const harness = (g: Grader) =>
    options.realDir ? [] : harnessTables(index, g, NOT_JUDGED_ELSEWHERE, accuracyRow, options.verdict === 'effective');
  return [
    ...gradedTables(index, 'judge', options),
    ...harness('judge'),
    ...gradedTables(index, 'rule', options),
    ...harness('rule'),
  ];
}

function gradedTables(
  index: SqlReader,
  grader: Grader,
  options: { realDir?: string; syntheticDir?: string; verdict?: VerdictSource },
): AccuracyTable[] {
  const stage = `r.stage = '${grader === 'judge' ? 'judged' : 'raw'}' ${grader === 'rule' ? NOT_JUDGED_ELSEWHERE : ''}`;
  const rows = index.accuracyCounts
    ? countsFromCubes(
        index.select(
          `SELECT r.id, f.path, r.split, r.prompt_mode FROM runs r JOIN files f ON f.id = r.file_id WHERE ${stage}`,
        ),
        index.accuracyCounts(),
        options.verdict === 'effective' ? 'effective' : grader === 'judge' ? 'judge' : 'rule',
      )
    : index.select(
        `SELECT f.path, r.split, r.prompt_mode, p.authors_slice, SUM(${
          options.verdict === 'effective'
            ? `(p.outcome = 1)`
            : grader === 'judge'
              ? 'p.judge_correct'
              : 'p.rule_correct'
        }), COUNT(*)
     FROM predictions p JOIN runs r ON r.id = p.run_id JOIN files f ON f.id = r.file_id
     WHERE ${stage}
     GROUP BY p.run_id, p.authors_slice`,
      );
  return tablesFromCounts(rows, grader, options);
}

/**
 * The tables from per-run counts: rows of (file path, split, prompt mode, authors' slice, correct, total),
 * runs in the index's order (by path). Shared with the CLI's counting-only table (countedTable.ts).
 */
export function tablesFromCounts(
  rows: SqlValue[][],
  grader: Grader,
  options: { realDir?: string; syntheticDir?: string },
): AccuracyTable[] {
  type RunCounts = { prompt: PromptMode; counts: Map<number, SliceCount> };
  const byFile = new Map<string, RunCounts>();
  for (const [filePath, , prompt, slice, correct, total] of rows) {
    const key = String(filePath);
    let run = byFile.get(key);
    if (!run) byFile.set(key, (run = { prompt: prompt as PromptMode, counts: new Map() }));
    run.counts.set(Number(slice), { correct: Number(correct), total: Number(total) });
  }
  const pairs = new Map<string, { realDir: string; syntheticDir: string; prompt: PromptMode }>();
  if (options.realDir && options.syntheticDir) {
    const realDir = path.resolve(options.realDir);
    const syntheticDir = path.resolve(options.syntheticDir);
    const prompt = [...byFile].find(([f]) => path.dirname(f) === realDir)?.[1].prompt ?? 'cot';
    pairs.set(realDir, { realDir, syntheticDir, prompt });
  } else {
    for (const [filePath, run] of byFile) {
      const dir = path.dirname(filePath);
      const m = /^real_mc_(.+)$/.exec(path.basename(dir));
      if (!m) continue;
      const syntheticDir = path.join(path.dirname(dir), `synthetic_mc_${m[1]}`);
      pairs.set(dir, { realDir: dir, syntheticDir, prompt: run.prompt });
    }
  }
  const empty: SliceCount = { correct: 0, total: 0 };
  const tables: AccuracyTable[] = [];
  for (const { realDir, syntheticDir, prompt } of [...pairs.values()].sort((a, b) =>
    a.realDir < b.realDir ? -1 : 1,
  )) {
    const names = [...byFile.keys()].filter((f) => path.dirname(f) === realDir).map((f) => path.basename(f));
    const out: AccuracyRow[] = [];
    for (const name of names.sort()) {
      const real = byFile.get(path.join(realDir, name));
      const synth = byFile.get(path.join(syntheticDir, name));
      if (!real || !synth) continue;
      out.push(
        accuracyRow(name, {
          realExo: real.counts.get(AUTHORS_SLICE.realExo) ?? empty,
          realEgo: real.counts.get(AUTHORS_SLICE.realEgo) ?? empty,
          synthDirectional: synth.counts.get(AUTHORS_SLICE.synthDirectional) ?? empty,
          synthFalsePositive: synth.counts.get(AUTHORS_SLICE.synthFalsePositive) ?? empty,
        }),
      );
    }
    if (out.length) tables.push({ promptMode: prompt, grader, realDir, syntheticDir, rows: out });
  }
  return tables;
}

/**
 * The rows the SQL path groups (path, split, prompt, slice, correct, total), summed from the runs' cubes
 * instead: a scan of every prediction costs ~1.7 s at 10x the published results, the cubes a few ms.
 */
function countsFromCubes(
  runs: SqlValue[][],
  counts: Map<number, Map<number, SliceCounts>>,
  verdict: 'judge' | 'rule' | 'effective',
): SqlValue[][] {
  const rows: SqlValue[][] = [];
  for (const [id, filePath, split, prompt] of runs) {
    for (const [slice, c] of counts.get(Number(id)) ?? [])
      rows.push([filePath ?? null, split ?? null, prompt ?? null, slice, c[verdict], c.total]);
  }
  return rows;
}

/** Python's repr of a float as pandas writes it: shortest round-trip digits, always with a decimal point. */
export function pythonFloat(x: number): string {
  const s = String(x);
  return /[.e]/.test(s) ? s : `${s}.0`;
}

/** The CSV the authors' script writes (pandas `to_csv(index=False)`). */
export function accuracyTableCsv(table: AccuracyTable): string {
  const keys = ACCURACY_PERCENT_KEYS;
  // pandas keeps a column of Python ints as ints ("0") and turns a mixed column into floats ("0.0").
  const allInt = Object.fromEntries(keys.map((k) => [k, table.rows.every((r) => r[k] === null)]));
  const lines = [ACCURACY_COLUMNS.join(',')];
  for (const r of table.rows) {
    lines.push(
      [
        csvField(r.file),
        ...keys.map((k) => (r[k] === null ? (allInt[k] ? '0' : '0.0') : pythonFloat(r[k] as number))),
      ].join(','),
    );
  }
  return lines.join('\n') + '\n';
}

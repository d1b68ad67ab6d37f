// The accuracy dashboard's numbers, computed from DashboardData (data.ts) by pure functions: the webview runs
// them on every change of a control, the unit tests hold them to a brute-force count. No Node, no VS Code.
//
// Units: a *series* is one model name under one grader in one prompt mode ("gpt-4o", or "gpt-4o
// (rule-graded)" for raw outputs graded by the answer-reading rule), the unit the side panel can filter on
// (model + grader + prompt mode), so that every bar and cell opens exactly the failures it counts.
// Accuracy is correct / (correct + failed) with the verdicts in force (overrides applied); predictions
// without any verdict are counted apart ("ungraded").
import { csvLines } from '../csv';
import type { FailureQuery } from '../index/query';
import type { Grader, MotionType, Perspective, PromptMode, Source, Split } from '../model';
import { MOTION_TYPES, OUTCOMES, PERSPECTIVES, PROMPT_MODES, SOURCES, SPLITS } from '../model';
import type { DashboardData, PaperTable, SingleSplitRow } from './data';
import { DASHBOARD_LABELS } from './data';

const FAILED = OUTCOMES.indexOf('failed');
const CORRECT = OUTCOMES.indexOf('correct');

/** The filters a bar or cell hands to the side panel (a FailureQuery without paging). */
export type DashboardFilters = Omit<FailureQuery, 'offset' | 'limit'>;

export type GradedBy = Extract<Grader, 'judge' | 'rule'>;

export interface Series {
  /** `<grader>:<model>`: unique within a prompt mode. */
  key: string;
  model: string;
  grader: GradedBy;
  /** The model, marked " (rule-graded)" when the rule graded it. */
  label: string;
}

export const RULE_GRADED_SUFFIX = ' (rule-graded)';

export function seriesLabel(model: string, grader: GradedBy): string {
  return grader === 'rule' ? `${model}${RULE_GRADED_SUFFIX}` : model;
}

/** Prompt modes with predictions in the data, in PROMPT_MODES order. */
export function promptModes(data: DashboardData): PromptMode[] {
  const have = new Set(data.runs.filter((r) => r.predictions > 0 && r.grader !== 'none').map((r) => r.promptMode));
  return PROMPT_MODES.filter((p) => have.has(p));
}

/** Every series of a prompt mode, by label; judged before rule-graded for the same model. */
export function seriesOf(data: DashboardData, promptMode: PromptMode): Series[] {
  const out = new Map<string, Series>();
  for (const r of data.runs) {
    if (r.promptMode !== promptMode || r.predictions === 0 || (r.grader !== 'judge' && r.grader !== 'rule')) continue;
    const key = `${r.grader}:${r.model}`;
    if (!out.has(key)) out.set(key, { key, model: r.model, grader: r.grader, label: seriesLabel(r.model, r.grader) });
  }
  return [...out.values()].sort(
    (a, b) => a.model.localeCompare(b.model) || (a.grader === b.grader ? 0 : a.grader === 'judge' ? -1 : 1),
  );
}

/** For each run (by index), its series' index in `series`, or -1 when it is in another prompt mode or ungraded. */
function runSeries(data: DashboardData, promptMode: PromptMode, series: Series[]): Int32Array {
  const at = new Map(series.map((s, i) => [s.key, i]));
  return Int32Array.from(data.runs, (r) =>
    r.promptMode === promptMode ? (at.get(`${r.grader}:${r.model}`) ?? -1) : -1,
  );
}

// ---- breakdowns ------------------------------------------------------------------------------------

export type Dimension = 'perspective' | 'motion' | 'source' | 'split';
const DIMENSION_VALUES: Record<Dimension, readonly string[]> = {
  perspective: PERSPECTIVES,
  motion: MOTION_TYPES,
  source: SOURCES,
  split: SPLITS,
};

export interface Breakdown {
  id: string;
  label: string;
  dims: Dimension[];
}

export const BREAKDOWNS: readonly Breakdown[] = [
  { id: 'perspective', label: 'Perspective', dims: ['perspective'] },
  { id: 'motion', label: 'Motion type', dims: ['motion'] },
  { id: 'source', label: 'Source', dims: ['source'] },
  { id: 'split', label: 'Split', dims: ['split'] },
  { id: 'perspective-motion', label: 'Perspective × motion type', dims: ['perspective', 'motion'] },
  { id: 'split-motion', label: 'Split × motion type', dims: ['split', 'motion'] },
  { id: 'source-motion', label: 'Source × motion type', dims: ['source', 'motion'] },
  { id: 'split-perspective', label: 'Split × perspective', dims: ['split', 'perspective'] },
];

export function breakdown(id: string): Breakdown {
  return BREAKDOWNS.find((b) => b.id === id) ?? (BREAKDOWNS[0] as Breakdown);
}

export interface Slice {
  /** The values joined by ` · `, e.g. `egocentric · rotational`. */
  label: string;
  values: Partial<Record<Dimension, string>>;
  /** Questions of the slice with at least one prediction counted in this chart. */
  questions: number;
}

/**
 * The slice of each question (index into the returned slices, which hold every combination of values that
 * occurs among the questions, in the canonical order of each dimension's values), for a breakdown.
 */
function questionSlices(data: DashboardData, b: Breakdown): { slices: Slice[]; of: Int32Array } {
  const keyOf = (q: DashboardData['questions'][number]) => b.dims.map((d) => DIMENSION_VALUES[d].indexOf(q[d]));
  const seen = new Map<string, number[]>();
  for (const q of data.questions) {
    const k = keyOf(q);
    seen.set(k.join(','), k);
  }
  const ordered = [...seen.values()].sort((x, y) => {
    for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return (x[i] as number) - (y[i] as number);
    return 0;
  });
  const index = new Map(ordered.map((k, i) => [k.join(','), i]));
  const slices: Slice[] = ordered.map((k) => {
    const values: Partial<Record<Dimension, string>> = {};
    b.dims.forEach((d, i) => (values[d] = DIMENSION_VALUES[d][k[i] as number] as string));
    return { label: b.dims.map((d) => values[d]).join(' · '), values, questions: 0 };
  });
  return { slices, of: Int32Array.from(data.questions, (q) => index.get(keyOf(q).join(',')) as number) };
}

/** A slice's filters for the side panel. */
export function sliceFilters(values: Partial<Record<Dimension, string>>): DashboardFilters {
  const f: DashboardFilters = {};
  if (values.split) f.split = [values.split as Split];
  if (values.perspective) f.perspective = [values.perspective as Perspective];
  if (values.motion) f.motion = [values.motion as MotionType];
  if (values.source) f.source = [values.source as Source];
  return f;
}

/** The side panel's filters for one series' predictions (of any outcome). */
export function seriesFilters(s: Pick<Series, 'model' | 'grader'>, promptMode: PromptMode): DashboardFilters {
  return { model: [s.model], grader: [s.grader], promptMode: [promptMode] };
}

// ---- accuracy per slice ----------------------------------------------------------------------------

export interface Cell {
  correct: number;
  failed: number;
  /** No verdict at all (e.g. no known ground truth). */
  ungraded: number;
}

/** Counts one prediction with outcome code `o` into its cell. */
function tally(cell: Cell, o: number): void {
  if (o === CORRECT) cell.correct++;
  else if (o === FAILED) cell.failed++;
  else cell.ungraded++;
}

/** correct / (correct + failed) in percent, or null when nothing in the cell has a verdict. */
export function accuracy(c: Cell): number | null {
  const graded = c.correct + c.failed;
  return graded ? (c.correct / graded) * 100 : null;
}

export interface SliceAccuracy {
  promptMode: PromptMode;
  breakdown: Breakdown;
  series: Series[];
  slices: Slice[];
  /** [series][slice] */
  cells: Cell[][];
}

const emptyCell = (): Cell => ({ correct: 0, failed: 0, ungraded: 0 });

export function sliceAccuracy(data: DashboardData, promptMode: PromptMode, breakdownId: string): SliceAccuracy {
  const b = breakdown(breakdownId);
  const series = seriesOf(data, promptMode);
  const { slices, of } = questionSlices(data, b);
  const cells = series.map(() => slices.map(emptyCell));
  const bySeries = runSeries(data, promptMode, series);
  const counted = new Uint8Array(data.questions.length);
  const p = data.predictions;
  for (let i = 0; i < p.id.length; i++) {
    const s = bySeries[p.run[i] as number] as number;
    if (s < 0) continue;
    const q = p.question[i] as number;
    tally((cells[s] as Cell[])[of[q] as number] as Cell, p.outcome[i] as number);
    counted[q] = 1;
  }
  counted.forEach((c, q) => {
    if (c) (slices[of[q] as number] as Slice).questions++;
  });
  // A slice no question of this prompt mode falls in is left out.
  const keep = slices.map((s) => s.questions > 0);
  return {
    promptMode,
    breakdown: b,
    series,
    slices: slices.filter((_, i) => keep[i]),
    cells: cells.map((row) => row.filter((_, i) => keep[i])),
  };
}

/** The failures behind one bar: a series' failed predictions in a slice. */
export function barFilters(
  chart: Pick<SliceAccuracy, 'promptMode' | 'series' | 'slices'>,
  series: number,
  slice: number,
): DashboardFilters | null {
  const s = chart.series[series];
  const sl = chart.slices[slice];
  if (!s || !sl) return null;
  return { outcome: ['failed'], ...seriesFilters(s, chart.promptMode), ...sliceFilters(sl.values) };
}

// ---- answer confusion ------------------------------------------------------------------------------

/** Whose failures a confusion matrix counts: one series, or every series of one grader. */
export type ConfusionScope = { kind: 'series'; key: string } | { kind: 'all'; grader: GradedBy };

export interface ConfusionMatrix {
  perspective: Perspective;
  /** Ground-truth labels (rows) and chosen labels (columns): DASHBOARD_LABELS codes. */
  truth: number[];
  chosen: number[];
  /** [row][column]: failed predictions. */
  counts: number[][];
  total: number;
}

export interface Confusion {
  promptMode: PromptMode;
  motion: MotionType;
  scope: ConfusionScope;
  /** One per perspective with failures; rows and columns are the same across them (the labels any of them has). */
  matrices: ConfusionMatrix[];
}

/** The scopes offered for a prompt mode: every series of each grader together, then each series. */
export function confusionScopes(
  data: DashboardData,
  promptMode: PromptMode,
): { scope: ConfusionScope; label: string }[] {
  const series = seriesOf(data, promptMode);
  const graders = (['judge', 'rule'] as const).filter((g) => series.some((s) => s.grader === g));
  return [
    ...graders.map((g) => ({
      scope: { kind: 'all', grader: g } as ConfusionScope,
      label: g === 'judge' ? 'All models' : `All models${RULE_GRADED_SUFFIX}`,
    })),
    ...series.map((s) => ({ scope: { kind: 'series', key: s.key } as ConfusionScope, label: s.label })),
  ];
}

export function scopeId(scope: ConfusionScope): string {
  return scope.kind === 'all' ? `all:${scope.grader}` : `series:${scope.key}`;
}

/**
 * For one motion type: failed predictions counted by ground-truth label (rows) and chosen label (columns),
 * one matrix per camera perspective. Only failures: a cell is exactly the list its click opens.
 */
export function confusion(
  data: DashboardData,
  promptMode: PromptMode,
  scope: ConfusionScope,
  motion: MotionType,
): Confusion {
  const series = seriesOf(data, promptMode);
  const bySeries = runSeries(data, promptMode, series);
  const want = series.map((s) => (scope.kind === 'all' ? s.grader === scope.grader : s.key === scope.key));
  const labels = DASHBOARD_LABELS.length;
  const grid = PERSPECTIVES.map(() => new Int32Array(labels * labels));
  const p = data.predictions;
  for (let i = 0; i < p.id.length; i++) {
    if (p.outcome[i] !== FAILED) continue;
    const s = bySeries[p.run[i] as number] as number;
    if (s < 0 || !want[s]) continue;
    const q = data.questions[p.question[i] as number];
    if (!q || q.motion !== motion) continue;
    const g = grid[PERSPECTIVES.indexOf(q.perspective)] as Int32Array;
    const at = q.truth * labels + (p.chosen[i] as number);
    g[at] = (g[at] as number) + 1;
  }
  const rowUsed = new Set<number>();
  const colUsed = new Set<number>();
  for (const g of grid) {
    g.forEach((n, at) => {
      if (!n) return;
      rowUsed.add(Math.floor(at / labels));
      colUsed.add(at % labels);
    });
  }
  const truth = [...rowUsed].sort((a, b) => a - b);
  const chosen = [...colUsed].sort((a, b) => a - b);
  const matrices: ConfusionMatrix[] = [];
  PERSPECTIVES.forEach((perspective, pi) => {
    const g = grid[pi] as Int32Array;
    const counts = truth.map((t) => chosen.map((c) => g[t * labels + c] as number));
    const total = counts.reduce((a, row) => a + row.reduce((x, y) => x + y, 0), 0);
    if (total) matrices.push({ perspective, truth, chosen, counts, total });
  });
  return { promptMode, motion, scope, matrices };
}

/** The failures behind one confusion cell (the side panel's count equals the cell's). */
export function confusionFilters(
  data: DashboardData,
  c: Pick<Confusion, 'promptMode' | 'motion' | 'scope'>,
  perspective: Perspective,
  truth: number,
  chosen: number,
): DashboardFilters {
  const f: DashboardFilters = { outcome: ['failed'], motion: [c.motion], perspective: [perspective] };
  if (c.scope.kind === 'series') {
    const key = c.scope.key;
    const s = seriesOf(data, c.promptMode).find((x) => x.key === key);
    if (s) f.model = [s.model];
    f.grader = [s?.grader ?? 'judge'];
  } else f.grader = [c.scope.grader];
  f.promptMode = [c.promptMode];
  f.truthLabel = [DASHBOARD_LABELS[truth] as string];
  f.chosenLabel = [DASHBOARD_LABELS[chosen] as string];
  return f;
}

// ---- agreement across models -----------------------------------------------------------------------

export interface AgreementQuestion {
  /** Index into data.questions. */
  question: number;
  /** Series that answered it (with a verdict). */
  answered: number;
  /** The series that failed it, each with one of its failed predictions (opens the detail view). */
  failing: { series: number; prediction: number }[];
}

export interface Agreement {
  promptMode: PromptMode;
  series: Series[];
  /** [k]: questions that k series failed (of those answered by at least one). */
  histogram: number[];
  /** Answered by at least two series, and every one of them failed it (with a single series: its failures). */
  allFail: AgreementQuestion[];
  /** Answered by at least two series, exactly one of which failed it. */
  oneFails: AgreementQuestion[];
}

/**
 * How many series fail each question. A series fails a question when any of its predictions for it failed
 * (a second judge's copy of a run counts once), and answered it when any has a verdict.
 */
export function agreement(data: DashboardData, promptMode: PromptMode): Agreement {
  const series = seriesOf(data, promptMode);
  const bySeries = runSeries(data, promptMode, series);
  const n = series.length;
  const answered = new Uint8Array(data.questions.length * n);
  const failedBy = new Int32Array(data.questions.length * n).fill(-1);
  const p = data.predictions;
  for (let i = 0; i < p.id.length; i++) {
    const s = bySeries[p.run[i] as number] as number;
    const o = p.outcome[i];
    if (s < 0 || (o !== FAILED && o !== CORRECT)) continue;
    const at = (p.question[i] as number) * n + s;
    answered[at] = 1;
    if (o === FAILED && failedBy[at] === -1) failedBy[at] = p.id[i] as number;
  }
  const histogram = new Array<number>(n + 1).fill(0);
  const allFail: AgreementQuestion[] = [];
  const oneFails: AgreementQuestion[] = [];
  for (let q = 0; q < data.questions.length; q++) {
    let a = 0;
    const failing: AgreementQuestion['failing'] = [];
    for (let s = 0; s < n; s++) {
      a += answered[q * n + s] as number;
      const id = failedBy[q * n + s] as number;
      if (id >= 0) failing.push({ series: s, prediction: id });
    }
    if (!a) continue;
    histogram[failing.length] = (histogram[failing.length] as number) + 1;
    const entry = { question: q, answered: a, failing };
    if (failing.length === a && a >= Math.min(2, n)) allFail.push(entry);
    if (failing.length === 1 && a >= 2) oneFails.push(entry);
  }
  return { promptMode, series, histogram, allFail, oneFails };
}

// ---- chain of thought vs direct output ---------------------------------------------------------------

export interface CotVsDirect {
  breakdown: Breakdown;
  /** Series present in both prompt modes (same model, same grader). */
  pairs: Series[];
  /** The first slice is every question ("all"); then the breakdown's slices. */
  slices: Slice[];
  /** [pair][slice] */
  cot: Cell[][];
  direct: Cell[][];
}

/** Chain of thought against direct output per model and slice, or why it cannot be shown. */
export function cotVsDirect(data: DashboardData, breakdownId: string): CotVsDirect | { reason: string } {
  const modes = promptModes(data);
  if (!modes.includes('cot') || !modes.includes('direct-output')) {
    const have = modes.length
      ? `only ${modes.map((m) => (m === 'cot' ? 'chain-of-thought' : m)).join(' and ')} results are loaded`
      : 'no graded results are loaded';
    return {
      reason: `Needs both chain-of-thought (…_mc_cot) and direct-output (…_mc_direct-output) results: ${have}.`,
    };
  }
  const directKeys = new Set(seriesOf(data, 'direct-output').map((s) => s.key));
  const pairs = seriesOf(data, 'cot').filter((s) => directKeys.has(s.key));
  if (!pairs.length)
    return {
      reason:
        'No model has both chain-of-thought and direct-output results graded the same way (both by a judge, or both rule-graded).',
    };
  const b = breakdown(breakdownId);
  const { slices, of } = questionSlices(data, b);
  const pairAt = new Map(pairs.map((s, i) => [s.key, i]));
  const runPair = Int32Array.from(data.runs, (r) => pairAt.get(`${r.grader}:${r.model}`) ?? -1);
  const cells = [pairs.map(() => slices.map(emptyCell)), pairs.map(() => slices.map(emptyCell))] as const;
  const counted = new Uint8Array(data.questions.length);
  const p = data.predictions;
  for (let i = 0; i < p.id.length; i++) {
    const run = p.run[i] as number;
    const s = runPair[run] as number;
    if (s < 0) continue;
    const q = p.question[i] as number;
    tally(
      (cells[data.runs[run]?.promptMode === 'cot' ? 0 : 1][s] as Cell[])[of[q] as number] as Cell,
      p.outcome[i] as number,
    );
    counted[q] = 1;
  }
  let all = 0;
  counted.forEach((c, q) => {
    if (!c) return;
    all++;
    (slices[of[q] as number] as Slice).questions++;
  });
  const keep = slices.map((s) => s.questions > 0);
  const sum = (row: Cell[]): Cell =>
    row.reduce(
      (a, c) => ({ correct: a.correct + c.correct, failed: a.failed + c.failed, ungraded: a.ungraded + c.ungraded }),
      emptyCell(),
    );
  const shape = (rows: Cell[][]) => rows.map((row) => [sum(row), ...row.filter((_, i) => keep[i])]);
  return {
    breakdown: b,
    pairs,
    slices: [{ label: 'all', values: {}, questions: all }, ...slices.filter((_, i) => keep[i])],
    cot: shape(cells[0]),
    direct: shape(cells[1]),
  };
}

/** The failures behind one bar of the comparison: a pair's failed predictions in one prompt mode and slice. */
export function cotVsDirectFilters(
  c: Pick<CotVsDirect, 'pairs' | 'slices'>,
  pair: number,
  promptMode: PromptMode,
  slice: number,
): DashboardFilters | null {
  const s = c.pairs[pair];
  const sl = c.slices[slice];
  if (!s || !sl) return null;
  return { outcome: ['failed'], ...seriesFilters(s, promptMode), ...sliceFilters(sl.values) };
}

// ---- tags ------------------------------------------------------------------------------------------

export interface TagCounts {
  promptMode: PromptMode;
  breakdown: Breakdown;
  tags: string[];
  series: Series[];
  slices: Slice[];
  /** [tag][series][slice]: tagged predictions (any outcome). */
  counts: number[][][];
}

/** Tagged predictions by tag, series and slice; null when nothing in the data is tagged. */
export function tagCounts(data: DashboardData, promptMode: PromptMode, breakdownId: string): TagCounts | null {
  if (!data.tags.names.length) return null;
  const b = breakdown(breakdownId);
  const series = seriesOf(data, promptMode);
  const bySeries = runSeries(data, promptMode, series);
  const { slices, of } = questionSlices(data, b);
  const counts = data.tags.names.map(() => series.map(() => slices.map(() => 0)));
  const usedTag = new Set<number>();
  const usedSlice = new Set<number>();
  const p = data.predictions;
  const t = data.tags;
  for (let i = 0; i < t.prediction.length; i++) {
    const at = t.prediction[i] as number;
    const s = bySeries[p.run[at] as number] as number;
    if (s < 0) continue;
    const slice = of[p.question[at] as number] as number;
    const tag = t.tag[i] as number;
    const row = (counts[tag] as number[][])[s] as number[];
    row[slice] = (row[slice] as number) + 1;
    usedTag.add(tag);
    usedSlice.add(slice);
  }
  if (!usedTag.size) return null;
  const tagOrder = [...usedTag].sort((a, b2) =>
    (data.tags.names[a] as string).localeCompare(data.tags.names[b2] as string),
  );
  const sliceKeep = slices.map((_, i) => usedSlice.has(i));
  return {
    promptMode,
    breakdown: b,
    tags: tagOrder.map((i) => data.tags.names[i] as string),
    series,
    slices: slices.filter((_, i) => sliceKeep[i]),
    counts: tagOrder.map((ti) => (counts[ti] as number[][]).map((row) => row.filter((_, i) => sliceKeep[i]))),
  };
}

/** The predictions behind a tag count: tagged, of a series (or every series of the prompt mode), in a slice (or all). */
export function tagFilters(
  c: Pick<TagCounts, 'promptMode' | 'series' | 'slices' | 'tags'>,
  tag: number,
  series: number | null,
  slice: number | null,
): DashboardFilters | null {
  const name = c.tags[tag];
  if (name === undefined) return null;
  const s = series === null ? null : c.series[series];
  const sl = slice === null ? null : c.slices[slice];
  return {
    tags: [name],
    ...(s ? seriesFilters(s, c.promptMode) : { promptMode: [c.promptMode] }),
    ...(sl ? sliceFilters(sl.values) : {}),
  };
}

// ---- the paper's tables ----------------------------------------------------------------------------

/** One of the paper's tables with the rows of runs that exist in one split only. */
export interface DashboardTable extends PaperTable {
  single: SingleSplitRow[];
}

/**
 * The worker's tables (identical to the CLI's `table`) joined with the one-split rows of the same folders and
 * grader; one-split rows whose folders have no table make a table of their own. Judged tables first.
 */
export function paperTables(tables: readonly PaperTable[], single: readonly SingleSplitRow[]): DashboardTable[] {
  const out: DashboardTable[] = tables.map((t) => ({ ...t, single: [] }));
  const key = (grader: string, realDir: string, promptMode: string) => `${grader}\0${realDir}\0${promptMode}`;
  const byKey = new Map(out.map((t) => [key(t.grader, t.realDir, t.promptMode), t]));
  for (const r of single) {
    const k = key(r.grader, r.realDir, r.promptMode);
    let t = byKey.get(k);
    if (!t) {
      t = {
        promptMode: r.promptMode,
        grader: r.grader,
        realDir: r.realDir,
        syntheticDir: r.syntheticDir,
        rows: [],
        single: [],
      };
      byKey.set(k, t);
      out.push(t);
    }
    t.single.push(r);
  }
  const rank = (g: Grader) => (g === 'judge' ? 0 : 1);
  return out.sort(
    (a, b) => rank(a.grader) - rank(b.grader) || (a.realDir < b.realDir ? -1 : a.realDir > b.realDir ? 1 : 0),
  );
}

// ---- CSV ---------------------------------------------------------------------------------------------

/** Rows of fields as CSV (`\n` line ends, a final newline; see csv.ts). */
export function toCsv(rows: readonly (readonly (string | number | null)[])[]): string {
  return csvLines(rows);
}

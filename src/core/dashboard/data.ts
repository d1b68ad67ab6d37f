// What the accuracy dashboard is drawn from: the index's runs, the questions they answer and one entry per
// prediction, in columns (typed arrays), so the webview gets everything once per change and computes every
// chart itself (aggregate.ts) without asking the host again when a breakdown changes. Built in the index's
// worker (index/dashboardRows.ts gathers the rows; the shaping happens here).
//
// Also here: the rows of the paper's table for runs that exist in one split only, which the worker's
// `accuracyTables` leaves out (with the authors' row arithmetic passed in: accuracyTable.ts is Node-only).
//
// Nothing here may import Node modules or the index at run time or for types: the webview compiles these
// types too (webview/tsconfig.json has no Node types); the table's types come from accuracyTypes.ts.
import type { AccuracyRow, AccuracyTable, SliceCount } from '../accuracyTypes';
import { ANSWER_LABELS, NO_ANSWER_LABEL, answerLabel, answerLabelOfChoice } from '../answerLabels';
import type { Grader, MotionType, Perspective, PromptMode, Question, Source, Split, Stage } from '../model';
import { CHOICE_LETTERS, OUTCOMES } from '../model';
import { AUTHORS_SLICE } from '../index/schema';

/** Canonical answer labels by code: a question's `truth` and a prediction's `chosen` index this list. */
export const DASHBOARD_LABELS: readonly string[] = [...ANSWER_LABELS, NO_ANSWER_LABEL];
export const NO_ANSWER_CODE = DASHBOARD_LABELS.indexOf(NO_ANSWER_LABEL);

/** A row and a table of the paper's (accuracyTypes.ts), as the dashboard is sent them. */
export type PaperRow = AccuracyRow;
export type PaperTable = AccuracyTable;

/** The authors' arithmetic for one row from its four slices' counts (accuracyTable.ts accuracyRow). */
export type RowMaker = (file: string, counts: PaperRow['counts']) => PaperRow;

export interface DashboardRun {
  /** The run's id in the index (not stable across re-indexing). */
  id: number;
  /** The result file. */
  file: string;
  model: string;
  promptMode: PromptMode;
  split: Split;
  samplingLabel: string;
  stage: Stage;
  /**
   * Who graded its predictions: 'rule' for raw outputs (shown as "rule-graded", never mixed with a judge's
   * verdicts unmarked). Runs graded by nobody ('none': a raw copy of a loaded judged run) are listed, but
   * their predictions are left out of the data so that nothing counts twice.
   */
  grader: Grader;
  /** Its predictions in the data. */
  predictions: number;
}

export interface DashboardQuestion {
  split: Split;
  qid: string;
  perspective: Perspective;
  motion: MotionType;
  source: Source;
  /** The ground truth's canonical label (a DASHBOARD_LABELS code). */
  truth: number;
  text: string;
}

/** One row of the paper's table for a run that exists in one split only: that split's numbers, the others null. */
export interface SingleSplitRow {
  promptMode: PromptMode;
  grader: Grader;
  /** The pair of folders its table would have (`…/real_mc_<prompt>`, `…/synthetic_mc_<prompt>`). */
  realDir: string;
  syntheticDir: string;
  /** The split it has. */
  split: Split;
  row: PaperRow;
}

export interface DashboardData {
  /** The index's data version when built (changes with every re-index and annotation change). */
  version: number;
  runs: DashboardRun[];
  /** The questions that have predictions in the data. */
  questions: DashboardQuestion[];
  /** One entry per graded-or-gradable prediction (runs graded by 'none' left out), in prediction id order. */
  predictions: {
    /** Its id in the index (opens the detail view; valid for this `version`). */
    id: Int32Array;
    /** Index into `runs`. */
    run: Int32Array;
    /** Index into `questions`. */
    question: Int32Array;
    /** The verdict in force (an OUTCOMES code): overrides applied, else the judge's, else the rule's. */
    outcome: Uint8Array;
    /** The chosen option's canonical label (a DASHBOARD_LABELS code; NO_ANSWER_CODE when none was chosen). */
    chosen: Uint8Array;
  };
  /** Tags from the annotations (a question's tags count for each of its predictions), as pairs. */
  tags: {
    names: string[];
    /** Index into the prediction columns. */
    prediction: Int32Array;
    /** Index into `names`. */
    tag: Int32Array;
  };
  /** Predictions in the data whose verdict the user overrode. */
  overridden: number;
  /** The paper's table's rows for runs in one split only, with the judges' (or rule's) verdicts and with the verdicts in force. */
  singleSplit: { judge: SingleSplitRow[]; effective: SingleSplitRow[] };
}

/** One run's predictions with the consecutive ids from..to-1, in columns (see DashboardSource.predictions). */
export interface PredictionBlock {
  from: number;
  to: number;
  run: number;
  question: Int32Array;
  chosen: Int8Array;
  judge: Int8Array;
  rule: Int8Array;
  outcome: Uint8Array;
  slice: Uint8Array;
}

/** What index/dashboardRows.ts hands over (rows as the index holds them). */
export interface DashboardSource {
  version: number;
  runs: Omit<DashboardRun, 'predictions'>[];
  /** A question row's split, id, taxonomy and text; undefined when the index has no text for it. */
  question(
    rowId: number,
  ):
    | { split: Split; qid: string; perspective: Perspective; motion: MotionType; source: Source; question: Question }
    | undefined;
  /**
   * Every prediction, in id order, as blocks of one run's consecutive ids (index/predictionColumns.ts): its
   * question row ids, chosen letter codes (-1: none), the judge's and the rule's verdicts (1, 0, -1: none),
   * outcome codes and the authors' slices, one entry per id.
   */
  predictions: readonly PredictionBlock[];
  /** pred_tags: (prediction id, tag). */
  tags: [number, string][];
  /** Predictions whose verdict is overridden (pred_marks). */
  overriddenIds: number[];
}

const CORRECT = OUTCOMES.indexOf('correct');

export function buildDashboardData(src: DashboardSource, accuracyRow: RowMaker): DashboardData {
  const runs: DashboardRun[] = src.runs.map((r) => ({ ...r, predictions: 0 }));
  const runIndex = new Map(runs.map((r, i) => [r.id, i]));
  const questions: DashboardQuestion[] = [];
  /** Per question row: its index in `questions` and the answer label code of each possible choice (none, A-D). */
  // By row id (small integers): an array lookup per prediction rather than a Map's.
  const questionIndex: ({ index: number; choiceLabels: number[] } | null | undefined)[] = [];
  const questionOf = (rowId: number) => {
    let q = questionIndex[rowId];
    if (q !== undefined) return q;
    const st = src.question(rowId);
    if (!st) {
      questionIndex[rowId] = null;
      return null;
    }
    const code = (label: string) => DASHBOARD_LABELS.indexOf(label);
    // The same labelling as the side panel's answer-label filter (answerLabelFilter.ts), so that counts agree.
    const choiceLabels = [
      code(answerLabelOfChoice(st.question.choices, null)),
      ...CHOICE_LETTERS.map((l) => code(answerLabelOfChoice(st.question.choices, l, st.question.answer))),
    ];
    q = { index: questions.length, choiceLabels };
    questions.push({
      split: st.split,
      qid: st.qid,
      perspective: st.perspective,
      motion: st.motion,
      source: st.source,
      truth: code(answerLabel(st.question.answer)),
      text: st.question.question,
    });
    questionIndex[rowId] = q;
    return q;
  };

  // Sized for every prediction, trimmed at the end (runs graded by nobody and unknown questions are left out).
  let n = 0;
  const cols = alloc(src.predictions.reduce((a, b) => a + (b.to - b.from), 0));
  // By question row id, its index in `questions` (-1: no text, -2: not looked up yet); by that index, the
  // answer label code of each possible choice (none, A-D): typed arrays, so that the loop below does no
  // object lookups per prediction.
  let labelsAt = new Int32Array(0);
  let choiceLabels = new Uint8Array(0);
  const labelsOf = (row: number): number => {
    if (row >= labelsAt.length) {
      const grown = new Int32Array(Math.max(row + 1, labelsAt.length * 2)).fill(-2);
      grown.set(labelsAt);
      labelsAt = grown;
    }
    const q = questionOf(row);
    const qi = q ? q.index : -1;
    if (q && (qi + 1) * 5 > choiceLabels.length) {
      const grown = new Uint8Array(Math.max((qi + 1) * 5, choiceLabels.length * 2));
      grown.set(choiceLabels);
      choiceLabels = grown;
    }
    if (q) choiceLabels.set(q.choiceLabels, qi * 5);
    labelsAt[row] = qi;
    return qi;
  };
  // Per run: the authors' four slice counts with the grader's own verdict and with the verdict in force.
  const slices = new Map<number, { judge: SliceCount[]; effective: SliceCount[] }>();
  /** A run's counts while its blocks are read: total and correct per slice, the grader's, then in force. */
  const tallies = new Map<number, Int32Array>();
  for (const b of src.predictions) {
    const ri = runIndex.get(b.run);
    const run = ri === undefined ? undefined : runs[ri];
    if (ri === undefined || !run || run.grader === 'none') continue;
    let tally = tallies.get(ri);
    if (!tally) tallies.set(ri, (tally = new Int32Array(16)));
    // The question rows this block names, looked up before the loop so that it calls nothing.
    for (let i = unknownAt(b.question, 0, labelsAt); i >= 0; i = unknownAt(b.question, i + 1, labelsAt))
      labelsOf(b.question[i] as number);
    const count = n;
    n = readBlock(b, run.grader === 'judge' ? b.judge : b.rule, ri, labelsAt, choiceLabels, cols, n, tally);
    run.predictions += n - count;
  }
  for (const [ri, t] of tallies) {
    const counts = (at: number) =>
      [0, 1, 2, 3].map((k): SliceCount => ({ total: t[at + k] as number, correct: t[at + 4 + k] as number }));
    slices.set(ri, { judge: counts(0), effective: counts(8) });
  }

  // Ids arrive in ascending order: a prediction's place is found by binary search (a Map of every id cost more).
  const position = (predictionId: number): number | undefined => {
    let lo = 0;
    let hi = n - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const v = cols.id[mid] as number;
      if (v === predictionId) return mid;
      if (v < predictionId) lo = mid + 1;
      else hi = mid - 1;
    }
    return undefined;
  };
  const tagNames: string[] = [];
  const tagCode = new Map<string, number>();
  const tagPred: number[] = [];
  const tagTag: number[] = [];
  for (const [predictionId, tag] of src.tags) {
    const at = position(predictionId);
    if (at === undefined) continue;
    let c = tagCode.get(tag);
    if (c === undefined) {
      c = tagNames.length;
      tagNames.push(tag);
      tagCode.set(tag, c);
    }
    tagPred.push(at);
    tagTag.push(c);
  }

  return {
    version: src.version,
    runs,
    questions,
    predictions: {
      id: cols.id.slice(0, n),
      run: cols.run.slice(0, n),
      question: cols.question.slice(0, n),
      outcome: cols.outcome.slice(0, n),
      chosen: cols.chosen.slice(0, n),
    },
    tags: { names: tagNames, prediction: Int32Array.from(tagPred), tag: Int32Array.from(tagTag) },
    // An override of a prediction left out (a raw copy shares its judged run's key) changes nothing shown.
    overridden: src.overriddenIds.filter((id) => position(id) !== undefined).length,
    singleSplit: {
      judge: singleSplitRows(runs, slices, 'judge', accuracyRow),
      effective: singleSplitRows(runs, slices, 'effective', accuracyRow),
    },
  };
}

type Columns = DashboardData['predictions'];

/** The first position from `i` on of a question row `labelsAt` has not looked up (-2 or past its end), or -1. */
function unknownAt(question: Int32Array, i: number, labelsAt: Int32Array): number {
  for (const len = question.length; i < len; i++) {
    const row = question[i] as number;
    if (row >= labelsAt.length || labelsAt[row] === -2) return i;
  }
  return -1;
}

/**
 * Appends one block's predictions of known questions to `cols` from row `n`, and counts them in `tally`
 * (see above); the next free row. Every question the block names is looked up in `labelsAt` already.
 */
function readBlock(
  b: PredictionBlock,
  own: Int8Array,
  ri: number,
  labelsAt: Int32Array,
  choiceLabels: Uint8Array,
  cols: Columns,
  n: number,
  tally: Int32Array,
): number {
  const { question, chosen, outcome, slice } = b;
  const { id, run, question: qcol, outcome: ocol, chosen: ccol } = cols;
  for (let i = 0, len = b.to - b.from; i < len; i++) {
    const qi = labelsAt[question[i] as number] as number;
    if (qi < 0) continue;
    const o = outcome[i] as number;
    const c = chosen[i] as number;
    id[n] = b.from + i;
    run[n] = ri;
    qcol[n] = qi;
    ocol[n] = o;
    // -1 (none) reads the label of no choice; a code past D has no label.
    ccol[n] = c > 3 ? NO_ANSWER_CODE : (choiceLabels[qi * 5 + 1 + (c < 0 ? -1 : c)] as number);
    n++;
    const sl = slice[i] as number;
    if (sl < 4) {
      tally[sl] = (tally[sl] as number) + 1;
      if (own[i] === 1) tally[4 + sl] = (tally[4 + sl] as number) + 1;
      tally[8 + sl] = (tally[8 + sl] as number) + 1;
      if (o === CORRECT) tally[12 + sl] = (tally[12 + sl] as number) + 1;
    }
  }
  return n;
}

function alloc(cap: number): Columns {
  return {
    id: new Int32Array(cap),
    run: new Int32Array(cap),
    question: new Int32Array(cap),
    outcome: new Uint8Array(cap),
    chosen: new Uint8Array(cap),
  };
}

function emptySlices(): SliceCount[] {
  return [0, 1, 2, 3].map(() => ({ correct: 0, total: 0 }));
}

/** The path's parent and last part, for either separator (no Node `path` here; see the header). */
function splitPath(p: string): { dir: string; base: string; sep: string } {
  const at = Math.max(p.lastIndexOf('/'), p.lastIndexOf('\\'));
  return {
    dir: at > 0 ? p.slice(0, at) : p.slice(0, at + 1),
    base: p.slice(at + 1),
    sep: at >= 0 ? (p[at] as string) : '/',
  };
}

/**
 * The table folders a run's file belongs to: `<group>/real_mc_<prompt>` with `<group>/synthetic_mc_<prompt>`,
 * as accuracyTable.ts pairs them (by path.dirname of its files); null for a file outside such a folder.
 */
function tableDirs(file: string): { realDir: string; syntheticDir: string; split: Split } | null {
  const { dir } = splitPath(file);
  const { dir: group, base, sep } = splitPath(dir);
  const m = /^(real|synthetic)_mc_(.+)$/.exec(base);
  if (!m) return null;
  return {
    realDir: `${group}${sep}real_mc_${m[2]}`,
    syntheticDir: `${group}${sep}synthetic_mc_${m[2]}`,
    split: m[1] as Split,
  };
}

/**
 * Rows for the runs the paper's table leaves out: a judged (or rule-graded) file whose namesake in the other
 * split's folder is not loaded with the same grader. Its split's three columns are filled, the rest are null.
 */
function singleSplitRows(
  runs: DashboardRun[],
  slices: Map<number, { judge: SliceCount[]; effective: SliceCount[] }>,
  verdict: 'judge' | 'effective',
  accuracyRow: RowMaker,
): SingleSplitRow[] {
  const isGraded = (r: DashboardRun) => r.grader === 'judge' || r.grader === 'rule';
  const present = new Set(runs.filter(isGraded).map((r) => `${r.grader}\0${r.file}`));
  const out: SingleSplitRow[] = [];
  runs.forEach((r, i) => {
    if (!isGraded(r)) return;
    const dirs = tableDirs(r.file);
    if (!dirs || dirs.split !== r.split) return;
    const { base: name, sep } = splitPath(r.file);
    const other = `${r.split === 'real' ? dirs.syntheticDir : dirs.realDir}${sep}${name}`;
    if (present.has(`${r.grader}\0${other}`)) return;
    const counts = slices.get(i)?.[verdict] ?? emptySlices();
    const none: SliceCount = { correct: 0, total: 0 };
    const c = (slice: number) => counts[slice] ?? none;
    const full = accuracyRow(name, {
      realExo: r.split === 'real' ? c(AUTHORS_SLICE.realExo) : none,
      realEgo: r.split === 'real' ? c(AUTHORS_SLICE.realEgo) : none,
      synthDirectional: r.split === 'synthetic' ? c(AUTHORS_SLICE.synthDirectional) : none,
      synthFalsePositive: r.split === 'synthetic' ? c(AUTHORS_SLICE.synthFalsePositive) : none,
    });
    // The other split's columns and the overall one stay blank: they would say nothing about a missing split.
    const row: PaperRow =
      r.split === 'real'
        ? { ...full, synthDirectional: null, synthFalsePositive: null, synthOverall: null, overall: null }
        : { ...full, realEgo: null, realExo: null, realOverall: null, overall: null };
    out.push({
      promptMode: r.promptMode,
      grader: r.grader,
      realDir: dirs.realDir,
      syntheticDir: dirs.syntheticDir,
      split: r.split,
      row,
    });
  });
  return out.sort((a, b) =>
    a.realDir === b.realDir ? a.row.file.localeCompare(b.row.file) : a.realDir < b.realDir ? -1 : 1,
  );
}

// The typed query API over the index: filters, one page of rows, the total, and facet counts
// (for every filter, the count of each of its values under all the other filters).
import type {
  ChoiceLetter,
  ChoiceValue,
  Choices,
  FrameSampling,
  Grader,
  MotionType,
  Outcome,
  Perspective,
  PromptMode,
  Source,
  Split,
  Stage,
} from '../model';
import { GRADERS, MOTION_TYPES, OUTCOMES, PERSPECTIVES, PROMPT_MODES, SOURCES, SPLITS } from '../model';
import type { AnswerRule } from '../answerReading';
import type { VerdictOverride } from '../annotations/format';

export interface FailureQuery {
  split?: Split[];
  perspective?: Perspective[];
  motion?: MotionType[];
  source?: Source[];
  /** Model names as derived from file names, e.g. `gpt-4o`. */
  model?: string[];
  promptMode?: PromptMode[];
  outcome?: Outcome[];
  /** Case-insensitive substring of the question or the response. */
  text?: string;
  sort?: 'question' | 'model';
  /** Predictions carrying any of these tags (their own or their question's). */
  tags?: string[];
  /** Only predictions with a note (their own or their question's). */
  hasNote?: boolean;
  /** Only predictions whose verdict the user overrode. */
  overridden?: boolean;
  /** Who graded: the judge, or the answer-reading rule (raw outputs). */
  grader?: Grader[];
  /** Judge audit: only predictions with every one of these flags (see AUDIT_FLAGS). */
  audit?: AuditFlag[];
  /** Only predictions with an open suggestion from any of these failure-mode detectors (suggestionLayer.ts). */
  suggested?: string[];
  /**
   * Canonical answer labels (answerLabels.ts) of the ground truth and of the chosen option ('no answer' when
   * none was chosen): the dashboard's confusion cells. Either may be given alone.
   */
  truthLabel?: string[];
  chosenLabel?: string[];
  /** Runs sampled as one of these (`32frame`, `1fps`; run names' sampling part): a dashboard slice may hold it. */
  samplingLabel?: string[];
  /** Predictions with one of these stable keys (PredictionRow.key): the reviewers' disagreements. */
  keys?: string[];
  /**
   * Two runs compared (`<prompt>/<model>_<sampling>`): the list holds B's prediction of each question both
   * answered with a verdict, of one kind when given (comparisonFilter.ts).
   */
  comparison?: { a: string; b: string; kind?: ComparisonKind };
  /** One row per question instead of per prediction (see PredictionRow.group). */
  group?: 'question';
  offset?: number;
  limit?: number;
}

/** Fixed by B (A failed, B correct), broken by B (A correct, B failed), both failed. */
export const COMPARISON_KINDS = ['fixed', 'broken', 'bothFailed'] as const;
export type ComparisonKind = (typeof COMPARISON_KINDS)[number];

/** Beside the comparison filter: B's predictions of each kind under every filter but the kind and the outcome. */
export interface ComparisonCounts extends Record<ComparisonKind, number> {
  a: string;
  b: string;
}

export const FACETS = ['split', 'perspective', 'motion', 'source', 'model', 'promptMode', 'outcome', 'grader'] as const;
export type FacetName = (typeof FACETS)[number];
export type FacetCounts = Record<FacetName, Record<string, number>>;

/** One row of the failure list: what the side panel and the CLI show per prediction. */
export interface PredictionRow {
  id: number;
  /** Stable across re-indexing: `<split>/<prompt>/<model>_<sampling>/<qid>`. */
  key: string;
  split: Split;
  qid: string;
  question: string;
  model: string;
  samplingLabel: string;
  promptMode: PromptMode;
  stage: Stage;
  groundTruth: ChoiceValue;
  groundTruthLetter: ChoiceLetter | null;
  chosen: ChoiceLetter | null;
  /** The chosen option's text, or the judge's reading when it names no option. */
  chosenText: string | null;
  /** The verdict in force: the user's override when there is one, else the judge's. */
  outcome: Outcome;
  /** The judge's own verdict (null for raw outputs, which the rule grades). */
  judgeCorrect: boolean | null;
  /** 'rule' for raw outputs: `outcome` (unless overridden) is the answer-reading rule's verdict, not a judge's. */
  grader: Grader;
  perspective: Perspective;
  motion: MotionType;
  source: Source;
  /** The rule that produced each derived value (see docs/taxonomy.md), or `labels-file:…`. */
  rules: { perspective: string; motion: string; source: string };
  /**
   * Grouped by question: this row stands for its question; `failed` of the `of` predictions of the question
   * under the filters other than outcome failed.
   */
  group?: { failed: number; of: number };
  /** Tags, note and verdict override from the annotations files, when any. */
  annotation?: RowAnnotation;
}

/** Everything the detail view shows about one prediction. */
export interface PredictionDetail extends PredictionRow {
  choices: Choices;
  response: string;
  extractedAnswer: string | null;
  judgeExtras: Record<string, string>;
  video: string | null;
  /** The file the video field was read from (relative clip paths are taken from its folder). */
  videoDeclaredIn: string | null;
  filePath: string;
  sampling: FrameSampling;
  /**
   * The deterministic answer reading of the response (answerReading.ts), beside the judge's: the letter
   * (null: no answer readable), the rule that decided, and whether it is the ground truth (null when the
   * ground truth is not one of the choices).
   */
  ruleReading: { letter: ChoiceLetter | null; rule: AnswerRule; correct: boolean | null };
  /**
   * Other judged files of the same run (same split, prompt mode, model and sampling, e.g. a second judge's
   * folder) and their verdicts on this question.
   */
  otherJudges: { filePath: string; id: number; judgeCorrect: boolean | null; extractedAnswer: string | null }[];
}

/**
 * Judge audit flags. judge-disagrees: the rule's verdict differs from the judge's; no-answer: the rule
 * reads no answer in the response; judges-disagree: another judged file of the same run gives the other verdict.
 */
export const AUDIT_FLAGS = ['judge-disagrees', 'no-answer', 'judges-disagree'] as const;
export type AuditFlag = (typeof AUDIT_FLAGS)[number];

/** Counts beside the audit filters (each under all the other filters), and how far the audit has got. */
export interface AuditCounts {
  counts: Record<AuditFlag, number>;
  /** Predictions whose response is not read yet (the audit runs in the background after indexing). */
  pending: number;
}

export interface QueryResult {
  total: number;
  rows: PredictionRow[];
  facets: FacetCounts;
  /** Counts beside the annotation filters (each under all the other filters); absent when nothing is annotated. */
  annotations?: AnnotationCounts;
  /** Counts beside the audit filters; absent from hosts that do not audit. */
  audit?: AuditCounts;
  /** Counts beside the comparison filter, when the query compares two runs. */
  comparison?: ComparisonCounts;
  /** Open suggestions per detector, each under all the other filters (suggestionLayer.ts). */
  suggestions?: SuggestionCounts;
}

/** Counts beside the suggested filter (each under all the other filters), and how far the detectors have got. */
export interface SuggestionCounts {
  /** Open suggestions per detector (failureModes.ts DETECTORS). */
  counts: Record<string, number>;
  /** Predictions the detectors have not read yet. */
  pending: number;
}

/** What a list row shows of its annotations. */
export interface RowAnnotation {
  /** The prediction's own tags, then its question's (marked in `questionTags`). */
  tags: string[];
  questionTags: string[];
  hasNote: boolean;
  /** The user's verdict, when it overrides the judge's. */
  verdict?: VerdictOverride;
}

export interface AnnotationCounts {
  tags: Record<string, number>;
  hasNote: number;
  overridden: number;
}

/** The values each facet's integer code stands for (models are looked up in the index). */
export const FACET_VALUES = {
  split: SPLITS,
  perspective: PERSPECTIVES,
  motion: MOTION_TYPES,
  source: SOURCES,
  promptMode: PROMPT_MODES,
  outcome: OUTCOMES,
  grader: GRADERS,
} as const;

/** Allowed codes per facet; null means "no filter". */
export type CodeFilter = Record<FacetName, Set<number> | null>;

/**
 * Counts per combination of facet values, in two levels: each run with its own facets' codes (split, model,
 * prompt mode, grader: `runs`, RUN_FACETS' order, four a run), and the run's cells, one per combination of
 * the prediction's facets (`cells`: the run's place in `runs`, the cell key, the count; three a cell). A
 * cell key holds perspective | motion << 4 | source << 8 | outcome << 12 (runFacets.ts cubeKey's low bits).
 */
export interface FacetCube {
  runs: Int32Array;
  cells: Int32Array;
}

const RUN_FACETS = ['split', 'model', 'promptMode', 'grader'] as const;
const CELL_FACETS = ['perspective', 'motion', 'source', 'outcome'] as const;

/**
 * The total and facet counts from a cube: a prediction counts toward facet f's value when it passes every
 * filter except f's own. A cell's predictions fail the run's filters or the cell's (or both); the ones that
 * pass all are summed per cell key and per run, then spread over the facets' values, so that the pass over
 * the cells (~12,500 at 10x the published results) is a few array reads each.
 */
export function facetsFromCube(
  cube: FacetCube,
  filter: CodeFilter,
  valueName: (facet: FacetName, code: number) => string | undefined,
  allValues: (facet: FacetName) => readonly string[],
): { total: number; facets: FacetCounts } {
  const facets = {} as FacetCounts;
  const byCode = {} as Record<FacetName, Map<number, number>>;
  for (const f of FACETS) {
    facets[f] = {};
    for (const v of allValues(f)) facets[f][v] = 0;
    byCode[f] = new Map();
  }
  const add = (f: FacetName, code: number, n: number): void => {
    if (n) byCode[f].set(code, (byCode[f].get(code) ?? 0) + n);
  };
  // Per run: how many of its facets' filters it fails (2 for two or more), and the one it fails.
  const runCount = cube.runs.length / 4;
  const runFails = new Uint8Array(runCount);
  const runFailing = new Uint8Array(runCount);
  const runFilters = RUN_FACETS.map((f) => filter[f]);
  for (let r = 0; r < runCount; r++) {
    for (let i = 0; i < 4; i++) {
      const allowed = runFilters[i];
      if (allowed && !allowed.has(cube.runs[r * 4 + i] as number)) {
        runFails[r] = Math.min(2, (runFails[r] as number) + 1);
        runFailing[r] = i;
      }
    }
  }
  // Per cell key, the same for the predictions' facets (as 1 + fails * 4 + the one failed; 0: not known yet).
  const cellState = new Uint8Array(1 << 16);
  const stateOf = (key: number): number => {
    let fails = 0;
    let failing = 0;
    CELL_FACETS.forEach((f, i) => {
      const allowed = filter[f];
      if (allowed && !allowed.has((key >> (4 * i)) & 15)) {
        fails = Math.min(2, fails + 1);
        failing = i;
      }
    });
    return 1 + fails * 4 + failing;
  };
  const passingByKey = new Map<number, number>();
  const passingByRun = new Float64Array(runCount);
  const { cells, runs } = cube;
  let total = 0;
  for (let c = 0; c < cells.length; c += 3) {
    const r = cells[c] as number;
    const key = cells[c + 1] as number;
    const n = cells[c + 2] as number;
    let state = cellState[key] as number;
    if (!state) cellState[key] = state = stateOf(key);
    const fails = (runFails[r] as number) + ((state - 1) >> 2);
    if (fails === 0) {
      total += n;
      passingByKey.set(key, (passingByKey.get(key) ?? 0) + n);
      passingByRun[r] = (passingByRun[r] as number) + n;
    } else if (fails === 1) {
      if (runFails[r]) {
        const i = runFailing[r] as number;
        add(RUN_FACETS[i] as FacetName, runs[r * 4 + i] as number, n);
      } else {
        const i = (state - 1) & 3;
        add(CELL_FACETS[i] as FacetName, (key >> (4 * i)) & 15, n);
      }
    }
  }
  for (const [key, n] of passingByKey)
    for (let i = 0; i < 4; i++) add(CELL_FACETS[i] as FacetName, (key >> (4 * i)) & 15, n);
  for (let r = 0; r < runCount; r++) {
    const n = passingByRun[r] as number;
    if (n) for (let i = 0; i < 4; i++) add(RUN_FACETS[i] as FacetName, runs[r * 4 + i] as number, n);
  }
  for (const f of FACETS)
    for (const [code, n] of byCode[f]) {
      const name = valueName(f, code);
      if (name !== undefined) facets[f][name] = (facets[f][name] ?? 0) + n;
    }
  return { total, facets };
}

/** The largest page a query returns: a longer list is read page by page (the CLI, the export, tagging a list). */
export const MAX_PAGE_ROWS = 10_000;

/** A query's `limit` as the index applies it: 100 when not given, never more than MAX_PAGE_ROWS. */
export function clampPageLimit(limit: number | undefined): number {
  return Math.max(0, Math.min(limit ?? 100, MAX_PAGE_ROWS));
}

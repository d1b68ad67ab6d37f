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

/** A cube's row: the FACETS' codes, then the count (see facetsFromCube). */
export const CUBE_STRIDE = FACETS.length + 1;

/**
 * Facet counts and the total from a cube: one row per distinct combination of facet codes, with its count,
 * flat (CUBE_STRIDE numbers a row). A row counts toward facet f's value when it passes every filter except f's own.
 */
export function facetsFromCube(
  cube: Int32Array,
  filter: CodeFilter,
  valueName: (facet: FacetName, code: number) => string | undefined,
  allValues: (facet: FacetName) => readonly string[],
): { total: number; facets: FacetCounts } {
  const facets = {} as FacetCounts;
  for (const f of FACETS) {
    facets[f] = {};
    for (const v of allValues(f)) facets[f][v] = 0;
  }
  const n = FACETS.length;
  // Allowed codes as flags (a filter's Set looked up per row and facet cost more than the counting).
  const allowed = FACETS.map((f) => {
    const set = filter[f];
    if (!set) return null;
    const flags = new Uint8Array(Math.max(0, ...set) + 1);
    for (const c of set) if (c >= 0) flags[c] = 1;
    return flags;
  });
  // Counted by code first, named once at the end: naming every row's value cost ~20 ms at 10x the results.
  const max = new Int32Array(n);
  for (let r = 0; r < cube.length; r += CUBE_STRIDE)
    for (let i = 0; i < n; i++) if ((cube[r + i] as number) > (max[i] as number)) max[i] = cube[r + i] as number;
  const byCode = Array.from(max, (m) => new Float64Array(m + 1));
  let total = 0;
  for (let r = 0; r < cube.length; r += CUBE_STRIDE) {
    const count = cube[r + n] as number;
    let failing = -1;
    let failures = 0;
    for (let i = 0; i < n; i++) {
      const flags = allowed[i];
      if (flags && !flags[cube[r + i] as number]) {
        failures++;
        failing = i;
        if (failures > 1) break;
      }
    }
    if (failures > 1) continue;
    if (failures === 0) total += count;
    for (let i = failures ? failing : 0; i < (failures ? failing + 1 : n); i++) {
      const counts = byCode[i] as Float64Array;
      const code = cube[r + i] as number;
      counts[code] = (counts[code] as number) + count;
    }
  }
  FACETS.forEach((f, i) => {
    (byCode[i] as Float64Array).forEach((count, code) => {
      const name = count ? valueName(f, code) : undefined;
      if (name !== undefined) facets[f][name] = (facets[f][name] ?? 0) + count;
    });
  });
  return { total, facets };
}

/** The largest page a query returns: a longer list is read page by page (the CLI, the export, tagging a list). */
export const MAX_PAGE_ROWS = 10_000;

/** A query's `limit` as the index applies it: 100 when not given, never more than MAX_PAGE_ROWS. */
export function clampPageLimit(limit: number | undefined): number {
  return Math.max(0, Math.min(limit ?? 100, MAX_PAGE_ROWS));
}

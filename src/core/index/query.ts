// The typed query API over the index: filters, one page of rows, the total, and facet counts
// (for every filter, the count of each of its values under all the other filters).
import type { ChoiceLetter, ChoiceValue, Choices, FrameSampling, MotionType, Outcome, Perspective, PromptMode, Source, Split, Stage } from '../model';
import { MOTION_TYPES, OUTCOMES, PERSPECTIVES, PROMPT_MODES, SOURCES, SPLITS } from '../model';
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
  /** One row per question instead of per prediction (see PredictionRow.group). */
  group?: 'question';
  offset?: number;
  limit?: number;
}

export const FACETS = ['split', 'perspective', 'motion', 'source', 'model', 'promptMode', 'outcome'] as const;
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
  /** The judge's own verdict (null for raw, ungraded outputs). */
  judgeCorrect: boolean | null;
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
}

export interface QueryResult {
  total: number;
  rows: PredictionRow[];
  facets: FacetCounts;
  /** Counts beside the annotation filters (each under all the other filters); absent when nothing is annotated. */
  annotations?: AnnotationCounts;
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
} as const;

/** Allowed codes per facet; null means "no filter". */
export type CodeFilter = Record<FacetName, Set<number> | null>;

/**
 * Facet counts and the total from a cube (one row per distinct combination of facet codes, with its
 * count). A row counts toward facet f's value when it passes every filter except f's own.
 */
export function facetsFromCube(
  cube: readonly Int32Array[],
  filter: CodeFilter,
  valueName: (facet: FacetName, code: number) => string | undefined,
  allValues: (facet: FacetName) => readonly string[],
): { total: number; facets: FacetCounts } {
  const facets = {} as FacetCounts;
  for (const f of FACETS) {
    facets[f] = {};
    for (const v of allValues(f)) facets[f][v] = 0;
  }
  const filters = FACETS.map((f) => filter[f]);
  let total = 0;
  for (const row of cube) {
    const count = row[FACETS.length] as number;
    let failing = -1;
    let failures = 0;
    for (let i = 0; i < FACETS.length; i++) {
      const allowed = filters[i];
      if (allowed && !allowed.has(row[i] as number)) {
        failures++;
        failing = i;
        if (failures > 1) break;
      }
    }
    if (failures > 1) continue;
    if (failures === 0) total += count;
    for (let i = 0; i < FACETS.length; i++) {
      if (failures === 1 && i !== failing) continue;
      const f = FACETS[i] as FacetName;
      const name = valueName(f, row[i] as number);
      if (name !== undefined) facets[f][name] = (facets[f][name] ?? 0) + count;
    }
  }
  return { total, facets };
}

// The panel's filters and what survives the view being hidden or reloaded (through vscode.setState).
import type { Grader, MotionType, Outcome, Perspective, PromptMode, Source, Split } from '../../src/core/model';
import type { AuditFlag, ComparisonKind } from '../../src/core/index/query';
import type { FailureFilters } from '../../src/protocol/failuresView';
import { parseFilters } from '../../src/protocol/failuresValidate';

/** Every filter with a value: an empty list means "any". */
export interface Filters {
  split: Split[];
  perspective: Perspective[];
  motion: MotionType[];
  source: Source[];
  model: string[];
  promptMode: PromptMode[];
  /** Graded by the judge or by the answer-reading rule (raw outputs). */
  grader: Grader[];
  /** One outcome, or empty for all of them (the panel offers failed / correct / ungraded / all). */
  outcome: Outcome[];
  text: string;
  sort: 'question' | 'model';
  /** One row per question ("k of n failed") instead of one per prediction. */
  group: boolean;
  /** Predictions with any of these tags (empty: any). */
  tags: string[];
  hasNote: boolean;
  overridden: boolean;
  /** Judge audit flags, all of which a prediction must carry. */
  audit: AuditFlag[];
  /** Predictions with an open suggestion from any of these failure-mode detectors (empty: any). */
  suggested: string[];
  /** Canonical answer labels of the ground truth and of the chosen option (set from a dashboard cell). */
  truthLabel: string[];
  chosenLabel: string[];
  /** Frame samplings of the runs (set from a dashboard slice) and prediction keys (set from the agreement). */
  samplingLabel: string[];
  keys: string[];
  /** Two runs compared (set from the dashboard): B's predictions, of one kind when given. */
  comparison: { a: string; b: string; kind?: ComparisonKind } | null;
}

export type ListFacet = 'split' | 'perspective' | 'motion' | 'source' | 'model' | 'promptMode' | 'grader';
export const LIST_FACETS: readonly ListFacet[] = [
  'split',
  'perspective',
  'motion',
  'source',
  'model',
  'promptMode',
  'grader',
];

export const DEFAULT_FILTERS: Readonly<Filters> = Object.freeze<Filters>({
  split: [],
  perspective: [],
  motion: [],
  source: [],
  model: [],
  promptMode: [],
  grader: [],
  outcome: ['failed'],
  text: '',
  sort: 'question',
  group: false,
  tags: [],
  hasNote: false,
  overridden: false,
  audit: [],
  suggested: [],
  truthLabel: [],
  chosenLabel: [],
  samplingLabel: [],
  keys: [],
  comparison: null,
});

export const cloneFilters = (f: Readonly<Filters>): Filters => ({
  ...f,
  split: [...f.split],
  perspective: [...f.perspective],
  motion: [...f.motion],
  source: [...f.source],
  model: [...f.model],
  promptMode: [...f.promptMode],
  grader: [...f.grader],
  outcome: [...f.outcome],
  tags: [...f.tags],
  audit: [...f.audit],
  suggested: [...f.suggested],
  truthLabel: [...f.truthLabel],
  chosenLabel: [...f.chosenLabel],
  samplingLabel: [...f.samplingLabel],
  keys: [...f.keys],
  comparison: f.comparison ? { ...f.comparison } : null,
});

/** What the host gets: empty lists and empty text left out. */
export function toFailureFilters(f: Readonly<Filters>): FailureFilters {
  const out: FailureFilters = {};
  for (const k of LIST_FACETS) if (f[k].length) (out as Record<string, unknown>)[k] = [...f[k]];
  if (f.outcome.length) out.outcome = [...f.outcome];
  const text = f.text.trim();
  if (text) out.text = text;
  if (f.sort !== 'question') out.sort = f.sort;
  if (f.group) out.group = 'question';
  if (f.tags.length) out.tags = [...f.tags];
  if (f.hasNote) out.hasNote = true;
  if (f.overridden) out.overridden = true;
  if (f.audit.length) out.audit = [...f.audit];
  if (f.suggested.length) out.suggested = [...f.suggested];
  if (f.truthLabel.length) out.truthLabel = [...f.truthLabel];
  if (f.chosenLabel.length) out.chosenLabel = [...f.chosenLabel];
  if (f.samplingLabel.length) out.samplingLabel = [...f.samplingLabel];
  if (f.keys.length) out.keys = [...f.keys];
  if (f.comparison) out.comparison = { ...f.comparison };
  return out;
}

/** Filters from the host's or a saved filter's form; a missing field is "any" (outcome too). */
export function fromFailureFilters(ff: FailureFilters): Filters {
  const outcome = ff.outcome ?? [];
  return {
    split: [...(ff.split ?? [])],
    perspective: [...(ff.perspective ?? [])],
    motion: [...(ff.motion ?? [])],
    source: [...(ff.source ?? [])],
    model: [...(ff.model ?? [])],
    promptMode: [...(ff.promptMode ?? [])],
    grader: [...(ff.grader ?? [])],
    // The panel shows one outcome or all; a list of two is shown (and queried) as all.
    outcome: outcome.length === 1 ? [...outcome] : [],
    text: ff.text ?? '',
    sort: ff.sort ?? 'question',
    group: ff.group === 'question',
    tags: [...(ff.tags ?? [])],
    hasNote: ff.hasNote === true,
    overridden: ff.overridden === true,
    audit: [...(ff.audit ?? [])],
    suggested: [...(ff.suggested ?? [])],
    truthLabel: [...(ff.truthLabel ?? [])],
    chosenLabel: [...(ff.chosenLabel ?? [])],
    samplingLabel: [...(ff.samplingLabel ?? [])],
    keys: [...(ff.keys ?? [])],
    comparison: ff.comparison ? { ...ff.comparison } : null,
  };
}

/** A stable string per filter combination: cached pages belong to one key. */
export const filtersKey = (f: Readonly<Filters>): string => JSON.stringify(toFailureFilters(f));

export interface PanelState {
  v: 1;
  filters: Filters;
  /** Scroll position as a row index (survives a change of row height or panel size). */
  topRow: number;
  selected: { index: number; id: number | null } | null;
  filtersOpen: boolean;
}

export const initialState = (): PanelState => ({
  v: 1,
  filters: cloneFilters(DEFAULT_FILTERS),
  topRow: 0,
  selected: null,
  filtersOpen: true,
});

const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

/** The persisted state if it is one this version wrote, else the initial state (state is data, not trust). */
export function restoreState(raw: unknown): PanelState {
  const s = initialState();
  if (typeof raw !== 'object' || raw === null) return s;
  const r = raw as Record<string, unknown>;
  if (r.v !== 1) return s;
  // Stored as Filters: its switches become the query's fields before the common check.
  const stored =
    typeof r.filters === 'object' && r.filters !== null ? { ...(r.filters as Record<string, unknown>) } : r.filters;
  if (stored && typeof stored === 'object') {
    const f = stored as Record<string, unknown>;
    if (f.group === true) f.group = 'question';
    for (const k of ['group', 'hasNote', 'overridden']) if (f[k] === false) delete f[k];
    if (f.comparison === null) delete f.comparison;
  }
  const ff = parseFilters(stored);
  // Stored with every field, so an empty outcome list really is "all" here.
  if (ff) s.filters = fromFailureFilters(ff);
  if (isCount(r.topRow)) s.topRow = r.topRow;
  const sel = r.selected as Record<string, unknown> | null | undefined;
  if (sel && typeof sel === 'object' && isCount(sel.index) && (sel.id === null || isCount(sel.id)))
    s.selected = { index: sel.index, id: sel.id };
  if (typeof r.filtersOpen === 'boolean') s.filtersOpen = r.filtersOpen;
  return s;
}

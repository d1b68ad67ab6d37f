// Runtime checks for messages that come out of the failures view (the side panel; detailValidate.ts and
// dashboardValidate.ts check the other views): the host treats them as untrusted input and rebuilds each
// accepted message from known fields only, so nothing unexpected reaches the index or a command.
import { ANSWER_LABELS, NO_ANSWER_LABEL } from '../core/answerLabels';
import type { ComparisonKind } from '../core/index/query';
import { AUDIT_FLAGS, COMPARISON_KINDS, MAX_PAGE_ROWS } from '../core/index/query';
import { DETECTORS } from '../core/failureModes';
import { GRADERS, MOTION_TYPES, OUTCOMES, PERSPECTIVES, PROMPT_MODES, SOURCES, SPLITS } from '../core/model';
import type { FailureFilters, FailureQuery, PanelCommand, ViewToHost, ViewToHostType } from './failuresView';
import { assertNever } from './assertNever';
import { PANEL_COMMANDS } from './failuresView';

/** Every value of a string union, checked both ways by the compiler: a missing or extra value is an error. */
type AllOf<U extends string, L extends readonly U[]> = [U] extends [L[number]] ? L : { missing: Exclude<U, L[number]> };
const allOf =
  <U extends string>() =>
  <const L extends readonly U[]>(list: L & AllOf<U, L>): readonly U[] =>
    list;

// The value lists are the core's own (model.ts, query.ts, answerLabels.ts): browser-safe modules, so the
// check and the index can never disagree on what a value is.
const ANSWER_LABEL_VALUES: readonly string[] = [...ANSWER_LABELS, NO_ANSWER_LABEL];
const SORTS = allOf<NonNullable<FailureQuery['sort']>>()(['question', 'model']);
const VIEW_MESSAGE_TYPES = allOf<ViewToHostType>()([
  'ready',
  'query',
  'open',
  'selected',
  'saveFilter',
  'runCommand',
  'toggleTag',
  'tagAll',
  'tagPalette',
  'undo',
  'redo',
]);

export const LIMITS = {
  /** Longest search text accepted. */
  text: 2_000,
  /** Most model names in one filter, and the longest name. */
  models: 500,
  modelName: 300,
  /** Longest run name in a comparison (`<prompt>/<model>_<sampling>`). */
  runName: 400,
  /** Longest saved-filter name. */
  filterName: 200,
  /** Most tags in a filter, and the longest tag. */
  tags: 200,
  tag: 100,
  /** Most sampling labels in a filter, and the longest. */
  samplings: 100,
  samplingLabel: 100,
  /** Most prediction keys in a filter (a list of disagreements), and the longest key. */
  keys: 20_000,
  key: 1_000,
  /** Largest page: the index's own. */
  limit: MAX_PAGE_ROWS,
} as const;

type Rec = Record<string, unknown>;
const isRecord = (v: unknown): v is Rec => typeof v === 'object' && v !== null && !Array.isArray(v);
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
const has = (o: Rec, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k) && o[k] !== undefined;

/** Thrown inside the parser, turned into `null` at the top. */
class Invalid extends Error {}
const invalid = (why: string): never => {
  throw new Invalid(why);
};

function values<T extends string>(v: unknown, allowed: readonly T[], field: string): T[] {
  if (!Array.isArray(v)) return invalid(`${field} is not an array`);
  const out: T[] = [];
  for (const x of v) {
    if (!allowed.includes(x as T)) return invalid(`${field} has an unknown value`);
    if (!out.includes(x as T)) out.push(x as T);
  }
  return out;
}

function modelNames(v: unknown): string[] {
  if (!Array.isArray(v) || v.length > LIMITS.models) return invalid('model is not a short array');
  const out: string[] = [];
  for (const x of v) {
    if (typeof x !== 'string' || x.length === 0 || x.length > LIMITS.modelName) return invalid('model has a bad name');
    if (!out.includes(x)) out.push(x);
  }
  return out;
}

/** A list of distinct strings, at most `most` of them, each at most `longest` long (empty allowed when `empty`). */
function strings(v: unknown, field: string, most: number, longest: number, empty: boolean): string[] {
  if (!Array.isArray(v) || v.length > most) return invalid(`${field} is not a short array`);
  for (const x of v)
    if (typeof x !== 'string' || x.length > longest || (!empty && !x)) return invalid(`${field} has a bad value`);
  return [...new Set(v as string[])];
}

function tagName(v: unknown): string {
  if (typeof v !== 'string' || !v.trim() || v.length > LIMITS.tag) return invalid('bad tag');
  return v.trim();
}

function tagList(v: unknown): string[] {
  if (!Array.isArray(v) || v.length > LIMITS.tags) return invalid('tags is not a short array');
  return [...new Set(v.map(tagName))];
}

/** Two run names (`<prompt>/<model>_<sampling>`) and, optionally, one kind of pair. */
function comparison(v: unknown): NonNullable<FailureFilters['comparison']> {
  if (!isRecord(v)) return invalid('comparison is not an object');
  const run = (x: unknown) =>
    typeof x === 'string' && x.length > 0 && x.length <= LIMITS.runName ? x : invalid('comparison has a bad run name');
  const out: NonNullable<FailureFilters['comparison']> = { a: run(v.a), b: run(v.b) };
  if (has(v, 'kind')) {
    if (!COMPARISON_KINDS.includes(v.kind as never)) return invalid('comparison has an unknown kind');
    out.kind = v.kind as ComparisonKind;
  }
  return out;
}

function flag(v: unknown, field: string): boolean {
  return typeof v === 'boolean' ? v : invalid(`${field} is not a boolean`);
}

/** Whether two filters select the same list (unset and empty are the same; the order of keys does not count). */
export function sameFilters(a: FailureFilters, b: FailureFilters): boolean {
  const norm = (f: FailureFilters) =>
    JSON.stringify(
      Object.entries(f)
        .filter(([, v]) => v !== undefined && !(Array.isArray(v) && !v.length))
        .sort(([x], [y]) => x.localeCompare(y)),
    );
  return norm(a) === norm(b);
}

/** The filter fields of a query, rebuilt; unknown fields are dropped. */
export function parseFilters(v: unknown): FailureFilters | null {
  try {
    return filters(v);
  } catch (e) {
    if (e instanceof Invalid) return null;
    throw e;
  }
}

function filters(v: unknown): FailureFilters {
  if (!isRecord(v)) return invalid('query is not an object');
  const f: FailureFilters = {};
  if (has(v, 'split')) f.split = values(v.split, SPLITS, 'split');
  if (has(v, 'perspective')) f.perspective = values(v.perspective, PERSPECTIVES, 'perspective');
  if (has(v, 'motion')) f.motion = values(v.motion, MOTION_TYPES, 'motion');
  if (has(v, 'source')) f.source = values(v.source, SOURCES, 'source');
  if (has(v, 'model')) f.model = modelNames(v.model);
  if (has(v, 'promptMode')) f.promptMode = values(v.promptMode, PROMPT_MODES, 'promptMode');
  if (has(v, 'outcome')) f.outcome = values(v.outcome, OUTCOMES, 'outcome');
  if (has(v, 'grader')) f.grader = values(v.grader, GRADERS, 'grader');
  if (has(v, 'audit')) f.audit = values(v.audit, AUDIT_FLAGS, 'audit');
  if (has(v, 'suggested')) f.suggested = values(v.suggested, DETECTORS, 'suggested');
  if (has(v, 'truthLabel')) f.truthLabel = values(v.truthLabel, ANSWER_LABEL_VALUES, 'truthLabel');
  if (has(v, 'chosenLabel')) f.chosenLabel = values(v.chosenLabel, ANSWER_LABEL_VALUES, 'chosenLabel');
  if (has(v, 'samplingLabel'))
    f.samplingLabel = strings(v.samplingLabel, 'samplingLabel', LIMITS.samplings, LIMITS.samplingLabel, true);
  if (has(v, 'keys')) f.keys = strings(v.keys, 'keys', LIMITS.keys, LIMITS.key, false);
  if (has(v, 'text')) {
    if (typeof v.text !== 'string' || v.text.length > LIMITS.text) return invalid('text is not a short string');
    f.text = v.text;
  }
  if (has(v, 'sort')) {
    if (!SORTS.includes(v.sort as never)) return invalid('unknown sort');
    f.sort = v.sort as FailureFilters['sort'];
  }
  if (has(v, 'tags')) f.tags = tagList(v.tags);
  if (has(v, 'hasNote')) f.hasNote = flag(v.hasNote, 'hasNote');
  if (has(v, 'overridden')) f.overridden = flag(v.overridden, 'overridden');
  if (has(v, 'group')) {
    if (v.group !== 'question') return invalid('unknown grouping');
    f.group = 'question';
  }
  if (has(v, 'comparison')) f.comparison = comparison(v.comparison);
  return f;
}

function query(v: unknown): FailureQuery {
  const q: FailureQuery = filters(v);
  const r = v as Rec;
  if (has(r, 'offset')) q.offset = isCount(r.offset) ? r.offset : invalid('offset is not a count');
  if (has(r, 'limit'))
    q.limit = isCount(r.limit) && r.limit <= LIMITS.limit ? r.limit : invalid('limit is out of range');
  return q;
}

/**
 * The message if it is one the failures view may send, rebuilt from its known fields; `null` for anything
 * malformed (wrong type, unknown message type, out-of-range numbers, unknown filter values, a command not
 * on the panel's list).
 */
export function parseViewMessage(m: unknown): ViewToHost | null {
  try {
    return viewMessage(m);
  } catch (e) {
    if (e instanceof Invalid) return null;
    throw e;
  }
}

function viewMessage(m: unknown): ViewToHost {
  if (!isRecord(m)) return invalid('not an object');
  const type = m.type;
  if (typeof type !== 'string' || !VIEW_MESSAGE_TYPES.includes(type as ViewToHostType)) return invalid('unknown type');
  const t = type as ViewToHostType;
  switch (t) {
    case 'ready':
      return { type: t };
    case 'query':
      if (!isCount(m.requestId)) return invalid('requestId is not a count');
      return { type: t, requestId: m.requestId, query: query(m.query) };
    case 'open':
      if (!isCount(m.id) || !isCount(m.index) || typeof m.preserveFocus !== 'boolean') return invalid('bad open');
      return { type: t, id: m.id, index: m.index, preserveFocus: m.preserveFocus };
    case 'selected':
      if (!isCount(m.id) || !isCount(m.index)) return invalid('bad selection');
      return { type: t, id: m.id, index: m.index };
    case 'saveFilter': {
      const out: ViewToHost = { type: t, query: filters(m.query) };
      if (has(m, 'name')) {
        const name = typeof m.name === 'string' ? m.name.trim() : '';
        if (!name || name.length > LIMITS.filterName) return invalid('bad filter name');
        out.name = name;
      }
      return out;
    }
    case 'runCommand':
      if (!PANEL_COMMANDS.includes(m.command as PanelCommand)) return invalid('command not allowed');
      return { type: t, command: m.command as PanelCommand };
    case 'toggleTag':
      if (!isCount(m.id)) return invalid('bad id');
      return { type: t, id: m.id, tag: tagName(m.tag) };
    case 'tagAll':
      if (!isCount(m.total)) return invalid('bad total');
      return { type: t, tag: tagName(m.tag), query: filters(m.query), total: m.total };
    case 'tagPalette':
      if (m.id !== null && !isCount(m.id)) return invalid('bad id');
      return { type: t, id: m.id as number | null, query: filters(m.query) };
    case 'undo':
    case 'redo':
      return { type: t };
    default:
      return assertNever(t, 'message type');
  }
}

// The annotations file: tags, notes and verdict overrides a researcher adds to predictions and questions.
// Human-readable JSON with a format version and a stable order (sorted keys and tags, one item per key) so
// that git diffs stay small. The three-way merge here is what keeps edits from two writers (another window,
// a `git pull`, a hand edit) from eating each other.
export const ANNOTATIONS_FORMAT = 'vlm4d-annotations';
export const ANNOTATIONS_VERSION = 1;

/** The judge's verdict as corrected by the user. */
export type VerdictOverride = 'correct' | 'wrong';

export interface ItemAnnotation {
  /** Sorted, unique tag ids. */
  tags: string[];
  note: string;
  /** Only on predictions: the verdict the user says is right (the judge's stays visible elsewhere). */
  verdict?: VerdictOverride;
  /** When this item was last edited (ISO 8601); decides conflicting verdicts. */
  updated: string;
  /**
   * Only on predictions: tags accepted from a failure-mode detector's suggestion (failureModes.ts), by tag.
   * Absent from files written before suggestions existed; a tag without an entry was added by hand.
   */
  sources?: Record<string, TagSource>;
  /** Only on predictions: detectors whose suggestion the user rejected (never suggested again), sorted. */
  rejected?: string[];
}

/** Where a tag came from when not typed by hand: accepted from a detector's suggestion. */
export type TagSource = 'detector';

export interface Annotations {
  /** Tags the user created on the fly (besides the vocabulary in settings). */
  tags: string[];
  /** By prediction key: `<split>/<prompt mode>/<model>_<sampling>/<question id>` (PredictionRow.key). */
  predictions: Record<string, ItemAnnotation>;
  /** By question key: `<split>/<question id>`. */
  questions: Record<string, ItemAnnotation>;
}

/** The default failure-mode vocabulary (setting `vlm4d.tags`), from the failure signatures the paper describes. */
export const DEFAULT_TAGS = [
  'perspective-confusion',
  'direction-reversal',
  'rotation-sense-reversed',
  'hallucinated-motion',
  'missed-motion',
  'absent-object-answered',
  'counting-error',
  'reasoning-contradicts-answer',
  'no-valid-answer',
  'judge-error',
];

/** Tags about a question itself (offered in the detail view's question row). */
export const QUESTION_TAGS = ['ambiguous-question', 'ground-truth-wrong', 'clip-unclear'];

export const emptyAnnotations = (): Annotations => ({ tags: [], predictions: {}, questions: {} });

export type ParseResult = { ok: true; data: Annotations } | { ok: false; reason: string };

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Reads an annotations file's text; any deviation is a reason, never a silent fix (the file is then left alone). */
export function parseAnnotations(text: string): ParseResult {
  let raw: unknown;
  try {
    raw = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    return { ok: false, reason: `not valid JSON (${e instanceof Error ? e.message : String(e)})` };
  }
  if (!isRecord(raw)) return { ok: false, reason: 'the top level is not an object' };
  if (raw.format !== ANNOTATIONS_FORMAT) return { ok: false, reason: `"format" is not "${ANNOTATIONS_FORMAT}"` };
  if (raw.version !== ANNOTATIONS_VERSION) {
    return {
      ok: false,
      reason: `format version ${JSON.stringify(raw.version)} is not ${ANNOTATIONS_VERSION} (written by another version of the extension?)`,
    };
  }
  const data = emptyAnnotations();
  if (raw.tags !== undefined) {
    if (!Array.isArray(raw.tags) || !raw.tags.every((t) => typeof t === 'string'))
      return { ok: false, reason: '"tags" is not a list of strings' };
    data.tags = normTags(raw.tags as string[]);
  }
  for (const section of ['predictions', 'questions'] as const) {
    const items = raw[section];
    if (items === undefined) continue;
    if (!isRecord(items)) return { ok: false, reason: `"${section}" is not an object` };
    for (const [key, v] of Object.entries(items)) {
      const item = parseItem(v, section === 'predictions');
      if (typeof item === 'string') return { ok: false, reason: `${section}["${key}"]: ${item}` };
      if (!isEmpty(item)) data[section][key] = item;
    }
  }
  return { ok: true, data };
}

function parseItem(v: unknown, allowVerdict: boolean): ItemAnnotation | string {
  if (!isRecord(v)) return 'not an object';
  const tags = v.tags ?? [];
  if (!Array.isArray(tags) || !tags.every((t) => typeof t === 'string')) return '"tags" is not a list of strings';
  const note = v.note ?? '';
  if (typeof note !== 'string') return '"note" is not a string';
  const item: ItemAnnotation = {
    tags: normTags(tags as string[]),
    note,
    updated: typeof v.updated === 'string' ? v.updated : '',
  };
  if (v.verdict !== undefined) {
    if (!allowVerdict) return 'a question has no verdict to override';
    if (v.verdict !== 'correct' && v.verdict !== 'wrong') return '"verdict" is neither "correct" nor "wrong"';
    item.verdict = v.verdict;
  }
  if (v.sources !== undefined) {
    if (!allowVerdict) return 'a question has no suggestions';
    if (!isRecord(v.sources) || !Object.values(v.sources).every((x) => x === 'detector'))
      return '"sources" is not an object of "detector" values';
    const sources = Object.fromEntries(Object.keys(v.sources).map((t) => [t.trim(), 'detector' as const]));
    if (Object.keys(sources).length) item.sources = sources;
  }
  if (v.rejected !== undefined) {
    if (!allowVerdict) return 'a question has no suggestions';
    if (!Array.isArray(v.rejected) || !v.rejected.every((t) => typeof t === 'string'))
      return '"rejected" is not a list of strings';
    const rejected = normTags(v.rejected as string[]);
    if (rejected.length) item.rejected = rejected;
  }
  return item;
}

export const normTags = (tags: readonly string[]): string[] =>
  [...new Set(tags.map((t) => t.trim()).filter(Boolean))].sort();

export const isEmpty = (item: ItemAnnotation | undefined): boolean =>
  !item || (!item.tags.length && !item.note && !item.verdict && !item.rejected?.length);

/** The sources of the tags the item carries (a source whose tag was removed means nothing), sorted; or none. */
export function keptSources(item: ItemAnnotation): Record<string, TagSource> | undefined {
  const kept = Object.keys(item.sources ?? {})
    .filter((t) => item.tags.includes(t))
    .sort();
  return kept.length ? Object.fromEntries(kept.map((t) => [t, 'detector' as const])) : undefined;
}

/** The file's text: stable key order, sorted tags, two-space indent, a final newline. */
export function serializeAnnotations(data: Annotations): string {
  const section = (items: Record<string, ItemAnnotation>) => {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(items).sort()) {
      const item = items[key] as ItemAnnotation;
      if (isEmpty(item)) continue;
      const sources = keptSources(item);
      const rejected = normTags(item.rejected ?? []);
      out[key] = {
        tags: normTags(item.tags),
        note: item.note,
        ...(item.verdict ? { verdict: item.verdict } : {}),
        ...(sources ? { sources } : {}),
        ...(rejected.length ? { rejected } : {}),
        updated: item.updated,
      };
    }
    return out;
  };
  const file = {
    format: ANNOTATIONS_FORMAT,
    version: ANNOTATIONS_VERSION,
    tags: normTags(data.tags),
    predictions: section(data.predictions),
    questions: section(data.questions),
  };
  return JSON.stringify(file, null, 2) + '\n';
}

/** One edit the merge could not reconcile silently, and what it did. */
export interface MergeConflict {
  section: 'predictions' | 'questions';
  key: string;
  field: 'note' | 'verdict';
  resolution: string;
}

/**
 * Three-way merge of this window's annotations (`local`) with the file as it is now (`theirs`), from the
 * file as both last agreed (`base`). The rule, per item:
 * - tags merge as sets: a tag added on either side stays, a tag removed on one side (and not re-added on the
 *   other) goes;
 * - a note or verdict changed on one side only takes that side's value;
 * - notes changed differently on both sides are both kept: this window's text, then a marked line, then the
 *   other text (nothing written is lost), and the conflict is reported;
 * - verdicts changed differently on both sides: the later `updated` wins (ties: this window), reported.
 */
export function mergeAnnotations(
  base: Annotations,
  local: Annotations,
  theirs: Annotations,
): { merged: Annotations; conflicts: MergeConflict[] } {
  const conflicts: MergeConflict[] = [];
  const merged = emptyAnnotations();
  merged.tags = mergeSets(base.tags, local.tags, theirs.tags);
  for (const section of ['predictions', 'questions'] as const) {
    const keys = new Set([
      ...Object.keys(base[section]),
      ...Object.keys(local[section]),
      ...Object.keys(theirs[section]),
    ]);
    for (const key of keys) {
      const b = base[section][key];
      const l = local[section][key];
      const t = theirs[section][key];
      const item = mergeItem(b, l, t, (field, resolution) => conflicts.push({ section, key, field, resolution }));
      if (!isEmpty(item)) merged[section][key] = item;
    }
  }
  return { merged, conflicts };
}

const NONE: ItemAnnotation = { tags: [], note: '', updated: '' };

function mergeItem(
  b0: ItemAnnotation | undefined,
  l0: ItemAnnotation | undefined,
  t0: ItemAnnotation | undefined,
  conflict: (field: 'note' | 'verdict', how: string) => void,
): ItemAnnotation {
  const b = b0 ?? NONE;
  const l = l0 ?? NONE;
  const t = t0 ?? NONE;
  const tags = mergeSets(b.tags, l.tags, t.tags);
  let note: string;
  if (l.note === b.note) note = t.note;
  else if (t.note === b.note || t.note === l.note) note = l.note;
  else if (!l.note || !t.note) {
    // One side cleared the note, the other edited it: the edit is kept.
    note = l.note || t.note;
    conflict('note', 'one side cleared the note while the other edited it; the edited text was kept');
  } else {
    note = `${l.note}\n\n--- also written elsewhere (${t.updated || 'unknown time'}) ---\n${t.note}`;
    conflict('note', 'both texts were kept, this window’s first');
  }
  let verdict: VerdictOverride | undefined;
  if (l.verdict === b.verdict) verdict = t.verdict;
  else if (t.verdict === b.verdict || t.verdict === l.verdict) verdict = l.verdict;
  else {
    const theirsLater = t.updated > l.updated;
    verdict = theirsLater ? t.verdict : l.verdict;
    conflict(
      'verdict',
      `changed on both sides; the later edit (${theirsLater ? 'the file’s' : 'this window’s'}) was kept`,
    );
  }
  const updated = [l.updated, t.updated].sort().pop() ?? '';
  // Which tags came from a detector, and which detectors were rejected: sets, merged as the tags are.
  const sourceTags = mergeSets(
    Object.keys(b.sources ?? {}),
    Object.keys(l.sources ?? {}),
    Object.keys(t.sources ?? {}),
  );
  const rejected = mergeSets(b.rejected ?? [], l.rejected ?? [], t.rejected ?? []);
  const item: ItemAnnotation = { tags, note, ...(verdict ? { verdict } : {}), updated };
  const sources = keptSources({ ...item, sources: Object.fromEntries(sourceTags.map((x) => [x, 'detector'])) });
  if (sources) item.sources = sources;
  if (rejected.length) item.rejected = rejected;
  return item;
}

/** (L and T) or (L and not B) or (T and not B): kept by both, or added by either. */
function mergeSets(b: readonly string[], l: readonly string[], t: readonly string[]): string[] {
  const B = new Set(b);
  const L = new Set(l);
  const T = new Set(t);
  return [...new Set([...l, ...t])]
    .filter((x) => (L.has(x) && T.has(x)) || (L.has(x) && !B.has(x)) || (T.has(x) && !B.has(x)))
    .sort();
}

/** Annotated items whose prediction or question is not in the loaded results: kept in the file, reported. */
export function orphans(
  data: Annotations,
  hasPrediction: (key: string) => boolean,
  hasQuestion: (key: string) => boolean,
): { predictions: string[]; questions: string[] } {
  return {
    predictions: Object.keys(data.predictions)
      .filter((k) => !hasPrediction(k))
      .sort(),
    questions: Object.keys(data.questions)
      .filter((k) => !hasQuestion(k))
      .sort(),
  };
}

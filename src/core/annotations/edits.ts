// Edits of annotations as before/after pairs per item, so that every change can be undone and redone, and
// applied through the store's merge like any other edit (another window's edits in between are kept).
import type { Annotations, ItemAnnotation, VerdictOverride } from './format';
import { isEmpty, normTags } from './format';
import { applySuggestionMarks } from './suggestionEdits';

export type Section = 'predictions' | 'questions';

export interface ItemChange {
  section: Section;
  key: string;
  before: ItemAnnotation | undefined;
  after: ItemAnnotation | undefined;
}

const blank = (): ItemAnnotation => ({ tags: [], note: '', updated: '' });

/**
 * Applies each change (`after`), or reverts it (`before`, to undo), as a difference on the item as it is now:
 * tags the change added or removed are removed or added back; a note or verdict is set back only if nobody
 * changed it since. So undoing never drops what another window (or a hand edit) added in between.
 */
export function applyChanges(
  data: Annotations,
  changes: readonly ItemChange[],
  side: 'before' | 'after',
  now: string,
): void {
  for (const c of changes) {
    const from = (side === 'after' ? c.before : c.after) ?? blank();
    const to = (side === 'after' ? c.after : c.before) ?? blank();
    const cur = structuredClone(data[c.section][c.key] ?? blank());
    const added = to.tags.filter((t) => !from.tags.includes(t));
    const removed = from.tags.filter((t) => !to.tags.includes(t));
    cur.tags = normTags([...cur.tags.filter((t) => !removed.includes(t)), ...added]);
    applySuggestionMarks(cur, from, to);
    if (to.note !== from.note && cur.note === from.note) cur.note = to.note;
    if (to.verdict !== from.verdict && cur.verdict === from.verdict) {
      if (to.verdict) cur.verdict = to.verdict;
      else delete cur.verdict;
    }
    cur.updated = now;
    if (isEmpty(cur)) delete data[c.section][c.key];
    else data[c.section][c.key] = cur;
  }
}

/**
 * The changes that toggle `tag` on these items: when every one has it, it is removed from all; otherwise
 * added to those that lack it (the way a checkbox over a mixed selection behaves).
 */
export function toggleTag(data: Annotations, section: Section, keys: readonly string[], tag: string): ItemChange[] {
  const all = keys.every((k) => data[section][k]?.tags.includes(tag));
  return keys.flatMap((key) => {
    const before = data[section][key];
    const has = !!before?.tags.includes(tag);
    if (all === !has) return [];
    const after = { ...blank(), ...structuredClone(before ?? blank()) };
    after.tags = normTags(all ? after.tags.filter((t) => t !== tag) : [...after.tags, tag]);
    return [{ section, key, before, after }];
  });
}

export function setNote(data: Annotations, section: Section, key: string, note: string): ItemChange[] {
  const before = data[section][key];
  if ((before?.note ?? '') === note) return [];
  return [{ section, key, before, after: { ...blank(), ...structuredClone(before ?? blank()), note } }];
}

export function setVerdict(data: Annotations, key: string, verdict: VerdictOverride | undefined): ItemChange[] {
  const before = data.predictions[key];
  if (before?.verdict === verdict) return [];
  const after: ItemAnnotation = { ...blank(), ...structuredClone(before ?? blank()) };
  if (verdict) after.verdict = verdict;
  else delete after.verdict;
  return [{ section: 'predictions', key, before, after }];
}

/** Undo and redo over groups of changes (one user action each). */
export class History {
  private done: ItemChange[][] = [];
  private undone: ItemChange[][] = [];

  constructor(private readonly limit = 500) {}

  record(changes: ItemChange[]): void {
    if (!changes.length) return;
    this.done.push(changes);
    if (this.done.length > this.limit) this.done.shift();
    this.undone = [];
  }

  /** The action to revert (apply its `before`), or undefined. */
  undo(): ItemChange[] | undefined {
    const c = this.done.pop();
    if (c) this.undone.push(c);
    return c;
  }

  /** The action to apply again (its `after`), or undefined. */
  redo(): ItemChange[] | undefined {
    const c = this.undone.pop();
    if (c) this.done.push(c);
    return c;
  }

  get canUndo(): boolean {
    return this.done.length > 0;
  }

  get canRedo(): boolean {
    return this.undone.length > 0;
  }
}

// Accepting and rejecting the failure-mode detectors' suggestions (failureModes.ts) as annotation changes,
// so that they are saved, merged and undone like any other edit (edits.ts). Accepting adds the tag and
// records that it came from the detector (`sources`); rejecting records the detector in `rejected`, and the
// prediction is never offered that suggestion again. Accepting many is one change: one undo reverts it all.
import type { ItemChange } from './edits';
import type { Annotations, ItemAnnotation } from './format';
import { normTags } from './format';

const blank = (): ItemAnnotation => ({ tags: [], note: '', updated: '' });

/**
 * Applies the difference between `from` and `to` in detector sources and rejections to `cur` (the item as
 * it is now), as applyChanges does for tags: what another writer changed in between stays.
 */
export function applySuggestionMarks(cur: ItemAnnotation, from: ItemAnnotation, to: ItemAnnotation): void {
  const fromSources = Object.keys(from.sources ?? {});
  const toSources = Object.keys(to.sources ?? {});
  const sources = new Set(Object.keys(cur.sources ?? {}));
  for (const t of fromSources) if (!toSources.includes(t)) sources.delete(t);
  for (const t of toSources) if (!fromSources.includes(t)) sources.add(t);
  if (sources.size) cur.sources = Object.fromEntries([...sources].sort().map((t) => [t, 'detector' as const]));
  else delete cur.sources;
  const fromRejected = from.rejected ?? [];
  const toRejected = to.rejected ?? [];
  const rejected = normTags([
    ...(cur.rejected ?? []).filter((d) => toRejected.includes(d) || !fromRejected.includes(d)),
    ...toRejected.filter((d) => !fromRejected.includes(d)),
  ]);
  if (rejected.length) cur.rejected = rejected;
  else delete cur.rejected;
}

/** A suggestion as accepted: the prediction's key and the detector's tag. */
export interface SuggestionRef {
  key: string;
  tag: string;
}

/**
 * The changes that accept these suggestions: each tag added (when missing) and marked as from a detector,
 * a rejection of the same detector lifted. Items that already carry the tag from the detector are left alone.
 */
export function acceptSuggestions(data: Annotations, refs: readonly SuggestionRef[]): ItemChange[] {
  const byKey = new Map<string, string[]>();
  for (const r of refs) byKey.set(r.key, [...(byKey.get(r.key) ?? []), r.tag]);
  const changes: ItemChange[] = [];
  for (const [key, tags] of byKey) {
    const before = data.predictions[key];
    const after: ItemAnnotation = { ...blank(), ...structuredClone(before ?? blank()) };
    const fresh = tags.filter((t) => !(after.tags.includes(t) && after.sources?.[t] === 'detector'));
    if (!fresh.length) continue;
    after.tags = normTags([...after.tags, ...fresh]);
    after.sources = { ...(after.sources ?? {}), ...Object.fromEntries(fresh.map((t) => [t, 'detector' as const])) };
    const rejected = (after.rejected ?? []).filter((d) => !fresh.includes(d));
    if (rejected.length) after.rejected = rejected;
    else delete after.rejected;
    changes.push({ section: 'predictions', key, before, after });
  }
  return changes;
}

/** The change that rejects one detector's suggestion for one prediction (nothing when already rejected). */
export function rejectSuggestion(data: Annotations, key: string, detector: string): ItemChange[] {
  const before = data.predictions[key];
  if (before?.rejected?.includes(detector)) return [];
  const after: ItemAnnotation = { ...blank(), ...structuredClone(before ?? blank()) };
  after.rejected = normTags([...(after.rejected ?? []), detector]);
  return [{ section: 'predictions', key, before, after }];
}

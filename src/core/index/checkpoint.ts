// State kept beside the database (maps of files and questions, counts, texts) must roll back with a
// failed sync's transaction: a count left from the failed sync would disagree with every query after it.
// Each helper copies a container now and returns the function that puts the copy back in place, so that
// every other holder of the same container (or of the same objects) sees the restored state.

/** Puts state back as it was when the checkpoint was taken. */
export type Restore = () => void;

/** A map's entries, restored in place; `copy` copies values that are changed in place (arrays, objects). */
export function mapCheckpoint<K, V>(map: Map<K, V>, copy: (v: V) => V = (v) => v): Restore {
  const saved = [...map].map(([k, v]) => [k, copy(v)] as const);
  return () => {
    map.clear();
    for (const [k, v] of saved) map.set(k, v);
  };
}

export function setCheckpoint<T>(set: Set<T>): Restore {
  const saved = [...set];
  return () => {
    set.clear();
    for (const v of saved) set.add(v);
  };
}

/** Objects changed field by field (question states, run facets), restored in place: their holders keep them. */
export function objectsCheckpoint<T extends object>(objects: Iterable<T>): Restore {
  const saved = [...objects].map((o) => [o, { ...o }] as const);
  return () => {
    for (const [o, copy] of saved) {
      for (const key of Object.keys(o)) if (!(key in copy)) delete (o as Record<string, unknown>)[key];
      Object.assign(o, copy);
    }
  };
}

/** One restore for several, run in reverse order of taking. */
export function allOf(restores: readonly Restore[]): Restore {
  return () => {
    for (let i = restores.length - 1; i >= 0; i--) (restores[i] as Restore)();
  };
}

// One annotations file on disk and this window's view of it. Every save takes the file's lock (lock.ts),
// re-reads the file and merges (format.ts) what changed there since it was last read, then writes atomically
// (diskFile.ts: a temporary file in the same folder, flushed, renamed over the old one), so a crash mid-write
// leaves the old file whole and no writer's rename can overwrite edits it has not merged. A file that cannot
// be read is never written: the store turns read-only until the file is fixed or reset.
import * as fs from 'fs';
import type { Annotations, MergeConflict } from './format';
import { emptyAnnotations, mergeAnnotations, parseAnnotations, serializeAnnotations } from './format';
import { WriteRefusedError, resetRefusal, writeFileAtomic } from './diskFile';
import type { LockOptions } from './lock';
import { acquireLock } from './lock';

/** The file system operations the store needs (replaced in tests to interrupt a write). */
export interface StoreIo {
  /** The file's text, or null when it does not exist. */
  read(file: string): string | null;
  writeAtomic(file: string, text: string): void;
  rename(from: string, to: string): void;
  /** Takes the file's writer lock; returns its release. */
  lock(file: string): () => void;
}

export const nodeIo: StoreIo = {
  read(file) {
    try {
      return fs.readFileSync(file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    }
  },
  writeAtomic: writeFileAtomic,
  rename(from, to) {
    fs.renameSync(from, to);
  },
  lock: (file) => acquireLock(file),
};

/** The real file system with another lock wait (the CLI waits longer than a window should). */
export const nodeIoWith = (lock: LockOptions): StoreIo => ({ ...nodeIo, lock: (file) => acquireLock(file, lock) });

export type StoreState = { kind: 'ok' } | { kind: 'broken'; reason: string };

export interface SyncOutcome {
  /** The annotations changed because of the file (someone else's edits came in). */
  changed: boolean;
  conflicts: MergeConflict[];
}

export class AnnotationStore {
  /** The file's content as last read or written: the base of the next merge. */
  private base: Annotations = emptyAnnotations();
  private local: Annotations = emptyAnnotations();
  /** The text last read or written, to notice changes made by others. */
  private lastText: string | null = null;
  private dirty = false;
  private stateValue: StoreState = { kind: 'ok' };

  constructor(
    readonly file: string,
    private readonly io: StoreIo = nodeIo,
  ) {}

  get state(): StoreState {
    return this.stateValue;
  }

  /** This window's annotations (read-only: change them through `edit`). */
  get data(): Readonly<Annotations> {
    return this.local;
  }

  /** Edits not yet on disk (a failed write, or a file that became unreadable). */
  get unsaved(): boolean {
    return this.dirty;
  }

  /** Reads the file (a missing file is an empty one). */
  load(): StoreState {
    const text = this.io.read(this.file);
    if (text === null) {
      this.base = emptyAnnotations();
      this.local = emptyAnnotations();
      this.lastText = null;
      this.stateValue = { kind: 'ok' };
      return this.stateValue;
    }
    const parsed = parseAnnotations(text);
    this.lastText = text;
    if (!parsed.ok) {
      this.stateValue = { kind: 'broken', reason: parsed.reason };
      return this.stateValue;
    }
    this.base = parsed.data;
    this.local = structuredClone(parsed.data);
    this.stateValue = { kind: 'ok' };
    return this.stateValue;
  }

  /** Changes this window's annotations and saves them. Refused (throws) while the file is unreadable. */
  edit(change: (draft: Annotations) => void): SyncOutcome {
    if (this.stateValue.kind === 'broken')
      throw new Error(
        `${this.file} cannot be read (${this.stateValue.reason}); tagging is off until it is fixed or reset`,
      );
    change(this.local);
    this.dirty = true;
    return this.save();
  }

  /**
   * Brings the file and this window together: merges what changed on disk since the last read, writes the
   * result when this window has edits the file lacks. Throws when the write fails or is refused (edits stay in
   * memory, `unsaved` stays true); a file that became unreadable turns the store read-only instead of being
   * written. Returns once the write is durable (flushed, renamed, folder flushed).
   */
  save(): SyncOutcome {
    const out: SyncOutcome = { changed: false, conflicts: [] };
    if (!this.dirty) {
      // Nothing of ours to write: reading without the lock is safe, every write is one rename.
      this.absorb(this.io.read(this.file), out);
      if (!this.dirty || this.stateValue.kind === 'broken') return out;
    }
    const release = this.io.lock(this.file);
    try {
      // Under the lock nobody else renames until we are done: what we merge with is what we replace.
      this.absorb(this.io.read(this.file), out);
      if (this.stateValue.kind === 'broken' || !this.dirty) return out;
      const text = serializeAnnotations(this.local);
      this.io.writeAtomic(this.file, text);
      this.base = structuredClone(this.local);
      this.lastText = text;
      this.dirty = false;
    } finally {
      release();
    }
    return out;
  }

  /** Merges the file's text into this window's annotations when it changed since it was last read or written. */
  private absorb(text: string | null, out: SyncOutcome): void {
    if (text === this.lastText) return;
    const parsed = text === null ? { ok: true as const, data: emptyAnnotations() } : parseAnnotations(text);
    if (!parsed.ok) {
      this.stateValue = { kind: 'broken', reason: parsed.reason };
      this.lastText = text;
      return;
    }
    this.stateValue = { kind: 'ok' };
    const before = serializeAnnotations(this.local);
    const m = mergeAnnotations(this.base, this.local, parsed.data);
    out.conflicts.push(...m.conflicts);
    this.base = parsed.data;
    this.lastText = text;
    this.local = m.merged;
    const after = serializeAnnotations(this.local);
    if (after !== before) out.changed = true;
    // Nothing of ours to add when the file already says it all.
    this.dirty = after !== serializeAnnotations(parsed.data);
  }

  /** Why Reset would leave the file alone (not an annotations file this extension wrote), or null. */
  resetRefusal(): string | null {
    if (this.stateValue.kind !== 'broken') return null;
    return resetRefusal(this.file, this.io.read(this.file));
  }

  /**
   * Moves an unreadable file aside (`annotations.broken-<time>.json`, never deleted) and starts a new one,
   * keeping this window's annotations. Returns where the old file went. Throws WriteRefusedError, touching
   * nothing, when the file is not an annotations file this extension wrote (diskFile.ts, resetRefusal).
   */
  reset(now = new Date()): string | null {
    if (this.stateValue.kind !== 'broken') return null;
    const aside = this.file.replace(/(\.json)?$/, `.broken-${now.toISOString().replace(/[:.]/g, '-')}.json`);
    const release = this.io.lock(this.file);
    try {
      const text = this.io.read(this.file);
      const refused = resetRefusal(this.file, text);
      if (refused) throw new WriteRefusedError(refused);
      if (text !== null) this.io.rename(this.file, aside);
    } finally {
      release();
    }
    this.stateValue = { kind: 'ok' };
    this.base = emptyAnnotations();
    this.lastText = null;
    this.dirty = true;
    this.save();
    return aside;
  }
}

// One annotations file on disk and this window's view of it. Every save re-reads the file and merges
// (format.ts) what changed there since it was last read, then writes atomically (a temporary file in the same
// folder, flushed, renamed over the old one), so a crash mid-write leaves the old file whole. A file that
// cannot be read is never written: the store turns read-only until the file is fixed or reset.
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import type { Annotations, MergeConflict } from './format';
import { emptyAnnotations, mergeAnnotations, parseAnnotations, serializeAnnotations } from './format';

/** The file system operations the store needs (replaced in tests to interrupt a write). */
export interface StoreIo {
  /** The file's text, or null when it does not exist. */
  read(file: string): string | null;
  writeAtomic(file: string, text: string): void;
  rename(from: string, to: string): void;
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
  writeAtomic(file, text) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
    try {
      const fd = fs.openSync(tmp, 'w');
      try {
        fs.writeSync(fd, text);
        fs.fsyncSync(fd);
      } finally {
        fs.closeSync(fd);
      }
      fs.renameSync(tmp, file);
    } catch (e) {
      fs.rmSync(tmp, { force: true });
      throw e;
    }
  },
  rename(from, to) {
    fs.renameSync(from, to);
  },
};

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
    if (this.stateValue.kind === 'broken') throw new Error(`${this.file} cannot be read (${this.stateValue.reason}); tagging is off until it is fixed or reset`);
    change(this.local);
    this.dirty = true;
    return this.save();
  }

  /**
   * Brings the file and this window together: merges what changed on disk since the last read, writes the
   * result when this window has edits the file lacks. Throws when the write fails (edits stay in memory,
   * `unsaved` stays true); a file that became unreadable turns the store read-only instead of being written.
   */
  save(): SyncOutcome {
    const text = this.io.read(this.file);
    let changed = false;
    let conflicts: MergeConflict[] = [];
    if (text !== this.lastText) {
      const parsed = text === null ? { ok: true as const, data: emptyAnnotations() } : parseAnnotations(text);
      if (!parsed.ok) {
        this.stateValue = { kind: 'broken', reason: parsed.reason };
        this.lastText = text;
        return { changed: false, conflicts };
      }
      this.stateValue = { kind: 'ok' };
      const before = serializeAnnotations(this.local);
      const m = mergeAnnotations(this.base, this.local, parsed.data);
      conflicts = m.conflicts;
      this.base = parsed.data;
      this.lastText = text;
      this.local = m.merged;
      changed = serializeAnnotations(this.local) !== before;
      // Nothing of ours to add: the file already says it all.
      if (serializeAnnotations(this.local) === serializeAnnotations(parsed.data)) this.dirty = false;
      else this.dirty = true;
    }
    if (this.stateValue.kind === 'broken') return { changed, conflicts };
    if (this.dirty) {
      const out = serializeAnnotations(this.local);
      this.io.writeAtomic(this.file, out);
      this.base = structuredClone(this.local);
      this.lastText = out;
      this.dirty = false;
    }
    return { changed, conflicts };
  }

  /**
   * Moves an unreadable file aside (`annotations.broken-<time>.json`, never deleted) and starts a new one,
   * keeping this window's annotations. Returns where the old file went.
   */
  reset(now = new Date()): string | null {
    if (this.stateValue.kind !== 'broken') return null;
    const aside = this.file.replace(/(\.json)?$/, `.broken-${now.toISOString().replace(/[:.]/g, '-')}.json`);
    if (this.io.read(this.file) !== null) this.io.rename(this.file, aside);
    this.stateValue = { kind: 'ok' };
    this.base = emptyAnnotations();
    this.lastText = null;
    this.dirty = true;
    this.save();
    return aside;
  }
}

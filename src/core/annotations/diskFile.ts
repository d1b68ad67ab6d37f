// How the annotations file meets the disk: the atomic write (temporary file in the same folder, fsync,
// rename, fsync of the folder), the clean-up of temporary files left by killed writers, the refusal to
// replace a read-only file, and how Reset recognises a file this extension wrote.
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { ANNOTATIONS_FORMAT } from './format';
import { pidAlive } from './lock';

/** A temporary file older than this is abandoned whatever its pid says (the pid may have been reused). */
export const TEMP_STALE_MS = 60 * 60 * 1000;

/** A save refused before anything was written (the edits stay in memory, unsaved). */
export class WriteRefusedError extends Error {}

/** `.<name>.<pid>.<random hex>.tmp`, in the file's own folder (so that the rename never crosses a file system). */
export function tempNameFor(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Removes the temporary files of `file` that no live writer is writing: only names of the store's own pattern,
 * and only when their writer's process is gone (or is this process, which is not mid-write when it calls this),
 * or the file is older than TEMP_STALE_MS. Called with the lock held, so a writer that takes the lock is never
 * mid-write. Returns the names removed.
 */
export function cleanStaleTemps(file: string, now = Date.now()): string[] {
  const dir = path.dirname(file);
  const pattern = new RegExp(`^\\.${escapeRe(path.basename(file))}\\.(\\d+)\\.[0-9a-f]+\\.tmp$`);
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const m = pattern.exec(name);
    if (!m) continue;
    const pid = Number(m[1]);
    const full = path.join(dir, name);
    try {
      const st = fs.lstatSync(full);
      if (!st.isFile()) continue;
      if (pid !== process.pid && pidAlive(pid) && now - st.mtimeMs < TEMP_STALE_MS) continue;
      fs.rmSync(full, { force: true });
      removed.push(name);
    } catch {
      // Gone meanwhile, or not ours to remove: left alone.
    }
  }
  return removed;
}

/**
 * Throws WriteRefusedError when the existing file must not be replaced: its own permissions say it is read-only
 * (the rename would succeed anyway, since it only needs the folder's permission). Root passes every access
 * check, so for root a file without any write bit counts as read-only.
 */
export function assertReplaceable(file: string): void {
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw e;
  }
  let writable: boolean;
  if (process.getuid?.() === 0) writable = (st.mode & 0o222) !== 0;
  else {
    try {
      fs.accessSync(file, fs.constants.W_OK);
      writable = true;
    } catch {
      writable = false;
    }
  }
  if (!writable) {
    const mode = (st.mode & 0o777).toString(8).padStart(3, '0');
    throw new WriteRefusedError(
      `${file} is read-only (mode ${mode}, owner uid ${st.uid}); it is not replaced. Make it writable to save`,
    );
  }
}

/** Writes `text` to `file` so that a reader (or a crash) sees the old file whole or the new one whole. */
export function writeFileAtomic(file: string, text: string): void {
  const dir = path.dirname(file);
  fs.mkdirSync(dir, { recursive: true });
  assertReplaceable(file);
  cleanStaleTemps(file);
  const tmp = tempNameFor(file);
  try {
    const fd = fs.openSync(tmp, 'wx');
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
  // The rename is durable only once the folder is flushed (not possible on every platform: then best effort).
  try {
    const d = fs.openSync(dir, 'r');
    try {
      fs.fsyncSync(d);
    } finally {
      fs.closeSync(d);
    }
  } catch {
    // Windows cannot open a folder for fsync.
  }
}

/** How far into a file Reset looks for the format's marker. */
const MARKER_WINDOW = 4096;

/**
 * Whether Reset may move this unreadable file aside: it must be an annotations file this extension wrote.
 * Recognised by the format's own marker (`"format": "vlm4d-annotations"`, which the writer puts first) in its
 * first 4 KB, even when the rest is broken (a merge conflict, a truncated copy, a bad hand edit), or by its
 * place: directly in a `.vlm4d` folder, the extension's own. Anything else (a shell profile, a settings file)
 * is left alone: returns the reason.
 */
export function resetRefusal(file: string, text: string | null): string | null {
  if (text === null) return null;
  if (new RegExp(`"format"\\s*:\\s*"${ANNOTATIONS_FORMAT}"`).test(text.slice(0, MARKER_WINDOW))) return null;
  if (path.basename(path.dirname(file)) === '.vlm4d') return null;
  return `${file} does not look like an annotations file (no "format": "${ANNOTATIONS_FORMAT}" in its first ${MARKER_WINDOW / 1024} KB, and it is not in a .vlm4d folder), so Reset leaves it as it is; fix it by hand, or point vlm4d.annotationsFile at another file`;
}

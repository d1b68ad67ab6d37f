// The converted-clip cache kept under a size bound: after each conversion the copies used least recently are
// removed until the cache fits. A copy's last use is its modification time, set again whenever it is reused
// (atime is not kept on most mounts). A file being written (`.partial-…`, by this window or another) counts
// toward the size but is never removed, nor is the copy just made or shown. Only the cache's own `.mp4` files
// are ever removed: anything else in the folder is left alone.
import * as fs from 'fs';
import * as path from 'path';

/** The cache's bound: a few hundred converted clips of the benchmark's size. */
export const CACHE_LIMIT_BYTES = 2 * 1024 ** 3;
/** A reused copy's time of use is written at most this often (each show of the clip reuses it). */
const TOUCH_EVERY_MS = 60_000;

export interface CacheFile {
  name: string;
  size: number;
  /** Last use (ms since the epoch). */
  mtimeMs: number;
  isFile: boolean;
}

/** What the pruning needs of a file system: a folder's listing and removing a file (fakeable in tests). */
export interface CacheFs {
  list(dir: string): Promise<CacheFile[]>;
  remove(file: string): Promise<void>;
}

/** A converted copy (named by its key, core/clipConversion.ts): the only files the pruning may remove. */
const COPY = /^[0-9a-f]{40}\.mp4$/;

/**
 * The copies to remove, least recently used first, so that what remains is at most `limit` bytes; `keep`
 * (names) and files being written are never among them. It may not reach the bound (they alone exceed it).
 */
export function evictionPlan(files: readonly CacheFile[], limit: number, keep: ReadonlySet<string>): string[] {
  let total = files.reduce((n, f) => n + (f.isFile ? f.size : 0), 0);
  const out: string[] = [];
  const candidates = files
    .filter((f) => f.isFile && COPY.test(f.name) && !keep.has(f.name))
    .sort((a, b) => a.mtimeMs - b.mtimeMs || a.name.localeCompare(b.name));
  for (const f of candidates) {
    if (total <= limit) break;
    out.push(f.name);
    total -= f.size;
  }
  return out;
}

export const nodeCacheFs: CacheFs = {
  async list(dir) {
    const entries = await fs.promises.readdir(dir, { withFileTypes: true });
    const out: CacheFile[] = [];
    for (const e of entries) {
      const s = await fs.promises.lstat(path.join(dir, e.name)).catch(() => null);
      if (s) out.push({ name: e.name, size: s.size, mtimeMs: s.mtimeMs, isFile: s.isFile() });
    }
    return out;
  },
  remove: (file) => fs.promises.rm(file, { force: true }),
};

/** Removes the least recently used copies until the cache fits `limit`; returns the names removed. */
export async function pruneCache(
  cacheDir: string,
  keep: readonly string[],
  limit = CACHE_LIMIT_BYTES,
  cfs: CacheFs = nodeCacheFs,
): Promise<string[]> {
  const files = await cfs.list(cacheDir).catch(() => [] as CacheFile[]);
  const gone = evictionPlan(files, limit, new Set(keep.map((k) => path.basename(k))));
  const removed: string[] = [];
  for (const name of gone) {
    try {
      await cfs.remove(path.join(cacheDir, name));
      removed.push(name);
    } catch {
      // Held by another program (Windows), or gone already: the next conversion tries again.
    }
  }
  return removed;
}

/** Marks a reused copy as used now (its modification time), at most once a minute. */
export async function touchCopy(file: string, mtimeMs: number, now = Date.now()): Promise<void> {
  if (now - mtimeMs < TOUCH_EVERY_MS) return;
  const t = new Date(now);
  await fs.promises.utimes(file, t, t).catch(() => undefined);
}

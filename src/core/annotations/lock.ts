// The lock that serialises writers of one annotations file (windows, the CLI, scripts: any number of
// processes). A writer holds it only around read-merge-write, so that no rename can land between another
// writer's read and its rename (which would drop that writer's edits, and then make them look removed).
//
// The lock is a file beside the annotations file (`<file>.lock`), created exclusively (O_EXCL) and holding the
// holder's pid, host name and a random token. A lock is stale, and broken, when its holder's process is gone
// (same host), when it is older than LOCK_STALE_MS (a read-merge-write takes milliseconds; a lock that old was
// left by a hung or killed writer, or its pid was reused), or when it has stayed empty or unreadable for
// LOCK_EMPTY_MS (a writer killed between creating it and writing its content). Breaking is itself serialised
// by `<file>.lock.break`, so two waiters that both see the same stale lock cannot remove a fresh one.
// Waiting is bounded (LOCK_WAIT_MS by default) and sleeps between tries (Atomics.wait, growing to 50 ms),
// so a busy file never spins a CPU nor stalls its caller for long.
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export const LOCK_STALE_MS = 20_000;
export const LOCK_WAIT_MS = 5_000;
export const LOCK_EMPTY_MS = 2_000;
/** A break lock older than this was left by a writer killed while breaking a stale lock. */
const BREAK_STALE_MS = 5_000;

export interface LockOptions {
  /** How long to wait for another writer before giving up (the caller keeps its edits and says so). */
  waitMs?: number;
  staleMs?: number;
}

interface Holder {
  pid?: number;
  host?: string;
  token?: string;
  since?: string;
  /** The lock file's text as read (to recognise the same lock when breaking it). */
  raw: string;
  ageMs: number;
}

/** Another writer held the lock for the whole wait. */
export class LockTimeoutError extends Error {}

const sleeper = new Int32Array(new SharedArrayBuffer(4));
function sleep(ms: number): void {
  if (ms > 0) Atomics.wait(sleeper, 0, 0, ms);
}

/** Whether a process with this pid runs on this machine (a zombie, killed but not yet reaped, counts as gone). */
export function pidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (e) {
    // EPERM: it exists, it is another user's.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true; // no /proc (macOS, Windows): kill(pid, 0) is all there is
  }
}

function readHolder(lockPath: string): Holder | null {
  let raw: string;
  let mtimeMs: number;
  try {
    mtimeMs = fs.statSync(lockPath).mtimeMs;
    raw = fs.readFileSync(lockPath, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
  const holder: Holder = { raw, ageMs: Date.now() - mtimeMs };
  try {
    const v = JSON.parse(raw) as Record<string, unknown>;
    if (typeof v.pid === 'number') holder.pid = v.pid;
    if (typeof v.host === 'string') holder.host = v.host;
    if (typeof v.token === 'string') holder.token = v.token;
    if (typeof v.since === 'string') holder.since = v.since;
  } catch {
    // Empty or partly written: judged by its age alone.
  }
  return holder;
}

/** Why this lock is stale, or null while its holder may still be at work. */
export function staleReason(h: Holder, staleMs = LOCK_STALE_MS): string | null {
  if (h.token === undefined)
    return h.ageMs > LOCK_EMPTY_MS ? `it has been unreadable for ${Math.round(h.ageMs)} ms` : null;
  if (h.host === os.hostname() && h.pid !== undefined && !pidAlive(h.pid)) return `its process ${h.pid} is gone`;
  if (h.ageMs > staleMs) return `it is older than ${staleMs / 1000} s`;
  return null;
}

function describe(h: Holder | null): string {
  if (!h) return 'another writer';
  if (h.pid === undefined) return 'a writer that has not finished creating it';
  return `process ${h.pid}${h.host && h.host !== os.hostname() ? ` on ${h.host}` : ''}${h.since ? ` since ${h.since}` : ''}`;
}

/** Removes a stale lock, unless another waiter is breaking it right now. True when the lock is gone. */
function breakStale(lockPath: string, stale: Holder, staleMs: number): boolean {
  const breaker = `${lockPath}.break`;
  let fd: number;
  try {
    fd = fs.openSync(breaker, 'wx');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    try {
      if (Date.now() - fs.statSync(breaker).mtimeMs > BREAK_STALE_MS) fs.rmSync(breaker, { force: true });
    } catch {
      // Gone meanwhile: the other breaker finished.
    }
    return false;
  }
  try {
    fs.closeSync(fd);
    // Only the lock judged stale goes: a fresh one taken meanwhile has another token (or text).
    const now = readHolder(lockPath);
    if (!now) return true;
    if (now.raw !== stale.raw || staleReason(now, staleMs) === null) return false;
    fs.rmSync(lockPath, { force: true });
    return true;
  } finally {
    fs.rmSync(breaker, { force: true });
  }
}

/**
 * Takes the lock of `file` (waiting at most `waitMs`), returns the function that releases it. Throws
 * LockTimeoutError naming the holder when the wait runs out.
 */
export function acquireLock(file: string, options: LockOptions = {}): () => void {
  const waitMs = options.waitMs ?? LOCK_WAIT_MS;
  const staleMs = options.staleMs ?? LOCK_STALE_MS;
  const lockPath = `${file}.lock`;
  const token = randomBytes(8).toString('hex');
  const body = JSON.stringify({ pid: process.pid, host: os.hostname(), token, since: new Date().toISOString() });
  fs.mkdirSync(path.dirname(lockPath), { recursive: true });
  const deadline = Date.now() + waitMs;
  let pause = 1;
  for (;;) {
    let fd: number | undefined;
    try {
      fd = fs.openSync(lockPath, 'wx');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    if (fd !== undefined) {
      try {
        fs.writeSync(fd, body);
      } finally {
        fs.closeSync(fd);
      }
      return () => release(lockPath, token);
    }
    const holder = readHolder(lockPath);
    if (!holder) continue; // released between our try and our look: try again at once
    if (staleReason(holder, staleMs) !== null && breakStale(lockPath, holder, staleMs)) continue;
    const left = deadline - Date.now();
    if (left <= 0) {
      throw new LockTimeoutError(
        `${file} is being written by ${describe(holder)} (lock ${lockPath}); waited ${waitMs / 1000} s`,
      );
    }
    // Jitter, so that writers that woke together do not collide again.
    sleep(Math.min(left, pause + Math.random() * pause));
    pause = Math.min(pause * 2, 50);
  }
}

function release(lockPath: string, token: string): void {
  // Only our own lock: if ours was broken as stale, the lock there now is someone else's.
  const h = readHolder(lockPath);
  if (h?.token === token) fs.rmSync(lockPath, { force: true });
}

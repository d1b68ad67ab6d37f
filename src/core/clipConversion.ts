// Converting a clip the editor cannot decode to H.264, with an ffmpeg the user has. Only ever on the user's
// click (the host asks); the copy goes to a cache outside the workspace, named by the clip's real path, size
// and modification time, and is reused while those stay the same. ffmpeg is spawned directly (no shell) with
// an argument array; every path it is given is absolute and carries the `file:` protocol prefix, so a clip
// named `-y.mp4` or `http:x.mp4` is read as the file it is, never taken as an option or another protocol.
import { spawn } from 'child_process';
import { createHash, randomBytes } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { pruneCache, touchCopy } from './clipCache';
import { terminalSafe } from './terminalText';

/** How many of ffmpeg's last stderr lines a failure shows. */
const STDERR_LINES = 12;
/** What is kept of ffmpeg's stderr while it runs (the tail is what says why it failed). */
const STDERR_KEEP = 16 * 1024;

export class ConversionError extends Error {
  constructor(
    message: string,
    /** ffmpeg's last stderr lines, control characters shown escaped. */
    readonly stderrTail: string,
  ) {
    super(message);
  }
}

export class ConversionCancelled extends Error {
  constructor() {
    super('The conversion was cancelled.');
  }
}

export interface ConvertRequest {
  /** The clip (already allowed by clipAccess.ts). */
  input: string;
  /** The folder converted copies are kept in (outside the workspace). */
  cacheDir: string;
  /** The cache's bound in bytes (default clipCache.ts's CACHE_LIMIT_BYTES). */
  cacheLimit?: number;
  /** The ffmpeg executable (absolute). */
  ffmpeg: string;
  /** The clip's duration, for progress (null: no fraction is reported). */
  durationSeconds?: number | null;
  onProgress?: (fraction: number) => void;
  signal?: AbortSignal;
}

/** The cache file for a clip: its real path, size and mtime hashed, so a changed clip is converted again. */
export async function cachePathOf(input: string, cacheDir: string): Promise<string> {
  const real = await fs.promises.realpath(input);
  const stat = await fs.promises.stat(real);
  const key = createHash('sha256').update(`${real}\0${stat.size}\0${stat.mtimeMs}`).digest('hex').slice(0, 40);
  return path.join(cacheDir, `${key}.mp4`);
}

/** The converted copy of `input` made earlier, if there is one for the clip as it is now. */
export async function cachedCopy(input: string, cacheDir: string): Promise<string | null> {
  try {
    const out = await cachePathOf(input, cacheDir);
    const stat = await fs.promises.stat(out);
    if (!stat.isFile() || stat.size === 0) return null;
    // Used now: the cache's bound removes the copies used least recently first (clipCache.ts).
    void touchCopy(out, stat.mtimeMs);
    return out;
  } catch {
    return null;
  }
}

/** `file:` + the absolute path: ffmpeg reads it as that file whatever its name looks like. */
export function ffmpegFileArg(p: string): string {
  return `file:${path.resolve(p)}`;
}

/**
 * ffmpeg's arguments: the first video stream to H.264 (yuv420p, even dimensions: what every H.264 decoder
 * takes), every frame kept with its timestamp (same frame count and duration: the frame numbers and the
 * sampled-frame ticks stay right), no audio, the index at the front.
 */
export function ffmpegArgs(input: string, output: string, frameMode: 'fps_mode' | 'vsync' = 'fps_mode'): string[] {
  return [
    '-nostdin',
    '-hide_banner',
    '-nostats',
    '-loglevel',
    'error',
    '-progress',
    'pipe:1',
    '-y',
    '-i',
    ffmpegFileArg(input),
    '-map',
    '0:v:0',
    '-an',
    '-sn',
    '-dn',
    '-vf',
    'scale=trunc(iw/2)*2:trunc(ih/2)*2',
    '-c:v',
    'libx264',
    '-preset',
    'veryfast',
    '-crf',
    '18',
    '-pix_fmt',
    'yuv420p',
    frameMode === 'fps_mode' ? '-fps_mode' : '-vsync',
    'passthrough',
    '-movflags',
    '+faststart',
    '-f',
    'mp4',
    ffmpegFileArg(output),
  ];
}

/** Conversions under way, by cache file: a second click waits for the first instead of spawning again. */
const running = new Map<string, Promise<string>>();

/** The H.264 copy of `input`: the cached one when there is one, else made now. */
export async function convertToH264(req: ConvertRequest): Promise<{ output: string; reused: boolean }> {
  const output = await cachePathOf(req.input, req.cacheDir);
  if (await cachedCopy(req.input, req.cacheDir)) return { output, reused: true };
  const under = running.get(output);
  if (under) return { output: await under, reused: true };
  const job = (async () => {
    await fs.promises.mkdir(req.cacheDir, { recursive: true });
    const partial = path.join(req.cacheDir, `.partial-${process.pid}-${randomBytes(6).toString('hex')}.mp4`);
    try {
      try {
        await runFfmpeg(req, ffmpegArgs(req.input, partial));
      } catch (e) {
        // ffmpeg before 5.1 knows the frame mode only as -vsync.
        if (!(e instanceof ConversionError) || !/fps_mode/.test(e.stderrTail)) throw e;
        await runFfmpeg(req, ffmpegArgs(req.input, partial, 'vsync'));
      }
      const made = await fs.promises.stat(partial).catch(() => null);
      if (!made?.isFile() || made.size === 0) throw new ConversionError('ffmpeg wrote no video.', '');
      await fs.promises.rename(partial, output);
      await pruneCache(req.cacheDir, [output], req.cacheLimit);
      return output;
    } finally {
      await fs.promises.rm(partial, { force: true }).catch(() => undefined);
    }
  })();
  running.set(output, job);
  try {
    return { output: await job, reused: false };
  } finally {
    running.delete(output);
  }
}

function runFfmpeg(req: ConvertRequest, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    if (req.signal?.aborted) return reject(new ConversionCancelled());
    const child = spawn(req.ffmpeg, args, { shell: false, stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
    let stderr = '';
    let stdout = '';
    const onAbort = () => child.kill('SIGTERM');
    req.signal?.addEventListener('abort', onAbort, { once: true });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (d: string) => {
      stderr = (stderr + d).slice(-STDERR_KEEP);
    });
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d: string) => {
      // `-progress` writes key=value lines; out_time_us is how far the output has got.
      stdout = (stdout + d).slice(-4096);
      const last = [...stdout.matchAll(/out_time_us=(\d+)/g)].at(-1)?.[1];
      const total = req.durationSeconds;
      if (last && total && total > 0) req.onProgress?.(Math.min(1, Number(last) / 1e6 / total));
    });
    child.on('error', (e) => {
      req.signal?.removeEventListener('abort', onAbort);
      const code = (e as NodeJS.ErrnoException).code;
      reject(new ConversionError(`ffmpeg could not be started (${code ?? e.message}): ${req.ffmpeg}`, ''));
    });
    child.on('close', (code, sig) => {
      req.signal?.removeEventListener('abort', onAbort);
      if (req.signal?.aborted) return reject(new ConversionCancelled());
      if (code === 0) return resolve();
      const tail = lastLines(stderr, STDERR_LINES);
      reject(new ConversionError(`ffmpeg failed (${sig ? `signal ${sig}` : `exit code ${code}`}).`, tail));
    });
  });
}

/** The last `n` non-empty lines, with every control character shown escaped. */
export function lastLines(text: string, n: number): string {
  return text
    .split(/\r?\n|\r/)
    .filter((l) => l.trim() !== '')
    .slice(-n)
    .map((l) => terminalSafe(l))
    .join('\n');
}

/** What `inspect()` reports of a setting, the levels only. */
export interface SettingLevels<T> {
  globalValue?: T;
  globalLanguageValue?: T;
  workspaceValue?: T;
  workspaceFolderValue?: T;
  workspaceLanguageValue?: T;
  workspaceFolderLanguageValue?: T;
}

/**
 * The user's own value of a setting that names a program to run: a workspace or folder value comes with the
 * repository, so it is never taken, whatever the manifest's scope lets through.
 */
export function userLevelString(i: SettingLevels<unknown> | undefined): string | undefined {
  const v = i?.globalValue;
  return typeof v === 'string' && v.trim() !== '' ? v : undefined;
}

/**
 * The ffmpeg to use: the user's setting when it names an executable file (a bare name is looked up on PATH),
 * else `ffmpeg` on PATH; null when there is none.
 */
export async function findFfmpeg(
  setting: string | undefined,
  envPath = process.env.PATH ?? '',
): Promise<string | null> {
  const wanted = setting?.trim() || 'ffmpeg';
  if (path.isAbsolute(wanted)) return (await isExecutable(wanted)) ? wanted : null;
  if (wanted.includes('/') || wanted.includes('\\')) return null;
  const names = process.platform === 'win32' ? [wanted, `${wanted}.exe`] : [wanted];
  for (const dir of envPath.split(path.delimiter)) {
    if (!dir || !path.isAbsolute(dir)) continue;
    for (const n of names) {
      const p = path.join(dir, n);
      if (await isExecutable(p)) return p;
    }
  }
  return null;
}

async function isExecutable(p: string): Promise<boolean> {
  try {
    const s = await fs.promises.stat(p);
    if (!s.isFile()) return false;
    await fs.promises.access(p, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

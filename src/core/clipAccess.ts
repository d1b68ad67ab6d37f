// Which files may be played as clips. A results file names its clips, and a results file can come from anyone:
// a clip is only ever read from inside the allowed folders (the results folders, the workspace folders and the
// clip roots), compared after symlinks are resolved, and only when it is a regular file with a video extension.
// Everything here is asynchronous: a check never holds the calling thread while the file system answers.
import * as fs from 'fs';
import * as path from 'path';

/** Extensions a webview's <video> can play (the authors' cache holds `video.mp4`). */
export const VIDEO_EXTENSIONS: readonly string[] = ['.mp4', '.m4v', '.mov', '.webm', '.mkv', '.ogv', '.ogg', '.avi'];

/** Why a candidate path was or was not taken. */
export type CandidateResult = 'found' | 'outside-allowed-folders' | 'not-a-regular-file' | 'not-a-video' | 'missing';

export interface CandidateCheck {
  /** The candidate as looked at: absolute, normalised (no `.` or `..`), not resolved through symlinks. */
  path: string;
  result: CandidateResult;
  /** Where it really is, when a symlink leads elsewhere. */
  realPath?: string;
  /** For a refusal: why, in a sentence, with what would allow it when that is a setting. */
  reason?: string;
}

/** The folders clips may come from, as given and as they really are (symlinks resolved). */
export interface AllowedRoots {
  /** Absolute, normalised, as given. */
  given: string[];
  /** The realpaths of those that exist. */
  real: string[];
  /** What the user can do to allow a folder, e.g. `add its folder to the vlm4d.clipRoots setting`. */
  hint: string;
}

export function isInside(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..' + path.sep) && rel !== '..' && !path.isAbsolute(rel));
}

/** Resolves the roots' realpaths (a root that does not exist is kept as given only: nothing is inside it). */
export async function allowedRoots(roots: readonly string[], hint: string): Promise<AllowedRoots> {
  const given = [
    ...new Set(roots.filter((r) => typeof r === 'string' && r !== '' && !r.includes('\0')).map((r) => path.resolve(r))),
  ];
  const real = await Promise.all(given.map((r) => fs.promises.realpath(r).catch(() => null)));
  return { given, real: [...new Set(real.filter((r): r is string => r !== null))], hint };
}

/** Every folder the webview must be allowed to load from: each root as given and as it really is. */
export function resourceRoots(roots: AllowedRoots): string[] {
  return [...new Set([...roots.given, ...roots.real])];
}

export function hasVideoExtension(p: string): boolean {
  return VIDEO_EXTENSIONS.includes(path.extname(p).toLowerCase());
}

/**
 * Whether `candidate` may be played. In order: it must lie inside an allowed folder as written (nothing
 * outside is even looked at), have a video extension, exist, still lie inside an allowed folder once every
 * symlink on its way is resolved, and be a regular file (a FIFO or a device never is).
 */
export async function checkCandidate(candidate: string, roots: AllowedRoots): Promise<CandidateCheck> {
  if (candidate.includes('\0'))
    return {
      path: candidate.replace(/\0/g, '\\0'),
      result: 'missing',
      reason: 'not a valid path (it holds a NUL character)',
    };
  const p = path.resolve(candidate);
  const inside = (x: string) => roots.given.some((r) => isInside(x, r)) || roots.real.some((r) => isInside(x, r));
  if (!inside(p)) return { path: p, result: 'outside-allowed-folders', reason: outsideReason(p, roots) };
  if (!hasVideoExtension(p))
    return {
      path: p,
      result: 'not-a-video',
      reason: `not a video file (its extension is not one of ${VIDEO_EXTENSIONS.join(' ')})`,
    };
  let real: string;
  try {
    real = await fs.promises.realpath(p);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return {
      path: p,
      result: 'missing',
      reason: code === 'ENOENT' || code === 'ENOTDIR' ? 'no such file' : `cannot be read (${code ?? String(e)})`,
    };
  }
  const via = real === p ? {} : { realPath: real };
  if (!roots.real.some((r) => isInside(real, r)))
    return { path: p, ...via, result: 'outside-allowed-folders', reason: outsideReason(real, roots, p) };
  let stat: fs.Stats;
  try {
    stat = await fs.promises.stat(real);
  } catch (e) {
    return {
      path: p,
      ...via,
      result: 'missing',
      reason: `cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)})`,
    };
  }
  if (!stat.isFile())
    return { path: p, ...via, result: 'not-a-regular-file', reason: `not a regular file (${kindOf(stat)})` };
  return { path: p, ...via, result: 'found' };
}

function outsideReason(where: string, roots: AllowedRoots, link?: string): string {
  const allowed = roots.given.length
    ? `the allowed folders (${roots.given.join(', ')})`
    : 'the allowed folders (there are none)';
  const what = link ? `a symlink to ${where}, outside ${allowed}` : `outside ${allowed}`;
  return `${what}: ${roots.hint} to allow it`;
}

function kindOf(s: fs.Stats): string {
  if (s.isDirectory()) return 'a folder';
  if (s.isFIFO()) return 'a named pipe';
  if (s.isCharacterDevice()) return 'a character device';
  if (s.isBlockDevice()) return 'a block device';
  if (s.isSocket()) return 'a socket';
  return 'not a file';
}

// Where a prediction's clip is on this machine. The order the failure explorer looks in: a path in the
// record itself, the configured clip roots mirroring the dataset's layout (`videos_real/davis/x.mp4` below
// `resolve/main/`), the authors' download cache (`video_cache/<md5 of the URL>/video.mp4`) under the results
// folder or the clip roots; the URL itself only when the user allows remote clips. Every local candidate goes
// through the checks of clipAccess.ts: a results file cannot make the view read a file outside the allowed
// folders, whatever path or URL it names.
import { createHash } from 'crypto';
import * as path from 'path';
import { fileURLToPath } from 'url';
import type { AllowedRoots, CandidateCheck } from './clipAccess';
import { allowedRoots, checkCandidate } from './clipAccess';

export type ClipLocation =
  | { kind: 'local'; path: string; rule: string; tried: CandidateCheck[] }
  | { kind: 'remote'; url: string; rule: string; tried: CandidateCheck[] }
  /** Nothing found: every candidate with the reason it was not taken, to tell the user. */
  | { kind: 'missing'; tried: CandidateCheck[] };

export interface ClipSearch {
  /** The record's `video`: a URL, or a path (relative to the file that holds it). */
  video: string | null;
  /** The file the video path came from (a questions or results file), for relative paths. */
  declaredIn: string | null;
  clipRoots: readonly string[];
  /** Results folders, where the authors' `video_cache/` may sit. */
  resultRoots: readonly string[];
  /** Other folders clips may be read from (the workspace folders); clips are never searched for there. */
  otherRoots?: readonly string[];
  allowRemote: boolean;
  /** What allows a folder, for the reason a clip outside every allowed one is refused. */
  allowHint?: string;
}

/** Said of a clip outside every allowed folder, in the editor. */
export const CLIP_ROOTS_HINT = 'add a folder that holds it to the vlm4d.clipRoots setting';

const isUrl = (v: string): boolean => /^https?:\/\//i.test(v);

/** The path of a clip inside the dataset: what follows `resolve/main/` in a Hugging Face URL, or `videos_*`. */
export function datasetRelativePath(video: string): string | null {
  const noQuery = video.split(/[?#]/)[0] ?? video;
  const m = /\/resolve\/[^/]+\/(.+)$/.exec(noQuery) ?? /((?:^|\/)videos_[^/]+\/.+)$/.exec(noQuery);
  if (!m?.[1]) return null;
  try {
    return decodeURIComponent(m[1].replace(/^\//, ''));
  } catch {
    // A malformed escape (`%E0%A4%A`): not a path anyone meant.
    return null;
  }
}

/** The authors' cache folder name for a clip URL: the md5 of the full URL. */
export function videoCacheKey(url: string): string {
  return createHash('md5').update(url).digest('hex');
}

/** Every folder a clip may be read from, for a search (the webview is allowed exactly these). */
export function clipRootsOf(
  s: Pick<ClipSearch, 'clipRoots' | 'resultRoots' | 'otherRoots' | 'allowHint'>,
): Promise<AllowedRoots> {
  return allowedRoots([...s.resultRoots, ...(s.otherRoots ?? []), ...s.clipRoots], s.allowHint ?? CLIP_ROOTS_HINT);
}

/** The path a record's `video` names on this machine, if it names one (a `file:` URL is decoded). */
function recordPath(video: string, declaredIn: string | null): string | null {
  if (isUrl(video)) return null;
  let p = video;
  if (/^file:/i.test(video)) {
    try {
      p = fileURLToPath(video);
    } catch {
      return null;
    }
  }
  const base = declaredIn ? path.dirname(declaredIn) : process.cwd();
  return path.resolve(base, p);
}

export async function resolveClip(s: ClipSearch, roots?: AllowedRoots): Promise<ClipLocation> {
  const allowed = roots ?? (await clipRootsOf(s));
  const tried: CandidateCheck[] = [];
  const tryPath = async (p: string, rule: string): Promise<ClipLocation | null> => {
    const check = await checkCandidate(p, allowed);
    tried.push(check);
    return check.result === 'found' ? { kind: 'local', path: check.path, rule, tried } : null;
  };
  if (!s.video) return { kind: 'missing', tried };
  const video = s.video.trim();
  const own = recordPath(video, s.declaredIn);
  if (own) {
    const found = await tryPath(own, 'clip:path-in-record');
    if (found) return found;
  }
  const rel = datasetRelativePath(video);
  if (rel) {
    for (const root of s.clipRoots) {
      const found = await tryPath(path.join(root, ...rel.split('/')), 'clip:clip-root');
      if (found) return found;
    }
  }
  if (isUrl(video)) {
    const key = videoCacheKey(video);
    for (const root of [...s.resultRoots, ...s.clipRoots]) {
      for (const dir of [path.join(root, 'video_cache'), root]) {
        const found = await tryPath(path.join(dir, key, 'video.mp4'), 'clip:video-cache');
        if (found) return found;
      }
    }
    if (s.allowRemote) return { kind: 'remote', url: video, rule: 'clip:remote-allowed', tried };
  }
  return { kind: 'missing', tried };
}

/**
 * Frame numbers and seek times. Frame n (0-based) is shown from n / fps to (n + 1) / fps; seeking to the
 * start of that interval can land on frame n - 1 when the time rounds down, so seeks go to its middle.
 */
export function seekTimeOfFrame(frame: number, fps: number): number {
  return (frame + 0.5) / fps;
}

/** The frame on screen at `time` (the last frame for a time at or past the end). */
export function frameAtTime(time: number, fps: number, frameCount: number): number {
  const n = Math.floor(time * fps + 1e-6);
  return Math.max(0, Math.min(frameCount - 1, n));
}

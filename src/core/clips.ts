// Where a prediction's clip is on this machine. The order the failure explorer looks in: a path in the
// record itself, the configured clip roots mirroring the dataset's layout (`videos_real/davis/x.mp4` below
// `resolve/main/`), the authors' download cache (`video_cache/<md5 of the URL>/video.mp4`) under the results
// folder or the clip roots; the URL itself only when the user allows remote clips.
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';

export type ClipLocation =
  | { kind: 'local'; path: string; rule: string }
  | { kind: 'remote'; url: string; rule: string }
  /** Nothing found: where it looked, to tell the user. */
  | { kind: 'missing'; looked: string[] };

export interface ClipSearch {
  /** The record's `video`: a URL, or a path (relative to the file that holds it). */
  video: string | null;
  /** The file the video path came from (a questions or results file), for relative paths. */
  declaredIn: string | null;
  clipRoots: readonly string[];
  /** Results folders, where the authors' `video_cache/` may sit. */
  resultRoots: readonly string[];
  allowRemote: boolean;
  exists?: (p: string) => boolean;
}

const isUrl = (v: string): boolean => /^https?:\/\//i.test(v);

/** The path of a clip inside the dataset: what follows `resolve/main/` in a Hugging Face URL, or `videos_*`. */
export function datasetRelativePath(video: string): string | null {
  const noQuery = video.split(/[?#]/)[0] ?? video;
  const m = /\/resolve\/[^/]+\/(.+)$/.exec(noQuery) ?? /((?:^|\/)videos_[^/]+\/.+)$/.exec(noQuery);
  if (!m?.[1]) return null;
  return decodeURIComponent(m[1].replace(/^\//, ''));
}

/** The authors' cache folder name for a clip URL: the md5 of the full URL. */
export function videoCacheKey(url: string): string {
  return createHash('md5').update(url).digest('hex');
}

export function resolveClip(s: ClipSearch): ClipLocation {
  const exists = s.exists ?? ((p: string) => fs.existsSync(p));
  const looked: string[] = [];
  const tryPath = (p: string, rule: string): ClipLocation | null => {
    looked.push(p);
    return exists(p) ? { kind: 'local', path: p, rule } : null;
  };
  if (!s.video) return { kind: 'missing', looked };
  const video = s.video.trim();
  if (!isUrl(video)) {
    const base = s.declaredIn ? path.dirname(s.declaredIn) : process.cwd();
    const found = tryPath(path.resolve(base, video.replace(/^file:\/\//, '')), 'clip:path-in-record');
    if (found) return found;
  }
  const rel = datasetRelativePath(video);
  if (rel) {
    for (const root of s.clipRoots) {
      const found = tryPath(path.join(root, ...rel.split('/')), 'clip:clip-root');
      if (found) return found;
    }
  }
  if (isUrl(video)) {
    const key = videoCacheKey(video);
    for (const root of [...s.resultRoots, ...s.clipRoots]) {
      for (const dir of [path.join(root, 'video_cache'), root]) {
        const found = tryPath(path.join(dir, key, 'video.mp4'), 'clip:video-cache');
        if (found) return found;
      }
    }
    if (s.allowRemote) return { kind: 'remote', url: video, rule: 'clip:remote-allowed' };
  }
  return { kind: 'missing', looked };
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

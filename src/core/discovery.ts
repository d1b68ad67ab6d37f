// Finds the files a VLM4D results folder is made of, at any depth, and says what each one is from its
// path alone (no file is opened here, so a rescan is just a directory walk plus stat calls).
import * as fs from 'fs';
import * as path from 'path';
import type { FileKind, FrameSampling, PromptMode, RunDescriptor, Split } from './model';
import type { HarnessFile } from './harness/harnessDiscovery';
import { classifyHarnessPath, settleHarnessFiles } from './harness/harnessDiscovery';
import { SKIP_DIRS } from './resultGlobs';

export interface DiscoveredFile {
  path: string;
  /** The results folder it was found under. */
  root: string;
  /**
   * The dataset whose questions it holds or answers: the folder holding `data/{split}_mc.json`, the nearest
   * one above a result file ('' when there is none). Questions are keyed by (dataset, split, id), so two
   * benchmarks in one workspace (such as the bundled samples) never mix.
   */
  dataset: string;
  kind: FileKind;
  /** For questions files: the split; for result files: what the path says about the run. */
  split: Split;
  run: Omit<RunDescriptor, 'stage'> | null;
  /** Path hint for the stage; the content decides (records with a boolean `correct` are judged). */
  stageHint: 'judged' | 'raw' | null;
  size: number;
  mtimeMs: number;
  /** An lmms-eval or VLMEvalKit results file: its run is read from its content and config (harness/). */
  harness?: HarnessFile;
}

export interface DiscoveryProblem {
  path: string;
  reason: string;
  /** error (the default): something was not read; warning: a note, such as a link not followed. */
  severity?: 'error' | 'warning';
}

export interface Discovery {
  files: DiscoveredFile[];
  problems: DiscoveryProblem[];
}

export const LABELS_FILE_NAME = 'vlm4d-labels.json';
const RESULT_DIR = /^(real|synthetic)_mc_(cot|direct-output)$/;
const QUESTIONS_FILE = /^(real|synthetic)_mc\.jsonl?$/;
const DATA_FILE = /\.jsonl?$/;
const SKIP = new Set(SKIP_DIRS);

/** `gpt-4o_32frame.json` → model `gpt-4o`, sampling `32frame`. The model is everything before the last `_`. */
export function parseRunFileName(fileName: string): { model: string; samplingLabel: string; sampling: FrameSampling } {
  const stem = fileName.replace(/\.jsonl?$/, '');
  const cut = stem.lastIndexOf('_');
  if (cut <= 0) return { model: stem, samplingLabel: '', sampling: { kind: 'unknown' } };
  const samplingLabel = stem.slice(cut + 1);
  return { model: stem.slice(0, cut), samplingLabel, sampling: parseSampling(samplingLabel) };
}

export function parseSampling(label: string): FrameSampling {
  const frames = /^(\d+)frames?$/i.exec(label);
  if (frames) return { kind: 'frames', count: Number(frames[1]) };
  const fps = /^(\d+(?:\.\d+)?)fps$/i.exec(label);
  // The authors' loader caps fps sampling at 64 frames.
  if (fps) return { kind: 'fps', fps: Number(fps[1]), cap: 64 };
  return { kind: 'unknown' };
}

/** Treat the files directly inside a root as one split's results, whatever the folder is called. */
export interface AssumedLayout {
  split: Split;
  promptMode: PromptMode;
}

/** What a path says about a file, or null when it is not part of a results folder's layout. */
export function classifyPath(
  filePath: string,
  assumeForDir?: { dir: string; layout: AssumedLayout },
): Pick<DiscoveredFile, 'kind' | 'split' | 'run' | 'stageHint' | 'harness'> | null {
  const base = path.basename(filePath);
  if (!DATA_FILE.test(base)) return harnessPath(filePath);
  if (base === LABELS_FILE_NAME) return { kind: 'labels', split: 'real', run: null, stageHint: null };
  const q = QUESTIONS_FILE.exec(base);
  if (q) return { kind: 'questions', split: q[1] as Split, run: null, stageHint: null };
  const parentDir = path.basename(path.dirname(filePath));
  let dir: RegExpExecArray | string[] | null = RESULT_DIR.exec(parentDir);
  if (!dir && assumeForDir && path.dirname(filePath) === assumeForDir.dir)
    dir = [parentDir, assumeForDir.layout.split, assumeForDir.layout.promptMode];
  if (!dir) return harnessPath(filePath);
  const ancestors = path.dirname(path.dirname(filePath)).split(path.sep);
  let stageHint: DiscoveredFile['stageHint'] = null;
  for (let i = ancestors.length - 1; i >= 0 && stageHint === null; i--) {
    const a = ancestors[i] ?? '';
    if (a.startsWith('processed_outputs')) stageHint = 'judged';
    else if (a === 'outputs') stageHint = 'raw';
  }
  const split = dir[1] as Split;
  const promptMode = dir[2] as PromptMode;
  const { model, samplingLabel, sampling } = parseRunFileName(base);
  // A result file is judged or raw by its content; kind is settled when it is parsed.
  return {
    kind: stageHint === 'raw' ? 'raw' : 'judged',
    split,
    run: { split, promptMode, model, samplingLabel, sampling },
    stageHint,
  };
}

function harnessPath(
  filePath: string,
): Pick<DiscoveredFile, 'kind' | 'split' | 'run' | 'stageHint' | 'harness'> | null {
  const harness = classifyHarnessPath(filePath);
  return harness && { kind: 'judged', split: 'real', run: null, stageHint: null, harness };
}

/**
 * Every result file of several roots (a file under two roots once, from the first), the roots' problems, and
 * links followed only inside any of them. Datasets are not yet assigned (assignDatasets, over all roots).
 */
export function discoverRoots(roots: readonly { path: string; assume?: AssumedLayout }[]): {
  found: Map<string, DiscoveredFile>;
  problems: Required<DiscoveryProblem>[];
} {
  const found = new Map<string, DiscoveredFile>();
  const problems: Required<DiscoveryProblem>[] = [];
  const within = roots.flatMap((r) => realFolder(r.path));
  for (const root of roots) {
    const d = discover(root.path, root.assume, within);
    for (const f of d.files) if (!found.has(f.path)) found.set(f.path, f);
    for (const p of d.problems) problems.push({ path: p.path, severity: p.severity ?? 'error', reason: p.reason });
  }
  return { found, problems };
}

/**
 * Walks `root` and returns every file that belongs to a results layout. Symbolic links are followed only
 * to places inside `within` (the real paths of every folder being indexed; `root` alone by default), each
 * folder once, so a link to `/` or to another project is noted and not followed, and a loop (`a -> ..`)
 * ends. Names that are not valid UTF-8 cannot be opened by the text the rest of the index uses: they are
 * reported, not guessed at.
 */
export function discover(root: string, assume?: AssumedLayout, within?: readonly string[]): Discovery {
  const files: DiscoveredFile[] = [];
  const problems: DiscoveryProblem[] = [];
  const seenDirs = new Set<string>();
  const absRoot = path.resolve(root);
  let allowed: readonly string[] = [];
  const inside = (real: string): boolean =>
    allowed.some((r) => real === r || real.startsWith(r.endsWith(path.sep) ? r : r + path.sep));
  const walk = (dir: string): void => {
    let real: string;
    let entries: fs.Dirent<Buffer>[];
    try {
      real = fs.realpathSync(dir);
      if (seenDirs.has(real)) return;
      seenDirs.add(real);
      entries = fs.readdirSync(dir, { withFileTypes: true, encoding: 'buffer' });
    } catch (e) {
      problems.push({ path: dir, reason: `cannot read folder: ${errorText(e)}` });
      return;
    }
    const named = entries.map((entry) => ({ entry, name: entry.name.toString('utf8') }));
    named.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const { entry, name } of named) {
      if (SKIP.has(name) && (entry.isDirectory() || entry.isSymbolicLink())) continue;
      const full = path.join(dir, name);
      const validName = Buffer.from(name, 'utf8').equals(entry.name);
      let isDir = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink() && validName) {
        let target: string;
        try {
          target = fs.realpathSync(full);
          const st = fs.statSync(target);
          isDir = st.isDirectory();
          isFile = st.isFile();
        } catch {
          continue; // dangling link, or a loop of links
        }
        if (!inside(target) && (isDir || classifyPath(full, assume && { dir: absRoot, layout: assume }))) {
          problems.push({
            path: full,
            severity: 'warning',
            reason: `not followed: a symbolic link to ${target}, outside the folders being indexed`,
          });
          continue;
        }
      }
      if (isDir) {
        if (validName) walk(full);
        else
          problems.push({
            path: full,
            reason: `folder not searched: its name is not valid UTF-8 (${nameBytes(entry.name)}); rename it to index what it holds`,
          });
      } else if (isFile || (!validName && entry.isSymbolicLink())) {
        const what = classifyPath(full, assume && { dir: absRoot, layout: assume });
        if (!what) continue;
        if (!validName) {
          problems.push({
            path: full,
            reason: `file not read: its name is not valid UTF-8 (${nameBytes(entry.name)}); rename it to index it`,
          });
          continue;
        }
        try {
          const st = fs.statSync(full);
          files.push({ path: full, root: absRoot, dataset: '', ...what, size: st.size, mtimeMs: st.mtimeMs });
        } catch (e) {
          problems.push({ path: full, reason: `file disappeared during the scan (${errorText(e)})` });
        }
      }
    }
  };
  if (!fs.existsSync(absRoot)) {
    problems.push({ path: absRoot, reason: 'folder does not exist' });
  } else if (!fs.statSync(absRoot).isDirectory()) {
    problems.push({ path: absRoot, reason: 'not a folder' });
  } else {
    allowed = within ?? [fs.realpathSync(absRoot)];
    walk(absRoot);
  }
  const kept = settleHarnessFiles(files);
  assignDatasets(kept);
  return { files: kept, problems };
}

/** The real path of a folder to index (links resolved), or none when it cannot be resolved. */
export function realFolder(p: string): string[] {
  try {
    return [fs.realpathSync(path.resolve(p))];
  } catch {
    return [];
  }
}

/** A name's bytes as hex, the bytes that are not UTF-8 among them: what a user needs to find the file. */
function nameBytes(name: Buffer): string {
  const hex = [...name.subarray(0, 40)].map((b) => b.toString(16).padStart(2, '0')).join(' ');
  return `bytes ${hex}${name.length > 40 ? ' …' : ''}`;
}

/** The folder a questions file belongs to: the parent of its `data/` folder, else its own folder. */
export function datasetOfQuestionsFile(file: string): string {
  const dir = path.dirname(file);
  return path.basename(dir) === 'data' ? path.dirname(dir) : dir;
}

/**
 * Gives each file its dataset: questions files their own; other files the nearest dataset above them,
 * or the only dataset there is, or '' (their records' own question text is used then).
 */
export function assignDatasets(files: DiscoveredFile[]): void {
  const datasets = [
    ...new Set(files.filter((f) => f.kind === 'questions').map((f) => datasetOfQuestionsFile(f.path))),
  ].sort((a, b) => b.length - a.length);
  for (const f of files) {
    if (f.kind === 'questions') f.dataset = datasetOfQuestionsFile(f.path);
    else
      f.dataset =
        datasets.find((d) => f.path.startsWith(d + path.sep)) ?? (datasets.length === 1 ? (datasets[0] as string) : '');
  }
}

export function errorText(e: unknown): string {
  if (e && typeof e === 'object' && 'code' in e && typeof (e as { code: unknown }).code === 'string') {
    const err = e as NodeJS.ErrnoException;
    return err.code === 'ENOENT' ? 'ENOENT: no such file' : `${err.code}: ${err.message}`;
  }
  return e instanceof Error ? e.message : String(e);
}

// Whether a folder holds VLM4D result files, found by walking it directly: the editor's file search (a
// ripgrep process per pattern) took over a second on a folder of a few dozen files while the editor was
// starting, and the status bar waited for it. The walk stops at the first result file and within a budget
// of folders; past that budget, or at a symbolic link, it does not decide and the caller asks the search.
import * as fs from 'fs';
import * as path from 'path';
import { SKIP_DIRS } from './resultGlobs';

/** Folders never looked in (those discovery skips, as the search's exclusions). */
const SKIPPED = new Set(SKIP_DIRS);

/** The file names RESULT_GLOBS (resultGlobs.ts) match, by the file's and its folder's names. */
export function isResultFileName(name: string, folderName: string): boolean {
  if (name === 'vlm4d-labels.json') return true;
  // HARNESS_GLOBS: an lmms-eval samples file or a VLMEvalKit prediction file of a VLM4D task or dataset.
  if (/_samples_.*vlm4d.*\.jsonl$/i.test(name) || /_vlm4d.*\.(xlsx|tsv|json)$/i.test(name)) return true;
  if (!name.endsWith('.json') && !name.endsWith('.jsonl')) return false;
  if (/^(real|synthetic)_mc\.jsonl?$/.test(name)) return true;
  return /_mc_/.test(folderName);
}

/** true: a result file is there; false: the whole folder was walked and none is; undefined: not decided. */
export async function probeForResults(root: string, maxFolders = 400): Promise<boolean | undefined> {
  const queue = [root];
  let undecided = false;
  for (let seen = 0; queue.length; seen++) {
    if (seen >= maxFolders) return undefined;
    const dir = queue.shift() as string;
    let entries: fs.Dirent[];
    try {
      entries = await fs.promises.readdir(dir, { withFileTypes: true });
    } catch {
      undecided = true;
      continue;
    }
    const folderName = path.basename(dir);
    for (const e of entries) {
      if (e.isFile() && isResultFileName(e.name, folderName)) return true;
      if (e.isDirectory() && !SKIPPED.has(e.name)) queue.push(path.join(dir, e.name));
      else if (e.isSymbolicLink()) undecided = true;
    }
  }
  return undecided ? undefined : false;
}

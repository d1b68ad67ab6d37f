// Whether a folder holds VLM4D result files, found by walking it directly: the editor's file search (a
// ripgrep process per pattern) took over a second on a folder of a few dozen files while the editor was
// starting, and the status bar waited for it. The walk stops at the first result file and within a budget
// of folders; past that budget, or at a symbolic link, it does not decide and the caller asks the search.
import * as fs from 'fs';
import * as path from 'path';

/** Folders never looked in (as the search's own exclusions). */
const SKIPPED = new Set(['node_modules', '.git', 'video_cache']);

/** The file names RESULT_GLOBS in host/indexService.ts match, by the file's and its folder's names. */
export function isResultFileName(name: string, folderName: string): boolean {
  if (name === 'vlm4d-labels.json') return true;
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

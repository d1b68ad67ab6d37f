// Where a results folder's annotations file is, from the `vlm4d.annotationsFile` setting. A value from the
// user's own settings may point anywhere (it is the user's choice); a value from a workspace or folder
// settings file comes with the repository, so it must stay inside the results folder or a workspace folder:
// an absolute path elsewhere, a `../` escape or a symlink inside the folder that leads out are refused, and
// the default location is used instead.
import * as fs from 'fs';
import * as path from 'path';

export const DEFAULT_ANNOTATIONS_FILE = '.vlm4d/annotations.json';

/** Where the setting's value came from: its default, the user's settings, or the workspace's (file or folder). */
export type SettingLevel = 'default' | 'user' | 'workspace';

export interface AnnotationsFileSetting {
  /** The results folder the file belongs to (relative values are taken from it). */
  root: string;
  value: string | undefined;
  level: SettingLevel;
  /** The workspace's folders: a workspace-level value may point into any of them. */
  workspaceFolders: readonly string[];
  /** Resolves symlinks of an existing path (replaced in tests). */
  realpath?: (p: string) => string;
}

export interface AnnotationsFileLocation {
  /** The file to use, or null when even the default location leads out of the folder (then nothing is written). */
  file: string | null;
  /** Why the setting (or the default) was not used, naming the setting and the folder. */
  refused?: string;
}

const inside = (p: string, dir: string): boolean => {
  const rel = path.relative(dir, p);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
};

/** The path with every symlink along its existing part resolved (the part that does not exist yet kept as is). */
function realPathOf(p: string, realpath: (p: string) => string): string {
  const rest: string[] = [];
  let cur = p;
  for (;;) {
    try {
      return path.join(realpath(cur), ...rest.reverse());
    } catch {
      const up = path.dirname(cur);
      if (up === cur) return p;
      rest.push(path.basename(cur));
      cur = up;
    }
  }
}

/** The containers `file` is in, lexically and once symlinks are followed; null when it is in none of them. */
function escapes(file: string, containers: readonly string[], realpath: (p: string) => string): string | null {
  if (!containers.some((c) => inside(file, c))) return 'it is outside them';
  const real = realPathOf(file, realpath);
  if (!containers.some((c) => inside(real, realPathOf(c, realpath)))) return `a symlink leads it to ${real}`;
  return null;
}

/** Decides which file holds a results folder's annotations (see the module comment for the rule). */
export function resolveAnnotationsFile(s: AnnotationsFileSetting): AnnotationsFileLocation {
  const realpath = s.realpath ?? ((p: string) => fs.realpathSync.native(p));
  const value = s.value?.trim() ? s.value.trim() : undefined;
  const fallback = path.resolve(s.root, DEFAULT_ANNOTATIONS_FILE);
  if (value !== undefined && s.level === 'user') return { file: path.resolve(s.root, value) };
  const containers = [s.root, ...s.workspaceFolders];
  const where = `${s.root}${s.workspaceFolders.length ? ` and the workspace folder${s.workspaceFolders.length > 1 ? 's' : ''} (${s.workspaceFolders.join(', ')})` : ''}`;
  let refused: string | undefined;
  if (value !== undefined && s.level === 'workspace') {
    const file = path.resolve(s.root, value);
    const why = escapes(file, containers, realpath);
    if (!why) return { file };
    refused =
      `vlm4d.annotationsFile is set in the workspace settings to "${value}", which resolves to ${file}: ${why === 'it is outside them' ? 'outside' : `${why}, outside`} ${where}. ` +
      'A workspace setting may not place files outside the workspace (set it in your user settings to keep annotations elsewhere).';
  }
  const why = escapes(fallback, containers, realpath);
  if (why) {
    const msg = `the default annotations file ${fallback} leads outside ${where} (${why}); annotations of ${s.root} are not saved until that is fixed.`;
    return { file: null, refused: refused ? `${refused} And ${msg}` : `${msg[0]?.toUpperCase()}${msg.slice(1)}` };
  }
  return refused ? { file: fallback, refused: `${refused} Using ${fallback} instead.` } : { file: fallback };
}

import * as path from 'path';
import * as vscode from 'vscode';
import type { AnnotationsFileSetting } from '../core/annotations/location';
import { userLevelString } from '../core/clipConversion';

/** Typed access to the extension's settings (contributed in package.json under `vlm4d.*`). */
export const config = {
  resultFolders(): string[] {
    return resolvePaths(vscode.workspace.getConfiguration('vlm4d').get<string[]>('resultFolders', []));
  },
  clipRoots(): string[] {
    return resolvePaths(vscode.workspace.getConfiguration('vlm4d').get<string[]>('clipRoots', []));
  },
  allowRemoteClips(): boolean {
    return vscode.workspace.getConfiguration('vlm4d').get<boolean>('allowRemoteClips', false);
  },
  /** `vlm4d.ffmpegPath` from the user's settings only: a workspace never chooses a program to run. */
  ffmpegPath(): string | undefined {
    return userLevelString(vscode.workspace.getConfiguration('vlm4d').inspect<string>('ffmpegPath'));
  },
  /**
   * `vlm4d.annotationsFile` for a results folder, with the level it was set at: a value from workspace or
   * folder settings comes with the repository, so core/annotations/location.ts keeps it inside the workspace.
   */
  annotationsFile(root: string): AnnotationsFileSetting {
    const i = vscode.workspace.getConfiguration('vlm4d', vscode.Uri.file(root)).inspect<string>('annotationsFile');
    const workspaceFolders = (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath);
    const workspaceValue =
      i?.workspaceFolderLanguageValue ?? i?.workspaceFolderValue ?? i?.workspaceLanguageValue ?? i?.workspaceValue;
    if (typeof workspaceValue === 'string')
      return { root, value: workspaceValue, level: 'workspace', workspaceFolders };
    const userValue = i?.globalLanguageValue ?? i?.globalValue;
    if (typeof userValue === 'string') return { root, value: userValue, level: 'user', workspaceFolders };
    return { root, value: undefined, level: 'default', workspaceFolders };
  },
};

/** Relative paths in settings are taken from the first workspace folder; `~` is the home folder. */
function resolvePaths(paths: string[]): string[] {
  const base = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  return paths
    .filter((p) => typeof p === 'string' && p.trim() !== '')
    .map((p) => p.replace(/^~(?=$|[\\/])/, process.env.HOME ?? '~'))
    .map((p) => (path.isAbsolute(p) || !base ? p : path.join(base, p)));
}

import * as path from 'path';
import * as vscode from 'vscode';

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
};

/** Relative paths in settings are taken from the first workspace folder; `~` is the home folder. */
function resolvePaths(paths: string[]): string[] {
  const base = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  return paths
    .filter((p) => typeof p === 'string' && p.trim() !== '')
    .map((p) => p.replace(/^~(?=$|[\\/])/, process.env.HOME ?? '~'))
    .map((p) => (path.isAbsolute(p) || !base ? p : path.join(base, p)));
}

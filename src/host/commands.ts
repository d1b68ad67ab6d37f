// Every command the extension contributes, registered from one table (checked against package.json in tests).
import * as vscode from 'vscode';
import type { IndexService } from './indexService';
import type { Log } from './log';

export interface CommandContext {
  index: IndexService;
  log: Log;
}

export const COMMANDS: Record<string, (ctx: CommandContext, ...args: unknown[]) => unknown> = {
  'vlm4d.openResultsFolder': async ({ index }) => {
    const picked = await vscode.window.showOpenDialog({
      canSelectFolders: true,
      canSelectFiles: false,
      canSelectMany: false,
      openLabel: 'Open Results Folder',
      title: 'VLM4D: choose a folder of VLM4D results',
    });
    const folder = picked?.[0];
    if (folder) await index.addFolder(folder.fsPath);
  },
  'vlm4d.reindex': ({ index }) => index.reindex(),
  'vlm4d.showOutput': ({ log }) => log.show(),
  'vlm4d.showPanel': () => vscode.commands.executeCommand('workbench.view.extension.vlm4d'),
};

export function registerCommands(ctx: CommandContext): vscode.Disposable[] {
  return Object.entries(COMMANDS).map(([id, run]) => vscode.commands.registerCommand(id, (...args: unknown[]) => run(ctx, ...args)));
}

// Every command the extension contributes, registered from one table (checked against package.json in tests).
import * as vscode from 'vscode';
import { config } from './config';
import type { DetailPanel } from './detailPanel';
import type { FailuresView } from './failuresView';
import { FAILURES_VIEW_ID, describeFilters } from './failuresView';
import type { IndexService } from './indexService';
import type { Log } from './log';

export interface CommandContext {
  index: IndexService;
  log: Log;
  failures: FailuresView;
  detail: DetailPanel;
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
  'vlm4d.showPanel': () => vscode.commands.executeCommand(`${FAILURES_VIEW_ID}.focus`),
  'vlm4d.nextPrediction': ({ detail }) => detail.step(1),
  'vlm4d.previousPrediction': ({ detail }) => detail.step(-1),
  'vlm4d.openSavedFilter': async ({ failures }) => {
    type Item = vscode.QuickPickItem & { name: string };
    const remove: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('trash'), tooltip: 'Delete this saved filter' };
    const pick = vscode.window.createQuickPick<Item>();
    const fill = () => {
      pick.items = failures.savedFilters().map((s) => ({ label: s.name, description: describeFilters(s.filters), name: s.name, buttons: [remove] }));
      pick.placeholder = pick.items.length ? 'Open a saved filter in the failures panel' : 'No saved filters yet: use Save Filter in the failures panel';
    };
    pick.title = 'VLM4D: Open Saved Filter';
    fill();
    pick.onDidTriggerItemButton(async (e) => {
      await failures.deleteFilter(e.item.name);
      fill();
    });
    const chosen = await new Promise<Item | undefined>((resolve) => {
      pick.onDidAccept(() => resolve(pick.selectedItems[0]));
      pick.onDidHide(() => resolve(undefined));
      pick.show();
    });
    pick.dispose();
    const saved = chosen && failures.savedFilters().find((s) => s.name === chosen.name);
    if (saved) await failures.showFilters(saved.filters);
  },
  'vlm4d.setClipRoot': async () => {
    const picked = await vscode.window.showOpenDialog({
      canSelectFolders: true,
      canSelectFiles: false,
      canSelectMany: false,
      openLabel: 'Use as Clip Root',
      title: 'VLM4D: choose a folder holding the clips (videos_real/…, videos_synthetic/… or video_cache/…)',
    });
    const folder = picked?.[0];
    if (!folder) return;
    const roots = vscode.workspace.getConfiguration('vlm4d').get<string[]>('clipRoots', []);
    if (config.clipRoots().includes(folder.fsPath)) return;
    const target = vscode.workspace.workspaceFolders?.length ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
    await vscode.workspace.getConfiguration('vlm4d').update('clipRoots', [...roots, folder.fsPath], target);
  },
  'vlm4d.allowRemoteClips': async () => {
    const allow = 'Allow';
    const answer = await vscode.window.showWarningMessage(
      'Play clips from their URLs (e.g. huggingface.co) when no local copy is found? Clips are then fetched from the network by the detail view.',
      { modal: true },
      allow,
    );
    if (answer === allow) await vscode.workspace.getConfiguration('vlm4d').update('allowRemoteClips', true, vscode.ConfigurationTarget.Global);
  },
};

export function registerCommands(ctx: CommandContext): vscode.Disposable[] {
  return Object.entries(COMMANDS).map(([id, run]) => vscode.commands.registerCommand(id, (...args: unknown[]) => run(ctx, ...args)));
}

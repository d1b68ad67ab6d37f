// Every command the extension contributes, registered from one table (checked against package.json in tests).
import * as path from 'path';
import * as vscode from 'vscode';
import type { ExportRow } from '../core/annotations/export';
import { exportRow, exportRowsCsv, tagCountsCsv } from '../core/annotations/export';
import { MAX_PAGE_ROWS } from '../core/index/query';
import { config } from './config';
import { copyShown } from './copyPrediction';
import type { AnnotationService, Target } from './annotations';
import type { DashboardPanel } from './dashboardPanel';
import type { DetailPanel } from './detailPanel';
import type { FailuresView } from './failuresView';
import { FAILURES_VIEW_ID, describeFilters } from './failuresView';
import type { FailureFilters } from '../protocol/failuresView';
import type { IndexService } from './indexService';
import { acceptAllCommand, decideShownCommand } from './suggestionCommands';
import type { Log } from './log';

export interface CommandContext {
  index: IndexService;
  log: Log;
  failures: FailuresView;
  detail: DetailPanel;
  annotations: AnnotationService;
  dashboard: DashboardPanel;
}

/** The side panel's list (its filters), with tags, notes and overrides, to CSV or JSON; or its tag counts per model and slice. */
async function exportList({ failures, index, annotations }: CommandContext, what: 'list' | 'tagCounts'): Promise<void> {
  const filters: FailureFilters = { ...(failures.filters ?? { outcome: ['failed'] }) };
  delete filters.group;
  let format = 'csv';
  if (what === 'list') {
    const pick = await vscode.window.showQuickPick(['CSV', 'JSON'], {
      title: `VLM4D: export ${describeFilters(filters)}`,
      placeHolder: 'Format',
    });
    if (!pick) return;
    format = pick.toLowerCase();
  }
  const base = index.getRoots()[0];
  const name = what === 'list' ? `vlm4d-list.${format}` : 'vlm4d-tag-counts.csv';
  const target = await vscode.window.showSaveDialog({
    title: what === 'list' ? 'VLM4D: export the list' : 'VLM4D: export tag counts per model and slice',
    ...(base ? { defaultUri: vscode.Uri.file(path.join(base, name)) } : {}),
    filters: format === 'json' ? { JSON: ['json'] } : { CSV: ['csv'] },
  });
  if (!target) return;
  const total = (await index.call('query', { ...filters, limit: 0 })).total;
  const rows: ExportRow[] = [];
  const targets = new Map<string, string>();
  for (let offset = 0; offset < total; offset += MAX_PAGE_ROWS) {
    const page = (await index.call('query', { ...filters, offset, limit: MAX_PAGE_ROWS })).rows;
    const ts = await annotations.targetsOfRows(page);
    for (const t of ts) targets.set(t.predictionKey, t.root);
    for (const r of page) {
      const root = targets.get(r.key);
      rows.push(exportRow(r, root ? annotations.data(root) : undefined));
    }
  }
  const text =
    what === 'tagCounts'
      ? tagCountsCsv(rows)
      : format === 'json'
        ? JSON.stringify({ filters, total: rows.length, rows }, null, 2) + '\n'
        : exportRowsCsv(rows);
  await vscode.workspace.fs.writeFile(target, Buffer.from(text, 'utf8'));
  void vscode.window.showInformationMessage(
    `VLM4D: exported ${rows.length.toLocaleString('en-US')} predictions to ${target.fsPath}.`,
  );
}

/** What the tag palette acts on: given predictions, a whole list, or else the prediction in the detail view. */
type TagScope = { ids?: number[]; list?: FailureFilters };

async function tagPalette({ annotations, detail, failures }: CommandContext, scope: TagScope = {}): Promise<void> {
  let targets: Target[] = [];
  if (scope.ids?.length) targets = await annotations.targetsOf(scope.ids);
  else if (!scope.list && detail.selected !== null) {
    // The detail view's prediction is the list's selection, even while it is still being drawn.
    targets = await annotations.targetsOf([detail.selected]);
  }
  const list = scope.list ?? null;
  if (!list && !targets.length) {
    void vscode.window.showInformationMessage(
      'VLM4D: open a prediction (or select one in the Failures list) to tag it.',
    );
    return;
  }
  type Item = vscode.QuickPickItem & { tag?: string };
  const has = (tag: string) =>
    targets.length > 0 &&
    targets.every((t) => annotations.data(t.root)?.predictions[t.predictionKey]?.tags.includes(tag));
  const pick = vscode.window.createQuickPick<Item>();
  pick.title = list ? 'VLM4D: Tag every prediction in the list' : 'VLM4D: Toggle a tag';
  pick.placeholder = 'Choose a tag, or type a new one';
  const base: Item[] = annotations
    .tags()
    .map((tag, i) => ({ label: `${has(tag) ? '$(check) ' : ''}${tag}`, description: i < 9 ? `${i + 1}` : '', tag }));
  pick.items = base;
  pick.onDidChangeValue((v) => {
    const name = v.trim().toLowerCase().replace(/\s+/g, '-');
    pick.items =
      name && !base.some((b) => b.tag === name)
        ? [...base, { label: `$(add) New tag "${name}"`, tag: name, alwaysShow: true }]
        : base;
  });
  const chosen = await new Promise<Item | undefined>((resolve) => {
    pick.onDidAccept(() => resolve(pick.selectedItems[0]));
    pick.onDidHide(() => resolve(undefined));
    pick.show();
  });
  pick.dispose();
  if (!chosen?.tag) return;
  if (list) await failures.tagList(chosen.tag, list);
  else await annotations.toggleTag(targets, chosen.tag);
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
  'vlm4d.showDashboard': ({ dashboard }) => dashboard.show(),
  'vlm4d.compareRuns': ({ dashboard }) => dashboard.compare(),
  'vlm4d.compareAnnotations': ({ dashboard }, file) => dashboard.compareAnnotations(file),
  'vlm4d.tagPalette': (ctx, scope) => tagPalette(ctx, (scope ?? {}) as TagScope),
  'vlm4d.tagAllInList': (ctx) => {
    const list = ctx.failures.filters;
    if (!list)
      return vscode.window.showInformationMessage(
        'VLM4D: show the Failures list first; its filters say which predictions to tag.',
      );
    return tagPalette(ctx, { list });
  },
  'vlm4d.acceptAllSuggestionsInList': ({ index, annotations, failures }) =>
    acceptAllCommand(index, annotations, failures.filters),
  'vlm4d.acceptSuggestion': ({ index, annotations, detail }) =>
    decideShownCommand(index, annotations, detail.current, true),
  'vlm4d.rejectSuggestion': ({ index, annotations, detail }) =>
    decideShownCommand(index, annotations, detail.current, false),
  'vlm4d.undoAnnotation': async ({ annotations }) => {
    if (!(await annotations.undo())) void vscode.window.setStatusBarMessage('VLM4D: nothing to undo', 2000);
  },
  'vlm4d.redoAnnotation': async ({ annotations }) => {
    if (!(await annotations.redo())) void vscode.window.setStatusBarMessage('VLM4D: nothing to redo', 2000);
  },
  'vlm4d.resetAnnotations': ({ annotations }) => annotations.reset(),
  'vlm4d.exportList': (ctx) => exportList(ctx, 'list'),
  'vlm4d.exportTagCounts': (ctx) => exportList(ctx, 'tagCounts'),
  'vlm4d.copyPredictionKey': ({ detail }) => copyShown(detail.current, 'key'),
  'vlm4d.copyPredictionMarkdown': ({ detail }) => copyShown(detail.current, 'markdown'),
  'vlm4d.nextPrediction': ({ detail }) => detail.step(1),
  'vlm4d.previousPrediction': ({ detail }) => detail.step(-1),
  'vlm4d.openSavedFilter': async ({ failures }) => {
    type Item = vscode.QuickPickItem & { name: string };
    const remove: vscode.QuickInputButton = {
      iconPath: new vscode.ThemeIcon('trash'),
      tooltip: 'Delete this saved filter',
    };
    const pick = vscode.window.createQuickPick<Item>();
    const fill = () => {
      pick.items = failures
        .savedFilters()
        .map((s) => ({ label: s.name, description: describeFilters(s.filters), name: s.name, buttons: [remove] }));
      pick.placeholder = pick.items.length
        ? 'Open a saved filter in the failures panel'
        : 'No saved filters yet: use Save Filter in the failures panel';
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
    const target = vscode.workspace.workspaceFolders?.length
      ? vscode.ConfigurationTarget.Workspace
      : vscode.ConfigurationTarget.Global;
    await vscode.workspace.getConfiguration('vlm4d').update('clipRoots', [...roots, folder.fsPath], target);
  },
  'vlm4d.allowRemoteClips': async () => {
    const allow = 'Allow';
    const answer = await vscode.window.showWarningMessage(
      'Play clips from their URLs (e.g. huggingface.co) when no local copy is found? Clips are then fetched from the network by the detail view.',
      { modal: true },
      allow,
    );
    if (answer === allow)
      await vscode.workspace
        .getConfiguration('vlm4d')
        .update('allowRemoteClips', true, vscode.ConfigurationTarget.Global);
  },
};

export function registerCommands(ctx: CommandContext): vscode.Disposable[] {
  return Object.entries(COMMANDS).map(([id, run]) =>
    vscode.commands.registerCommand(id, (...args: unknown[]) => run(ctx, ...args)),
  );
}

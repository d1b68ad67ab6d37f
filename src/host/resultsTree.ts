// The "Results" view: the indexed folders, their runs with counts, and the files that could not be read.
import * as path from 'path';
import * as vscode from 'vscode';
import type { IndexService } from './indexService';

type Node =
  | { kind: 'root'; path: string }
  | { kind: 'run'; label: string; detail: string; file: string }
  | { kind: 'problems'; items: { path: string; reason: string; severity: string }[] }
  | { kind: 'problem'; path: string; reason: string; severity: string };

export class ResultsTree implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subs: vscode.Disposable[];

  constructor(private readonly index: IndexService) {
    this.subs = [index.onDidChangeState((s) => s.kind !== 'indexing' && this.changed.fire()), this.changed];
  }

  getTreeItem(n: Node): vscode.TreeItem {
    switch (n.kind) {
      case 'root': {
        const item = new vscode.TreeItem(path.basename(n.path), vscode.TreeItemCollapsibleState.Expanded);
        item.description = n.path;
        item.iconPath = new vscode.ThemeIcon('folder-library');
        return item;
      }
      case 'run': {
        const item = new vscode.TreeItem(n.label);
        item.description = n.detail;
        item.iconPath = new vscode.ThemeIcon('file');
        item.resourceUri = vscode.Uri.file(n.file);
        item.command = { command: 'vscode.open', title: 'Open', arguments: [vscode.Uri.file(n.file)] };
        return item;
      }
      case 'problems': {
        const item = new vscode.TreeItem(
          `${n.items.length} file problem(s)`,
          vscode.TreeItemCollapsibleState.Collapsed,
        );
        item.iconPath = new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'));
        return item;
      }
      case 'problem': {
        const item = new vscode.TreeItem(path.basename(n.path));
        item.description = n.reason;
        item.tooltip = `${n.path}\n${n.reason}`;
        item.iconPath = new vscode.ThemeIcon(n.severity === 'error' ? 'error' : 'warning');
        item.command = { command: 'vscode.open', title: 'Open', arguments: [vscode.Uri.file(n.path)] };
        return item;
      }
    }
  }

  async getChildren(n?: Node): Promise<Node[]> {
    if (this.index.state.kind !== 'ready') return [];
    if (!n) {
      const problems = this.index.lastReport?.problems ?? [];
      const roots: Node[] = this.index.getRoots().map((p) => ({ kind: 'root', path: p }));
      return problems.length ? [...roots, { kind: 'problems', items: problems }] : roots;
    }
    if (n.kind === 'problems') return n.items.map((p) => ({ kind: 'problem', ...p }));
    if (n.kind !== 'root') return [];
    const runs = await this.index.call('runs', {});
    return runs
      .filter((r) => r.filePath.startsWith(n.path + path.sep))
      .map((r) => ({
        kind: 'run',
        label: `${r.model} · ${r.split} · ${r.promptMode}`,
        detail: `${r.predictions} predictions, ${r.failures} failed${r.stage === 'raw' ? ' (ungraded)' : ''}`,
        file: r.filePath,
      }));
  }

  dispose(): void {
    for (const s of this.subs) s.dispose();
  }
}

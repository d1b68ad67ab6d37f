// Wiring only: the host layer (src/host/) does the work, the core (src/core/) knows nothing of VS Code.
import * as vscode from 'vscode';
import { registerCommands } from './host/commands';
import { IndexService } from './host/indexService';
import { Log } from './host/log';
import { ResultsTree } from './host/resultsTree';
import { StatusBar } from './host/statusBar';

/** What activate() returns: used by the integration tests to observe the extension. */
export interface Vlm4dApi {
  index: IndexService;
  statusBar: vscode.StatusBarItem;
  log: Log;
  activationMs: number;
}

export function activate(context: vscode.ExtensionContext): Vlm4dApi {
  const t0 = performance.now();
  const log = new Log();
  const index = new IndexService(context, log);
  const statusBar = new StatusBar(index);
  const tree = new ResultsTree(index);
  context.subscriptions.push(
    log,
    index,
    statusBar,
    tree,
    vscode.window.registerTreeDataProvider('vlm4d.results', tree),
    ...registerCommands({ index, log }),
  );
  // Finding and indexing results happens after activation returns, in the background.
  setTimeout(() => void index.refreshRoots(), 0);
  const activationMs = performance.now() - t0;
  log.line(`Activated in ${activationMs.toFixed(1)} ms`);
  return { index, statusBar: statusBar.item, log, activationMs };
}

export function deactivate(): void {}

// Wiring only: the host layer (src/host/) does the work, the core (src/core/) knows nothing of VS Code.
import * as vscode from 'vscode';
import { AnnotationService } from './host/annotations';
import { registerCommands } from './host/commands';
import { DashboardPanel } from './host/dashboardPanel';
import { DETAIL_VIEW_TYPE, DetailPanel } from './host/detailPanel';
import { FAILURES_VIEW_ID, FailuresView } from './host/failuresView';
import { IndexService } from './host/indexService';
import { Log } from './host/log';
import { ResultsTree } from './host/resultsTree';
import { StatusBar } from './host/statusBar';
import { StartupTimes } from './host/startupTimes';

/** What activate() returns: used by the integration tests to observe the extension. */
export interface Vlm4dApi {
  index: IndexService;
  statusBar: vscode.StatusBarItem;
  log: Log;
  failures: FailuresView;
  detail: DetailPanel;
  annotations: AnnotationService;
  dashboard: DashboardPanel;
  activationMs: number;
  startup: StartupTimes;
}

export function activate(context: vscode.ExtensionContext): Vlm4dApi {
  const t0 = performance.now();
  const log = new Log();
  const startup = new StartupTimes(log);
  const index = new IndexService(context, log, startup);
  const statusBar = new StatusBar(index);
  // After the status bar's own listener: the counts are on it by then.
  const shown = index.onDidChangeState((s) => s.kind === 'ready' && startup.mark('counts shown'));
  const tree = new ResultsTree(index);
  const annotations = new AnnotationService(index, log);
  const failures = new FailuresView(context, index, log, annotations);
  const detail = new DetailPanel(context, index, failures, log, annotations);
  failures.onDidOpen((req) => void detail.show(req));
  const dashboard = new DashboardPanel(
    context,
    index,
    annotations,
    {
      showFilters: (filters) => failures.showFilters(filters),
      openPrediction: (id) => detail.show({ id, preserveFocus: false, position: null }),
    },
    log,
  );
  context.subscriptions.push(
    log,
    shown,
    index,
    statusBar,
    tree,
    annotations,
    failures,
    detail,
    dashboard,
    vscode.window.registerTreeDataProvider('vlm4d.results', tree),
    vscode.window.registerWebviewViewProvider(FAILURES_VIEW_ID, failures),
    vscode.window.registerWebviewPanelSerializer(DETAIL_VIEW_TYPE, {
      deserializeWebviewPanel: (panel, state) => detail.restore(panel, state),
    }),
    ...registerCommands({ index, log, failures, detail, annotations, dashboard }),
  );
  if (!vscode.workspace.isTrusted) log.line(`Restricted Mode: ${restrictedNote(context)}`);
  context.subscriptions.push(
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      log.line('The workspace is trusted now: its settings apply; finding results again.');
      void index.refreshRoots();
    }),
  );
  // Finding and indexing results happens after activation returns, in the background.
  setTimeout(() => void index.refreshRoots(), 0);
  const activationMs = performance.now() - t0;
  log.line(`Activated in ${activationMs.toFixed(1)} ms`);
  startup.mark('activated');
  return { index, statusBar: statusBar.item, log, failures, detail, annotations, dashboard, activationMs, startup };
}

/** What Restricted Mode changes, from the manifest's own list of restricted settings. */
function restrictedNote(context: vscode.ExtensionContext): string {
  const manifest = context.extension.packageJSON as {
    capabilities?: { untrustedWorkspaces?: { restrictedConfigurations?: string[] } };
  };
  const names = manifest.capabilities?.untrustedWorkspaces?.restrictedConfigurations ?? [];
  return `results are indexed as usual; the workspace's values of ${names.join(', ')} are ignored (user settings apply).`;
}

export function deactivate(): void {}

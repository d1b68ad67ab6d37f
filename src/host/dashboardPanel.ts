// The accuracy dashboard: one webview panel (webview/dashboard/), reused. The host hands the page the index's
// dashboard data and the paper's tables, once per change of the results or the annotations; the page draws
// every chart itself. Bars and cells come back as side-panel filters, list entries as predictions to open,
// exports as files to save.
import * as path from 'path';
import * as vscode from 'vscode';
import { ACCURACY_COLUMNS, accuracyTableCsv } from '../core/accuracyTable';
import type { AccuracyTable } from '../core/accuracyTable';
import type { FailureFilters } from '../protocol/failuresView';
import type { DashboardToHost, HostToDashboard } from '../protocol/dashboard';
import { PNG_PREFIX, parseDashboardMessage } from '../protocol/dashboardValidate';
import type { AnnotationService } from './annotations';
import type { IndexService } from './indexService';
import type { Log } from './log';
import { DashboardComparison } from './dashboardCompare';
import { ReviewerAgreement } from './reviewerAgreement';
import { WebviewChannel } from './webviewHost';
import { distUri, webviewHtml } from './webviewHtml';

export const DASHBOARD_VIEW_TYPE = 'vlm4d.dashboard';
/** The page's <title>: how UI tests find its frame (`title:VLM4D dashboard`). */
export const DASHBOARD_TITLE = 'VLM4D dashboard';
/** Changes arriving in a burst (a re-index of several files, a tag typed quickly) are posted once. */
const REFRESH_DELAY_MS = 150;

/** What the dashboard asks of the rest of the extension. */
export interface DashboardActions {
  /** Shows these filters in the side panel (FailuresView.showFilters). */
  showFilters(filters: FailureFilters): Promise<void>;
  /** Opens a prediction in the detail view. */
  openPrediction(id: number): Promise<void>;
}

/** What was last posted, for tests: the data version and a few counts. */
export interface PostedSummary {
  version: number;
  predictions: number;
  runs: number;
  overridden: number;
}

export class DashboardPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private readonly channel: WebviewChannel<HostToDashboard, DashboardToHost>;
  /** Data changed while the panel was hidden: posted when it shows again. */
  private stale = false;
  private timer: NodeJS.Timeout | undefined;
  /** Bumped by every refresh: a slower, older refresh never posts over a newer one. */
  private generation = 0;
  /** The judges' tables depend on the results only, not on annotations: kept until the results change. */
  private judgeTables: AccuracyTable[] | null = null;
  private readonly disposables: vscode.Disposable[] = [];
  private renderWaiters: { version: number | null; resolve: () => void }[] = [];

  // ---- for tests (the integration suite drives the page and checks the side panel) ----
  /** What the page was last sent. */
  lastPosted: PostedSummary | null = null;
  /** The data version the page says it has drawn. */
  renderedVersion: number | null = null;
  /** The filters of the last bar or cell clicked (sent on to the side panel). */
  lastFilters: FailureFilters | null = null;
  /** Where the last export was written. */
  lastExport: vscode.Uri | null = null;
  /** Two runs compared (Compare Runs…). */
  readonly comparison: DashboardComparison;
  /** Your annotations against another reviewer's file (Compare Annotations With Another File…). */
  readonly reviewers: ReviewerAgreement;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly index: IndexService,
    annotations: AnnotationService,
    private readonly actions: DashboardActions,
    private readonly log: Log,
  ) {
    this.channel = new WebviewChannel({
      name: 'the dashboard',
      parse: parseDashboardMessage,
      receive: (m) => this.receive(m),
      log,
    });
    this.comparison = new DashboardComparison(index, (m) => this.post(m));
    this.reviewers = new ReviewerAgreement(
      index,
      annotations,
      (m) => this.post(m),
      (id) => actions.openPrediction(id),
    );
    this.disposables.push(
      index.onDidChangeData(() => {
        this.judgeTables = null;
        this.schedule();
      }),
      // Overrides rewrite the verdicts in force; tags change the tag counts.
      annotations.onDidChange(() => {
        this.schedule();
        void this.reviewers.refresh();
      }),
      // Indexing, no results, or ready again (a sync that read nothing fires no data change). A chart already
      // drawn stays while files are re-read: the new data replaces it when ready.
      index.onDidChangeState((s) => {
        if (s.kind !== 'indexing' || !this.lastPosted) this.schedule();
      }),
    );
  }

  get visible(): boolean {
    return !!this.panel?.visible;
  }

  /** The panel, for tests. */
  get webviewPanel(): vscode.WebviewPanel | undefined {
    return this.panel;
  }

  /** Opens the dashboard (or brings it to the front); with `preserveFocus` the keyboard stays where it is. */
  show(preserveFocus = false): void {
    if (this.panel) {
      this.panel.reveal(undefined, preserveFocus);
      return;
    }
    const column = { viewColumn: vscode.ViewColumn.Active, preserveFocus };
    const panel = vscode.window.createWebviewPanel(DASHBOARD_VIEW_TYPE, 'VLM4D: accuracy', column, {
      enableScripts: true,
      enableFindWidget: true,
      // The charts and the page's choices survive being hidden (a tab switch) without being drawn again.
      retainContextWhenHidden: true,
      localResourceRoots: [distUri(this.context.extensionUri)],
    });
    panel.iconPath = vscode.Uri.joinPath(this.context.extensionUri, 'media', 'vlm4d.svg');
    this.panel = panel;
    // Kept: a disposed panel's `webview` throws.
    const webview = panel.webview;
    this.channel.attach(webview);
    this.renderedVersion = null;
    panel.webview.html = webviewHtml(panel.webview, this.context.extensionUri, {
      script: 'dashboard',
      title: DASHBOARD_TITLE,
    });
    panel.onDidChangeViewState(() => {
      if (panel.visible && this.stale) this.schedule();
    });
    panel.onDidDispose(() => {
      if (this.panel !== panel) return;
      this.channel.detach(webview);
      this.panel = undefined;
      this.lastPosted = null;
    });
  }

  /** Compare Runs…: the dashboard, then the quick picks for A and B (which keep the keyboard). */
  async compare(): Promise<boolean> {
    this.show(true);
    return this.comparison.pick();
  }

  /** Compare Annotations With Another File…: the file (the argument, else the open dialog), then the dashboard. */
  async compareAnnotations(arg?: unknown): Promise<boolean> {
    const uri = await this.reviewers.pick(arg);
    if (!uri) return false;
    this.show();
    return this.reviewers.compareWith(uri);
  }

  /** Resolves once the page has drawn `version` (or any data, when null); for tests. */
  whenRendered(version: number | null = null, timeoutMs = 20_000): Promise<void> {
    if (this.renderedVersion !== null && (version === null || this.renderedVersion >= version))
      return Promise.resolve();
    return new Promise((resolve, reject) => {
      const t = setTimeout(
        () => reject(new Error(`the dashboard did not draw data version ${version ?? 'any'} within ${timeoutMs} ms`)),
        timeoutMs,
      );
      this.renderWaiters.push({
        version,
        resolve: () => {
          clearTimeout(t);
          resolve();
        },
      });
    });
  }

  private schedule(): void {
    // Before `ready` there is nothing to schedule: `ready` itself refreshes.
    if (!this.panel || !this.channel.isReady) return;
    if (!this.panel.visible) {
      this.stale = true;
      return;
    }
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.refresh(), REFRESH_DELAY_MS);
  }

  /** Builds the page's data from the index and posts it (or why there is nothing to draw). */
  async refresh(): Promise<void> {
    const generation = ++this.generation;
    this.stale = false;
    const state = this.index.state;
    if (state.kind === 'indexing')
      return this.post({
        type: 'status',
        state: 'indexing',
        message: `Indexing results: ${state.done} of ${state.total} files…`,
      });
    if (state.kind === 'empty')
      return this.post({
        type: 'status',
        state: 'empty',
        message: 'No VLM4D results are open. Open a results folder (VLM4D: Open Results Folder…).',
      });
    if (state.kind === 'idle')
      return this.post({ type: 'status', state: 'indexing', message: 'Waiting for the results to be indexed…' });
    try {
      const judge = this.judgeTables ?? (await this.index.call('accuracyTables', { verdict: 'judge' }));
      const data = await this.index.call('dashboardData', {});
      // The tables with the verdicts in force only matter when some verdict is overridden.
      const effective = data.overridden ? await this.index.call('accuracyTables', { verdict: 'effective' }) : null;
      const slices = await this.index.call('slices', { options: { top: 10 } }).then(
        (r) => r.slices,
        () => undefined,
      );
      if (generation !== this.generation) return;
      this.judgeTables = judge;
      if (!data.predictions.id.length) {
        return this.post({
          type: 'status',
          state: 'empty',
          message: `No graded predictions were found in ${this.index.getRoots().join(', ')}; the output channel lists files that could not be read.`,
        });
      }
      this.post({
        type: 'data',
        data,
        tables: {
          columns: [...ACCURACY_COLUMNS],
          judge,
          judgeCsv: judge.map(accuracyTableCsv),
          effective,
          effectiveCsv: effective ? effective.map(accuracyTableCsv) : null,
        },
        ...(slices ? { slices } : {}),
      });
      void this.comparison.refresh();
      this.lastPosted = {
        version: data.version,
        predictions: data.predictions.id.length,
        runs: data.runs.length,
        overridden: data.overridden,
      };
    } catch (e) {
      if (generation !== this.generation) return;
      const message = e instanceof Error ? e.message : String(e);
      this.log.line(`The dashboard could not read the index: ${message}`);
      this.post({ type: 'status', state: 'error', message });
    }
  }

  private post(m: HostToDashboard): void {
    this.channel.post(m);
  }

  /** A checked message from the page. */
  private async receive(m: DashboardToHost): Promise<void> {
    switch (m.type) {
      case 'ready':
        await this.refresh();
        void this.reviewers.refresh();
        return;
      case 'openKey':
        await this.reviewers.open(m.key);
        return;
      case 'pickComparison':
        await this.comparison.pick();
        return;
      case 'showFailures':
        this.lastFilters = m.filters;
        await this.actions.showFilters(m.filters);
        return;
      case 'openPrediction':
        // Ids belong to one version of the data: after a re-index the page has newer ones (or will shortly).
        if (this.lastPosted?.version !== m.version) {
          void vscode.window.setStatusBarMessage('VLM4D: the results changed; the dashboard is being updated', 2500);
          return;
        }
        await this.actions.openPrediction(m.id);
        return;
      case 'exportPng':
        await this.save(
          `${m.name}.png`,
          { 'PNG image': ['png'] },
          Buffer.from(m.dataUrl.slice(PNG_PREFIX.length), 'base64'),
        );
        return;
      case 'exportCsv':
        await this.save(`${m.name}.csv`, { CSV: ['csv'] }, Buffer.from(m.csv, 'utf8'));
        return;
      case 'rendered': {
        this.renderedVersion = m.version;
        const waiting = this.renderWaiters;
        this.renderWaiters = [];
        for (const w of waiting) {
          if (w.version === null || m.version >= w.version) w.resolve();
          else this.renderWaiters.push(w);
        }
        return;
      }
    }
  }

  private async save(fileName: string, filters: Record<string, string[]>, bytes: Uint8Array): Promise<void> {
    const base = this.index.getRoots()[0];
    const target = await vscode.window.showSaveDialog({
      title: `VLM4D: save ${fileName}`,
      ...(base ? { defaultUri: vscode.Uri.file(path.join(base, fileName)) } : {}),
      filters,
    });
    if (!target) return;
    await vscode.workspace.fs.writeFile(target, bytes);
    this.lastExport = target;
    void vscode.window.setStatusBarMessage(`VLM4D: saved ${target.fsPath}`, 4000);
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.panel?.dispose();
    for (const d of this.disposables) d.dispose();
  }
}

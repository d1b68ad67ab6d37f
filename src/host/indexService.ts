// Keeps the index (in its worker thread) in step with the result folders: finds them, indexes with a
// cancellable progress notification, re-indexes single files as they change on disk, and reports bad
// files to the output channel.
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { IndexClient } from '../core/index/indexClient';
import { probeForResults } from '../core/resultsProbe';
import type { FileProblem, IndexCounts, SyncReport } from '../core/index/indexTypes';
import type { IndexMethod, IndexMethods } from '../core/index/indexWorkerProtocol';
import { RESULT_GLOBS, SKIP_GLOB as EXCLUDE, WATCH_GLOB } from '../core/resultGlobs';
import { config } from './config';
import type { Log } from './log';
import type { StartupTimes } from './startupTimes';

const DEBOUNCE_MS = 300;
const OPENED_FOLDERS_KEY = 'vlm4d.openedFolders';

export type IndexState =
  | { kind: 'idle' }
  | { kind: 'empty' }
  | { kind: 'indexing'; done: number; total: number }
  | { kind: 'ready'; counts: IndexCounts };

export class IndexService implements vscode.Disposable {
  private client: IndexClient | null = null;
  private roots: string[] = [];
  private watchers: vscode.Disposable[] = [];
  private readonly disposables: vscode.Disposable[] = [];
  private queue: Promise<unknown> = Promise.resolve();
  private pendingPaths = new Set<string>();
  private debounce: NodeJS.Timeout | undefined;
  private reported = new Set<string>();
  private stateValue: IndexState = { kind: 'idle' };
  private readonly stateEmitter = new vscode.EventEmitter<IndexState>();
  /** Fires whenever the indexed data changed (after every sync that read or removed files). */
  readonly onDidChangeState = this.stateEmitter.event;
  private readonly dataEmitter = new vscode.EventEmitter<SyncReport>();
  readonly onDidChangeData = this.dataEmitter.event;
  lastReport: SyncReport | null = null;
  private readonly auditEmitter = new vscode.EventEmitter<void>();
  /** Fires when the judge audit (which follows indexing in the background) has read every response. */
  readonly onDidFinishAudit = this.auditEmitter.event;
  private auditing: 'no' | 'yes' | 'again' = 'no';

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly log: Log,
    private readonly startup?: StartupTimes,
  ) {
    this.disposables.push(
      this.stateEmitter,
      this.dataEmitter,
      this.auditEmitter,
      vscode.workspace.onDidChangeWorkspaceFolders(() => void this.refreshRoots()),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('vlm4d.resultFolders')) void this.refreshRoots();
      }),
    );
    // A workspace without results yet: start indexing as soon as result files appear in it.
    const appear = vscode.workspace.createFileSystemWatcher(`{${RESULT_GLOBS.join(',')}}`, false, true, true);
    appear.onDidCreate(() => {
      if (this.roots.length === 0) void this.refreshRoots();
    });
    this.disposables.push(appear);
  }

  get state(): IndexState {
    return this.stateValue;
  }

  getRoots(): readonly string[] {
    return this.roots;
  }

  private setState(s: IndexState): void {
    this.stateValue = s;
    this.stateEmitter.fire(s);
  }

  /** Calls the index; rejects when nothing is indexed. */
  call<M extends IndexMethod>(method: M, params: IndexMethods[M]['params']): Promise<IndexMethods[M]['result']> {
    if (!this.client) return Promise.reject(new Error('No VLM4D results are open.'));
    return this.client.call(method, params);
  }

  /** Reads the counts again (verdict overrides change how many failed) and shows them. */
  async refreshCounts(): Promise<void> {
    if (!this.client || this.stateValue.kind !== 'ready') return;
    const counts = await this.client.call('counts', {});
    if (this.stateValue.kind === 'ready') this.setState({ kind: 'ready', counts });
  }

  /** Resolves when every sync queued so far has finished. */
  whenIdle(): Promise<void> {
    return this.queue.then(
      () => undefined,
      () => undefined,
    );
  }

  /** Adds a folder chosen by the user (remembered for this workspace) and indexes it. */
  async addFolder(folder: string): Promise<void> {
    const opened = this.context.workspaceState.get<string[]>(OPENED_FOLDERS_KEY, []);
    if (!opened.includes(folder)) await this.context.workspaceState.update(OPENED_FOLDERS_KEY, [...opened, folder]);
    await this.refreshRoots();
  }

  /** Works out which folders hold results and indexes them; does nothing at all when none do. */
  async refreshRoots(): Promise<void> {
    const candidates: string[] = [];
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      if (await holdsResults(folder)) candidates.push(folder.uri.fsPath);
    }
    const extra = [...config.resultFolders(), ...this.context.workspaceState.get<string[]>(OPENED_FOLDERS_KEY, [])];
    for (const folder of extra) {
      if (fs.existsSync(folder)) candidates.push(path.resolve(folder));
      else this.log.line(`Result folder not found: ${folder}`);
    }
    // A folder inside another one is indexed once, as part of the outer one.
    const roots = [...new Set(candidates)].filter(
      (r, _, all) => !all.some((o) => o !== r && r.startsWith(o + path.sep)),
    );
    this.startup?.mark('results found', `${roots.length} folder(s)`);
    const same = roots.length === this.roots.length && roots.every((r, i) => r === this.roots[i]);
    if (same && this.client) return;
    this.roots = roots;
    this.watch();
    if (roots.length === 0) {
      await this.client?.dispose();
      this.client = null;
      this.setState({ kind: 'empty' });
      return;
    }
    this.log.line(`Indexing ${roots.join(', ')}`);
    await this.sync({ notify: true, roots: true });
  }

  /** Re-reads everything that changed on disk; with `notify`, under a cancellable progress notification. */
  reindex(): Promise<void> {
    return this.sync({ notify: true, roots: true });
  }

  private ensureClient(): IndexClient {
    if (!this.client) {
      const dist = path.join(this.context.extensionPath, 'dist');
      this.client = new IndexClient({
        workerPath: path.join(dist, 'indexWorker.js'),
        wasmPath: path.join(dist, 'sql-wasm.wasm'),
      });
      this.startup?.mark('index worker created');
    }
    return this.client;
  }

  private sync(options: { notify?: boolean; roots?: boolean; forcePaths?: string[] }): Promise<void> {
    const run = async (): Promise<void> => {
      if (this.roots.length === 0) return;
      const client = this.ensureClient();
      const params = {
        ...(options.roots ? { roots: this.roots.map((p) => ({ path: p })) } : {}),
        forcePaths: options.forcePaths ?? [],
      };
      const started = Date.now();
      const work = (
        progress?: vscode.Progress<{ message?: string; increment?: number }>,
        token?: vscode.CancellationToken,
      ) => {
        token?.onCancellationRequested(() => client.cancelSync());
        let lastDone = 0;
        return client.call('sync', params, (done, total, file) => {
          this.startup?.mark('index worker answered', `${total} files to read`);
          this.setState({ kind: 'indexing', done, total });
          if (progress && total) {
            progress.report({
              message: `${done}/${total} files${file ? ` · ${path.basename(file)}` : ''}`,
              increment: ((done - lastDone) / total) * 100,
            });
            lastDone = done;
          }
        });
      };
      let report: SyncReport;
      try {
        report = options.notify
          ? await vscode.window.withProgress(
              { location: vscode.ProgressLocation.Notification, title: 'VLM4D: indexing results', cancellable: true },
              (progress, token) => work(progress, token),
            )
          : await work();
      } catch (e) {
        this.log.line(`Indexing failed: ${e instanceof Error ? e.message : String(e)}`);
        this.setState({ kind: 'idle' });
        return;
      }
      this.lastReport = report;
      this.startup?.mark('indexed', `${Math.round(report.timings.totalMs)} ms in the worker`);
      this.reportProblems(report.problems);
      const c = report.counts;
      if (report.filesRead || report.filesRemoved || options.notify) {
        this.log.line(
          `${report.cancelled ? 'Indexing cancelled: ' : ''}${c.predictions} predictions (${c.failures} failed) in ${c.runs} runs; ` +
            `read ${report.filesRead} file(s), removed ${report.filesRemoved}, in ${Date.now() - started} ms`,
        );
      }
      this.setState({ kind: 'ready', counts: c });
      if (report.filesRead || report.filesRemoved) {
        this.dataEmitter.fire(report);
        void this.audit();
      }
    };
    const next = this.queue.then(run, run);
    this.queue = next;
    return next;
  }

  /**
   * Runs the judge audit to the end, one bounded step per request so that queries queued meanwhile are
   * answered between steps. Called after every sync that changed data; a call during a run makes it go on.
   */
  private async audit(): Promise<void> {
    if (this.auditing !== 'no') {
      this.auditing = 'again';
      return;
    }
    this.auditing = 'yes';
    let changed = false;
    try {
      do {
        this.auditing = 'yes';
        // A step that changed nothing means every response is read and the judges are compared.
        while (this.client) {
          const step = await this.client.call('auditStep', { max: 1000 });
          if (!step.changed) break;
          changed = true;
        }
      } while ((this.auditing as string) === 'again');
    } catch (e) {
      this.log.line(`The judge audit stopped: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      this.auditing = 'no';
    }
    if (changed) this.auditEmitter.fire();
  }

  /** One output line per bad file and why; each problem is reported once, and its fix is noted. */
  private reportProblems(problems: FileProblem[]): void {
    const now = new Set(problems.map((p) => `${p.severity}\u0000${p.path}\u0000${p.reason}`));
    for (const p of problems) {
      const key = `${p.severity}\u0000${p.path}\u0000${p.reason}`;
      if (this.reported.has(key)) continue;
      this.log.line(`${p.severity === 'error' ? 'Skipped' : 'Warning for'} ${p.path}: ${p.reason}`);
    }
    for (const key of this.reported) {
      if (!now.has(key) && !problems.some((p) => key.split('\u0000')[1] === p.path))
        this.log.line(`Now fine: ${key.split('\u0000')[1]}`);
    }
    this.reported = now;
  }

  /** Result files changed, added or deleted under a root are re-indexed alone, shortly after. */
  private watch(): void {
    for (const w of this.watchers) w.dispose();
    this.watchers = [];
    for (const root of this.roots) {
      const watcher = vscode.workspace.createFileSystemWatcher(
        new vscode.RelativePattern(vscode.Uri.file(root), WATCH_GLOB),
      );
      const touched = (uri: vscode.Uri) => this.fileTouched(uri.fsPath);
      watcher.onDidChange(touched);
      watcher.onDidCreate(touched);
      watcher.onDidDelete(touched);
      this.watchers.push(watcher);
    }
  }

  private fileTouched(file: string): void {
    this.pendingPaths.add(file);
    clearTimeout(this.debounce);
    this.debounce = setTimeout(() => {
      const forcePaths = [...this.pendingPaths];
      this.pendingPaths.clear();
      void this.sync({ forcePaths });
    }, DEBOUNCE_MS);
  }

  dispose(): void {
    clearTimeout(this.debounce);
    for (const d of [...this.watchers, ...this.disposables]) d.dispose();
    void this.client?.dispose();
    this.client = null;
  }
}

async function holdsResults(folder: vscode.WorkspaceFolder): Promise<boolean> {
  // A local folder is walked directly (fast); the editor's search decides what the walk cannot.
  if (folder.uri.scheme === 'file') {
    const probed = await probeForResults(folder.uri.fsPath);
    if (probed !== undefined) return probed;
  }
  for (const glob of RESULT_GLOBS) {
    const found = await vscode.workspace.findFiles(new vscode.RelativePattern(folder, glob), EXCLUDE, 1);
    if (found.length) return true;
  }
  return false;
}

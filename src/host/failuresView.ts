// The failure explorer's side panel: a webview view that filters failures (webview/failures/). It answers the
// view's queries from the index, opens the chosen prediction in the detail view, keeps the list position for
// next/previous, and keeps saved filters (per workspace).
import * as vscode from 'vscode';
import { MAX_PAGE_ROWS } from '../core/index/query';
import type { FailureFilters, FailureQuery, HostToView, ViewToHost } from '../protocol/failuresView';
import { parseFilters, parseViewMessage, sameFilters } from '../protocol/failuresValidate';
import type { AnnotationService } from './annotations';
import type { IndexService, IndexState } from './indexService';
import { findInList } from './listSearch';
import type { Log } from './log';
import { WebviewChannel } from './webviewHost';
import { distUri, webviewHtml } from './webviewHtml';

export const FAILURES_VIEW_ID = 'vlm4d.failures';
const SAVED_FILTERS_KEY = 'vlm4d.savedFilters';
/** The filters last queried, kept by the host too: a view whose own state was lost gets them back. */
const LAST_FILTERS_KEY = 'vlm4d.lastFilters';

export interface SavedFilter {
  name: string;
  filters: FailureFilters;
}

/** Where the detail view is in the side panel's list: the filters of that list and the row's position. */
export interface ListPosition {
  filters: FailureFilters;
  index: number;
  total: number | null;
  /**
   * The detail view shows a prediction this list does not hold, opened from row `index`: next goes to the
   * row after it, previous back to it, and no "k of N" is claimed.
   */
  outside?: boolean;
}

export interface OpenRequest {
  id: number;
  preserveFocus: boolean;
  position: ListPosition | null;
  /** A click in the side panel's list: when the detail view had to be created or brought to the front, focus
   * goes back to the list (the workbench would otherwise hand it to the editor the detail view covered). */
  fromList?: boolean;
  /** Bring a hidden detail view to the front (default); a refresh after re-indexing does not. */
  reveal?: boolean;
  /**
   * The list's selection moved by key: an open detail view shows the row (the list's selection is what it
   * shows), keeping the focus where it is; a closed one is not opened, a hidden one not brought forward.
   */
  follow?: boolean;
}

export class FailuresView implements vscode.WebviewViewProvider, vscode.Disposable {
  private view: vscode.WebviewView | undefined;
  private readonly channel: WebviewChannel<HostToView, ViewToHost>;
  /** The view has not queried since it said `ready`: its first query shows whether it kept its state. */
  private firstQuery = false;
  /** The filters of the list the view shows (from its latest query) and that list's total. */
  private listFilters: FailureFilters | null = null;
  private listTotal: number | null = null;
  private position: ListPosition | null = null;
  /** The prediction at `position` while the detail view shows it (a list page that starts again selects it). */
  private positionId: number | null = null;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly openEmitter = new vscode.EventEmitter<OpenRequest>();
  /** The user chose a prediction in the list (or the list moved on by next/previous). */
  readonly onDidOpen = this.openEmitter.event;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly index: IndexService,
    log: Log,
    private readonly annotations: AnnotationService,
  ) {
    this.channel = new WebviewChannel({
      name: 'the failures view',
      parse: parseViewMessage,
      receive: (m) => this.receive(m),
      log,
      commands: vscode.commands,
      paletteTarget: (m) => (m.id === null ? { list: m.query } : { ids: [m.id] }),
    });
    this.disposables.push(
      this.openEmitter,
      index.onDidChangeData(() => this.post({ type: 'refresh' })),
      // The audit's counts and filters are complete only now.
      index.onDidFinishAudit(() => this.post({ type: 'refresh' })),
      annotations.onDidChange(() => {
        this.postVocabulary();
        this.post({ type: 'refresh' });
      }),
      index.onDidChangeState((s) => this.stateChanged(s)),
    );
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    // Kept: a disposed view's `webview` may throw.
    const webview = view.webview;
    this.channel.attach(webview);
    view.webview.options = { enableScripts: true, localResourceRoots: [distUri(this.context.extensionUri)] };
    view.webview.html = webviewHtml(view.webview, this.context.extensionUri, {
      script: 'failures',
      title: 'VLM4D failures',
    });
    const disposed = view.onDidDispose(() => {
      disposed.dispose();
      this.channel.detach(webview);
      if (this.view === view) this.view = undefined;
    });
  }

  /** The list the detail view walks with next/previous, and where in it. */
  get current(): ListPosition | null {
    return this.position;
  }

  private post(m: HostToView): void {
    this.channel.post(m);
  }

  /** A checked message from the view (undo, redo and the tag palette go to their commands on the way). */
  private async receive(m: ViewToHost): Promise<void> {
    switch (m.type) {
      case 'ready':
        this.firstQuery = true;
        this.postVocabulary();
        this.stateChanged(this.index.state);
        // A page that came back (or came late, after a window reload) selects what the detail view shows.
        if (this.position && !this.position.outside && this.positionId !== null)
          this.post({ type: 'select', id: this.positionId, index: this.position.index });
        return;
      case 'toggleTag': {
        const targets = await this.annotations.targetsOf([m.id]);
        await this.annotations.toggleTag(targets, m.tag);
        return;
      }
      case 'tagAll':
        await this.tagList(m.tag, m.query, m.total);
        return;
      case 'query':
        return this.answer(m.requestId, m.query);
      case 'open':
      case 'selected':
        if (this.listFilters) this.position = { filters: this.listFilters, index: m.index, total: this.listTotal };
        this.positionId = m.id;
        if (m.type === 'open')
          this.openEmitter.fire({ id: m.id, preserveFocus: m.preserveFocus, position: this.position, fromList: true });
        else
          this.openEmitter.fire({
            id: m.id,
            preserveFocus: true,
            position: this.position,
            fromList: true,
            follow: true,
            reveal: false,
          });
        return;
      case 'saveFilter':
        return this.saveFilter(m.query, m.name);
      case 'runCommand':
        await vscode.commands.executeCommand(m.command);
        return;
    }
  }

  private async answer(requestId: number, query: FailureQuery): Promise<void> {
    const filters: FailureFilters = { ...query };
    delete (filters as FailureQuery).offset;
    delete (filters as FailureQuery).limit;
    if (this.firstQuery) {
      this.firstQuery = false;
      const kept = parseFilters(this.context.workspaceState.get(LAST_FILTERS_KEY));
      if (kept && !sameFilters(kept, filters) && this.view) {
        // The view came back without its state (e.g. after a crash): put the user's filters back.
        this.post({ type: 'setFilters', filters: kept });
        return;
      }
    }
    if (!this.listFilters || !sameFilters(this.listFilters, filters))
      void this.context.workspaceState.update(LAST_FILTERS_KEY, filters);
    this.listFilters = filters;
    try {
      const result = await this.index.call('query', query);
      if (JSON.stringify(this.listFilters) === JSON.stringify(filters)) this.listTotal = result.total;
      this.post({ type: 'results', requestId, query, result });
    } catch (e) {
      this.post({ type: 'queryError', requestId, message: e instanceof Error ? e.message : String(e) });
    }
  }

  private stateChanged(s: IndexState): void {
    switch (s.kind) {
      case 'empty': {
        const folders = vscode.workspace.workspaceFolders ?? [];
        if (folders.length === 0 && this.index.getRoots().length === 0)
          this.post({ type: 'empty', reason: 'no-folder' });
        else
          this.post({
            type: 'empty',
            reason: 'no-results',
            detail: `No VLM4D result files were found in ${folders.map((f) => f.uri.fsPath).join(', ')}.`,
          });
        return;
      }
      case 'indexing':
        this.post({ type: 'indexing', done: s.done, total: s.total });
        return;
      case 'ready':
        this.post({ type: 'indexing', done: 1, total: 1 });
        // New data itself arrives as `refresh` (onDidChangeData).
        if (s.counts.predictions === 0) {
          this.post({
            type: 'empty',
            reason: 'no-results',
            detail: `No predictions were found in ${this.index.getRoots().join(', ')}; see the output channel for files that could not be read.`,
          });
        }
        return;
      case 'idle':
        return;
    }
  }

  private postVocabulary(): void {
    const off = this.annotations.files().find((f) => f.state.kind === 'broken');
    const reason =
      off && off.state.kind === 'broken'
        ? `${off.file} cannot be read (${off.state.reason}); tagging is off for ${off.root}`
        : undefined;
    this.post({ type: 'vocabulary', tags: this.annotations.tags(), ...(reason ? { taggingOff: reason } : {}) });
  }

  /** The search text of the list the panel shows now (the detail view highlights its matches). */
  get searchText(): string {
    return this.listFilters?.text ?? '';
  }

  /** The filters of the list the panel shows now (for commands acting on the whole list). */
  get filters(): FailureFilters | null {
    return this.listFilters;
  }

  /** Tags every prediction of the list under `filters`, after a confirmation naming how many. */
  async tagList(tag: string, filters: FailureFilters, shown?: number): Promise<boolean> {
    const flat: FailureFilters = { ...filters };
    delete flat.group;
    const total = (await this.index.call('query', { ...flat, limit: 0 })).total;
    if (!total) return false;
    const ok = `Tag ${total.toLocaleString('en-US')}`;
    const answer = await vscode.window.showWarningMessage(
      `VLM4D: add the tag "${tag}" to all ${total.toLocaleString('en-US')} predictions in the list (${describeFilters(flat)})?${shown !== undefined && shown !== total ? ` (The list shows ${shown.toLocaleString('en-US')} rows grouped by question.)` : ''} Undo takes it back.`,
      { modal: true },
      ok,
    );
    if (answer !== ok) return false;
    const rows = [];
    for (let offset = 0; offset < total; offset += MAX_PAGE_ROWS)
      rows.push(...(await this.index.call('query', { ...flat, offset, limit: MAX_PAGE_ROWS })).rows);
    const targets = await this.annotations.targetsOfRows(rows);
    // Adds where missing: tagging a list never removes the tag from the rows that have it.
    const lacking: typeof targets = [];
    for (const t of targets)
      if (!this.annotations.data(t.root)?.predictions[t.predictionKey]?.tags.includes(tag)) lacking.push(t);
    return lacking.length ? this.annotations.toggleTag(lacking, tag) : true;
  }

  /** Next (+1) or previous (-1) prediction of the list; the list's selection follows. Null at either end. */
  async step(delta: 1 | -1): Promise<OpenRequest | null> {
    const at = this.position;
    if (!at) return null;
    const index = at.outside ? (delta > 0 ? at.index + 1 : at.index) : at.index + delta;
    if (index < 0 || (at.total !== null && index >= at.total)) return null;
    const result = await this.index.call('query', { ...at.filters, offset: index, limit: 1 });
    const row = result.rows[0];
    if (!row) return null;
    this.position = { filters: at.filters, index, total: result.total };
    this.positionId = row.id;
    this.post({ type: 'select', id: row.id, index });
    return { id: row.id, preserveFocus: true, position: this.position };
  }

  /**
   * The row `delta` away from `at` in its list, without moving the list's selection (the detail view builds
   * it ahead). Null at either end, or when `at` is outside the list.
   */
  async neighbour(at: ListPosition, delta: 1 | -1): Promise<OpenRequest | null> {
    const index = at.index + delta;
    if (at.outside || index < 0 || (at.total !== null && index >= at.total)) return null;
    const row = (await this.index.call('query', { ...at.filters, offset: index, limit: 1 })).rows[0];
    return row ? { id: row.id, preserveFocus: true, position: { filters: at.filters, index, total: at.total } } : null;
  }

  /**
   * Where prediction `id`, opened from elsewhere than the list (another model's answer, a restored detail
   * view), stands in the list: the list selects its row, or no row when it does not hold it. Null when it is
   * not in the list. `current()` false: a newer choice was made meanwhile, and nothing changes.
   */
  async locate(id: number, current: () => boolean = () => true): Promise<ListPosition | null> {
    const filters = this.listFilters ?? parseFilters(this.context.workspaceState.get(LAST_FILTERS_KEY));
    const p = await this.index.call('prediction', { id });
    if (!filters || !p || !current()) return null;
    const near = this.position && sameFilters(this.position.filters, filters) ? this.position.index : null;
    const found = await findInList(
      (q) => this.index.call('query', q),
      filters,
      p,
      near,
      () => !current(),
    );
    if (!current()) return null;
    if (found) {
      this.position = { filters, index: found.index, total: found.total };
      this.positionId = id;
      this.post({ type: 'select', id, index: found.index });
      return this.position;
    }
    // Not in the list: the place it was opened from is kept for next/previous.
    if (this.position) this.position = { ...this.position, outside: true };
    this.positionId = null;
    this.post({ type: 'select', id: null });
    return null;
  }

  /** The detail view was closed: the list's selection is the list's own again. */
  detailClosed(): void {
    this.positionId = null;
  }

  /** Gives the side panel keyboard focus (its page puts it back on the control that had it). */
  async focusList(): Promise<void> {
    await vscode.commands.executeCommand(`${FAILURES_VIEW_ID}.focus`);
  }

  /** Shows these filters in the panel (which then queries them). */
  async showFilters(filters: FailureFilters): Promise<void> {
    await this.focusList();
    // Focusing creates the view when it was never shown; its page must exist to hold the message.
    await this.channel.whenReady(10_000);
    this.post({ type: 'setFilters', filters });
  }

  savedFilters(): SavedFilter[] {
    const raw = this.context.workspaceState.get<unknown[]>(SAVED_FILTERS_KEY, []);
    const out: SavedFilter[] = [];
    for (const s of Array.isArray(raw) ? raw : []) {
      const rec = s as { name?: unknown; filters?: unknown };
      const filters = parseFilters(rec?.filters);
      if (typeof rec?.name === 'string' && filters) out.push({ name: rec.name, filters });
    }
    return out;
  }

  async saveFilter(filters: FailureFilters, name?: string): Promise<void> {
    const chosen =
      name ??
      (await vscode.window.showInputBox({
        title: 'VLM4D: Save Filter',
        prompt: 'A name for these filters (a saved filter with the same name is replaced)',
        value: describeFilters(filters),
        validateInput: (v) => (v.trim() ? null : 'Give the filter a name'),
      }));
    if (!chosen?.trim()) return;
    const saved = this.savedFilters().filter((s) => s.name !== chosen.trim());
    saved.push({ name: chosen.trim(), filters });
    saved.sort((a, b) => a.name.localeCompare(b.name));
    await this.context.workspaceState.update(SAVED_FILTERS_KEY, saved);
    void vscode.window.showInformationMessage(
      `VLM4D: saved the filter "${chosen.trim()}". Open it with "VLM4D: Open Saved Filter…".`,
    );
  }

  async deleteFilter(name: string): Promise<void> {
    await this.context.workspaceState.update(
      SAVED_FILTERS_KEY,
      this.savedFilters().filter((s) => s.name !== name),
    );
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

/** A short description of filters, e.g. `failed · egocentric · rotational · gpt-4o`. */
export function describeFilters(f: FailureFilters): string {
  const parts = [f.outcome, f.split, f.perspective, f.motion, f.source, f.model, f.promptMode].flatMap((v) =>
    v && v.length ? [v.join(' or ')] : [],
  );
  if (f.text) parts.push(`"${f.text}"`);
  if (f.samplingLabel?.length) parts.push(`sampled ${f.samplingLabel.join(' or ')}`);
  if (f.keys?.length) parts.push(`${f.keys.length} chosen predictions`);
  return parts.join(' · ') || 'all predictions';
}

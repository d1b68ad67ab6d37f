// The failure explorer's side panel (a webview view): filters with counts over a virtualized list of
// predictions. Talks to its host only through the messages in src/protocol/failuresView.ts.
//
// The DOM the host must generate:
//   <html><head>
//     <meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'nonce-N';
//           style-src ${webview.cspSource}; font-src ${webview.cspSource}">
//     <link id="vscode-codicon-stylesheet" rel="stylesheet" href="${codicon.css as a webview URI}">
//   </head><body>
//     <div id="app"></div>
//     <script nonce="N" src="${dist/webview/failures.js as a webview URI}"></script>
//   </body></html>
// The link's id is what <vscode-icon> looks for; its font (codicon.ttf) must sit beside codicon.css. The
// panel's own CSS is bundled into this script and adopted as a constructed stylesheet, so no inline
// <style> and no 'unsafe-inline' are needed. Without #app the panel builds into <body>.
import '@vscode-elements/elements/dist/vscode-toolbar-button/index.js';
import '@vscode-elements/elements/dist/vscode-progress-bar/index.js';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import type { VscodeToolbarButton } from '@vscode-elements/elements/dist/vscode-toolbar-button/vscode-toolbar-button.js';
import type { VscodeProgressBar } from '@vscode-elements/elements/dist/vscode-progress-bar/vscode-progress-bar.js';
import type { FacetCounts, PredictionRow, QueryResult } from '../../src/core/index/query';
import type { EmptyReason, FailureQuery, HostToView, PanelCommand, ViewToHost } from '../../src/protocol/failuresView';
import { assertNever } from '../../src/protocol/assertNever';
import { FAILURES_PAGE_SIZE } from '../../src/protocol/failuresView';
import { noMatchExplanation } from './emptyState';
import type { ClearableFilter } from './emptyState';
import css from './failures.css';
import { HIGHLIGHT_CSS } from '../shared/highlight';
import type { VsCodeApi } from '../shared/mount';
import { mount, vscodeApi } from '../shared/mount';
import { FilterPanel } from './filters';
import { formatCount } from '../shared/format';
import { valueName } from '../shared/names';
import { VirtualList } from './list';
import { PageCache } from './pageCache';
import type { Filters, PanelState } from './state';
import { DEFAULT_FILTERS, cloneFilters, fromFailureFilters, restoreState, toFailureFilters } from './state';
import { withoutDashboardFilters } from './dashboardFilters';

const PAGE = FAILURES_PAGE_SIZE;
/** Pages asked for at once; more wait until replies come (fast scrolling skips pages nobody stops at). */
const MAX_IN_FLIGHT = 4;
/** Pages kept (least recently used dropped first): ~6,000 rows. */
const MAX_CACHED_PAGES = 60;

/** Where keys are text, not commands. */
const EDITABLE =
  'input, textarea, select, vscode-textfield, vscode-textarea, vscode-multi-select, vscode-single-select, [contenteditable]';

type HostMessageType = HostToView['type'];
const HOST_TYPES: Record<HostMessageType, true> = {
  results: true,
  queryError: true,
  select: true,
  step: true,
  indexing: true,
  empty: true,
  refresh: true,
  setFilters: true,
  vocabulary: true,
};

class FailuresPanel {
  private state: PanelState;
  private readonly filterPanel: FilterPanel;
  private readonly list: VirtualList;
  private readonly summary: HTMLElement;
  private readonly progress: VscodeProgressBar;
  private readonly emptyBox: HTMLElement;
  private readonly sortButton: VscodeToolbarButton;
  private readonly groupButton: VscodeToolbarButton;
  private readonly actions: HTMLElement;

  /** The list's rows, page by page, with the previous list's shown while the new one loads. */
  private readonly pages = new PageCache<PredictionRow>(PAGE, {
    maxInFlight: MAX_IN_FLIGHT,
    maxPages: MAX_CACHED_PAGES,
  });
  private total: number | null = null;
  private facets: FacetCounts | undefined;
  private empty: { reason: EmptyReason; detail?: string } | null = null;
  private error: string | null = null;
  private indexing: { done: number; total: number } | null = null;
  private pendingOpen: { index: number; preserveFocus: boolean; moved: boolean } | null = null;
  /** A `select` that arrived while the list was (re)loading. */
  private pendingSelect: { id: number | null; index: number | undefined } | null = null;
  /** Scroll position and selection to put back once the first page of restored filters arrives. */
  private restoring: { topRow: number; selected: PanelState['selected'] } | null;
  private saveTimer: ReturnType<typeof setTimeout> | undefined;
  /** Tags in the host's order: keys 1-9 toggle the first nine on the selected prediction. */
  private vocabulary: string[] = [];
  private taggingOff: string | null = null;
  private annotationCounts: QueryResult['annotations'];

  constructor(
    root: HTMLElement,
    private readonly vscode: VsCodeApi,
  ) {
    this.state = restoreState(vscode.getState());
    this.restoring = { topRow: this.state.topRow, selected: this.state.selected };

    this.progress = document.createElement('vscode-progress-bar');
    this.progress.className = 'progress';
    this.progress.ariaLabel = 'Indexing results';
    this.progress.hidden = true;

    this.filterPanel = new FilterPanel({
      filters: this.state.filters,
      open: this.state.filtersOpen,
      onChange: (f) => this.setFilters(f),
      onToggle: (open) => {
        this.state.filtersOpen = open;
        this.save();
      },
      onLeave: () => this.list.focus(),
    });

    const bar = document.createElement('div');
    bar.className = 'summary-bar';
    this.summary = document.createElement('span');
    this.summary.className = 'summary';
    this.summary.id = 'summary';
    this.summary.setAttribute('role', 'status');
    this.summary.setAttribute('aria-live', 'polite');
    const actions = document.createElement('span');
    actions.className = 'actions';
    this.actions = actions;
    this.sortButton = this.toolbarButton('sort-precedence', 'Sort by Model', () =>
      this.setFilters(
        { ...this.state.filters, sort: this.state.filters.sort === 'model' ? 'question' : 'model' },
        true,
      ),
    );
    this.sortButton.id = 'sort';
    this.sortButton.toggleable = true;
    this.groupButton = this.toolbarButton('group-by-ref-type', 'Group by Question', () =>
      this.setFilters({ ...this.state.filters, group: !this.state.filters.group }, true),
    );
    this.groupButton.id = 'group';
    this.groupButton.toggleable = true;
    const saveButton = this.toolbarButton('save', 'Save Filter…', () =>
      this.post({ type: 'saveFilter', query: toFailureFilters(this.state.filters) }),
    );
    saveButton.id = 'save-filter';
    const clearButton = this.toolbarButton('clear-all', 'Clear Filters', () => this.clearFilters());
    clearButton.id = 'clear-filters';
    const tagAllButton = this.toolbarButton('tag', 'Tag All in List…', () =>
      this.post({ type: 'tagPalette', id: null, query: toFailureFilters(this.state.filters) }),
    );
    tagAllButton.id = 'tag-all';
    actions.append(this.groupButton, this.sortButton, tagAllButton, saveButton, clearButton);
    bar.append(this.summary, actions);

    this.list = new VirtualList({
      rowAt: (i) => this.rowAt(i, true),
      needRows: (first, last) => this.needRows(first, last),
      open: (i, preserveFocus) => this.open(i, preserveFocus),
      moved: (i) => this.open(i, true, true),
      selectionChanged: (i) => {
        this.state.selected = i === null ? null : { index: i, id: this.rowAt(i)?.id ?? null };
        this.save();
      },
      scrolled: (top) => {
        if (this.total !== null && !this.restoring && top !== this.state.topRow) {
          this.state.topRow = top;
          this.saveSoon();
        }
      },
    });
    this.emptyBox = document.createElement('div');
    this.emptyBox.className = 'empty';
    this.emptyBox.id = 'empty';
    this.emptyBox.setAttribute('role', 'status');
    this.emptyBox.hidden = true;

    const body = document.createElement('div');
    body.className = 'list-area';
    body.append(this.list.el, this.emptyBox);
    root.replaceChildren(this.progress, this.filterPanel.el, bar, body);
    this.updateSort();
    this.render();

    this.list.el.addEventListener('keydown', (e) => this.onTagKey(e));
    window.addEventListener('message', (e: MessageEvent) => this.onMessage(e.data));
    // `/` anywhere but in a field goes to the search box (Escape in an empty one comes back to the list).
    document.addEventListener('keydown', (e) => {
      if (
        e.key !== '/' ||
        e.altKey ||
        e.ctrlKey ||
        e.metaKey ||
        (e.target instanceof Element && e.target.closest(EDITABLE))
      )
        return;
      e.preventDefault();
      this.filterPanel.focusSearch();
    });
    // When the workbench gives the view the keyboard ("Show Failures", or back after the detail view opened
    // beside it), the control that had it gets it again, the list the first time: keys work at once, as in a
    // native view, with no Tab through the filters.
    let lastFocused: HTMLElement | null = null;
    document.addEventListener('focusin', (e) => (lastFocused = e.target instanceof HTMLElement ? e.target : null));
    const focusBack = () => {
      if (document.activeElement !== document.body && document.activeElement !== null) return;
      if (lastFocused?.isConnected && !lastFocused.hidden) lastFocused.focus();
      else this.list.focus();
    };
    window.addEventListener('focus', focusBack);
    if (document.hasFocus()) focusBack();
    this.post({ type: 'ready' });
    // The first query carries the restored filters and the page the restored scroll position shows.
    this.request(Math.floor(this.state.topRow / PAGE));
  }

  // ------------------------------------------------------------------------------------------ messages

  private post(m: ViewToHost): void {
    this.vscode.postMessage(m);
  }

  private onMessage(data: unknown): void {
    if (typeof data !== 'object' || data === null) return;
    const type = (data as { type?: unknown }).type;
    if (typeof type !== 'string' || !(type in HOST_TYPES)) return;
    const m = data as HostToView;
    switch (m.type) {
      case 'results':
        if (this.pages.isCurrent(m.requestId)) {
          this.annotationCounts = m.result.annotations;
          this.filterPanel.setAuditCounts(m.result.audit);
          this.filterPanel.setSuggestionCounts(m.result.suggestions);
          this.filterPanel.setComparisonCounts(m.result.comparison);
        }
        this.onResults(m.requestId, m.result.total, m.result.rows, m.result.facets);
        this.filterPanel.setAnnotationCounts(this.annotationCounts);
        break;
      case 'queryError':
        if (!this.pages.fail(m.requestId)) return;
        this.error = m.message;
        this.render();
        break;
      case 'select':
        this.selectId(m.id, m.index);
        break;
      case 'step': {
        const i = this.list.move(m.delta);
        if (i !== null) this.open(i, true);
        break;
      }
      case 'indexing':
        this.indexing = m.done < m.total ? { done: m.done, total: m.total } : null;
        this.render();
        break;
      case 'empty':
        this.empty = { reason: m.reason, ...(m.detail ? { detail: m.detail } : {}) };
        this.render();
        break;
      case 'refresh':
        this.empty = null;
        this.refresh();
        break;
      case 'setFilters':
        this.setFilters(fromFailureFilters(m.filters), true);
        break;
      case 'vocabulary':
        this.vocabulary = m.tags;
        this.taggingOff = m.taggingOff ?? null;
        this.filterPanel.setVocabulary(m.tags);
        this.render();
        this.filterPanel.setAnnotationCounts(this.annotationCounts);
        break;
      default:
        assertNever(m, 'host message');
    }
  }

  private onResults(requestId: number, total: number, rows: PredictionRow[], facets: FacetCounts): void {
    const page = this.pages.accept(requestId, rows);
    if (page === null) return;
    this.total = total;
    this.facets = facets;
    this.error = null;
    this.list.setTotal(total);
    this.filterPanel.setCounts(facets);
    if (this.restoring) {
      const { topRow, selected } = this.restoring;
      this.restoring = null;
      if (topRow > 0 && topRow < total) this.list.scrollToRow(topRow);
      if (selected && selected.index < total) this.list.select(selected.index, false);
    }
    if (this.pendingSelect) {
      const { id, index } = this.pendingSelect;
      this.pendingSelect = null;
      this.selectId(id, index);
    }
    this.followSelection(page);
    this.list.refresh();
    this.render();
    if (this.pendingOpen && this.rowAt(this.pendingOpen.index)) {
      const { index, preserveFocus, moved } = this.pendingOpen;
      this.pendingOpen = null;
      if (!moved || this.list.selectedIndex === index) this.open(index, preserveFocus, moved);
    }
  }

  // ------------------------------------------------------------------------------------------ data

  /**
   * Row `index` of the current list (during a refresh, as shown until its new version comes); with `orStale`
   * also a row of the previous filters, shown while the new list loads, never acted on.
   */
  private rowAt(index: number, orStale = false): PredictionRow | undefined {
    return orStale ? this.pages.rowAt(index, true) : this.pages.rowOfList(index);
  }

  /**
   * When `page` holds the selected index but no longer the selected prediction (rows before it left the list
   * or came in), the selection goes where that prediction now is among the rows here; if it is not here the
   * selection stays at its index. Nothing is opened: the detail view shows that prediction already.
   */
  private followSelection(page: number): void {
    const sel = this.state.selected;
    if (!sel || sel.id === null || Math.floor(sel.index / PAGE) !== page) return;
    const row = this.rowAt(sel.index);
    if (!row || row.id === sel.id) return;
    const found = this.pages.indexWhere((r) => r.id === sel.id);
    if (found !== null) this.list.select(found, false);
  }

  private needRows(first: number, last: number): void {
    if (this.total === null || this.empty) return;
    for (const page of this.pages.wanted(first, last)) this.request(page);
  }

  private request(page: number): void {
    const requestId = this.pages.request(page);
    const query: FailureQuery = { ...toFailureFilters(this.state.filters), offset: page * PAGE, limit: PAGE };
    this.post({ type: 'query', requestId, query });
  }

  /** New filters: the cached pages are dropped and the list starts again from the top, nothing selected. */
  private restart(): void {
    this.pages.restart(false);
    this.total = null;
    this.error = null;
    this.pendingOpen = null;
    this.pendingSelect = null;
    this.restoring = null;
    this.list.reset();
    this.state.topRow = 0;
    this.state.selected = null;
    this.save();
    this.render();
    this.request(0);
  }

  /**
   * The same list again (the index changed: files, verdicts, tags, the audit's counts). The rows shown stay,
   * and are what keys act on, until their new versions arrive; the count, the scroll position, the selection
   * and any key pressed meanwhile are kept. The pages in view are asked for again.
   */
  private refresh(): void {
    this.pages.restart(true);
    this.error = null;
    this.render();
    this.request(Math.floor(this.list.topRow / PAGE));
    this.list.refresh();
  }

  private setFilters(filters: Filters, showInPanel = false): void {
    this.state.filters = cloneFilters(filters);
    if (showInPanel) this.filterPanel.set(filters);
    this.updateSort();
    this.restart();
  }

  private selectId(id: number | null, index: number | undefined): void {
    if (this.total === null) {
      this.pendingSelect = { id, index };
      return;
    }
    if (id === null) {
      // The detail view shows a prediction this list does not hold: no row stands for it.
      this.list.select(null, false);
      return;
    }
    if (index !== undefined && index < this.total) {
      const row = this.rowAt(index);
      if (!row || row.id === id) {
        this.list.select(index);
        return;
      }
    }
    const found = this.pages.indexWhere((r) => r.id === id);
    if (found !== null) this.list.select(found);
  }

  /**
   * Opens row `index` in the detail view; `moved`: the selection moved there by key, and only a detail view
   * already open shows it. A row not loaded yet is opened when its page arrives.
   */
  private open(index: number, preserveFocus: boolean, moved = false): void {
    const row = this.rowAt(index);
    if (!row) {
      this.pendingOpen = { index, preserveFocus, moved };
      return;
    }
    if (this.state.selected?.index === index) this.state.selected.id = row.id;
    // When the selection moved (epoch ms, as the detail view's marks), for the timing report of the tests.
    if (moved) document.body.dataset.movedAt = String(performance.timeOrigin + performance.now());
    this.post(moved ? { type: 'selected', id: row.id, index } : { type: 'open', id: row.id, index, preserveFocus });
  }

  /** 1-9 toggle a tag on the selected prediction, t opens the tag palette, u undoes, U redoes. */
  private onTagKey(e: KeyboardEvent): void {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    const selected = this.state.selected;
    const row = selected ? this.rowAt(selected.index) : undefined;
    if (/^[1-9]$/.test(e.key)) {
      const tag = this.vocabulary[Number(e.key) - 1];
      if (!tag || !row || row.group) return;
      e.preventDefault();
      this.post({ type: 'toggleTag', id: row.id, tag });
    } else if (e.key === 't') {
      e.preventDefault();
      this.post({
        type: 'tagPalette',
        id: row && !row.group ? row.id : null,
        query: toFailureFilters(this.state.filters),
      });
    } else if (e.key === 'u') {
      e.preventDefault();
      this.post({ type: 'undo' });
    } else if (e.key === 'U') {
      e.preventDefault();
      this.post({ type: 'redo' });
    }
  }

  // ------------------------------------------------------------------------------------------ view

  private toolbarButton(icon: string, label: string, onClick: () => void): VscodeToolbarButton {
    const b = document.createElement('vscode-toolbar-button');
    b.icon = icon;
    b.label = label;
    b.title = label;
    b.addEventListener('click', onClick);
    return b;
  }

  private updateSort(): void {
    // A switch: on sorts by model (then prompt mode and question), off by question.
    this.sortButton.checked = this.state.filters.sort === 'model';
    // Groups are ordered by how many failed; sorting by model applies to predictions only.
    this.sortButton.hidden = this.state.filters.group;
    this.groupButton.checked = this.state.filters.group;
  }

  private render(): void {
    const f = this.state.filters;
    this.list.setSearch(f.text);
    this.progress.hidden = !this.indexing;
    if (this.indexing) {
      this.progress.max = this.indexing.total;
      this.progress.value = this.indexing.done;
    }

    const outcome = f.outcome.length === 1 ? `${valueName(f.outcome[0] as string).toLowerCase()} ` : '';
    let summary: string;
    if (this.empty) summary = '';
    else if (this.total === null) summary = 'Loading…';
    else if (f.group)
      summary = `${formatCount(this.total)} question${this.total === 1 ? '' : 's'} with ${outcome}predictions`;
    else summary = `${formatCount(this.total)} ${outcome}prediction${this.total === 1 ? '' : 's'}`;
    if (this.indexing)
      summary += `${summary ? ' · ' : ''}indexing ${formatCount(this.indexing.done)} of ${formatCount(this.indexing.total)} files`;
    if (this.taggingOff) summary += `${summary ? ' · ' : ''}tagging off`;
    this.summary.textContent = summary;
    this.summary.title = this.taggingOff ?? '';
    // With nothing indexed there is nothing to filter.
    this.filterPanel.el.hidden = this.actions.hidden = !!this.empty;
    this.list.el.setAttribute('aria-busy', String(this.total === null));

    const box = this.emptyBox;
    box.replaceChildren();
    let showEmpty = true;
    if (this.empty) this.renderEmptyReason(this.empty.reason, this.empty.detail);
    else if (this.error) {
      this.emptyMessage('error', 'The query failed.', this.error);
    } else if (this.total === 0 && this.indexing) {
      this.emptyMessage(
        'loading',
        'Indexing results…',
        `${formatCount(this.indexing.done)} of ${formatCount(this.indexing.total)} files read.`,
      );
    } else if (this.total === 0) {
      this.renderNoMatch(f);
    } else showEmpty = false;
    box.hidden = !showEmpty;
    this.list.el.hidden = showEmpty;
  }

  private renderEmptyReason(reason: EmptyReason, detail: string | undefined): void {
    switch (reason) {
      case 'no-folder':
        this.emptyMessage(
          'folder-opened',
          'No results folder is open.',
          'Open a folder of VLM4D results (processed_outputs/{split}_mc_{prompt}/*.json) to list its predictions.',
        );
        this.commandButton('Open Results Folder…', 'vlm4d.openResultsFolder');
        break;
      case 'no-results':
        this.emptyMessage(
          'info',
          'No VLM4D results are indexed.',
          detail ?? 'No result files were found in the open folders.',
        );
        this.commandButton('Open Results Folder…', 'vlm4d.openResultsFolder');
        this.commandButton('Show Output', 'vlm4d.showOutput', true);
        break;
      case 'index-failed':
        this.emptyMessage('error', 'The results could not be indexed.', detail ?? '');
        this.commandButton('Re-index', 'vlm4d.reindex');
        this.commandButton('Show Output', 'vlm4d.showOutput', true);
        break;
      default:
        assertNever(reason, 'empty reason');
    }
  }

  private renderNoMatch(f: Filters): void {
    const { filters, hint } = noMatchExplanation(f, this.facets);
    if (!filters.length) {
      this.emptyMessage('info', 'No predictions are indexed.', '');
      return;
    }
    this.emptyMessage('filter', 'No predictions match these filters:', '');
    const ul = document.createElement('ul');
    ul.className = 'active-filters';
    for (const a of filters) {
      const li = document.createElement('li');
      const label = document.createElement('span');
      label.textContent = a.label;
      li.append(label);
      const b = document.createElement('button');
      b.type = 'button';
      b.className = 'link';
      b.textContent = a.without ? `remove (${formatCount(a.without)})` : 'remove';
      b.setAttribute('aria-label', `Remove the filter ${a.label}`);
      b.addEventListener('click', () => this.clearFilter(a.filter));
      li.append(b);
      ul.append(li);
    }
    this.emptyBox.append(ul);
    if (hint) {
      const p = document.createElement('p');
      p.className = 'hint';
      p.textContent = hint;
      this.emptyBox.append(p);
    }
    const b = document.createElement('vscode-button');
    b.textContent = 'Clear Filters';
    b.addEventListener('click', () => this.clearFilters());
    this.emptyBox.append(b);
  }

  /** Back to the defaults (failed predictions, no other filter), keeping the sort order. */
  private clearFilters(): void {
    this.setFilters(
      { ...cloneFilters(DEFAULT_FILTERS), sort: this.state.filters.sort, group: this.state.filters.group },
      true,
    );
  }

  private clearFilter(which: ClearableFilter): void {
    const f = cloneFilters(this.state.filters);
    if (which === 'text') f.text = '';
    else if (which === 'labels') Object.assign(f, withoutDashboardFilters());
    else f[which] = [];
    this.setFilters(f, true);
  }

  private emptyMessage(icon: string, title: string, detail: string): void {
    const head = document.createElement('p');
    head.className = 'empty-title';
    const i = document.createElement('span');
    i.className = `codicon codicon-${icon}`;
    i.setAttribute('aria-hidden', 'true');
    const t = document.createElement('span');
    t.textContent = title;
    head.append(i, t);
    this.emptyBox.append(head);
    if (detail) {
      const p = document.createElement('p');
      p.className = 'empty-detail';
      p.textContent = detail;
      this.emptyBox.append(p);
    }
  }

  private commandButton(label: string, command: PanelCommand, secondary = false): void {
    const b = document.createElement('vscode-button');
    b.textContent = label;
    b.secondary = secondary;
    b.addEventListener('click', () => this.post({ type: 'runCommand', command }));
    this.emptyBox.append(b);
  }

  // ------------------------------------------------------------------------------------------ state

  private save(): void {
    clearTimeout(this.saveTimer);
    this.saveTimer = undefined;
    this.vscode.setState(this.state);
  }

  /** Scrolling saves at most every 200 ms. */
  private saveSoon(): void {
    this.saveTimer ??= setTimeout(() => this.save(), 200);
  }
}

mount(`${css}\n${HIGHLIGHT_CSS}`, (root) => new FailuresPanel(root, vscodeApi()));

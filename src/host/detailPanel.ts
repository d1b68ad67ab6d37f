// The failure explorer's detail view: one webview panel in the editor area (webview/detail/), reused as the
// selection changes. It shows the clip in a frame-accurate player beside the model's response, the judge's
// verdict and every other loaded answer to the same question.
import * as vscode from 'vscode';
import { QUESTION_TAGS } from '../core/annotations/format';
import type { AllowedRoots } from '../core/clipAccess';
import { resourceRoots } from '../core/clipAccess';
import { clipRootsOf } from '../core/clips';
import { RESPONSE_CHUNK_CHARS } from '../core/responseView';
import type { PredictionDetail, PredictionRow } from '../core/index/query';
import type { DetailData, DetailToHost, HostToDetail, OtherAnswer } from '../protocol/detailView';
import { parseDetailMessage } from '../protocol/detailValidate';
import type { AnnotationService } from './annotations';
import { ClipConverter } from './clipConverter';
import { clipView } from './detailClip';
import { copyText } from './copyPrediction';
import { config } from './config';
import type { ListPosition, OpenRequest } from './failuresView';
import type { IndexService } from './indexService';
import type { Log } from './log';
import { detailComparison } from './detailComparison';
import { openSuggestions } from './detailSuggestions';
import { decideSuggestion } from './suggestionCommands';
import { ShowMarks } from './detailTimings';
import type { ItemChange } from '../core/annotations/edits';
import { DetailPrefetch, mayShowIn } from './detailPrefetch';
import type { HeldPrediction } from './detailPrefetch';
import { waitFor } from './waitFor';
import { WebviewChannel } from './webviewHost';
import { distUri, webviewHtml } from './webviewHtml';

export const DETAIL_VIEW_TYPE = 'vlm4d.detail';
/** How long a restored detail view waits for the results to be indexed before it looks up its prediction. */
const RESTORE_WAIT_MS = 120_000;

export interface DetailNavigation {
  step(delta: 1 | -1): Promise<OpenRequest | null>;
  focusList(): Promise<void>;
  /** The row `delta` away from `at` in its list, the selection left where it is (for building ahead). */
  neighbour(at: ListPosition, delta: 1 | -1): Promise<OpenRequest | null>;
  /** Where prediction `id` stands in the side panel's list (which then selects it), or null. */
  locate(id: number, current?: () => boolean): Promise<ListPosition | null>;
  detailClosed(): void;
  /** The list's search text now (validated where the side panel sent it). */
  readonly searchText?: string;
}

export class DetailPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private readonly channel: WebviewChannel<HostToDetail, DetailToHost>;
  /** Whether the panel has been given its page (a panel is created before its data is built). */
  private hasPage = false;
  /**
   * The prediction the page has or has been sent (in its HTML, or posted and perhaps held until `ready`); null
   * once the page said `ready`, so that a page that starts again by itself is sent the prediction again.
   */
  private given: DetailData | null = null;
  private shown: { id: number; position: ListPosition | null } | null = null;
  private data: DetailData | null = null;
  /**
   * Folders the webview may load files from besides dist/: the folders clips may come from (results, workspace
   * and clip roots, as given and as they really are), never a clip's own folder.
   */
  private roots: string[] = [];
  private remoteOrigins: string[] = [];
  private readonly disposables: vscode.Disposable[] = [];
  /** Counts the requests to show a prediction: an answer found after a newer request is dropped. */
  private requests = 0;
  /** How long building the last `show` took, and when it was asked for (epoch ms), for the timing report. */
  lastShowMs = 0;
  lastRequestAt = 0;
  /** The instants of the last `show`'s parts (detailTimings.ts), for the timing report. */
  lastMarks: Record<string, number> = {};
  private readonly converter: ClipConverter;
  /** The list's rows around the one shown, built ahead and held by the page. */
  private readonly ahead = new DetailPrefetch((entries, round) => this.post({ type: 'prefetch', entries, round }));

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly index: IndexService,
    private readonly navigation: DetailNavigation,
    private readonly log: Log,
    private readonly annotations: AnnotationService,
  ) {
    this.converter = new ClipConverter(context, log);
    this.channel = new WebviewChannel({
      name: 'the detail view',
      parse: parseDetailMessage,
      receive: (m) => this.receive(m),
      log,
      commands: vscode.commands,
    });
    this.disposables.push(
      index.onDidChangeData(() => void this.reload()),
      annotations.onDidChange((edits) => void this.annotationsChanged(edits)),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('vlm4d.clipRoots') || e.affectsConfiguration('vlm4d.allowRemoteClips'))
          void this.reload();
      }),
    );
  }

  /** The list asked for keyboard focus back while this page was still loading (see show). */
  private listFocusOnReady = false;
  /** The page has said `ready` since it was loaded: another `ready` means it started again by itself. */
  private pageStarted = false;

  /** The prediction shown, if any. */
  get current(): DetailData | null {
    return this.data;
  }

  get visible(): boolean {
    return !!this.panel?.visible;
  }

  /** The prediction the detail view shows or is loading (the side panel's selection): what its keys act on. */
  get selected(): number | null {
    return this.shown?.id ?? null;
  }

  /** `drawn`: the page drew this prediction from what it holds (a j/k it answered itself). */
  async show(req: OpenRequest, drawn?: { id: number; round: number }): Promise<void> {
    // The list's selection moved: an open detail view follows it; none is opened for it.
    if (req.follow && !this.panel) return;
    if (req.follow && this.shown?.id === req.id && this.shown.position?.index === req.position?.index) return;
    const t0 = performance.now();
    const marks = new ShowMarks();
    marks.mark('received');
    const request = ++this.requests;
    this.lastRequestAt = Date.now();
    this.shown = { id: req.id, position: req.position };
    this.announce(req.id);
    // Created or brought to the front by this request: the workbench may hand the keyboard to the editor it
    // covers (the dashboard, say), so a click in the list gives it back to the list.
    const cameForward = !this.panel?.visible && req.reveal !== false;
    // The first open creates the panel before building the data: the workbench's part of it (opening the
    // editor, loading the webview's frames) is most of the first open's time; the build (reading the clip's
    // header included) runs meanwhile, and the tab shows at once however long it takes.
    if (!this.panel) this.createPanel(req.preserveFocus);
    // Built ahead and held by the page: nothing to build, and nothing to send if the page drew it already.
    const held =
      this.hasPage && this.channel.isReady ? this.ahead.find(req.id, req.position?.filters, req.position?.index) : null;
    let data: DetailData | null;
    let roots = this.roots;
    if (held) data = { ...held.data, position: placeOf(req.position) };
    else
      try {
        // The folders are looked up while the index answers: build() waits for them only to find the clip.
        const allowed = marks.time('roots', this.allowedRoots());
        allowed.catch(() => undefined);
        data = await this.build(req.id, req.position, allowed, marks);
        roots = await this.rootsFor(data, allowed);
      } catch (e) {
        if (this.panel && !this.hasPage) this.setHtml(); // not left blank
        throw e;
      }
    // A newer request won, or the panel was closed meanwhile.
    if (request !== this.requests || !this.panel) return;
    const panel = this.panel;
    const rootsChanged = !held && (this.setRoots(roots) || this.allowOrigin(data));
    if (!held) this.localClip(panel, data);
    panel.title = data
      ? `${data.prediction.model} · ${data.prediction.split} ${data.prediction.qid}`
      : 'VLM4D: prediction';
    // Enter (focus not preserved) moves the keyboard to the detail view even when it is already in front.
    if (req.reveal !== false && (!panel.visible || !req.preserveFocus)) panel.reveal(undefined, req.preserveFocus);
    if (cameForward && req.preserveFocus && req.fromList) {
      void this.navigation.focusList();
      // A new page can take it again while it loads: once more when it says it is ready.
      this.listFocusOnReady = !this.channel.isReady;
    }
    this.data = data;
    if (held) {
      // Drawn from an older sending (the newest was on its way): drawn again from the newest.
      if (drawn?.id !== req.id || drawn.round !== this.ahead.round)
        this.post({ type: 'showHeld', id: req.id, position: data?.position ?? null });
      this.done(marks, t0, request, req.position);
      return;
    }
    const message: HostToDetail = data
      ? { type: 'show', data }
      : {
          type: 'gone',
          id: req.id,
          message:
            'This prediction is no longer in the index (its file changed or was removed). Choose another in the side panel.',
        };
    if (!this.hasPage || rootsChanged) {
      // A new page (a new panel, or new folders or origins for clips): the message goes in with its HTML.
      if (rootsChanged) panel.webview.options = this.webviewOptions();
      this.setHtml(message);
    } else {
      this.post(message);
      // Held until `ready`: the page will have it then.
      if (!this.channel.isReady) this.given = data;
    }
    this.done(marks, t0, request, data ? req.position : null);
  }

  /** A `show` was sent (or not needed): its timing is kept, and its neighbours in the list are built ahead. */
  private done(marks: ShowMarks, t0: number, request: number, position: ListPosition | null): void {
    marks.mark('posted');
    this.lastMarks = marks.at;
    this.lastShowMs = performance.now() - t0;
    if (position) void this.buildAhead(request, position);
  }

  /**
   * Builds the rows before and after `position` and gives them to the page, unless another prediction was
   * asked for meanwhile or the data changed. A row whose clip the page may not load as it is (another
   * folder or origin: a new page) is left to be built when asked for.
   */
  private async buildAhead(request: number, position: ListPosition): Promise<void> {
    const version = this.ahead.now;
    const entries: HeldPrediction[] = [];
    try {
      for (const delta of [1, -1] as const) {
        const next = request === this.requests ? await this.navigation.neighbour(position, delta) : null;
        if (!next?.position || request !== this.requests) continue;
        const allowed = this.allowedRoots();
        const data = await this.build(next.id, next.position, allowed, new ShowMarks());
        const panel = this.panel;
        if (!data || !panel || request !== this.requests) continue;
        const roots = await this.rootsFor(data, allowed);
        if (roots.length !== this.roots.length || roots.some((r, i) => r !== this.roots[i])) continue;
        if (data.clip.kind === 'video' && data.clip.where === 'remote') continue;
        this.localClip(panel, data);
        entries.push({ id: next.id, filters: position.filters, index: next.position.index, data });
      }
    } catch (e) {
      this.log.line(`Could not build the neighbours of the prediction shown: ${e instanceof Error ? e.message : e}`);
      return;
    }
    if (request === this.requests && this.panel && this.hasPage) this.ahead.offer(version, entries);
  }

  /** The page's folders for showing `data`; the conversion cache only while it shows a converted copy. */
  private async rootsFor(data: DetailData | null, allowed: Promise<AllowedRoots>): Promise<string[]> {
    const roots = resourceRoots(await allowed);
    return data?.clip.kind === 'video' && data.clip.convertedFrom ? [...roots, this.converter.cacheDir] : roots;
  }

  /** A local clip's source as the page loads it (once the panel's folders hold the clip's). */
  private localClip(panel: vscode.WebviewPanel, data: DetailData | null): void {
    if (data?.clip.kind === 'video' && data.clip.where === 'local')
      data.clip.src = panel.webview.asWebviewUri(vscode.Uri.file(data.clip.location)).toString();
  }

  /**
   * Tells the page which prediction is selected now, before it is built: the number keys act on it from
   * this moment. A page still loading learns it from the `show` it gets when ready.
   */
  private announce(id: number | null): void {
    if (this.panel && this.hasPage && this.channel.isReady) this.post({ type: 'select', id });
  }

  async step(delta: 1 | -1, drawn?: { id: number; round: number }): Promise<void> {
    let next: OpenRequest | null = null;
    try {
      next = await this.navigation.step(delta);
    } finally {
      // The page holds number keys pressed after j/k until it hears where the selection went.
      if (!next) this.announce(null);
      // It drew a row built ahead that the list no longer holds there: the selection is still the one before.
      if (!next && drawn !== undefined && this.data) this.post({ type: 'show', data: this.data });
    }
    if (next) await this.show({ ...next, preserveFocus: true }, drawn);
    else
      void vscode.window.setStatusBarMessage(
        delta > 0
          ? 'VLM4D: this is the last prediction of the list'
          : 'VLM4D: this is the first prediction of the list',
        2500,
      );
  }

  private async reload(): Promise<void> {
    this.ahead.invalidate();
    if (this.panel && this.shown)
      await this.show({ id: this.shown.id, position: this.shown.position, preserveFocus: true, reveal: false });
  }

  /** Only the annotations (and the verdict in force) are sent again: the player keeps its place. */
  private async annotationsChanged(edits: readonly ItemChange[] | undefined): Promise<void> {
    // What was built ahead may show them (its own tags, a question's, an override in the table of answers).
    const rebuild = mayShowIn(edits, this.ahead.rows);
    if (rebuild) this.ahead.invalidate();
    const data = this.data;
    if (!data || !this.panel) return;
    const view = await this.index.call('predictionView', { id: data.prediction.id });
    const fresh = view?.detail;
    const suggestions = await openSuggestions(this.index, data.prediction.id);
    if (!fresh || this.data !== data) return;
    data.annotation = { ...this.annotationOf(fresh), suggestions };
    data.prediction = { ...data.prediction, outcome: fresh.outcome };
    if (fresh.annotation) data.prediction.annotation = fresh.annotation;
    else delete data.prediction.annotation;
    for (const o of data.others) if (o.id === fresh.id) o.outcome = fresh.outcome;
    this.post({ type: 'annotation', id: data.prediction.id, annotation: data.annotation, outcome: fresh.outcome });
    if (rebuild && this.shown?.id === data.prediction.id && this.shown.position)
      void this.buildAhead(this.requests, this.shown.position);
  }

  private post(m: HostToDetail): void {
    this.channel.post(m);
  }

  /** Opens the panel, without a page yet (show() gives it one, with the first prediction in it). */
  private createPanel(preserveFocus: boolean): vscode.WebviewPanel {
    const panel = vscode.window.createWebviewPanel(
      DETAIL_VIEW_TYPE,
      'VLM4D: prediction',
      { viewColumn: vscode.ViewColumn.Active, preserveFocus },
      { ...this.webviewOptions(), retainContextWhenHidden: true },
    );
    this.adopt(panel, false);
    return panel;
  }

  /** The folders clips may be read from now: the results folders, the workspace folders and the clip roots. */
  private allowedRoots(): Promise<AllowedRoots> {
    return clipRootsOf({
      clipRoots: config.clipRoots(),
      resultRoots: this.index.getRoots(),
      otherRoots: (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath),
    });
  }

  /** The page's local folders become `roots`. True when they changed. */
  private setRoots(roots: string[]): boolean {
    if (roots.length === this.roots.length && roots.every((r, i) => r === this.roots[i])) return false;
    this.roots = roots;
    return true;
  }

  /** Lets the page load a remote clip: its origin joins the allowed ones. True when they changed. */
  private allowOrigin(data: DetailData | null): boolean {
    const clip = data?.clip;
    const needOrigin = clip?.kind === 'video' && clip.where === 'remote' ? new URL(clip.src).origin : null;
    if (!needOrigin || this.remoteOrigins.includes(needOrigin)) return false;
    this.remoteOrigins.push(needOrigin);
    return true;
  }

  private webviewOptions(): vscode.WebviewOptions & vscode.WebviewPanelOptions {
    return { enableScripts: true, enableFindWidget: true, localResourceRoots: this.resourceRoots() };
  }

  /** Makes `panel` the detail view: its messages, and its page unless show() is about to give it one. */
  private adopt(panel: vscode.WebviewPanel, withPage: boolean): void {
    panel.iconPath = vscode.Uri.joinPath(this.context.extensionUri, 'media', 'vlm4d.svg');
    this.panel = panel;
    // Kept: a disposed panel's `webview` throws.
    const webview = panel.webview;
    this.channel.attach(webview);
    this.hasPage = false;
    if (withPage) this.setHtml();
    panel.onDidDispose(() => {
      if (this.panel !== panel) return;
      this.channel.detach(webview);
      this.panel = undefined;
      this.data = null;
      this.given = null;
      this.shown = null;
      this.ahead.pageReset();
      this.navigation.detailClosed();
    });
  }

  /**
   * After a window reload VS Code hands back the panel with the state its page kept (the prediction's stable
   * key): it shows that prediction again once the results are indexed.
   */
  async restore(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
    if (this.panel) {
      panel.dispose();
      return;
    }
    this.roots = resourceRoots(await this.allowedRoots());
    panel.webview.options = this.webviewOptions();
    this.adopt(panel, true);
    const key = typeof state === 'object' && state !== null ? (state as { key?: unknown }).key : undefined;
    this.log.line(`Restoring the detail view${typeof key === 'string' ? ` of ${key}` : ' (no prediction kept)'}`);
    if (typeof key !== 'string') return;
    await waitFor(
      this.index.onDidChangeState,
      () => this.index.state.kind === 'ready',
      RESTORE_WAIT_MS,
      panel.onDidDispose,
    );
    const id = await this.index.call('predictionIdByKey', { key }).catch(() => null);
    // Its place in the side panel's list (the filters it had before the reload), for "k of N" and next/previous.
    const position = id === null ? null : await this.navigation.locate(id).catch(() => null);
    if (id !== null && this.panel === panel) await this.show({ id, preserveFocus: true, position });
    else if (this.panel === panel)
      this.post({ type: 'gone', id: -1, message: `The prediction ${key} is not in the loaded results any more.` });
  }

  /** Loads the page, with `first` as its first message when given (then no `ready` round trip is waited for). */
  private setHtml(first?: HostToDetail): void {
    if (!this.panel) return;
    this.channel.newPage();
    this.ahead.pageReset();
    this.pageStarted = false;
    this.hasPage = true;
    this.given = first?.type === 'show' ? first.data : null;
    this.panel.webview.html = webviewHtml(this.panel.webview, this.context.extensionUri, {
      script: 'detail',
      inline: true,
      title: 'VLM4D prediction',
      mediaSources: this.remoteOrigins,
      ...(first ? { initialMessage: first } : {}),
    });
  }

  private resourceRoots(): vscode.Uri[] {
    return [distUri(this.context.extensionUri), ...this.roots.map((r) => vscode.Uri.file(r))];
  }

  /** A checked message from the page (undo, redo and the tag palette go to their commands on the way). */
  private async receive(m: DetailToHost): Promise<void> {
    switch (m.type) {
      case 'ready':
        // A page that started again by itself holds nothing built ahead (a new one gets what was held for it).
        if (this.pageStarted) this.ahead.pageReset();
        this.pageStarted = true;
        if (this.listFocusOnReady) void this.navigation.focusList();
        this.listFocusOnReady = false;
        // The page has what its HTML carried and what was held for it; it gets the prediction only if neither
        // holds the one shown now.
        if (this.data && this.data !== this.given) this.post({ type: 'show', data: this.data });
        this.given = null;
        return;
      case 'open': {
        // Another answer to the question: the list selects it too (or nothing, when it does not hold it).
        const request = ++this.requests;
        this.shown = { id: m.id, position: null };
        this.announce(m.id);
        const position = await this.navigation.locate(m.id, () => request === this.requests).catch(() => null);
        if (request !== this.requests) return;
        return this.show({ id: m.id, preserveFocus: true, position });
      }
      case 'step':
        return this.step(m.delta, m.drawn);
      case 'resend':
        if (this.data) this.post({ type: 'show', data: this.data });
        return;
      case 'runCommand':
        await vscode.commands.executeCommand(m.command);
        return;
      case 'toggleTag':
      case 'setNote':
      case 'setVerdict': {
        // By the prediction the page names (a number key: the list's selection; a button or a note: the
        // prediction it was drawn for), never by what happens to be shown when the message is handled.
        const p =
          this.data?.prediction.id === m.id ? this.data.prediction : await this.index.call('prediction', { id: m.id });
        const target = p && this.annotations.targetOf(p);
        if (!target) return;
        const on = 'on' in m && m.on === 'question' ? 'questions' : 'predictions';
        if (m.type === 'toggleTag') await this.annotations.toggleTag([target], m.tag, on);
        else if (m.type === 'setNote') await this.annotations.setNote(target, on, m.note);
        else await this.annotations.setVerdict(target, m.verdict ?? undefined);
        return;
      }
      case 'decideSuggestion':
        await decideSuggestion(this.index, this.annotations, m.id, m.detector, m.accept);
        return;
      case 'showFullResponse':
        return this.sendResponse(m.id);
      case 'convertClip':
        return this.convertClip(m.id);
      case 'copy':
        return copyText(m.what, m.text);
    }
  }

  /** The user clicked Convert: the clip shown becomes its H.264 copy, or the view hears why not. */
  private async convertClip(id: number): Promise<void> {
    const clip = this.data?.prediction.id === id ? this.data.clip : null;
    if (clip?.kind !== 'video' || clip.where !== 'local' || clip.convertedFrom) return;
    this.post({ type: 'conversion', id, state: 'running', message: 'Converting to H.264 with ffmpeg…' });
    const done = await this.converter.convert(clip.location, clip.durationSeconds);
    if (done.ok) await this.reload();
    else this.post({ type: 'conversion', id, ...done });
  }

  /** The whole response of the prediction shown, in chunks, each a short message (a long one would hold the host). */
  private async sendResponse(id: number): Promise<void> {
    for (let start = 0; ;) {
      if (this.data?.prediction.id !== id) return;
      const part = await this.index.call('responseText', { id, start, end: start + RESPONSE_CHUNK_CHARS });
      if (!part || this.data?.prediction.id !== id) return;
      this.post({ type: 'responseChunk', id, start, text: part.text, length: part.length });
      start += part.text.length;
      if (start >= part.length || !part.text.length) return;
    }
  }

  private async build(
    id: number,
    position: ListPosition | null,
    roots: Promise<AllowedRoots>,
    marks: ShowMarks,
  ): Promise<DetailData | null> {
    // One round of the index's thread for all it knows of the prediction, asked at once, not one after the
    // other: each answer waits behind the thread's queue. A long response comes bounded, its final answer
    // found in the index's thread (core/responseView.ts).
    const [view, answers, suggestions] = await Promise.all([
      marks.time('prediction', this.index.call('predictionView', { id })),
      marks.time('answers', this.index.call('questionPredictions', { id })),
      marks.time('suggestions', openSuggestions(this.index, id)),
    ]);
    if (!view) return null;
    const prediction = view.detail;
    const clip = await marks.time('clip', clipView(prediction, await roots, this.converter, this.index.getRoots()));
    const comparison = await marks.time(
      'comparison',
      detailComparison(this.index, position?.filters, answers, clip, id),
    );
    return {
      ...(comparison ? { comparison } : {}),
      prediction,
      responseRest: view.rest,
      clip,
      others: answers.map((r) => otherAnswer(r, id)),
      finalAnswer: view.finalAnswer,
      position: placeOf(position),
      annotation: { ...this.annotationOf(prediction), suggestions },
      search: position?.filters.text ?? this.navigation.searchText ?? '',
    };
  }

  private annotationOf(p: PredictionDetail): DetailData['annotation'] {
    const target = this.annotations.targetOf(p);
    const data = target ? this.annotations.data(target.root) : undefined;
    const own = target ? data?.predictions[target.predictionKey] : undefined;
    const q = target ? data?.questions[target.questionKey] : undefined;
    const broken = target && this.annotations.files().find((f) => f.root === target.root && f.state.kind === 'broken');
    const taggingOff = !target
      ? 'This prediction is not in an indexed results folder.'
      : broken && broken.state.kind === 'broken'
        ? `${broken.file} cannot be read (${broken.state.reason}); tagging is off until it is fixed or reset.`
        : null;
    return {
      tags: own?.tags ?? [],
      questionTags: q?.tags ?? [],
      note: own?.note ?? '',
      questionNote: q?.note ?? '',
      verdict: own?.verdict ?? null,
      vocabulary: this.annotations.tags(),
      questionVocabulary: [...new Set([...QUESTION_TAGS, ...(q?.tags ?? [])])],
      taggingOff,
    };
  }

  dispose(): void {
    this.panel?.dispose();
    for (const d of this.disposables) d.dispose();
  }
}

function otherAnswer(r: PredictionRow, currentId: number): OtherAnswer {
  return {
    id: r.id,
    model: r.model,
    samplingLabel: r.samplingLabel,
    promptMode: r.promptMode,
    stage: r.stage,
    chosen: r.chosen,
    chosenText: r.chosenText,
    outcome: r.outcome,
    grader: r.grader,
    current: r.id === currentId,
  };
}

/** Where a prediction stands in the list, as the page shows it ("k of N"). */
function placeOf(position: ListPosition | null): DetailData['position'] {
  return position ? { index: position.index, total: position.total ?? position.index + 1 } : null;
}

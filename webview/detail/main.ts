// The failure explorer's detail view (a webview panel), built around the decision: at the top, kept there, the
// verdict with the override, the tags and the notes (decisionBar.ts); then the clip in a frame-accurate player
// with the frames the model was given as a filmstrip, beside the question, the choices, the model's response
// (sanitised Markdown, its frame and time references linked to the player), the judge's verdict and the
// taxonomy with its rules; then every other loaded answer to the question (answers.ts).
// Talks to its host only through the messages in src/protocol/detailView.ts.
//
// The DOM the host generates (src/host/webviewHtml.ts):
//   <meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'nonce-N';
//         style-src ${cspSource}; font-src ${cspSource}; img-src ${cspSource}; media-src ${cspSource} [https:]">
//   <div id="app"></div>
//   [<script type="application/json" id="vlm4d-initial-message">{"type":"show",…}</script>]
//   <script nonce="N" data-src="…/dist/webview/detail.js" data-codicons="…/codicon.css">(this bundle)</script>
// The bundle is in the page, not fetched, and the codicon stylesheet is added once the first prediction is
// drawn: the load event, at which VS Code shows the frame, waits for neither (a page with
// <script src> and the stylesheet's <link> works as well).
// The first message comes in the HTML when the host has it (src/protocol/embed.ts): the view draws it at the
// document's load event, without waiting for a `ready` round trip. The Markdown renderer is a second bundle,
// loaded by nonce after the first paint (markdownLoader.ts); until it has run, the response is plain text.
// The remote part of media-src is there only when the user allowed remote clips: the view never assumes it
// (a clip it cannot load says so under the player). Ids other code relies on (the workbench tests too):
// #play, #next-frame, #previous-frame, #next-sampled, #previous-sampled, #frame-number ("Frame 17 / 90":
// frame 17, counting from 0, of 90), #frame-time (mm:ss.s), #timeline, #ticks, #speed, #loop, #mirror,
// #clip-error, #filmstrip (.thumb[data-frame][data-index], data-drawn: thumbnails drawn), #decision (the bar
// kept at the top: #question, #outcome, #prediction-key, #copy-key, #copy-markdown, #readings, #override,
// #tags, #question-tags, #note-prediction, #note-question), #choices, #response (button.frame-ref: a frame or
// time it names), #judge, #taxonomy, #answers-toggle, #others (rows tr[data-id]; other rows hold a button),
// .missing with #set-clip-root and #allow-remote, #gone.
// CSS is bundled and adopted as a constructed stylesheet: no inline styles, no 'unsafe-inline'. All text from
// results files is set with textContent, except the response, which goes through renderMarkdown once loaded.
import type { FrameRef } from '../../src/core/frameRefs';
import type { DetailData, DetailToHost, HostToDetail } from '../../src/protocol/detailView';
import { INITIAL_MESSAGE_ID } from '../../src/protocol/embed';
import { assertNever } from '../../src/protocol/assertNever';
import { valueName as name } from '../shared/names';
import css from './detail.css';
import decisionCss from './decision.css';
import { add, el } from '../shared/dom';
import { mount, vscodeApi } from '../shared/mount';
import { CodecNotice, foundNote, renderMissing } from './clipNotice';
import { renderAnswers } from './answers';
import { DecisionBar } from './decisionBar';
import { decideFirst } from './suggestions';
import { Filmstrip } from './filmstrip';
import { linkFrameRefs } from './frameLinks';
import { ResponseChunks, renderLongResponse, renderWholeText } from './longResponse';
import { MarkdownLoader } from './markdownLoader';
import { Player } from './player';
import { renderPlainText } from './responseText';
import { HIGHLIGHT_CSS, highlightWithin, termsOf } from '../shared/highlight';
import { icon, verdictText } from './verdictText';
import { showComparison } from './compareView';
import { DrawMarks, epochNow } from './drawTimes';

const vscode = vscodeApi();
const post = (m: DetailToHost): void => vscode.postMessage(m);
// Only set while this bundle's top level runs.
const ownScript = document.currentScript as HTMLScriptElement | null;

/** Runs `fn` once the document has loaded (VS Code shows the webview's frame at its load event). */
function whenLoaded(fn: () => void): void {
  if (document.readyState === 'complete') fn();
  else window.addEventListener('load', () => fn(), { once: true });
}

/** Runs `fn` after the next frame is drawn (or soon, when frames are not drawn: a hidden panel). */
function afterPaint(fn: () => void): void {
  let done = false;
  const go = () => {
    if (done) return;
    done = true;
    fn();
  };
  requestAnimationFrame(() => setTimeout(go, 0));
  setTimeout(go, 250);
}

class DetailView {
  private readonly player = new Player();
  private readonly filmstrip = new Filmstrip((frame) => this.player.showFrame(frame));
  private readonly bar = new DecisionBar(post);
  private readonly clipInfo = el('div', 'clip-info');
  private readonly missing = el('div', 'missing');
  private readonly side = el('div', 'side');
  private readonly codecNotice = new CodecNotice(post);
  /** "Every loaded answer to this question", under the clip and the response. */
  private readonly answers = el('div', 'answers-box');
  private data: DetailData | null = null;
  private readonly markdown = new MarkdownLoader(ownScript);
  /** Whether the answers table is collapsed: kept in the webview's state with the prediction shown. */
  private answersCollapsed = (vscode.getState() as { answersCollapsed?: unknown } | null)?.answersCollapsed === true;
  /** The whole of a long response, arriving after "Show all". */
  private chunks: ResponseChunks | null = null;
  /**
   * The side panel's selected prediction, when the host said it is not the one drawn yet (its `show` is on
   * the way): the number keys act on it, so a tag never lands on the prediction being replaced.
   */
  private selectedId: number | null = null;
  /** A j/k was sent and the host has not said where the selection went: number keys wait for its answer. */
  private stepsOut = 0;
  private heldKeys: string[] = [];
  private readonly marks = new DrawMarks();
  /** The list's rows around the one shown, built ahead by the host (`prefetch`): j/k draws them at once. */
  private held: DetailData[] = [];
  private heldRound = 0;

  constructor(root: HTMLElement) {
    root.append(this.bar.el);
    // The clip column sticks under the decision bar, however tall the bar's wrapping makes it.
    new ResizeObserver(() =>
      document.documentElement.style.setProperty('--decision-height', `${this.bar.el.offsetHeight}px`),
    ).observe(this.bar.el);
    const layout = add(root, 'div', 'layout');
    const left = add(layout, 'section', 'left');
    left.setAttribute('aria-label', 'Clip');
    left.append(this.player.el, this.codecNotice.el, this.filmstrip.el, this.clipInfo, this.missing);
    this.player.video.addEventListener('error', () => this.codecNotice.videoFailed());
    this.player.onFrame = (frame) => this.filmstrip.current(frame);
    this.missing.hidden = true;
    layout.append(this.side);
    // Outside the two columns: the clip column, sticky, would cover its left part while scrolling past it.
    root.append(this.answers);
    this.side.setAttribute('aria-label', 'Question, response and verdict');
    this.empty('Choose a prediction in the Failures list.');
    let heard = false;
    window.addEventListener('message', (e: MessageEvent) => {
      const type = (e.data as { type?: unknown } | null)?.type;
      if (type === 'show' || type === 'gone') heard = true;
      this.onMessage(e.data);
    });
    document.addEventListener('keydown', (e) => this.onKey(e));
    const block = document.getElementById(INITIAL_MESSAGE_ID);
    block?.remove();
    let initial: unknown = null;
    try {
      initial = JSON.parse(block?.textContent ?? 'null');
    } catch {
      // Not written by our host: nothing to show until it posts something.
    }
    post({ type: 'ready' });
    whenLoaded(() => {
      // Drawn at the load event, when VS Code makes the frame visible: drawn before it, the icons would start
      // loading the codicon font, and the font would hold that event (and the frame) back. Messages the host
      // posted meanwhile are delivered after it (and replace this one); one that came first is newer.
      if (initial && !heard) this.onMessage(initial);
      const codicons = ownScript?.dataset.codicons;
      if (codicons && !document.getElementById('vscode-codicon-stylesheet')) {
        // After the first draw: its icons take their glyphs a moment later.
        const link = document.createElement('link');
        link.id = 'vscode-codicon-stylesheet';
        link.rel = 'stylesheet';
        link.href = codicons;
        document.head.append(link);
      }
      afterPaint(() => this.markdown.load(() => this.upgradeResponse()));
    });
  }

  private empty(text: string, id?: string): void {
    const p = el('p', 'placeholder', text);
    if (id) p.id = id;
    this.bar.empty(p);
    this.player.unload();
    this.player.el.hidden = true;
    this.filmstrip.unload();
    this.side.replaceChildren();
    this.answers.replaceChildren();
    this.clipInfo.replaceChildren();
    this.missing.hidden = true;
    this.codecNotice.el.hidden = true;
  }

  private onMessage(raw: unknown): void {
    if (typeof raw !== 'object' || raw === null) return;
    const m = raw as HostToDetail;
    switch (m.type) {
      case 'show':
        this.show(m.data);
        this.selected(m.data.prediction.id);
        break;
      case 'select':
        this.stepsOut = Math.max(0, this.stepsOut - 1);
        this.selected(m.id ?? this.selectedId ?? this.data?.prediction.id ?? null);
        break;
      case 'gone':
        this.data = null;
        this.empty(m.message, 'gone');
        this.selected(null);
        break;
      case 'annotation':
        if (!this.data || this.data.prediction.id !== m.id) return;
        this.data.annotation = m.annotation;
        this.data.prediction.outcome = m.outcome;
        this.bar.render(this.data);
        break;
      case 'conversion':
        this.codecNotice.conversion(m);
        break;
      case 'responseChunk':
        this.responseChunk(m);
        break;
      case 'prefetch':
        this.held = m.entries;
        this.heldRound = m.round;
        document.body.dataset.held = String(m.entries.length);
        break;
      case 'showHeld': {
        const d = this.held.find((h) => h.prediction.id === m.id);
        // Never expected (the host knows what this page holds): asked for in full rather than left stale.
        if (!d) post({ type: 'resend' });
        else {
          this.show({ ...d, position: m.position }, 'held');
          this.selected(m.id);
        }
        break;
      }
      default:
        assertNever(m, 'host message');
    }
  }

  /**
   * The list's selection is `id`: what is drawn is marked as being replaced until `show` brings `id`, and the
   * number keys held while a step was unanswered go to `id` now.
   */
  private selected(id: number | null): void {
    const shown = this.data?.prediction.id ?? null;
    this.selectedId = id !== null && id !== shown ? id : null;
    document.body.classList.toggle('replacing', this.selectedId !== null);
    if (this.selectedId !== null) document.body.dataset.selectedId = String(this.selectedId);
    else delete document.body.dataset.selectedId;
    if (this.stepsOut) return;
    const keys = this.heldKeys;
    this.heldKeys = [];
    for (const k of keys) this.tagKey(k);
  }

  /** The prediction a number key tags: the list's selection (being drawn, or drawn). */
  private keyTarget(): number | null {
    return this.selectedId ?? this.data?.prediction.id ?? null;
  }

  /** A number key: toggles that tag of the vocabulary on the key's target. */
  private tagKey(key: string): void {
    const d = this.data;
    const id = this.keyTarget();
    const tag = d?.annotation.vocabulary[Number(key) - 1];
    if (d && id !== null && tag && !d.annotation.taggingOff) post({ type: 'toggleTag', id, tag, on: 'prediction' });
  }

  /** `from`: how the data came (for the timing report): sent to be shown, held and shown when asked, or drawn by j/k. */
  private show(d: DetailData, from: 'sent' | 'held' | 'ahead' = 'sent'): void {
    this.marks.begin(from);
    this.data = d;
    this.chunks = null;
    this.saveState();
    this.bar.render(d);
    this.marks.mark('bar');
    const clip = d.clip;
    if (!this.codecNotice.blocks(d.prediction.id, clip) && clip.kind === 'video') {
      this.player.el.hidden = false;
      this.missing.hidden = true;
      this.player.load(clip);
      this.filmstrip.load(clip);
      this.clipInfo.replaceChildren(el('div', 'note', clip.samplingNote), el('div', 'note', foundNote(clip)));
    } else {
      this.player.unload();
      this.player.el.hidden = true;
      this.filmstrip.unload();
      this.clipInfo.replaceChildren();
      if (clip.kind === 'missing') renderMissing(this.missing, clip, post);
      else this.missing.hidden = true;
    }
    this.marks.mark('clip');
    this.renderSide(d);
    this.marks.mark('side');
    showComparison(d);
    this.marks.mark('comparison');
    // When the view was filled and is on screen (epoch ms), for the end-to-end timing report of the tests: not
    // before the document's load event, at which VS Code shows the frame. The filmstrip's pictures come after.
    whenLoaded(() => {
      if (this.data !== d) return;
      this.marks.shown(d.prediction.id, () => this.data === d);
      afterPaint(() => {
        if (this.data === d) this.filmstrip.draw();
      });
    });
  }

  /**
   * The prediction shown, and how the user left the page. The key is stable across re-indexing: after a window
   * reload the host finds the prediction again by it. The id is valid while this index lives.
   */
  private saveState(): void {
    const p = this.data?.prediction;
    vscode.setState({
      ...(p ? { id: p.id, key: p.key } : {}),
      ...(this.answersCollapsed ? { answersCollapsed: true } : {}),
    });
  }

  /** A frame or time the response names: the player shows it, the filmstrip marks the frames it covers. */
  private showRef(ref: FrameRef): void {
    const clip = this.data?.clip;
    if (clip?.kind !== 'video') return;
    if (ref.kind === 'sampled') {
      const frame = clip.sampledFrames?.[ref.from];
      if (frame === undefined) return;
      this.player.showFrame(frame);
      this.filmstrip.mark(ref.from, ref.to);
    } else {
      this.player.showTime(ref.from);
      const k = this.filmstrip.framesAt(ref.from, ref.to);
      if (k) this.filmstrip.mark(k.from, k.to);
    }
  }

  /** The response's frame and time references as links to them (when the clip's frames are known). */
  private linkRefs(body: HTMLElement, d: DetailData): void {
    const c = d.clip;
    if (c.kind !== 'video' || c.fps === null || c.frameCount === null) return;
    const ctx = { sampledFrames: c.sampledFrames, fps: c.fps, durationSeconds: c.durationSeconds };
    body.dataset.frameRefs = String(linkFrameRefs(body, ctx, (ref) => this.showRef(ref)));
  }

  /** The response: sanitised Markdown once its renderer has loaded, plain text until then (or if it fails). */
  private renderResponse(body: HTMLElement, d: DetailData): void {
    const text = d.prediction.response;
    const render = this.markdown.renderer;
    if (!text) {
      add(body, 'p', 'muted', '(empty response)');
      body.dataset.format = 'empty';
    } else if (d.responseRest) {
      // Long: its head and excerpts, drawn as Markdown once the renderer is there; the rest on request.
      renderLongResponse(body, d, render ?? renderPlainText, () => {
        this.chunks = new ResponseChunks(d.prediction.id, d.responseRest?.length ?? 0);
        post({ type: 'showFullResponse', id: d.prediction.id });
      });
      body.dataset.format = render ? 'markdown-part' : 'text';
    } else if (render) {
      render(body, text, d.finalAnswer);
      body.dataset.format = 'markdown';
      // When the response was last drawn as Markdown (epoch ms), for the timing report of the tests.
      document.body.dataset.markdownAt = String(epochNow());
    } else {
      renderPlainText(body, text, d.finalAnswer);
      body.dataset.format = 'text';
      if (this.markdown.failed)
        add(body, 'p', 'muted note', 'Shown as plain text: the Markdown renderer did not load.');
    }
    highlightWithin(body, termsOf(d.search));
    // The plain text drawn while the renderer loads is drawn again when it is there: linked then.
    if (body.dataset.format !== 'text' || this.markdown.failed) this.linkRefs(body, d);
  }

  /** A chunk of the whole response asked for: once all are in, it replaces the parts shown. */
  private responseChunk(m: Extract<HostToDetail, { type: 'responseChunk' }>): void {
    const d = this.data;
    const body = document.getElementById('response');
    if (!d || !body || !this.chunks || this.chunks.id !== m.id || d.prediction.id !== m.id) return;
    if (!this.chunks.add(m.start, m.text)) return;
    renderWholeText(body, this.chunks.text(), d.finalAnswer);
    highlightWithin(body, termsOf(d.search));
    body.dataset.format = 'whole';
    this.linkRefs(body, d);
    this.chunks = null;
  }

  /** The Markdown renderer has loaded (or failed): the response on screen is drawn again with it. */
  private upgradeResponse(): void {
    const body = document.getElementById('response');
    const d = this.data;
    // Not while the whole of a long response is on its way: it replaces the parts shown.
    if (!body || !d || body.dataset.format !== 'text' || this.chunks) return;
    this.renderResponse(body, d);
  }

  private renderSide(d: DetailData): void {
    const p = d.prediction;
    const side = this.side;
    side.replaceChildren();

    const choices = add(side, 'section', 'block');
    add(choices, 'h2', '', 'Choices');
    const list = add(choices, 'ul', 'choices');
    list.id = 'choices';
    for (const letter of ['A', 'B', 'C', 'D'] as const) {
      const v = p.choices[letter];
      if (v === undefined) continue;
      const li = add(list, 'li', 'choice');
      li.dataset.letter = letter;
      add(li, 'span', 'letter', letter);
      add(li, 'span', 'text', String(v));
      const truth = letter === p.groundTruthLetter;
      const chosen = letter === p.chosen;
      if (truth) {
        li.classList.add('truth');
        const b = add(li, 'span', 'mark truth-mark');
        icon('check', b);
        add(b, 'span', '', 'ground truth');
      }
      if (chosen) {
        li.classList.add('chosen', truth ? 'right' : 'wrong');
        const b = add(li, 'span', `mark chosen-mark`);
        icon(truth ? 'pass' : 'error', b);
        add(b, 'span', '', 'model’s choice');
      }
    }
    if (!p.chosen) add(choices, 'p', 'no-answer', 'No valid answer: the model’s choice could not be read.');

    const response = add(side, 'section', 'block');
    add(response, 'h2', '', 'Response');
    const body = add(response, 'div', 'response');
    body.id = 'response';
    body.tabIndex = 0;
    body.setAttribute('role', 'region');
    body.setAttribute('aria-label', 'The model’s response');
    this.renderResponse(body, d);

    this.renderVerdict(d, side);

    const tax = add(side, 'section', 'block');
    add(tax, 'h2', '', 'Question');
    const tl = add(tax, 'dl', 'facts');
    tl.id = 'taxonomy';
    const row = (k: string, v: string, rule?: string) => {
      add(tl, 'dt', '', k);
      const dd = add(tl, 'dd', '', v);
      if (rule) add(dd, 'span', 'rule', ` (${rule})`);
    };
    row('Perspective', name(p.perspective), p.rules.perspective);
    row('Motion', name(p.motion), p.rules.motion);
    row('Source', name(p.source), p.rules.source);
    row('Split', name(p.split));
    row('Question id', p.qid);
    row('Results file', p.filePath);

    this.answers.replaceChildren();
    renderAnswers(d, this.answers, post, {
      collapsed: () => this.answersCollapsed,
      setCollapsed: (on) => {
        this.answersCollapsed = on;
        this.saveState();
      },
    });
  }

  /** The verdict in full: the judge's extracted answer, its verdict and notes, other judges of the same run. */
  private renderVerdict(d: DetailData, side: HTMLElement): void {
    const p = d.prediction;
    const sec = add(side, 'section', 'block');
    sec.id = 'judge';
    sec.dataset.grader = p.grader;
    add(sec, 'h2', '', p.grader === 'rule' ? 'Verdict (rule-graded)' : 'Verdict');
    const r = p.ruleReading;
    const dl = add(sec, 'dl', 'facts');
    const fact = (k: string, v: string) => {
      add(dl, 'dt', '', k);
      return add(dl, 'dd', 'pre', v);
    };
    if (p.grader === 'judge') fact('Extracted answer', p.extractedAnswer ?? '(none)');
    const verdict =
      p.grader === 'judge'
        ? p.judgeCorrect === null
          ? 'no verdict'
          : `${verdictText(p.judgeCorrect)} (the judge’s)`
        : p.grader === 'rule'
          ? `${verdictText(r.correct)} (rule-graded: no judge graded this raw output; the answer-reading rule did)`
          : 'no verdict (raw output, ungraded: a judged file of the same run is loaded and holds the verdict)';
    fact('Verdict', verdict).id = 'verdict';
    for (const [k, v] of Object.entries(p.judgeExtras)) fact(k, v);
    for (const o of p.otherJudges ?? []) {
      const dd = fact(
        'Other judge',
        `${verdictText(o.judgeCorrect)}${o.extractedAnswer ? ` (extracted: ${o.extractedAnswer})` : ''} — ${o.filePath}`,
      );
      dd.classList.add('other-judge');
      if (p.judgeCorrect !== null && o.judgeCorrect !== null && o.judgeCorrect !== p.judgeCorrect) {
        const mark = add(dd, 'span', 'badge disagree');
        mark.title = 'Two judges of the same run give different verdicts';
        dd.insertBefore(document.createTextNode(' '), mark);
        icon('warning', mark);
        add(mark, 'span', '', 'judges disagree');
      }
    }
  }

  private step(delta: 1 | -1): void {
    // When j/k was pressed, for the timing report of the tests (drawTimes.ts).
    document.body.dataset.stepAt = String(epochNow());
    // The row there, when it was built ahead and nothing is on its way: drawn now, and the host told so (it
    // sends the row again only if the list holds another one there by now).
    const at = this.data?.position;
    const ahead =
      !this.stepsOut && this.selectedId === null && at
        ? this.held.find((h) => h.position?.index === at.index + delta)
        : undefined;
    this.stepsOut++;
    if (!ahead) return post({ type: 'step', delta });
    this.show(ahead, 'ahead');
    post({ type: 'step', delta, drawn: { id: ahead.prediction.id, round: this.heldRound } });
  }

  private onKey(e: KeyboardEvent): void {
    const t = e.target as HTMLElement;
    if (t.closest('textarea, input:not([type=range]), select') || e.ctrlKey || e.metaKey || e.altKey) return;
    const d = this.data;
    if (!d) return;
    let handled = true;
    if (/^[1-9]$/.test(e.key)) {
      // After j/k the host has not said yet which prediction is selected: the key waits for it.
      if (this.stepsOut) this.heldKeys.push(e.key);
      else this.tagKey(e.key);
    } else
      switch (e.key) {
        case ' ':
          if (t.closest('button')) return;
          this.player.togglePlay();
          break;
        case '.':
          this.player.step(1);
          break;
        case ',':
          this.player.step(-1);
          break;
        case ']':
          this.player.jumpSampled(1);
          break;
        case '[':
          this.player.jumpSampled(-1);
          break;
        case 'l':
          this.player.setLoop(!this.player.video.loop);
          break;
        case 'm':
          this.player.setMirror(this.player.video.style.transform === '');
          break;
        case 'j':
        case 'ArrowDown':
          if (t.closest('.timeline')) return;
          this.step(1);
          break;
        case 'k':
        case 'ArrowUp':
          if (t.closest('.timeline')) return;
          this.step(-1);
          break;
        case 't':
          post({ type: 'tagPalette' });
          break;
        case 'a':
        case 'x': {
          // The drawn prediction's suggestion, never one being replaced by the list's new selection.
          const m = this.selectedId === null ? decideFirst(d, e.key === 'a') : null;
          if (m) post(m);
          break;
        }
        case 'u':
          post({ type: 'undo' });
          break;
        case 'U':
          post({ type: 'redo' });
          break;
        default:
          handled = false;
      }
    if (handled) e.preventDefault();
  }
}

mount(`${css}\n${decisionCss}\n${HIGHLIGHT_CSS}`, (root) => new DetailView(root));

// The failure explorer's detail view (a webview panel): the clip in a frame-accurate player beside the
// question, the choices, the model's response (sanitised Markdown), the judge's verdict, the taxonomy with
// its rules, every other loaded answer to the question, and the prediction's tags, notes and override.
// Talks to its host only through the messages in src/protocol/detailView.ts.
//
// The DOM the host generates (src/host/webviewHtml.ts):
//   <meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'nonce-N';
//         style-src ${cspSource}; font-src ${cspSource}; img-src ${cspSource}; media-src ${cspSource} [https:]">
//   <link id="vscode-codicon-stylesheet" rel="stylesheet" href="…/codicon.css">
//   <div id="app"></div>
//   [<script type="application/json" id="vlm4d-initial-message">{"type":"show",…}</script>]
//   <script nonce="N" src="…/dist/webview/detail.js"></script>
// The first message comes in the HTML when the host has it (src/protocol/embed.ts): the view draws it at the
// document's load event, without waiting for a `ready` round trip. The Markdown renderer is a second bundle,
// loaded by nonce after the first paint (markdownLoader.ts); until it has run, the response is plain text.
// The remote part of media-src is there only when the user allowed remote clips: the view never assumes it
// (a clip it cannot load says so under the player). Ids other code relies on (the workbench tests too):
// #play, #next-frame, #previous-frame, #next-sampled, #previous-sampled, #frame-number ("Frame 17 / 90":
// frame 17, counting from 0, of 90), #timeline, #ticks, #speed, #loop, #mirror, #clip-error, #question,
// #outcome, #choices, #response, #judge, #taxonomy, #others (rows tr[data-id]; other rows hold a button),
// .missing with #set-clip-root and #allow-remote, #gone.
// CSS is bundled and adopted as a constructed stylesheet: no inline styles, no 'unsafe-inline'. All text from
// results files is set with textContent, except the response, which goes through renderMarkdown once loaded.
import type { DetailAnnotation, DetailData, DetailToHost, HostToDetail } from '../../src/protocol/detailView';
import { INITIAL_MESSAGE_ID } from '../../src/protocol/embed';
import type { Grader } from '../../src/core/model';
import { assertNever } from '../../src/protocol/assertNever';
import { formatCount } from '../shared/format';
import { valueName as name } from '../shared/names';
import css from './detail.css';
import { add, el } from '../shared/dom';
import { mount, vscodeApi } from '../shared/mount';
import { ResponseChunks, renderLongResponse, renderWholeText } from './longResponse';
import { MarkdownLoader } from './markdownLoader';
import { Player } from './player';
import { renderPlainText } from './responseText';
import { showComparison } from './compareView';

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

const OUTCOME_ICON: Record<string, string> = { failed: 'error', correct: 'pass', ungraded: 'circle-large-outline' };
const RULE_GRADED_TITLE = 'No judge graded this raw output: its verdict is the answer-reading rule’s';

const verdictText = (v: boolean | null): string => (v === null ? 'no verdict' : v ? 'correct' : 'wrong');

/** An outcome as shown: a rule's verdict is always labelled as one. */
const outcomeText = (outcome: string, grader: Grader | undefined): string =>
  grader === 'rule' && outcome !== 'ungraded' ? `${name(outcome)} (rule-graded)` : name(outcome);

/** Who graded the prediction (the verdict an override replaces) and that verdict. */
function gradedBy(p: DetailData['prediction']): { who: 'judge' | 'rule'; verdict: boolean | null } {
  return p.grader === 'rule'
    ? { who: 'rule', verdict: p.ruleReading.correct }
    : { who: 'judge', verdict: p.judgeCorrect };
}

function icon(nameOf: string, parent: HTMLElement): HTMLElement {
  const i = add(parent, 'span', `codicon codicon-${nameOf}`);
  i.setAttribute('aria-hidden', 'true');
  return i;
}

class DetailView {
  private readonly player = new Player();
  private readonly header = el('header', 'header');
  private readonly clipInfo = el('div', 'clip-info');
  private readonly missing = el('div', 'missing');
  private readonly side = el('div', 'side');
  private data: DetailData | null = null;
  private readonly markdown = new MarkdownLoader(ownScript);
  private noteTimers = new Map<string, ReturnType<typeof setTimeout>>();
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

  constructor(root: HTMLElement) {
    const layout = add(root, 'div', 'layout');
    const left = add(layout, 'section', 'left');
    left.setAttribute('aria-label', 'Clip');
    left.append(this.header, this.player.el, this.clipInfo, this.missing);
    this.missing.hidden = true;
    layout.append(this.side);
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
      afterPaint(() => this.markdown.load(() => this.upgradeResponse()));
    });
  }

  private empty(text: string, id?: string): void {
    const p = el('p', 'placeholder', text);
    if (id) p.id = id;
    this.header.replaceChildren(p);
    this.player.unload();
    this.player.el.hidden = true;
    this.side.replaceChildren();
    this.clipInfo.replaceChildren();
    this.missing.hidden = true;
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
        this.renderHeader(this.data);
        this.renderAnnotations(this.data.annotation);
        break;
      case 'responseChunk':
        this.responseChunk(m);
        break;
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

  private show(d: DetailData): void {
    this.data = d;
    this.chunks = null;
    // The key is stable across re-indexing: after a window reload the host finds the prediction again by it.
    // The id is valid while this index lives.
    vscode.setState({ id: d.prediction.id, key: d.prediction.key });
    this.renderHeader(d);
    const clip = d.clip;
    if (clip.kind === 'video') {
      this.player.el.hidden = false;
      this.missing.hidden = true;
      this.player.load(clip);
      this.clipInfo.replaceChildren(
        el('div', 'note', clip.samplingNote),
        el('div', 'note', `Found by ${clip.rule}: ${clip.location}`),
      );
    } else {
      this.player.unload();
      this.player.el.hidden = true;
      this.clipInfo.replaceChildren();
      this.renderMissing(clip);
    }
    this.renderSide(d);
    showComparison(d);
    // When the view was filled and is on screen (epoch ms), for the end-to-end timing report of the tests: not
    // before the document's load event, at which VS Code shows the frame.
    whenLoaded(() => {
      if (this.data === d) document.body.dataset.shownAt = String(Date.now());
    });
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
      document.body.dataset.markdownAt = String(Date.now());
    } else {
      renderPlainText(body, text, d.finalAnswer);
      body.dataset.format = 'text';
      if (this.markdown.failed)
        add(body, 'p', 'muted note', 'Shown as plain text: the Markdown renderer did not load.');
    }
  }

  /** A chunk of the whole response asked for: once all are in, it replaces the parts shown. */
  private responseChunk(m: Extract<HostToDetail, { type: 'responseChunk' }>): void {
    const d = this.data;
    const body = document.getElementById('response');
    if (!d || !body || !this.chunks || this.chunks.id !== m.id || d.prediction.id !== m.id) return;
    if (!this.chunks.add(m.start, m.text)) return;
    renderWholeText(body, this.chunks.text(), d.finalAnswer);
    body.dataset.format = 'whole';
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

  private renderHeader(d: DetailData): void {
    const p = d.prediction;
    const h = this.header;
    h.replaceChildren();
    const q = add(h, 'h1', 'question', p.question);
    q.id = 'question';
    const meta = add(h, 'div', 'meta');
    const badge = add(meta, 'span', `badge outcome-${p.outcome}`);
    badge.id = 'outcome';
    icon(OUTCOME_ICON[p.outcome] ?? 'circle', badge);
    // Overridden, the outcome is the user's: the badge beside it names the rule's or the judge's verdict.
    add(badge, 'span', '', outcomeText(p.outcome, d.annotation.verdict ? undefined : p.grader));
    if (p.grader === 'rule' && !d.annotation.verdict) badge.title = RULE_GRADED_TITLE;
    const graded = gradedBy(p);
    if (d.annotation.verdict)
      add(meta, 'span', 'badge overridden', `overridden (${graded.who}: ${verdictText(graded.verdict)})`);
    add(meta, 'span', 'model', `${p.model}_${p.samplingLabel}`);
    add(meta, 'span', 'muted', name(p.promptMode));
    if (d.position)
      add(meta, 'span', 'muted position', `${formatCount(d.position.index + 1)} of ${formatCount(d.position.total)}`);
  }

  private renderMissing(clip: Extract<DetailData['clip'], { kind: 'missing' }>): void {
    const box = this.missing;
    box.hidden = false;
    box.replaceChildren();
    box.setAttribute('role', 'status');
    const t = add(box, 'h2');
    icon('warning', t);
    add(t, 'span', '', ' Clip not found');
    add(box, 'p', '', clip.video ? `The record names ${clip.video}.` : 'The record names no clip.');
    if (clip.tried.length) {
      add(box, 'p', '', 'Looked in, in order:');
      const ul = add(box, 'ul', 'looked');
      for (const t of clip.tried) {
        const li = add(ul, 'li', '', t.path);
        li.dataset.result = t.result;
        if (t.reason) add(li, 'span', 'muted', ` — ${t.reason}`);
      }
    }
    const actions = add(box, 'div', 'actions');
    const setRoot = add(actions, 'button', 'button', 'Set Clip Root…');
    setRoot.type = 'button';
    setRoot.id = 'set-clip-root';
    setRoot.addEventListener('click', () => post({ type: 'runCommand', command: 'vlm4d.setClipRoot' }));
    if (clip.remotePossible) {
      const remote = add(actions, 'button', 'button secondary', 'Allow Remote Clips');
      remote.type = 'button';
      remote.id = 'allow-remote';
      remote.addEventListener('click', () => post({ type: 'runCommand', command: 'vlm4d.allowRemoteClips' }));
    }
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

    this.renderOthers(d, side);
    const anno = add(side, 'section', 'block annotations');
    anno.id = 'annotations';
    side.append(anno);
    this.renderAnnotations(d.annotation);
  }

  /**
   * The judge's reading and the answer-reading rule's, side by side, marked when their verdicts differ; for a
   * raw output (no judge) the rule's verdict is the one in force, and says so: it never passes for a judge's.
   */
  private renderVerdict(d: DetailData, side: HTMLElement): void {
    const p = d.prediction;
    const sec = add(side, 'section', 'block');
    sec.id = 'judge';
    sec.dataset.grader = p.grader;
    add(sec, 'h2', '', p.grader === 'rule' ? 'Verdict (rule-graded)' : 'Verdict');
    const readings = add(sec, 'div', 'readings');
    readings.id = 'readings';
    readings.setAttribute('role', 'group');
    readings.setAttribute('aria-label', 'The judge’s reading and the rule’s');
    const reading = (
      reader: 'judge' | 'rule',
      parts: string[],
      verdict: boolean | null | undefined,
      first = 'reading-letter',
    ) => {
      const box = add(readings, 'span', `reading reading-${reader}`);
      box.dataset.reader = reader;
      if (verdict !== undefined) box.dataset.verdict = verdictText(verdict);
      add(box, 'span', 'who', reader === 'judge' ? 'Judge: ' : 'Rule: ');
      parts.forEach((t, i) =>
        add(box, 'span', i === 0 ? first : i === 1 ? 'reading-verdict' : 'rule-id', i === 0 ? t : ` ${t}`),
      );
      return box;
    };
    const r = p.ruleReading;
    const ruleParts = [r.letter ?? 'no answer readable', `(${verdictText(r.correct)})`, `— ${r.rule}`];
    if (p.grader === 'judge') {
      reading('judge', [p.chosen ?? 'no option', `(${verdictText(p.judgeCorrect)})`], p.judgeCorrect);
      reading('rule', ruleParts, r.correct);
      if (p.judgeCorrect !== null && r.correct !== null && p.judgeCorrect !== r.correct) {
        const mark = add(readings, 'span', 'badge disagree');
        mark.id = 'disagree';
        mark.title = 'The answer-reading rule’s verdict differs from the judge’s: the model’s error, or the judge’s?';
        icon('warning', mark);
        add(mark, 'span', '', 'disagree');
      }
    } else {
      reading(
        'judge',
        [p.grader === 'rule' ? 'none (raw output: no judge graded it)' : 'none in this file'],
        undefined,
        'muted',
      );
      const rule = reading('rule', ruleParts, r.correct);
      if (p.grader === 'rule') {
        const tag = add(rule, 'span', 'badge rule-graded', 'rule-graded');
        tag.title = RULE_GRADED_TITLE;
        rule.insertBefore(document.createTextNode(' '), tag);
      }
    }
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

  private renderOthers(d: DetailData, side: HTMLElement): void {
    const sec = add(side, 'section', 'block');
    add(sec, 'h2', '', `Every loaded answer to this question (${d.others.length})`);
    const table = add(sec, 'table', 'others');
    table.id = 'others';
    const head = add(add(table, 'thead'), 'tr');
    for (const h of ['Model', 'Prompt', 'Chose', 'Outcome']) add(head, 'th', '', h);
    const tbody = add(table, 'tbody');
    for (const o of d.others) {
      const tr = add(tbody, 'tr', o.current ? 'current' : '');
      tr.dataset.id = String(o.id);
      const first = add(tr, 'td');
      if (o.current) {
        add(first, 'span', '', `${o.model}_${o.samplingLabel}`);
        add(first, 'span', 'muted shown', ' (shown)');
        tr.setAttribute('aria-current', 'true');
      } else {
        const b = add(first, 'button', 'link', `${o.model}_${o.samplingLabel}`);
        b.type = 'button';
        b.title = 'Open this prediction';
        b.addEventListener('click', () => post({ type: 'open', id: o.id }));
      }
      add(tr, 'td', '', name(o.promptMode));
      add(tr, 'td', '', o.chosen ? `${o.chosen}: ${o.chosenText ?? ''}` : (o.chosenText ?? 'no valid answer'));
      const out = add(tr, 'td', `outcome-${o.outcome}`);
      icon(OUTCOME_ICON[o.outcome] ?? 'circle', out);
      add(out, 'span', '', ` ${outcomeText(o.outcome, o.grader)}`);
      if (o.grader === 'rule') out.title = RULE_GRADED_TITLE;
    }
  }

  private renderAnnotations(a: DetailAnnotation): void {
    const box = document.getElementById('annotations');
    if (!box || !this.data) return;
    const p = this.data.prediction;
    box.replaceChildren();
    add(box, 'h2', '', 'Tags and notes');
    if (a.taggingOff) add(box, 'p', 'warning', a.taggingOff);
    const tags = add(box, 'div', 'tags');
    tags.id = 'tags';
    tags.setAttribute('role', 'group');
    tags.setAttribute('aria-label', 'Tags of this prediction (keys 1-9)');
    a.vocabulary.forEach((tag, i) => {
      const b = add(tags, 'button', 'tag');
      b.type = 'button';
      b.dataset.tag = tag;
      b.disabled = !!a.taggingOff;
      const on = a.tags.includes(tag);
      b.setAttribute('aria-pressed', String(on));
      if (i < 9) add(b, 'span', 'key', String(i + 1));
      add(b, 'span', '', tag);
      b.addEventListener('click', () => post({ type: 'toggleTag', id: p.id, tag, on: 'prediction' }));
    });
    const more = add(tags, 'button', 'tag more', 'More…');
    more.type = 'button';
    more.title = 'Tag palette (t): every tag, or a new one';
    more.disabled = !!a.taggingOff;
    more.addEventListener('click', () => post({ type: 'tagPalette' }));
    const qtags = add(box, 'div', 'tags');
    qtags.id = 'question-tags';
    qtags.setAttribute('role', 'group');
    qtags.setAttribute('aria-label', 'Tags of the question (for every model)');
    add(qtags, 'span', 'muted', 'Question:');
    for (const tag of a.questionVocabulary) {
      const b = add(qtags, 'button', 'tag');
      b.type = 'button';
      b.dataset.tag = tag;
      b.disabled = !!a.taggingOff;
      b.setAttribute('aria-pressed', String(a.questionTags.includes(tag)));
      add(b, 'span', '', tag);
      b.addEventListener('click', () => post({ type: 'toggleTag', id: p.id, tag, on: 'question' }));
    }

    const verdict = add(box, 'div', 'verdict');
    // The verdict overridden is the judge's, or for a raw output the rule's (named as such).
    const graded = gradedBy(p);
    if (graded.verdict !== null || a.verdict) {
      const was = graded.verdict === null ? null : verdictText(graded.verdict);
      const b = add(verdict, 'button', 'button secondary');
      b.type = 'button';
      b.id = 'override';
      b.disabled = !!a.taggingOff;
      if (a.verdict) {
        b.textContent = `Take back the override (${graded.who} said ${was ?? 'nothing'})`;
        b.addEventListener('click', () => post({ type: 'setVerdict', id: p.id, verdict: null }));
      } else {
        b.textContent = `The ${graded.who} is wrong: mark ${was === 'correct' ? 'wrong' : 'correct'}`;
        b.addEventListener('click', () =>
          post({ type: 'setVerdict', id: p.id, verdict: was === 'correct' ? 'wrong' : 'correct' }),
        );
      }
    }
    for (const on of ['prediction', 'question'] as const) {
      const label = add(
        box,
        'label',
        'note-label',
        on === 'prediction' ? 'Note on this prediction' : 'Note on the question (all models)',
      );
      const ta = add(box, 'textarea', 'note-input');
      ta.id = `note-${on}`;
      label.htmlFor = ta.id;
      ta.value = on === 'prediction' ? a.note : a.questionNote;
      ta.disabled = !!a.taggingOff;
      ta.rows = 3;
      // The note goes to the prediction it was typed for, even when another is shown by the time it is saved.
      const drawnFor = this.data;
      const save = () => {
        clearTimeout(this.noteTimers.get(on));
        const current = on === 'prediction' ? drawnFor.annotation.note : drawnFor.annotation.questionNote;
        if (ta.value !== current) post({ type: 'setNote', id: p.id, note: ta.value, on });
      };
      ta.addEventListener('input', () => {
        clearTimeout(this.noteTimers.get(on));
        this.noteTimers.set(on, setTimeout(save, 600));
      });
      ta.addEventListener('blur', save);
    }
  }

  private step(delta: 1 | -1): void {
    this.stepsOut++;
    post({ type: 'step', delta });
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

mount(css, (root) => new DetailView(root));

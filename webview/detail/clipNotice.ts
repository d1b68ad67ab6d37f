// What the detail view says about a clip it cannot show. Not found: the record's whole URL or path (wrapped,
// never cut), every place looked in with why it was not taken, and the exact path a clip root must hold for
// this clip, with Set Clip Root… beside it (the host reloads the view when the setting changes). Found but in
// a codec this editor cannot decode: which codec and why, before anything is played, with Convert to H.264
// (the user's ffmpeg, on the host; the copy then plays in its place); and, for a clip that fails anyway, the
// same after the <video> element's error, with the codec named.
// Ids the tests rely on: #set-clip-root, #allow-remote, #dataset-path, #codec-notice, #convert-clip,
// #conversion-state, .stderr.
import { browserDecodes, codecName, undecodableMessage } from '../../src/core/codecs';
import type { ClipView, DetailToHost, HostToDetail } from '../../src/protocol/detailView';
import { add, el } from '../shared/dom';
import { adoptCss } from '../shared/mount';
import css from './clipNotice.css';

adoptCss(css);

type VideoClip = Extract<ClipView, { kind: 'video' }>;
type MissingClip = Extract<ClipView, { kind: 'missing' }>;
type Post = (m: DetailToHost) => void;

function warningTitle(parent: HTMLElement, text: string): void {
  const t = add(parent, 'h2');
  const i = add(t, 'span', 'codicon codicon-warning');
  i.setAttribute('aria-hidden', 'true');
  add(t, 'span', '', ` ${text}`);
}

function button(parent: HTMLElement, id: string, text: string, secondary: boolean, onClick: () => void): void {
  const b = add(parent, 'button', secondary ? 'button secondary' : 'button', text);
  b.type = 'button';
  b.id = id;
  b.addEventListener('click', onClick);
}

/** Fills `box` with what was looked for and where, and what would let the clip be found. */
export function renderMissing(box: HTMLElement, clip: MissingClip, post: Post): void {
  box.hidden = false;
  box.replaceChildren();
  box.setAttribute('role', 'status');
  warningTitle(box, 'Clip not found');
  const named = add(box, 'p');
  if (clip.video) named.append('The record names ', el('span', 'record-video', clip.video), '.');
  else named.textContent = 'The record names no clip.';
  if (clip.tried.length) {
    add(box, 'p', '', 'Looked in, in order:');
    const ul = add(box, 'ul', 'looked');
    for (const t of clip.tried) {
      const li = add(ul, 'li', '', t.path);
      li.dataset.result = t.result;
      if (t.reason) add(li, 'span', 'muted', ` — ${t.reason}`);
    }
  }
  const needed = add(box, 'div', 'clip-root-needed');
  if (clip.datasetPath) {
    const p = add(needed, 'p');
    const rel = el('span', 'dataset-path', clip.datasetPath);
    rel.id = 'dataset-path';
    p.append('A clip root must contain ', rel, ' (the dataset’s layout).');
  }
  button(needed, 'set-clip-root', 'Set Clip Root…', false, () =>
    post({ type: 'runCommand', command: 'vlm4d.setClipRoot' }),
  );
  if (clip.remotePossible) {
    const actions = add(box, 'div', 'actions');
    button(actions, 'allow-remote', 'Allow Remote Clips', true, () =>
      post({ type: 'runCommand', command: 'vlm4d.allowRemoteClips' }),
    );
  }
}

/** Where the clip playing was found; for a converted copy, the clip it was made from too. */
export function foundNote(clip: VideoClip): string {
  const found = `Found by ${clip.rule}: ${clip.convertedFrom ?? clip.location}`;
  return clip.convertedFrom ? `${found} (playing its H.264 copy, converted with ffmpeg: ${clip.location})` : found;
}

/** Where the codec notice goes (below the player), and what it shows. */
export class CodecNotice {
  readonly el = el('div', 'codec-notice');
  private id: number | null = null;
  private clip: VideoClip | null = null;

  constructor(
    private readonly post: Post,
    private readonly canPlayType: (type: string) => string = (t) => document.createElement('video').canPlayType(t),
  ) {
    this.el.id = 'codec-notice';
    this.el.setAttribute('role', 'status');
    this.el.hidden = true;
  }

  /**
   * Before a clip is played: true (and the notice shown) when its codec cannot be decoded here, so the
   * player is not given it; false otherwise.
   */
  blocks(id: number, clip: ClipView): boolean {
    this.id = id;
    this.clip = clip.kind === 'video' ? clip : null;
    this.el.hidden = true;
    this.el.replaceChildren();
    if (clip.kind !== 'video' || !clip.codec || clip.convertedFrom) return false;
    const known = clip.decodes ?? browserDecodes(clip.codec, this.canPlayType);
    if (known !== false) return false;
    this.render(undecodableMessage(clip.codec, clip.decodes === false ? 'desktop' : 'browser'), clip);
    return true;
  }

  /** The <video> element failed on a clip that was expected to play: said with the codec named. */
  videoFailed(): void {
    const clip = this.clip;
    if (!clip || clip.convertedFrom || !this.el.hidden) return;
    const codec = clip.codec ? `${codecName(clip.codec.fourcc)} (${clip.codec.codecs})` : 'of an unknown codec';
    this.render(`This clip is ${codec} and could not be decoded here.`, clip);
  }

  /** How the conversion the user asked for goes. */
  conversion(m: Extract<HostToDetail, { type: 'conversion' }>): void {
    if (m.id !== this.id || this.el.hidden) return;
    const state = this.el.querySelector<HTMLElement>('#conversion-state');
    if (!state) return;
    state.dataset.state = m.state;
    state.replaceChildren(el('span', '', m.message));
    if (m.detail) add(state, 'pre', 'stderr', m.detail);
    const convert = this.el.querySelector<HTMLButtonElement>('#convert-clip');
    if (convert) convert.disabled = m.state === 'running';
  }

  private render(message: string, clip: VideoClip): void {
    const box = this.el;
    box.hidden = false;
    box.replaceChildren();
    warningTitle(box, 'This clip cannot be played here');
    add(box, 'p', 'codec-message', message);
    add(box, 'p', 'where muted', clip.location);
    // A remote clip is not downloaded to be converted: only a local one is offered conversion.
    if (clip.where !== 'local') return;
    add(box, 'p', '', 'Convert it to H.264 with your ffmpeg (on PATH, or the vlm4d.ffmpegPath user setting); ').append(
      'the copy is kept outside the workspace and used from then on.',
    );
    const actions = add(box, 'div', 'actions');
    button(actions, 'convert-clip', 'Convert to H.264', false, () => {
      if (this.id !== null) this.post({ type: 'convertClip', id: this.id });
    });
    add(box, 'div', 'conversion-state').id = 'conversion-state';
  }
}

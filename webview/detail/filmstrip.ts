// The frames the model was given, as a strip of thumbnails under the player: exactly the sampled frames, in
// order, each labelled with its place among them, its frame number and its time; a click (or Enter) seeks the
// player there. The strip is one tab stop: the arrow keys move between its frames.
//
// Thumbnails are drawn in the page from the clip itself: a second, detached <video> seeks to each sampled frame
// in turn and copies it onto that frame's <canvas>. Nothing new is loaded but the clip the player plays (no
// data: URLs, no images: the CSP stays as strict as it is). Drawing starts only after the prediction is on
// screen, one frame at a time, and stops when another prediction is shown: it never holds the view back. A
// remote clip (played from its URL) gets no pictures, so that it is not downloaded twice.
import type { ClipView } from '../../src/protocol/detailView';
import { add, el } from '../shared/dom';
import { clipTime, frameStart } from './clipTime';
import { seekTime } from './player';
import { epochNow } from './drawTimes';

type VideoClip = Extract<ClipView, { kind: 'video' }>;

const THUMB_WIDTH = 96;

export class Filmstrip {
  readonly el: HTMLElement;
  private readonly list: HTMLElement;
  private buttons: HTMLButtonElement[] = [];
  private clip: VideoClip | null = null;
  /** Counts clips loaded: a thumbnail drawn for an earlier clip is dropped. */
  private generation = 0;
  private source: HTMLVideoElement | null = null;
  /** The generation whose thumbnails were drawn or are being drawn: each clip's are drawn once. */
  private started = -1;

  constructor(private readonly seek: (frame: number) => void) {
    this.el = el('section', 'filmstrip');
    this.el.id = 'filmstrip';
    this.el.hidden = true;
    this.el.setAttribute('aria-label', 'The frames the model was given');
    this.list = add(this.el, 'div', 'frames');
    this.list.setAttribute('role', 'toolbar');
    this.list.setAttribute('aria-label', 'The frames the model was given (arrow keys move, Enter shows)');
    this.list.addEventListener('keydown', (e) => this.onKey(e));
  }

  /** The sampled frames of `clip` (none when they are unknown); thumbnails are drawn later by draw(). */
  load(clip: VideoClip): void {
    this.stop();
    this.clip = clip;
    const frames = clip.fps !== null && clip.frameCount !== null ? (clip.sampledFrames ?? []) : [];
    this.el.hidden = frames.length === 0;
    this.el.dataset.drawn = '0';
    this.buttons = frames.map((f, k) => {
      const time = clipTime(frameStart(f, clip.fps as number));
      const b = el('button', 'thumb');
      b.type = 'button';
      b.dataset.frame = String(f);
      b.dataset.index = String(k);
      b.tabIndex = k === 0 ? 0 : -1;
      b.setAttribute('aria-label', `Image ${k + 1} of ${frames.length}: frame ${f}, ${time}`);
      b.title = `Image ${k + 1} the model was given: frame ${f} at ${time}`;
      const c = add(b, 'canvas', 'thumb-image');
      c.width = THUMB_WIDTH;
      c.height = Math.round((THUMB_WIDTH * 9) / 16);
      c.setAttribute('aria-hidden', 'true');
      const label = add(b, 'span', 'thumb-label');
      add(label, 'span', 'thumb-index', `${k + 1}`);
      add(label, 'span', 'thumb-frame', ` f${f}`);
      add(label, 'span', 'thumb-time', ` ${time}`);
      b.addEventListener('click', () => {
        this.focusable(k);
        this.seek(f);
      });
      return b;
    });
    this.list.replaceChildren(...this.buttons);
  }

  unload(): void {
    this.stop();
    this.clip = null;
    this.buttons = [];
    this.list.replaceChildren();
    this.el.hidden = true;
  }

  /** Marks the frame on screen (null: none of them). */
  current(frame: number | null): void {
    for (const b of this.buttons) b.classList.toggle('current', Number(b.dataset.frame) === frame);
  }

  /** Marks the sampled frames `from`..`to` (indices among them) as named by the response, and shows the first. */
  mark(from: number, to: number): void {
    for (const b of this.buttons) {
      const k = Number(b.dataset.index);
      b.classList.toggle('referenced', k >= from && k <= to);
    }
    this.buttons[from]?.scrollIntoView({ block: 'nearest', inline: 'nearest' });
  }

  /** The sampled frames (indices among them) whose time on screen overlaps `from`..`to` seconds, or the nearest. */
  framesAt(from: number, to: number): { from: number; to: number } | null {
    const c = this.clip;
    if (!c || c.fps === null || !this.buttons.length) return null;
    const fps = c.fps;
    const starts = this.buttons.map((b) => frameStart(Number(b.dataset.frame), fps));
    const hit = starts.map((s, k) => (s < to + 1 / fps && s + 1 / fps > from ? k : -1)).filter((k) => k >= 0);
    if (hit.length) return { from: hit[0] as number, to: hit[hit.length - 1] as number };
    let best = 0;
    starts.forEach((s, k) => {
      if (Math.abs(s - from) < Math.abs((starts[best] as number) - from)) best = k;
    });
    return { from: best, to: best };
  }

  /** Draws the thumbnails, one after another, from a detached copy of the clip. */
  draw(): void {
    const clip = this.clip;
    if (!clip || clip.fps === null || !this.buttons.length || this.started === this.generation) return;
    // A remote clip is not fetched a second time for its pictures: the strip keeps its labels.
    if (clip.where === 'remote') return;
    const generation = this.generation;
    this.started = generation;
    // When drawing began (epoch ms), for the timing report of the tests: after the prediction was drawn.
    document.body.dataset.filmstripAt = String(epochNow());
    const v = document.createElement('video');
    v.muted = true;
    v.preload = 'auto';
    v.playsInline = true;
    this.source = v;
    const fps = clip.fps;
    let next = 0;
    const drawn = () => {
      const b = this.buttons[next];
      const canvas = b?.querySelector('canvas');
      if (generation !== this.generation || !b || !canvas) return;
      const ctx = canvas.getContext('2d');
      if (ctx && v.videoWidth > 0) {
        canvas.height = Math.max(1, Math.round((THUMB_WIDTH * v.videoHeight) / v.videoWidth));
        ctx.drawImage(v, 0, 0, canvas.width, canvas.height);
        b.classList.add('drawn');
      }
      next++;
      this.el.dataset.drawn = String(next);
      seekNext();
    };
    const seekNext = () => {
      if (generation !== this.generation) return;
      const b = this.buttons[next];
      if (!b) return this.stop(false);
      v.currentTime = seekTime(Number(b.dataset.frame), fps);
    };
    v.addEventListener('seeked', drawn);
    v.addEventListener('loadeddata', seekNext, { once: true });
    // A clip the player cannot decode either: the strip keeps its labels, without pictures.
    v.addEventListener('error', () => this.stop(false), { once: true });
    v.src = clip.src;
  }

  /** Stops drawing and lets go of the detached clip (`cancel`: and drops what is on its way). */
  private stop(cancel = true): void {
    if (cancel) this.generation++;
    const v = this.source;
    this.source = null;
    if (!v) return;
    v.removeAttribute('src');
    v.load();
  }

  private focusable(k: number): void {
    this.buttons.forEach((b, i) => (b.tabIndex = i === k ? 0 : -1));
  }

  private onKey(e: KeyboardEvent): void {
    const at = this.buttons.indexOf(e.target as HTMLButtonElement);
    if (at < 0) return;
    const to =
      e.key === 'ArrowRight'
        ? at + 1
        : e.key === 'ArrowLeft'
          ? at - 1
          : e.key === 'Home'
            ? 0
            : e.key === 'End'
              ? -1
              : null;
    if (to === null) return;
    const k = to < 0 ? this.buttons.length - 1 : Math.min(to, this.buttons.length - 1);
    e.preventDefault();
    e.stopPropagation();
    this.focusable(k);
    this.buttons[k]?.focus();
  }
}

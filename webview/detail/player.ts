// The clip player: play/pause, loop, speed, one-frame steps with the frame number shown, mirror, and a tick
// on the timeline for each frame the model was given. Frame n is on screen from n/fps to (n+1)/fps, so a
// seek to frame n goes to its middle, (n + 0.5)/fps: rounding can never show the neighbouring frame.
import type { ClipView } from '../../src/protocol/detailView';
import { add, el } from '../shared/dom';
import { clipTime, frameStart } from './clipTime';

type VideoClip = Extract<ClipView, { kind: 'video' }>;

export const SPEEDS = [0.25, 0.5, 1, 1.5, 2] as const;

export const seekTime = (frame: number, fps: number): number => (frame + 0.5) / fps;
export const frameAt = (time: number, fps: number, count: number): number =>
  Math.max(0, Math.min(count - 1, Math.floor(time * fps + 1e-6)));

function button(id: string, icon: string, label: string, parent: HTMLElement, onClick: () => void): HTMLButtonElement {
  const b = add(parent, 'button', 'icon-button');
  b.type = 'button';
  b.id = id;
  b.setAttribute('aria-label', label);
  b.title = label;
  const i = add(b, 'span', `codicon codicon-${icon}`);
  i.setAttribute('aria-hidden', 'true');
  b.addEventListener('click', onClick);
  return b;
}

export class Player {
  readonly el: HTMLElement;
  readonly video: HTMLVideoElement;
  private readonly play: HTMLButtonElement;
  private readonly loop: HTMLButtonElement;
  private readonly mirror: HTMLButtonElement;
  private readonly speed: HTMLSelectElement;
  private readonly frameLabel: HTMLElement;
  /** When the frame shown starts (mm:ss.s), beside its number. */
  private readonly timeLabel: HTMLElement;
  private readonly timeline: HTMLInputElement;
  /** Says why the clip does not play (a codec this VS Code cannot decode, an unreadable file). */
  private readonly error: HTMLElement;
  private readonly ticks: HTMLElement;
  private readonly stepButtons: HTMLElement;
  private clip: VideoClip | null = null;
  private mirrored = false;
  /** Told the frame on screen whenever it changes (null: unknown), e.g. for the filmstrip to mark it. */
  onFrame: (frame: number | null) => void = () => undefined;
  private lastFrame: number | null | undefined = undefined;

  constructor() {
    this.el = el('div', 'player');
    const stage = add(this.el, 'div', 'stage');
    this.video = add(stage, 'video');
    this.video.muted = true;
    this.video.preload = 'auto';
    this.video.playsInline = true;
    this.video.setAttribute('aria-label', 'The clip');
    this.video.addEventListener('error', () => this.showError());
    this.error = add(this.el, 'p', 'clip-error');
    this.error.id = 'clip-error';
    this.error.setAttribute('role', 'alert');
    this.error.hidden = true;
    const bar = add(this.el, 'div', 'controls');
    this.play = button('play', 'play', 'Play (Space)', bar, () => this.togglePlay());
    this.stepButtons = add(bar, 'span', 'steps');
    button(
      'previous-sampled',
      'debug-reverse-continue',
      'Previous frame the model was given ([)',
      this.stepButtons,
      () => this.jumpSampled(-1),
    );
    button('previous-frame', 'chevron-left', 'Previous frame (,)', this.stepButtons, () => this.step(-1));
    button('next-frame', 'chevron-right', 'Next frame (.)', this.stepButtons, () => this.step(1));
    button('next-sampled', 'debug-continue', 'Next frame the model was given (])', this.stepButtons, () =>
      this.jumpSampled(1),
    );
    this.frameLabel = add(bar, 'span', 'frame-number');
    this.frameLabel.id = 'frame-number';
    this.frameLabel.title =
      'Frame numbers count from 0, as the model’s frame sampling does: 0 is the first frame, the last is one less than the count';
    this.frameLabel.setAttribute('aria-live', 'polite');
    this.timeLabel = add(bar, 'span', 'frame-time');
    this.timeLabel.id = 'frame-time';
    this.timeLabel.title = 'When the frame shown starts in the clip (minutes:seconds)';
    this.loop = button('loop', 'sync', 'Loop (l)', bar, () => this.setLoop(!this.video.loop));
    this.mirror = button('mirror', 'arrow-swap', 'Mirror horizontally (m)', bar, () => this.setMirror(!this.mirrored));
    this.speed = add(bar, 'select', 'speed');
    this.speed.id = 'speed';
    this.speed.setAttribute('aria-label', 'Playback speed');
    for (const s of SPEEDS) {
      const o = add(this.speed, 'option');
      o.value = String(s);
      o.textContent = `${s}x`;
    }
    this.speed.value = '1';
    this.speed.addEventListener('change', () => (this.video.playbackRate = Number(this.speed.value)));
    const track = add(this.el, 'div', 'track');
    this.timeline = add(track, 'input', 'timeline');
    this.timeline.type = 'range';
    this.timeline.id = 'timeline';
    this.timeline.min = '0';
    this.timeline.step = '1';
    this.timeline.setAttribute('aria-label', 'Frame');
    this.timeline.addEventListener('input', () => this.showFrame(Number(this.timeline.value)));
    this.ticks = add(track, 'div', 'ticks');
    this.ticks.id = 'ticks';
    this.ticks.setAttribute('aria-hidden', 'true');
    for (const ev of ['timeupdate', 'seeked', 'loadedmetadata', 'play', 'pause'])
      this.video.addEventListener(ev, () => this.update());
    const tick = () => {
      if (!this.video.paused) this.update();
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  }

  load(clip: VideoClip): void {
    this.clip = clip;
    this.error.hidden = true;
    this.video.pause();
    // A media element loading its source holds back the document's load event, at which VS Code shows the
    // webview: before that, the source waits for it (the rest of the view is drawn at once).
    if (document.readyState === 'complete') this.video.src = clip.src;
    else
      window.addEventListener(
        'load',
        () => {
          if (this.clip === clip) this.video.src = clip.src;
        },
        { once: true },
      );
    this.video.playbackRate = Number(this.speed.value);
    const known = clip.fps !== null && clip.frameCount !== null;
    this.stepButtons.hidden = !known;
    this.timeline.hidden = !known;
    this.timeline.max = String(Math.max(0, (clip.frameCount ?? 1) - 1));
    this.timeline.value = '0';
    this.ticks.replaceChildren();
    if (known && clip.sampledFrames) {
      const last = Math.max(1, (clip.frameCount as number) - 1);
      for (const f of clip.sampledFrames) {
        const t = add(this.ticks, 'span', 'tick');
        t.style.left = `${(f / last) * 100}%`;
        t.dataset.frame = String(f);
        t.title = `Frame ${f}, ${clipTime(frameStart(f, clip.fps as number))}`;
      }
    }
    this.update();
  }

  /** Stops and lets go of the clip (nothing to show, or no clip): a hidden video must not go on decoding. */
  unload(): void {
    this.clip = null;
    this.error.hidden = true;
    this.video.pause();
    if (this.video.hasAttribute('src')) {
      this.video.removeAttribute('src');
      this.video.load();
    }
    this.ticks.replaceChildren();
    this.update();
  }

  private showError(): void {
    if (!this.clip || !this.video.hasAttribute('src')) return;
    const e = this.video.error;
    const why =
      e?.code === MediaError.MEDIA_ERR_SRC_NOT_SUPPORTED || e?.code === MediaError.MEDIA_ERR_DECODE
        ? 'its format or codec cannot be decoded here (H.264 in MP4 plays; re-encode others with ffmpeg -c:v libx264)'
        : e?.code === MediaError.MEDIA_ERR_NETWORK
          ? 'it could not be read'
          : 'the player stopped';
    const codec = this.clip.codec ? ` Its codec: ${this.clip.codec.codecs}.` : '';
    this.error.textContent = `The clip cannot be played: ${why}.${codec}${e?.message ? ` (${e.message})` : ''}`;
    this.error.hidden = false;
  }

  /** Frame shown now, or null when the frame rate is unknown. */
  frame(): number | null {
    const c = this.clip;
    if (!c || c.fps === null || c.frameCount === null) return null;
    return frameAt(this.video.currentTime, c.fps, c.frameCount);
  }

  togglePlay(): void {
    if (this.video.paused) void this.video.play().catch(() => undefined);
    else this.video.pause();
  }

  step(delta: number): void {
    const f = this.frame();
    if (f === null) return;
    this.showFrame(f + delta);
  }

  jumpSampled(direction: 1 | -1): void {
    const f = this.frame();
    const frames = this.clip?.sampledFrames;
    if (f === null || !frames?.length) return;
    const target = direction > 0 ? frames.find((x) => x > f) : [...frames].reverse().find((x) => x < f);
    if (target !== undefined) this.showFrame(target);
  }

  showFrame(frame: number): void {
    const c = this.clip;
    if (!c || c.fps === null || c.frameCount === null) return;
    this.video.pause();
    const n = Math.max(0, Math.min(c.frameCount - 1, Math.round(frame)));
    const t = seekTime(n, c.fps);
    // Already there (a step past either end): no seek. Chromium moves a seek made while `ended` (anywhere in
    // the last frame) to the very end, outside the frame's interval, though it still shows that frame.
    if (Math.abs(this.video.currentTime - t) > 1e-3) this.video.currentTime = t;
    this.update(n);
  }

  /** Shows the frame on screen at `seconds` into the clip (a time a response cites). */
  showTime(seconds: number): void {
    const c = this.clip;
    if (!c || c.fps === null || c.frameCount === null) return;
    this.showFrame(frameAt(seconds, c.fps, c.frameCount));
  }

  setLoop(on: boolean): void {
    this.video.loop = on;
    this.loop.setAttribute('aria-pressed', String(on));
  }

  setMirror(on: boolean): void {
    this.mirrored = on;
    this.video.style.transform = on ? 'scaleX(-1)' : '';
    this.mirror.setAttribute('aria-pressed', String(on));
  }

  private update(frame = this.frame()): void {
    const playing = !this.video.paused;
    this.play.setAttribute('aria-label', playing ? 'Pause (Space)' : 'Play (Space)');
    this.play.title = this.play.getAttribute('aria-label') as string;
    (this.play.firstElementChild as HTMLElement).className = `codicon codicon-${playing ? 'debug-pause' : 'play'}`;
    this.loop.setAttribute('aria-pressed', String(this.video.loop));
    // Announced when paused (a step), not 15 times a second while playing.
    this.frameLabel.setAttribute('aria-live', playing ? 'off' : 'polite');
    const c = this.clip;
    const label =
      frame === null || !c || c.frameCount === null ? 'Frame rate unknown' : `Frame ${frame} / ${c.frameCount}`;
    if (this.frameLabel.textContent !== label) this.frameLabel.textContent = label;
    const known = frame !== null && !!c && c.fps !== null && c.frameCount !== null;
    const time = known ? clipTime(frameStart(frame, c.fps as number)) : '';
    if (this.timeLabel.textContent !== time) this.timeLabel.textContent = time;
    if (frame !== this.lastFrame) {
      this.lastFrame = frame;
      this.onFrame(known ? frame : null);
    }
    if (frame === null || !c || c.frameCount === null) return;
    this.timeline.value = String(frame);
    this.timeline.setAttribute('aria-valuetext', `Frame ${frame} (counting from 0) of ${c.frameCount}, ${time}`);
    for (const t of Array.from(this.ticks.children) as HTMLElement[])
      t.classList.toggle('current', Number(t.dataset.frame) === frame);
  }
}

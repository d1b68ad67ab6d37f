// The response anchored to the frames: where the chain of thought names a frame, an image or a time ("in the
// second image", "frame 5", "00:02-00:03"), the words become a button that seeks the player there (the k-th
// image is the k-th frame the model was given). Done on the response as drawn (text nodes only), so it works
// the same on plain text and on rendered Markdown; the words are moved into the button as text, never parsed.
import type { FrameRef } from '../../src/core/frameRefs';
import { frameReferences } from '../../src/core/frameRefs';
import { clipTime } from './clipTime';

export interface FrameLinkContext {
  /** The frames the model was given (zero-based), or null when unknown: images and frames are then not linked. */
  sampledFrames: number[] | null;
  fps: number;
  durationSeconds: number | null;
}

/** What a reference's button says it does. */
function describe(ref: FrameRef, ctx: FrameLinkContext): string {
  if (ref.kind === 'time')
    return ref.from === ref.to
      ? `Show the clip at ${clipTime(ref.from)}`
      : `Show the clip at ${clipTime(ref.from)} (to ${clipTime(ref.to)})`;
  const frames = ctx.sampledFrames ?? [];
  const at = (k: number) => `image ${k + 1} (frame ${frames[k]}, ${clipTime((frames[k] as number) / ctx.fps)})`;
  return ref.from === ref.to ? `Show ${at(ref.from)}` : `Show ${at(ref.from)} to ${at(ref.to)}`;
}

/**
 * A response is linked in its first MAX_SCANNED characters, at most MAX_LINKS references: a 20 MB response that
 * names a frame in every paragraph would otherwise become hundreds of thousands of buttons.
 */
export const MAX_LINKS = 200;
export const MAX_SCANNED = 200_000;

/**
 * Turns every frame or time reference in `root`'s text into a button calling `onRef`. Text inside buttons,
 * links and code is left alone. Returns how many references were linked.
 */
export function linkFrameRefs(root: HTMLElement, ctx: FrameLinkContext, onRef: (ref: FrameRef) => void): number {
  const sampledCount = ctx.sampledFrames?.length ?? null;
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, {
    acceptNode: (n) =>
      n.parentElement?.closest('button, a, code, pre, textarea') ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT,
  });
  const texts: Text[] = [];
  for (let n = walker.nextNode(); n; n = walker.nextNode()) texts.push(n as Text);
  let linked = 0;
  let scanned = 0;
  for (const node of texts) {
    if (scanned >= MAX_SCANNED || linked >= MAX_LINKS) break;
    const text = node.data.slice(0, MAX_SCANNED - scanned);
    scanned += text.length;
    const refs = frameReferences(text, { sampledCount: sampledCount ?? 0, durationSeconds: ctx.durationSeconds })
      // Without the sampled frames an image or frame number names nothing that can be shown.
      .filter((r) => r.kind === 'time' || sampledCount !== null)
      .slice(0, MAX_LINKS - linked);
    if (!refs.length) continue;
    const parts: (Node | string)[] = [];
    let at = 0;
    for (const ref of refs) {
      parts.push(text.slice(at, ref.start));
      const b = document.createElement('button');
      b.type = 'button';
      b.className = 'frame-ref';
      b.textContent = text.slice(ref.start, ref.end);
      b.dataset.kind = ref.kind;
      b.dataset.from = String(ref.from);
      b.dataset.to = String(ref.to);
      b.title = describe(ref, ctx);
      b.addEventListener('click', () => onRef(ref));
      parts.push(b);
      at = ref.end;
    }
    parts.push(node.data.slice(at));
    node.replaceWith(...parts.filter((p) => p !== ''));
    linked += refs.length;
  }
  return linked;
}

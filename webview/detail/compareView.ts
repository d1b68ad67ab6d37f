// Side by side, while the side panel lists two runs compared: A's and B's answers to the question, each with
// its verdict, chosen answer, the frames it was given (ticks over the shared clip's frames) and its response
// as plain text. j/k walk the side panel's list, which is the comparison's.
import type { ComparedAnswer, DetailData } from '../../src/protocol/detailView';
import { valueName } from '../shared/names';
import { el } from '../shared/dom';

const SVG = 'http://www.w3.org/2000/svg';
let box: HTMLElement | null = null;

function ticks(a: ComparedAnswer): SVGSVGElement {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('class', 'compare-ticks');
  svg.setAttribute('viewBox', '0 0 100 8');
  svg.setAttribute('preserveAspectRatio', 'none');
  svg.setAttribute('role', 'img');
  const frames = a.sampledFrames ?? [];
  svg.setAttribute(
    'aria-label',
    a.sampledFrames ? `${frames.length} frames given of ${a.frameCount}` : 'frames given: unknown',
  );
  const total = Math.max(1, (a.frameCount ?? 1) - 1);
  for (const f of frames) {
    const l = document.createElementNS(SVG, 'line');
    const x = String((f / total) * 100);
    l.setAttribute('x1', x);
    l.setAttribute('x2', x);
    l.setAttribute('y1', '0');
    l.setAttribute('y2', '8');
    svg.append(l);
  }
  return svg;
}

function column(side: 'A' | 'B', a: ComparedAnswer): HTMLElement {
  const chosen = a.chosen ? `${a.chosen}${a.chosenText ? `: ${a.chosenText}` : ''}` : (a.chosenText ?? 'no answer');
  return el(
    'div',
    { class: `compare-side compare-${side.toLowerCase()}`, 'data-id': String(a.id) },
    el('h3', {}, `${side}: ${a.run}`),
    el('p', { class: `compare-outcome outcome-${a.outcome}` }, valueName(a.outcome)),
    el('p', { class: 'compare-chosen' }, `Chosen: ${chosen}`),
    ticks(a),
    el('div', { class: 'compare-response' }, a.response || '(empty response)'),
  );
}

/** Draws (or removes) the side-by-side comparison for the prediction shown. */
export function showComparison(d: DetailData): void {
  const c = d.comparison;
  if (!c) {
    box?.remove();
    box = null;
    return;
  }
  const next = el(
    'section',
    { id: 'compare-side-by-side', 'aria-label': `${c.a.run} and ${c.b.run} side by side` },
    column('A', c.a),
    column('B', c.b),
  );
  if (box) box.replaceWith(next);
  else (document.getElementById('app') ?? document.body).append(next);
  box = next;
}

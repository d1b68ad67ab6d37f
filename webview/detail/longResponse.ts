// A long response (DetailData.responseRest): its head and the excerpts the host sent (the final-answer
// sentence, the end) are drawn like any response, with the parts left out named between them, and a
// "Show all" button. Asked for, the whole response arrives in chunks and is drawn as plain text in blocks the
// browser lays out only when they scroll into view, so tens of MB never hold the page.
import type { DetailData } from '../../src/protocol/detailView';

type Span = { start: number; end: number } | null;
export type RenderText = (into: HTMLElement, text: string, span: Span) => void;

/** Characters per block of the whole response (cut at a line break when one is near). */
const BLOCK_CHARS = 50_000;

const sizeOf = (chars: number): string =>
  chars >= 1e6 ? `${(chars / 1e6).toFixed(1)} MB` : `${Math.ceil(chars / 1e3)} KB`;

/** `span` relative to a part at `start` of `length` characters, when the part holds all of it. */
function within(span: Span, start: number, length: number): Span {
  return span && span.start >= start && span.end <= start + length
    ? { start: span.start - start, end: span.end - start }
    : null;
}

function gap(into: HTMLElement, chars: number): void {
  const p = document.createElement('p');
  p.className = 'muted elided';
  p.textContent = `⋯ ${sizeOf(chars)} not shown ⋯`;
  into.append(p);
}

/** Draws the head and the excerpts of a long response with `render`, and the Show all button (calling `showAll`). */
export function renderLongResponse(body: HTMLElement, d: DetailData, render: RenderText, showAll: () => void): void {
  const rest = d.responseRest;
  if (!rest) return;
  body.replaceChildren();
  const parts = [{ start: 0, text: d.prediction.response }, ...rest.excerpts];
  let shownTo = 0;
  for (const part of parts) {
    if (part.start > shownTo) gap(body, part.start - shownTo);
    const box = document.createElement('div');
    box.className = 'response-part';
    box.dataset.start = String(part.start);
    render(box, part.text, within(d.finalAnswer, part.start, part.text.length));
    body.append(box);
    shownTo = part.start + part.text.length;
  }
  if (shownTo < rest.length) gap(body, rest.length - shownTo);
  const bar = document.createElement('div');
  bar.className = 'show-all';
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'button secondary';
  button.id = 'show-all-response';
  button.textContent = `Show all (${sizeOf(rest.length)})`;
  button.addEventListener('click', () => {
    button.disabled = true;
    button.textContent = 'Loading the whole response…';
    showAll();
  });
  bar.append(button);
  body.append(bar);
}

/** Collects the chunks of one response; true from `add` once it is whole. */
export class ResponseChunks {
  private readonly parts: string[] = [];
  private received = 0;

  constructor(
    readonly id: number,
    private readonly length: number,
  ) {}

  add(start: number, text: string): boolean {
    // Chunks come in order; one that does not follow is from an earlier request and is dropped.
    if (start !== this.received) return false;
    this.parts.push(text);
    this.received += text.length;
    const button = document.getElementById('show-all-response');
    if (button) button.textContent = `Loading the whole response… ${Math.floor((100 * this.received) / this.length)}%`;
    return this.received >= this.length;
  }

  text(): string {
    return this.parts.join('');
  }
}

/** The whole response as plain text in blocks laid out only when on screen, its final-answer sentence marked. */
export function renderWholeText(into: HTMLElement, text: string, span: Span): void {
  const box = document.createElement('div');
  box.className = 'plain whole';
  const valid = span && span.start >= 0 && span.start < span.end && span.end <= text.length ? span : null;
  for (let start = 0; start < text.length;) {
    let end = Math.min(text.length, start + BLOCK_CHARS);
    const nl = text.lastIndexOf('\n', end - 1);
    if (end < text.length && nl > start) end = nl + 1;
    // A block never ends inside the sentence: it is marked within one block.
    if (valid && valid.start < end && valid.end > end) end = valid.end;
    const block = document.createElement('div');
    block.className = 'block';
    if (valid && valid.start >= start && valid.end <= end) {
      const mark = document.createElement('mark');
      mark.className = 'final-answer';
      mark.title = 'The final-answer sentence';
      mark.textContent = text.slice(valid.start, valid.end);
      block.append(text.slice(start, valid.start), mark, text.slice(valid.end, end));
    } else block.textContent = text.slice(start, end);
    box.append(block);
    start = end;
  }
  into.replaceChildren(box);
}

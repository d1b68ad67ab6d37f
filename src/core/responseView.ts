// A model's response as the detail view gets it. Most responses are a few KB; a runaway one can be tens of MB,
// and drawing (or even sending) that whole would hold the editor for a minute. A long response is sent in
// part: its head, and excerpts after it (the final-answer sentence with some context, and the end), each cut
// at a line break where one is near; the rest comes on request, in chunks of RESPONSE_CHUNK_CHARS.
import { finalAnswerSpan } from './answers';

/** Characters of a response shown before "Show all" (~100 KB, some 25 pages: Markdown draws it in a few hundred ms). */
export const RESPONSE_HEAD_CHARS = 100_000;
/** Characters shown of the response's end. */
export const RESPONSE_TAIL_CHARS = 20_000;
/** Characters shown before and after the final-answer sentence when it is not in the head or the end. */
const ANSWER_CONTEXT = 2_000;
/** Characters per message when the whole response is sent (about 1-2 MB: each message a short pause at most). */
export const RESPONSE_CHUNK_CHARS = 1_000_000;
/** How far a cut may move to land on a line break. */
const SNAP = 2_000;

export interface Span {
  start: number;
  end: number;
}

/** A part of a long response after its head; `start` is its offset in the whole response. */
export interface ResponseExcerpt {
  start: number;
  text: string;
}

export interface BoundedResponse {
  /** The response, or its head when it is long. */
  head: string;
  /** Null when `head` is the whole response; else its length and the excerpts after the head, in order. */
  rest: { length: number; excerpts: ResponseExcerpt[] } | null;
  /** The final-answer sentence in the whole response (character offsets), or null. */
  finalAnswer: Span | null;
}

/** Never cut between the two halves of a surrogate pair. */
export function safeCut(text: string, at: number): number {
  const c = text.charCodeAt(at - 1);
  return at > 0 && at < text.length && c >= 0xd800 && c <= 0xdbff ? at - 1 : at;
}

/** `at`, moved back to just after a line break when one is within SNAP characters before it. */
function cutBefore(text: string, at: number): number {
  const nl = text.lastIndexOf('\n', at - 1);
  return safeCut(text, nl >= 0 && at - nl <= SNAP ? nl + 1 : at);
}

/** `at`, moved forward to just after a line break when one is within SNAP characters after it. */
function cutAfter(text: string, at: number): number {
  const nl = text.indexOf('\n', at);
  return safeCut(text, nl >= 0 && nl - at < SNAP ? nl + 1 : at);
}

/** The response as the detail view is first given it (limits are parameters for the tests). */
export function boundResponse(
  text: string,
  span: Span | null = finalAnswerSpan(text),
  headChars = RESPONSE_HEAD_CHARS,
  tailChars = RESPONSE_TAIL_CHARS,
): BoundedResponse {
  if (text.length <= headChars + tailChars) return { head: text, rest: null, finalAnswer: span };
  const headEnd = cutBefore(text, headChars);
  const ranges: [number, number][] = [];
  if (span && span.end > headEnd) {
    // The sentence itself may be one endless line: its excerpt is bounded like the end's.
    const from = Math.max(headEnd, cutAfter(text, Math.max(0, span.start - ANSWER_CONTEXT)));
    ranges.push([Math.min(from, span.start), Math.min(text.length, span.end + ANSWER_CONTEXT, span.start + tailChars)]);
  }
  ranges.push([Math.max(headEnd, cutAfter(text, text.length - tailChars)), text.length]);
  ranges.sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const [s, e] of ranges) {
    const last = merged[merged.length - 1];
    if (last && s <= last[1]) last[1] = Math.max(last[1], e);
    else merged.push([s, e]);
  }
  return {
    head: text.slice(0, headEnd),
    rest: {
      length: text.length,
      excerpts: merged.map(([s, e]) => {
        const start = safeCut(text, s);
        return { start, text: text.slice(start, safeCut(text, e)) };
      }),
    },
    finalAnswer: span,
  };
}

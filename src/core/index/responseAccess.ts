// The detail view's access to a prediction's response: the prediction with its response bounded (see
// ../responseView.ts) and, on request, the whole response in slices. Runs where the index lives (its worker
// thread), so a response of tens of MB is searched for its final answer and cut there, never on the editor's
// thread; the last response read is kept for the slices that follow.
import type { BoundedResponse } from '../responseView';
import { boundResponse, safeCut } from '../responseView';
import type { PredictionDetail } from './query';
import type { ResultIndex } from './resultIndex';

export interface PredictionView {
  /** The prediction, its `response` being the head of a long one (`rest` says so). */
  detail: PredictionDetail;
  rest: BoundedResponse['rest'];
  finalAnswer: BoundedResponse['finalAnswer'];
}

export class ResponseAccess {
  private last: { id: number; text: string } | null = null;

  constructor(private readonly index: ResultIndex) {}

  /** Ids change when the index is synced: nothing kept stays valid. */
  forget(): void {
    this.last = null;
  }

  view(id: number): PredictionView | null {
    const detail = this.index.prediction(id);
    if (!detail) return null;
    const bounded = boundResponse(detail.response);
    this.last = bounded.rest ? { id, text: detail.response } : null;
    return { detail: { ...detail, response: bounded.head }, rest: bounded.rest, finalAnswer: bounded.finalAnswer };
  }

  /** Characters [start, end) of the response, and its whole length; null when the prediction is gone. */
  text(id: number, start: number, end: number): { text: string; length: number } | null {
    if (this.last?.id !== id) {
      const detail = this.index.prediction(id);
      if (!detail) return null;
      this.last = { id, text: detail.response };
    }
    const text = this.last.text;
    const from = Math.max(0, start);
    // A surrogate pair is never split between two slices (a lone half may not survive the trip to the view).
    const to = Math.max(from, Math.min(text.length, safeCut(text, end)));
    return { text: text.slice(from, to > from ? to : from + 2), length: text.length };
  }
}

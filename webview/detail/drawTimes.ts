// When the page drew a prediction, part by part, on the epoch clock its host uses too (timeOrigin + now, sub-
// millisecond on the same machine): kept on <body> for the workbench tests' timing report, never decided on.
//   data-shown-at   the view filled (its DOM built; at or after the document's load event)
//   data-painted-at the frame after that drawn (a task queued from the next animation frame runs after paint)
//   data-draw-marks JSON: each part's end ({ received, bar, clip, side, comparison }), epoch ms, and when the
//                   page's document started loading (navigated) and its script ran (scriptRan)
//   data-shown-id   the prediction drawn
//   data-drawn-from how its data came: `sent` by the host, `held` (built ahead, shown when the host said so)
//                   or `ahead` (built ahead, drawn by the page on j/k before the host heard of it)

export function epochNow(): number {
  return performance.timeOrigin + performance.now();
}

/** When this page's document started loading, and when its script started running (epoch ms). */
const PAGE_LOAD = { navigated: performance.timeOrigin, scriptRan: epochNow() };

export class DrawMarks {
  private at: Record<string, number> = {};
  private from = '';

  /** A new prediction arrived (or is drawn from what the page holds): its parts are timed from now. */
  begin(from: string): void {
    this.at = { ...PAGE_LOAD, received: epochNow() };
    this.from = from;
  }

  mark(part: string): void {
    this.at[part] = epochNow();
  }

  /** The view is filled: the marks are kept, and the next frame's paint is timed. */
  shown(id: number, stillCurrent: () => boolean): void {
    const body = document.body;
    body.dataset.shownId = String(id);
    body.dataset.drawnFrom = this.from;
    body.dataset.drawMarks = JSON.stringify(this.at);
    body.dataset.shownAt = String(epochNow());
    delete body.dataset.paintedAt;
    requestAnimationFrame(() => {
      const ch = new MessageChannel();
      ch.port1.onmessage = () => {
        if (stillCurrent()) body.dataset.paintedAt = String(epochNow());
      };
      ch.port2.postMessage(null);
    });
  }
}

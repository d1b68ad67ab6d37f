// When the page drew a prediction, part by part, on the epoch clock its host uses too (timeOrigin + now, sub-
// millisecond on the same machine): kept on <body> for the workbench tests' timing report, never decided on.
//   data-shown-at   the view filled (its DOM built; at or after the document's load event)
//   data-painted-at the frame after that drawn (a task queued from the next animation frame runs after paint)
//   data-draw-marks JSON: each part's end ({ received, bar, clip, side, comparison }), epoch ms

export function epochNow(): number {
  return performance.timeOrigin + performance.now();
}

export class DrawMarks {
  private at: Record<string, number> = {};

  /** A new prediction arrived: its parts are timed from now. */
  begin(): void {
    this.at = { received: epochNow() };
  }

  mark(part: string): void {
    this.at[part] = epochNow();
  }

  /** The view is filled: the marks are kept, and the next frame's paint is timed. */
  shown(stillCurrent: () => boolean): void {
    const body = document.body;
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

// When each step between the extension host's start and the first counts in the status bar happened, as
// lines in the output channel: how long opening a folder of results takes, and where the time goes.
import type { Log } from './log';

export type StartupPhase =
  'activated' | 'results found' | 'index worker created' | 'index worker answered' | 'indexed' | 'counts shown';

export interface StartupMark {
  phase: StartupPhase;
  /** Milliseconds after activate() was called. */
  sinceActivation: number;
  /** Milliseconds after the extension host was ready to start extensions (see hostReadyAt). */
  sinceHostReady: number;
}

interface PerformanceMarks {
  getMarks(): { name: string; startTime: number }[];
}

/** Wall-clock milliseconds, the clock of the editor's own performance marks. */
const wallNow = (): number => performance.timeOrigin + performance.now();

/**
 * When the extension host was ready to start extensions: the editor's own mark `code/extHost/ready` (its
 * performance marks are a global of the extension host, read only for this log line; an editor without them
 * gives the process's start instead).
 */
function hostReadyAt(): { at: number; what: string } {
  const marks = (globalThis as { MonacoPerformanceMarks?: PerformanceMarks }).MonacoPerformanceMarks;
  let ready: number | undefined;
  try {
    ready = marks?.getMarks().find((m) => m.name === 'code/extHost/ready')?.startTime;
  } catch {
    ready = undefined;
  }
  return typeof ready === 'number' && Number.isFinite(ready)
    ? { at: ready, what: 'the extension host was ready' }
    : { at: performance.timeOrigin, what: 'the extension host process started' };
}

/** Each phase is logged once, the first time it happens (later syncs do not count as starting up). */
export class StartupTimes {
  private readonly t0 = performance.now();
  private readonly host = hostReadyAt();
  readonly marks: StartupMark[] = [];

  constructor(private readonly log: Log) {}

  mark(phase: StartupPhase, detail = ''): void {
    if (this.marks.some((m) => m.phase === phase)) return;
    const m = { phase, sinceActivation: performance.now() - this.t0, sinceHostReady: wallNow() - this.host.at };
    this.marks.push(m);
    this.log.line(
      `Startup: ${phase} at ${m.sinceActivation.toFixed(0)} ms after activation, ${m.sinceHostReady.toFixed(0)} ms after ${this.host.what}${detail ? ` (${detail})` : ''}`,
    );
  }
}

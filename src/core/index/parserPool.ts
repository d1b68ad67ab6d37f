// A pool of parser threads that read and parse result files ahead of the index, so that parsing overlaps
// inserting: each thread takes every n-th file, and the index consumes them in order. The threads are
// started once and reused (starting a thread costs tens of milliseconds).
import * as os from 'os';
import * as path from 'path';
import { Worker } from 'worker_threads';
import { YOUNG_GENERATION } from './workerLimits';
import type { DiscoveredFile } from '../discovery';
import type { KnownQuestions, LoadedFile } from './fileLoader';
import { loadFile } from './fileLoader';

export interface ParserRequest {
  job: number;
  files: readonly DiscoveredFile[];
  known: string[];
}
type ParserResult =
  { job: number; kind: 'file'; loaded: LoadedFile } | { job: number; kind: 'failed'; message: string };
/** Results of a job, and `ready` once, when the thread has loaded its code and waits for work. */
export type ParserReply = ParserResult | { job: 0; kind: 'ready' };

/** One thread per core, at most two: the index's own thread needs some of the machine too. */
export function defaultParserThreads(): number {
  const fromEnv = Number(process.env.VLM4D_PARSER_THREADS);
  if (Number.isInteger(fromEnv) && fromEnv > 0) return fromEnv;
  return Math.max(1, Math.min(2, os.availableParallelism?.() ?? os.cpus().length));
}

interface Lane {
  worker: Worker;
  queue: ParserResult[];
  failure: Error | null;
  wake: (() => void) | null;
  /** Settles when the thread has said it is ready (or has failed to start). */
  ready: Promise<void>;
}

export class ParserPool {
  private lanes: Lane[] = [];
  private job = 0;

  constructor(
    private readonly script: string = path.join(__dirname, 'parserWorker.js'),
    private readonly threads = defaultParserThreads(),
  ) {}

  /** Starts the threads now, so that the first sync does not wait for them. */
  warmUp(): void {
    while (this.lanes.length < this.threads) this.lanes.push(this.startLane());
  }

  private startLane(): Lane {
    const worker = new Worker(this.script, { resourceLimits: YOUNG_GENERATION });
    worker.unref();
    let readied = (): void => undefined;
    const lane: Lane = { worker, queue: [], failure: null, wake: null, ready: new Promise<void>((r) => (readied = r)) };
    worker.once('error', () => readied());
    worker.on('message', (m: ParserReply) => {
      if (m.kind === 'ready') return readied();
      if (m.job !== this.job) return; // a reply to an abandoned sync
      lane.queue.push(m);
      lane.wake?.();
    });
    worker.on('error', (e) => {
      lane.failure = e;
      lane.wake?.();
    });
    // A thread that ends without an error (it was terminated, or exited) would otherwise be waited for forever.
    worker.once('exit', (code) => {
      readied();
      lane.failure ??= new Error(`the thread exited (code ${code})`);
      lane.wake?.();
    });
    return lane;
  }

  /** Threads running now (the memory report). */
  get running(): number {
    return this.lanes.length;
  }

  /** Starts the threads if need be; resolves when every one of them is ready for work. */
  async started(): Promise<void> {
    this.warmUp();
    await Promise.all(this.lanes.map((l) => l.ready));
  }

  /** Starts reading at once; the results arrive, in the order of `files`, as the iterable is consumed. */
  load(files: readonly DiscoveredFile[], known: KnownQuestions): AsyncIterable<LoadedFile> {
    this.warmUp();
    const job = ++this.job;
    const n = Math.max(1, Math.min(this.lanes.length, files.length));
    const lanes = this.lanes.slice(0, n);
    lanes.forEach((lane, k) => {
      lane.queue = [];
      // Each lane sends the question texts of the questions it sees first; a few duplicates are harmless.
      lane.worker.postMessage({
        job,
        files: files.filter((_, i) => i % n === k),
        known: known.keys(),
      } satisfies ParserRequest);
    });
    const stop = () => this.dispose();
    const replace = (lane: Lane) => this.replaceLane(lane);
    return (async function* () {
      let done = false;
      // Lanes whose thread stopped: their other files are read in this thread.
      const stopped = new Set<Lane>();
      try {
        for (let i = 0; i < files.length; i++) {
          const lane = lanes[i % n] as Lane;
          const f = files[i] as DiscoveredFile;
          if (stopped.has(lane)) {
            yield loadFile(f, known);
            continue;
          }
          while (!lane.queue.length && !lane.failure) await new Promise<void>((r) => (lane.wake = r));
          lane.wake = null;
          const m = lane.queue.shift();
          if (m?.kind === 'file') {
            yield m.loaded;
            continue;
          }
          // The thread stopped while reading this file (out of memory, most likely): the file is reported,
          // and the sync goes on without that thread.
          const why =
            m?.kind === 'failed' ? (m.message.split('\n')[0] as string) : (lane.failure?.message ?? 'no reason given');
          stopped.add(lane);
          replace(lane);
          yield { kind: 'error', reason: `cannot read the file: the parser thread reading it stopped (${why})` };
        }
        done = true;
      } finally {
        // Threads still busy with an abandoned sync are replaced rather than waited for.
        if (!done) stop();
      }
    })();
  }

  /** A thread that stopped is replaced by a new one, for the next sync. */
  private replaceLane(lane: Lane): void {
    const k = this.lanes.indexOf(lane);
    void lane.worker.terminate();
    if (k >= 0) this.lanes[k] = this.startLane();
  }

  dispose(): void {
    this.job++;
    for (const l of this.lanes) void l.worker.terminate();
    this.lanes = [];
  }
}

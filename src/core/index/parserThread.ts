// Parser threads that read and parse result files ahead of the index, so that parsing overlaps
// inserting: each thread takes every n-th file, and the index consumes them in order.
import * as os from 'os';
import * as path from 'path';
import { Worker } from 'worker_threads';
import type { DiscoveredFile } from '../discovery';
import type { LoadedFile } from './fileLoader';

export interface ParserRequest {
  files: readonly DiscoveredFile[];
  known: string[];
}
export type ParserReply = { kind: 'file'; loaded: LoadedFile } | { kind: 'failed'; message: string };

/** One thread per core, at most two: the index's own thread needs some of the machine too. */
export function defaultParserThreads(): number {
  return Math.max(1, Math.min(2, os.availableParallelism?.() ?? os.cpus().length));
}

export class ParserThreads {
  private workers = new Set<Worker>();

  constructor(
    private readonly script: string = path.join(__dirname, 'parserWorker.js'),
    private readonly threads = defaultParserThreads(),
  ) {}

  /** Starts reading at once; the results arrive, in the order of `files`, as the iterable is consumed. */
  load(files: readonly DiscoveredFile[], known: Set<string>): AsyncIterable<LoadedFile> {
    const n = Math.max(1, Math.min(this.threads, files.length));
    const lanes = Array.from({ length: n }, (_, k) => {
      const worker = new Worker(this.script);
      this.workers.add(worker);
      const lane = { worker, queue: [] as ParserReply[], failure: null as Error | null, wake: null as (() => void) | null };
      worker.on('message', (m: ParserReply) => {
        lane.queue.push(m);
        lane.wake?.();
      });
      worker.on('error', (e) => {
        lane.failure = e;
        lane.wake?.();
      });
      // Each lane sends the question texts of the questions it sees first; a few duplicates are harmless.
      worker.postMessage({ files: files.filter((_, i) => i % n === k), known: [...known] } satisfies ParserRequest);
      return lane;
    });
    const stop = (): void => {
      for (const l of lanes) {
        this.workers.delete(l.worker);
        void l.worker.terminate();
      }
    };
    return (async function* () {
      try {
        for (let i = 0; i < files.length; i++) {
          const lane = lanes[i % n] as (typeof lanes)[number];
          while (!lane.queue.length && !lane.failure) await new Promise<void>((r) => (lane.wake = r));
          lane.wake = null;
          if (lane.failure) throw lane.failure;
          const m = lane.queue.shift() as ParserReply;
          if (m.kind === 'failed') throw new Error(`parser thread: ${m.message}`);
          yield m.loaded;
        }
      } finally {
        stop();
      }
    })();
  }

  /** Ends any parser left running by a sync that stopped early. */
  dispose(): void {
    for (const w of this.workers) void w.terminate();
    this.workers.clear();
  }
}

// The owner's side of the index worker: typed, promise-based calls, progress and cancellation.
import * as path from 'path';
import { Worker } from 'worker_threads';
import { YOUNG_GENERATION } from './workerLimits';
import type { IndexMethod, IndexMethods, WorkerInit, WorkerReply } from './indexWorkerProtocol';

export interface IndexClientOptions {
  /** The bundled worker script; defaults to indexWorker.js next to this bundle. */
  workerPath?: string;
  wasmPath?: string;
  /** See WorkerInit.keepParserThreads. */
  keepParserThreads?: boolean;
}

type Pending = {
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
  onProgress?: ((done: number, total: number, file: string) => void) | undefined;
};

export class IndexClient {
  private readonly worker: Worker;
  private readonly cancelFlag = new SharedArrayBuffer(4);
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private dead: Error | null = null;
  private lastSyncId = 0;

  constructor(options: IndexClientOptions = {}) {
    const init: WorkerInit = {
      cancelFlag: this.cancelFlag,
      ...(options.wasmPath ? { wasmPath: options.wasmPath } : {}),
      ...(options.keepParserThreads ? { keepParserThreads: true } : {}),
    };
    this.worker = new Worker(options.workerPath ?? path.join(__dirname, 'indexWorker.js'), {
      workerData: init,
      resourceLimits: YOUNG_GENERATION,
    });
    this.worker.on('message', (m: WorkerReply) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      if (m.kind === 'progress') return p.onProgress?.(m.done, m.total, m.file);
      this.pending.delete(m.id);
      if (m.kind === 'result') p.resolve(m.result);
      else p.reject(new Error(m.message));
    });
    const fail = (e: Error): void => {
      this.dead = e;
      for (const p of this.pending.values()) p.reject(e);
      this.pending.clear();
    };
    this.worker.on('error', fail);
    this.worker.on('exit', (code) => fail(new Error(`index worker exited (code ${code})`)));
  }

  call<M extends IndexMethod>(
    method: M,
    params: IndexMethods[M]['params'],
    onProgress?: (done: number, total: number, file: string) => void,
  ): Promise<IndexMethods[M]['result']> {
    if (this.dead) return Promise.reject(this.dead);
    const id = this.nextId++;
    if (method === 'sync') this.lastSyncId = id;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, onProgress });
      this.worker.postMessage({ id, method, params });
    });
  }

  /** Stops the latest sync after the file it is reading (or before it starts); what was read stays indexed. */
  cancelSync(): void {
    Atomics.store(new Int32Array(this.cancelFlag), 0, this.lastSyncId);
  }

  async dispose(): Promise<void> {
    await this.worker.terminate();
  }
}

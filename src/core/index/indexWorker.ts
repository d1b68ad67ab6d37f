// The index's worker thread: it reads and parses the files itself and owns the database, so the
// thread that asked (the extension host) never stalls on indexing.
import { parentPort, workerData } from 'worker_threads';
import * as path from 'path';
import { accuracyTables } from '../accuracyTable';
import { memoryReport } from './memoryReport';
import { ParserPool } from './parserPool';
import { ResponseAccess } from './responseAccess';
import { ResultIndex } from './resultIndex';
import { loadSqlJs } from './sqlite';
import type { WorkerInit, WorkerReply, WorkerRequest } from './indexWorkerProtocol';

const init = workerData as WorkerInit;
const cancel = new Int32Array(init.cancelFlag);
const port = parentPort;
if (!port) throw new Error('indexWorker must run in a worker thread');

const ready = loadSqlJs(init.wasmPath).then((SQL) => new ResultIndex(SQL));
const responses = ready.then((index) => new ResponseAccess(index));

function reply(m: WorkerReply): void {
  port?.postMessage(m);
}

// Result files are parsed in a second thread while this one inserts.
const parser = new ParserPool(path.join(__dirname, 'parserWorker.js'));
parser.warmUp();

function handle(index: ResultIndex, req: WorkerRequest, response: ResponseAccess): unknown {
  switch (req.method) {
    case 'sync': {
      response.forget();
      if (req.params.roots) index.setRoots(req.params.roots);
      let last = 0;
      return (
        index
          .sync({
            forcePaths: req.params.forcePaths ?? [],
            loader: (files, known) => parser.load(files, known),
            shouldCancel: () => Atomics.load(cancel, 0) === req.id,
            lists: true,
            onProgress: (done, total, file) => {
              const now = Date.now();
              if (now - last < 50 && done < total) return;
              last = now;
              reply({ kind: 'progress', id: req.id, done, total, file });
            },
          })
          // A sync that stopped early (cancelled, failed) must not leave parser threads at work; and idle, a
          // parser thread keeps the heap it parsed with (~100 MB at 10x the published results): they are
          // stopped after every sync, and the next one starts them again.
          .finally(() => (init.keepParserThreads ? undefined : parser.dispose()))
      );
    }
    case 'query':
      return index.query(req.params);
    case 'prediction':
      return index.prediction(req.params.id);
    case 'predictionView':
      return response.view(req.params.id);
    case 'responseText':
      return response.text(req.params.id, req.params.start, req.params.end);
    case 'predictionIdByKey':
      return index.predictionIdByKey(req.params.key);
    case 'questionPredictions':
      return index.questionPredictions(req.params.id);
    case 'accuracyTables':
      return accuracyTables(index, { verdict: req.params.verdict ?? 'judge' });
    case 'dashboardData':
      return index.dashboardData();
    case 'counts':
      return index.counts();
    case 'started':
      return parser.started().then(() => null);
    case 'runs':
      return index.runs();
    case 'problems':
      return index.problems();
    case 'suggestions':
      return index.suggestions(req.params.id);
    case 'slices':
      return index.slices(req.params.filter, req.params.options);
    case 'auditStep':
      // The host asks for these back to back after a sync, so the worker is never idle while they last: the
      // rest of the background work goes first (the search index, which a search waits for).
      if (index.backgroundStep(STEP_MS)) return { pending: index.auditPending(), changed: true };
      return index.auditStep(req.params.max);
    case 'finishBackground': {
      const t0 = performance.now();
      while (index.backgroundStep(1000));
      return { ms: performance.now() - t0 };
    }
    case 'memory':
      return { ...memoryReport(index), parserThreads: parser.running };
    case 'comparisonRuns':
      return index.comparisonRuns();
    case 'compare':
      return index.compare(req.params.a, req.params.b, req.params.filter, req.params.options);
    case 'setAnnotations':
      index.setAnnotations(req.params.sources);
      return index.annotationOrphans();
  }
}

// Requests are handled one at a time, in order.
let queue: Promise<void> = Promise.resolve();
let pending = 0;
port.on('message', (req: WorkerRequest) => {
  pending++;
  queue = queue.then(async () => {
    let index: ResultIndex | undefined;
    try {
      index = await ready;
      reply({ kind: 'result', id: req.id, result: await handle(index, req, await responses) });
    } catch (e) {
      reply({ kind: 'error', id: req.id, message: e instanceof Error ? (e.stack ?? e.message) : String(e) });
    } finally {
      if (--pending === 0 && index) background(index, IDLE_MS);
    }
  });
});

// The work left after a sync (the lists' order by model, the search index) goes on in ~10 ms steps while no
// request waits, so that a request waits for one step at most; and it starts only after 50 ms without a
// request, so that requests that follow one another (a sync, the side panel's first page, the prediction
// it opens) do not wait at all.
const IDLE_MS = 50;
const STEP_MS = 10;
let timer: ReturnType<typeof setTimeout> | undefined;
function background(index: ResultIndex, delayMs: number): void {
  clearTimeout(timer);
  timer = setTimeout(() => {
    timer = undefined;
    if (pending === 0 && index.backgroundStep(STEP_MS)) background(index, 0);
  }, delayMs);
}

// Entry of a parser thread (see parserPool.ts): loads each file it is given, in order, and posts it back.
import { parentPort } from 'worker_threads';
import { KnownQuestions, loadFile, unexpectedFailure } from './fileLoader';
import type { LoadedFile } from './fileLoader';
import type { ParserReply, ParserRequest } from './parserPool';
import { transferables } from './textStore';

function post(job: number, loaded: LoadedFile): void {
  // Typed arrays are moved, not copied.
  const all =
    loaded.kind === 'results' ? [loaded.records] : loaded.kind === 'harness' ? loaded.parts.map((p) => p.records) : [];
  const transfer = all.flatMap((r) => [
    r.chosen.buffer,
    r.correct.buffer,
    r.ruleCorrect.buffer,
    r.truth.buffer,
    r.slice.buffer,
    r.qnum.buffer,
    ...transferables(r.ids),
    ...transferables(r.responses),
    ...transferables(r.extracted),
  ]);
  parentPort?.postMessage({ job, kind: 'file', loaded } satisfies ParserReply, transfer as ArrayBuffer[]);
}

parentPort?.on('message', (req: ParserRequest) => {
  const known = new KnownQuestions(req.known);
  try {
    for (const f of req.files) {
      const loaded = loadFile(f, known);
      try {
        post(req.job, loaded);
      } catch (e) {
        // What cannot be copied to the index's thread is this file's problem, not the sync's.
        post(req.job, { kind: 'error', reason: unexpectedFailure(e) });
      }
    }
  } catch (e) {
    parentPort?.postMessage({
      job: req.job,
      kind: 'failed',
      message: e instanceof Error ? (e.stack ?? e.message) : String(e),
    } satisfies ParserReply);
  }
});
parentPort?.postMessage({ job: 0, kind: 'ready' } satisfies ParserReply);

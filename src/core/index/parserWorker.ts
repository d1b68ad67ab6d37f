// Entry of a parser thread (see parserThread.ts): loads each file it is given, in order, and posts it back.
import { parentPort } from 'worker_threads';
import { loadFile } from './fileLoader';
import type { ParserReply, ParserRequest } from './parserThread';

parentPort?.on('message', (req: ParserRequest) => {
  const known = new Set(req.known);
  try {
    req.files.forEach((f) => {
      const loaded = loadFile(f, known);
      // Typed arrays are moved, not copied.
      const transfer = loaded.kind === 'results' ? [
              loaded.records.chosen.buffer,
              loaded.records.correct.buffer,
              loaded.records.ruleCorrect.buffer,
              loaded.records.truth.buffer,
              loaded.records.slice.buffer,
              loaded.records.qnum.buffer,
              loaded.records.responses.offsets.buffer,
              loaded.records.extracted.offsets.buffer,
              loaded.records.ids.offsets.buffer,
            ] : [];
      parentPort?.postMessage({ job: req.job, kind: 'file', loaded } satisfies ParserReply, transfer as ArrayBuffer[]);
    });
  } catch (e) {
    parentPort?.postMessage({ job: req.job, kind: 'failed', message: e instanceof Error ? (e.stack ?? e.message) : String(e) } satisfies ParserReply);
  }
});

import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import type { DiscoveredFile } from '../../src/core/discovery';
import { discover } from '../../src/core/discovery';
import { IndexClient } from '../../src/core/index/indexClient';
import type { LoadedFile } from '../../src/core/index/fileLoader';
import { KnownQuestions, loadFile, unexpectedFailure } from '../../src/core/index/fileLoader';
import { ParserPool } from '../../src/core/index/parserPool';
import { ResultIndex } from '../../src/core/index/resultIndex';
import { loadSqlJs } from '../../src/core/index/sqlite';
import { DEFAULT_READ_LIMITS, MAX_NESTING, MAX_STRING_CHARS } from '../../src/core/parse';
import { judge, makeResultsFolder, realQuestions, tempDir, writeJson } from '../support/fixtures';

// One bad file never stops the index: whatever is wrong with it (nested thousands of levels deep, too large
// for a string, a parser thread that dies on it), it is reported with its reason and every other file is
// indexed.

const DIST = path.resolve(__dirname, '..', '..', 'dist');

/** A result file whose second record has a judge field `depth` arrays deep, written without recursion. */
function writeDeep(file: string, depth: number): void {
  const records = judge(realQuestions(), 5, 0.5);
  const head = JSON.stringify(records.slice(0, 1)).slice(0, -1);
  const second = JSON.stringify({ ...records[1], judge_trace: 0 }).replace(
    '"judge_trace":0',
    `"judge_trace":${'['.repeat(depth)}${']'.repeat(depth)}`,
  );
  const tail = JSON.stringify(records.slice(2)).slice(1);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${head},${second},${tail}`);
}

/** Every record of every judged file the fixture wrote. */
const total = (judged: Map<string, unknown[]>): number => [...judged.values()].reduce((n, r) => n + r.length, 0);

describe('one bad file among good ones', () => {
  for (const depth of [5_000, 50_000]) {
    it(`indexes the good files and reports a judge field nested ${depth.toLocaleString('en-US')} levels deep (in this thread)`, async () => {
      const { dir, judged } = makeResultsFolder();
      const bad = path.join(dir, 'processed_outputs', 'real_mc_cot', 'deep_8frame.json');
      writeDeep(bad, depth);
      const index = new ResultIndex(await loadSqlJs());
      index.setRoots([dir]);
      const report = await index.sync();
      // The bad file's records are kept (only the field is not shown): all of the good files, and the bad one's.
      assert.equal(report.counts.predictions, total(judged) + realQuestions().length);
      const problem = report.problems.find((p) => p.path === bad);
      assert.equal(problem?.severity, 'warning');
      assert.equal(
        problem?.reason,
        `field 'judge_trace' is nested deeper than ${MAX_NESTING} levels: not shown (record 1)`,
      );
      const row = index
        .query({ model: ['deep'], text: '', limit: 100 })
        .rows.find((r) => r.qid === realQuestions()[1]?.id);
      assert.match(index.prediction(row?.id ?? -1)?.judgeExtras.judge_trace ?? '', /not shown: nested deeper than/);
      index.close();
    });
  }

  it('indexes the good files and reports deep fields through the worker and its parser threads', async function () {
    assert.ok(fs.existsSync(path.join(DIST, 'indexWorker.js')), 'run npm run build first');
    const { dir, judged } = makeResultsFolder();
    writeDeep(path.join(dir, 'processed_outputs', 'real_mc_cot', 'deep_8frame.json'), 50_000);
    // Choices with a deep extra key, for a question no benchmark file holds: its text is sent between threads.
    const odd = judge(realQuestions(), 6, 0.5).map((r) => ({ ...r, id: `${r.id}_odd` }));
    const oddText = JSON.stringify(odd).replace(
      '"choices":{',
      `"choices":{"E":${'['.repeat(50_000)}${']'.repeat(50_000)},`,
    );
    fs.writeFileSync(path.join(dir, 'processed_outputs', 'real_mc_cot', 'odd_8frame.json'), oddText);
    const client = new IndexClient({
      workerPath: path.join(DIST, 'indexWorker.js'),
      wasmPath: path.join(DIST, 'sql-wasm.wasm'),
    });
    try {
      const report = await client.call('sync', { roots: [{ path: dir }] });
      assert.equal(report.counts.predictions, total(judged) + 2 * realQuestions().length);
      assert.match(report.problems.map((p) => p.reason).join('\n'), /judge_trace' is nested deeper than 64 levels/);
      const oddRow = (await client.call('query', { model: ['odd'], limit: 1 })).rows[0];
      const detail = await client.call('prediction', { id: oddRow?.id ?? -1 });
      assert.deepEqual(Object.keys(detail?.choices ?? {}), ['A', 'B', 'C', 'D']);
    } finally {
      client.dispose();
    }
  });

  it('refuses a file larger than a string can hold with a reason naming the limit, and indexes the rest', async () => {
    // The real limit is V8's longest string; a file is read one character a byte, so no larger file fits.
    assert.equal(DEFAULT_READ_LIMITS.maxFileBytes, MAX_STRING_CHARS);
    assert.equal(MAX_STRING_CHARS, 0x1fffffe8);
    assert.throws(() => 'x'.repeat(MAX_STRING_CHARS + 1), RangeError);
    // The same check under a lower limit, rather than writing half a gigabyte.
    const { dir, judged } = makeResultsFolder();
    const big = path.join(dir, 'processed_outputs', 'real_mc_cot', 'big_8frame.json');
    writeJson(big, judge(realQuestions(), 9, 0.5));
    const sizes = [...judged.keys()].map((f) => fs.statSync(f).size);
    const limit = Math.max(
      ...sizes,
      fs.statSync(path.join(dir, 'data', 'real_mc.json')).size,
      fs.statSync(path.join(dir, 'data', 'synthetic_mc.json')).size,
    );
    fs.appendFileSync(big, ' '.repeat(limit));
    const index = new ResultIndex(await loadSqlJs());
    index.setRoots([dir]);
    const report = await index.sync({
      loader: (files, known) => files.map((f) => loadFile(f, known, { maxFileBytes: limit })),
    });
    assert.equal(report.counts.predictions, total(judged));
    const size = fs.statSync(big).size;
    const reason = report.problems.find((p) => p.path === big)?.reason ?? '';
    assert.match(
      reason,
      new RegExp(
        `^file too large to read: ${size.toLocaleString('en-US')} bytes .* over the limit of ${limit.toLocaleString('en-US')} bytes`,
      ),
    );
    const real = loadFile(
      { ...discover(dir).files.find((f) => f.path === big), size } as DiscoveredFile,
      new KnownQuestions(),
      { maxFileBytes: MAX_STRING_CHARS },
    );
    assert.equal(real.kind, 'results', 'under the real limit the same file is read');
    index.close();
  });

  it('names the engine limit behind a failure no check foresaw', () => {
    assert.match(
      unexpectedFailure(new RangeError('Maximum call stack size exceeded')),
      /^cannot read the file: nested too deeply to process/,
    );
    assert.match(
      unexpectedFailure(new RangeError('Invalid string length')),
      /^cannot read the file: too large to process as text/,
    );
    assert.match(
      unexpectedFailure(new Error('Cannot create a string longer than 0x1fffffe8 characters')),
      /^cannot read the file: Cannot create a string longer/,
    );
  });

  it('reports the file a parser thread stopped on, and reads the files it had left in this thread', async () => {
    // A stand-in parser thread that dies on one file (as one does when out of memory) and says which files it read.
    const dir = tempDir();
    const script = path.join(dir, 'dyingParser.js');
    fs.writeFileSync(
      script,
      `const { parentPort } = require('worker_threads');
       parentPort.on('message', (req) => {
         for (const f of req.files) {
           if (f.path.includes('crash')) throw new Error('JS heap out of memory (simulated)');
           parentPort.postMessage({ job: req.job, kind: 'file', loaded: { kind: 'error', reason: 'read by the parser thread' } });
         }
       });
       parentPort.postMessage({ job: 0, kind: 'ready' });`,
    );
    const results = makeResultsFolder(path.join(dir, 'r'));
    const crash = path.join(results.dir, 'processed_outputs', 'real_mc_cot', 'b-crash_8frame.json');
    writeJson(crash, judge(realQuestions(), 3, 0.5));
    const files = discover(results.dir)
      .files.filter((f) => f.kind !== 'questions')
      .sort((a, b) => (a.path < b.path ? -1 : 1));
    const threads = new ParserPool(script, 2);
    try {
      const loaded: LoadedFile[] = [];
      for await (const l of threads.load(files, new KnownQuestions())) loaded.push(l);
      assert.equal(loaded.length, files.length);
      const at = files.findIndex((f) => f.path === crash);
      files.forEach((f, i) => {
        const l = loaded[i] as LoadedFile;
        const reason = l.kind === 'error' ? l.reason : l.kind;
        if (i === at)
          assert.equal(
            reason,
            'cannot read the file: the parser thread reading it stopped (JS heap out of memory (simulated))',
          );
        // Files of the same thread after it are read here; the other thread's, and those before, by their thread.
        else if (i % 2 === at % 2 && i > at) assert.equal(reason, 'results', path.basename(f.path));
        else assert.equal(reason, 'read by the parser thread', path.basename(f.path));
      });
      // The next sync has two threads again.
      const again: LoadedFile[] = [];
      for await (const l of threads.load(
        files.filter((f) => f.path !== crash),
        new KnownQuestions(),
      ))
        again.push(l);
      assert.deepEqual(
        new Set(again.map((l) => (l.kind === 'error' ? l.reason : l.kind))),
        new Set(['read by the parser thread']),
      );
    } finally {
      threads.dispose();
    }
  });

  it('never quotes the content of a file that is not a result file in its reason', () => {
    // Files in a results folder's layout that hold something else: the reason must say what is wrong
    // without repeating what they hold (keys, values or text), which may be anything, credentials included.
    const dir = tempDir();
    const secret = 'SECRETsk9f8e7d6';
    const contents: Record<string, string> = {
      'text_8frame.json': `password=${secret}`,
      'env_8frame.json': `${secret}=1\n`,
      'object_8frame.json': JSON.stringify({ [`api_key_${secret}`]: secret, model: 'x' }),
      'bare_8frame.json': `[{"token": ${secret}}]`,
      'string_8frame.json': `["${secret}" ${secret}]`,
      'lines_8frame.jsonl': `${secret}\n{${secret}}\n`,
      'scalar_8frame.json': `"${secret}"`,
    };
    const reasons: string[] = [];
    for (const [name, text] of Object.entries(contents)) {
      const file = path.join(dir, 'processed_outputs', 'real_mc_cot', name);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, text);
    }
    fs.writeFileSync(path.join(dir, 'vlm4d-labels.json'), JSON.stringify({ version: secret, labels: [] }));
    for (const f of discover(dir).files) {
      const loaded = loadFile(f, new KnownQuestions());
      assert.equal(loaded.kind, 'error', path.basename(f.path));
      reasons.push(`${path.basename(f.path)}: ${(loaded as { reason: string }).reason}`);
    }
    assert.equal(reasons.length, Object.keys(contents).length + 1);
    for (const r of reasons) assert.doesNotMatch(r, /SECRET|sk9f|api_key|token|password/, r);
    // Each still says what is wrong.
    assert.match(
      reasons.join('\n'),
      /object_8frame.json: expected a JSON array of records, found an object \(keys: model and 1 unknown, not shown\)/,
    );
    assert.match(reasons.join('\n'), /text_8frame.json: not JSON: expected "\[" or "\{" at the start, found a letter/);
    assert.match(reasons.join('\n'), /bare_8frame.json: invalid JSON: Unexpected character \(a letter\)/);
    assert.match(reasons.join('\n'), /vlm4d-labels.json: unsupported labels version a string \(expected 1\)/);
  });
});

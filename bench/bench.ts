// `npm run bench [FOLDER]`: indexing cost against its floor (read + JSON.parse of the same files),
// measured as ratios inside one run, on a generated corpus shaped like the published results at 1x, 4x
// and 10x, and on FOLDER when given. Each size runs in a child process of its own so that its peak RSS
// is its own.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { discover } from '../src/core/discovery';
import { IndexClient } from '../src/core/index/indexClient';
import type { FailureQuery } from '../src/core/index/query';
import { generateCorpus } from './corpus';
import type { MemoryTrace } from './memoryTrace';
import { traceMemory, traceTable } from './memoryTrace';
import { measureUi } from './ui';

/** Rounds per size: the floor and the index alternate, and the reported ratio is the median of the rounds' ratios. */
const ROUNDS = Number(process.env.VLM4D_BENCH_ROUNDS) || 5;
const BENCH_DIR = path.resolve(process.env.VLM4D_BENCH_DIR ?? '.bench');

interface SizeResult {
  label: string;
  files: number;
  megabytes: number;
  predictions: number;
  floorMs: number;
  indexMs: number;
  ratio: number;
  /** From creating the worker (loading sql.js, starting the parser threads) to queryable, against the floor. */
  coldMs: number;
  coldRatio: number;
  maxStallMs: number;
  peakRssMb: number;
  queries: Record<string, number>;
  /** The index's own breakdown of its last sync (see SyncReport.timings). */
  breakdown: Record<string, number>;
  /** The worker's memory by part, in bytes, after the queries (see memoryReport.ts). */
  memory: Record<string, number>;
  /** At 1x: a sync whose code the worker's and the parser threads' V8 has compiled already (compiledSync). */
  compiled?: { ms: number; ratio: number };
  /** A process doing only what the extension does with the index, its RSS sampled by phase (memoryTrace.ts). */
  memoryTrace?: MemoryTrace;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

/** The floor: read and JSON.parse every file the index reads, on one thread. */
function floor(files: string[]): number {
  const t0 = performance.now();
  let n = 0;
  for (const f of files) n += (JSON.parse(fs.readFileSync(f, 'utf8')) as unknown[]).length;
  if (n < 0) throw new Error('unreachable');
  return performance.now() - t0;
}

/** Resolves once the process (every thread) has used under 3 ms of CPU in 50 ms, or after 2 s. */
async function quiet(): Promise<void> {
  const until = performance.now() + 2000;
  while (performance.now() < until) {
    const c0 = process.cpuUsage();
    await new Promise((r) => setTimeout(r, 50));
    const c = process.cpuUsage(c0);
    if (c.user + c.system < 3000) return;
  }
}

/** Longest gap between ticks of a 1 ms timer on this (the host's) thread while `work` runs. */
async function withStallMeter<T>(work: () => Promise<T>): Promise<{ value: T; maxStallMs: number }> {
  let last = performance.now();
  let maxStallMs = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    maxStallMs = Math.max(maxStallMs, now - last);
    last = now;
  }, 1);
  try {
    const value = await work();
    return { value, maxStallMs };
  } finally {
    clearInterval(timer);
  }
}

async function timeQuery(client: IndexClient, q: FailureQuery, repeat = 9): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < repeat; i++) {
    const t0 = performance.now();
    await client.call('query', q);
    times.push(performance.now() - t0);
  }
  return median(times);
}

/**
 * Every kind of list the side panel shows: each outcome and all, by question and by model, without and with
 * a filter, at its first, middle and last page (each with its total and facet counts).
 */
async function listQueries(client: IndexClient, queries: Record<string, number>): Promise<void> {
  const models = Object.keys((await client.call('query', { limit: 0 })).facets.model).slice(0, 3);
  const outcomes: [string, FailureQuery][] = [
    ['failed', { outcome: ['failed'] }],
    ['correct', { outcome: ['correct'] }],
    ['ungraded', { outcome: ['ungraded'] }],
    ['all', {}],
  ];
  const filters: [string, FailureQuery][] = [
    ['', {}],
    [', 3 models, exocentric', { model: models, perspective: ['exocentric'] }],
  ];
  for (const [name, o] of outcomes)
    for (const [filterName, f] of filters)
      for (const sort of ['question', 'model'] as const) {
        const q: FailureQuery = { ...o, ...f, sort };
        const total = (await client.call('query', { ...q, limit: 0 })).total;
        const label = `list: ${name}${filterName}, by ${sort}`;
        queries[`${label}: predictions listed`] = total;
        queries[`${label}, first page`] = await timeQuery(client, { ...q, limit: 100 }, 3);
        queries[`${label}, middle page`] = await timeQuery(
          client,
          { ...q, offset: Math.floor(total / 2), limit: 100 },
          3,
        );
        queries[`${label}, last page`] = await timeQuery(
          client,
          { ...q, offset: Math.max(0, total - 100), limit: 100 },
          3,
        );
      }
}

/** Searches as typed in the side panel (its default list, the failures): the first time for a text, and again. */
async function searchQueries(client: IndexClient, queries: Record<string, number>): Promise<void> {
  const searches: [string, string][] = [
    ['no match', 'zebra'],
    ['rare word', 'rotate'],
    ['common word', 'moving'],
    ['common word', 'the'],
    ['common word', 'left'],
    ['phrase', '"the car"'],
    ['phrase', '"is moving"'],
    ['two words', 'rotating toward'],
  ];
  for (const [kind, text] of searches) {
    const q: FailureQuery = { outcome: ['failed'], text, limit: 100 };
    const t = performance.now();
    const { total } = await client.call('query', q);
    queries[`search, ${kind} ${text}, first`] = performance.now() - t;
    queries[`search, ${kind} ${text}: failures found`] = total;
    queries[`search, ${kind} ${text}, again`] = await timeQuery(client, q, 5);
    queries[`search, ${kind} ${text}, all outcomes by model, last page`] = await timeQuery(
      client,
      {
        text,
        sort: 'model',
        offset: Math.max(0, (await client.call('query', { text, limit: 0 })).total - 100),
        limit: 100,
      },
      3,
    );
  }
}

/**
 * An annotations file laid over the index for the first time after a sync, as the extension does when it
 * opens a folder a user has tagged: 200 prediction keys (tags, every tenth a verdict override) and a question
 * key; taken away again after.
 */
async function annotationsAfterSync(client: IndexClient, folder: string): Promise<number> {
  const rows = (await client.call('query', { outcome: ['failed'], limit: 200 })).rows;
  const updated = new Date(0).toISOString();
  const predictions = Object.fromEntries(
    rows.map((r, i) => [
      r.key,
      { tags: ['bench'], note: '', updated, ...(i % 10 ? {} : { verdict: 'correct' as const }) },
    ]),
  );
  const first = rows[0];
  const questions = first ? { [`${first.split}/${first.qid}`]: { tags: ['bench-question'], note: '', updated } } : {};
  const t = performance.now();
  await client.call('setAnnotations', { sources: [{ root: folder, data: { tags: [], predictions, questions } }] });
  const ms = performance.now() - t;
  await client.call('setAnnotations', { sources: [] });
  return ms;
}

/**
 * The failure-mode detectors over every prediction through the worker, in the steps the extension takes
 * (auditStep of 1,000: the judge audit first, then the detectors 4,000 predictions a step), timed from the
 * audit's end to the last failed prediction read (they are read first) and to the last prediction; and slice
 * discovery as the dashboard asks for it (top 10, median of 3). Wall and CPU time: on a shared machine the
 * CPU time of the process (the worker is one of its threads) says more than the wall clock.
 */
async function failureModeTimes(client: IndexClient, folder: string): Promise<Record<string, number>> {
  // The judge audit first, to its end; the steps after it are the detectors' (their pending count starts high).
  await client.call('auditStep', { max: 1000 });
  while ((await client.call('query', { limit: 0 })).audit?.pending) await client.call('auditStep', { max: 1000 });
  const { total, facets } = await client.call('query', { limit: 0 });
  const failed = facets.outcome.failed ?? 0;
  const t0 = performance.now();
  // CPU time of the whole process (the worker is a thread of it): what the figure costs on a busy machine.
  const c0 = process.cpuUsage();
  let failedMs = NaN;
  let failedCpu = NaN;
  let reading = false;
  let step;
  do {
    step = await client.call('auditStep', { max: 1000 });
    // The failed predictions are read first: they are done once no more than the others are left.
    if (step.pending > 0) reading = true;
    if (reading && Number.isNaN(failedMs) && step.pending <= total - failed) {
      failedMs = performance.now() - t0;
      const u = process.cpuUsage(c0);
      failedCpu = (u.user + u.system) / 1000;
    }
  } while (step.changed);
  const suggestMs = performance.now() - t0;
  const suggestCpu = process.cpuUsage(c0);
  const pending = (await client.call('query', { outcome: ['failed'], suggested: ['no-valid-answer'], limit: 0 }))
    .suggestions?.pending;
  if (pending !== 0) throw new Error(`the detectors left ${pending} predictions unread`);
  const sliceTimes: number[] = [];
  const sliceCpu: number[] = [];
  for (let i = 0; i < 3; i++) {
    // The index keeps its last answer: another question in between makes each round compute afresh.
    await client.call('slices', { filter: { split: ['real'] }, options: { top: 10 } });
    const t = performance.now();
    const c = process.cpuUsage();
    await client.call('slices', { options: { top: 10 } });
    sliceTimes.push(performance.now() - t);
    const u = process.cpuUsage(c);
    sliceCpu.push((u.user + u.system) / 1000);
  }
  // What the dashboard asks again after a tag.
  const key = (await client.call('query', { outcome: ['failed'], limit: 1 })).rows[0]?.key ?? '';
  const updated = new Date(0).toISOString();
  const data = { tags: [], predictions: { [key]: { tags: ['bench-tag'], note: '', updated } }, questions: {} };
  await client.call('setAnnotations', { sources: [{ root: folder, data }] });
  const t = performance.now();
  await client.call('slices', { options: { top: 10 } });
  const afterTag = performance.now() - t;
  // A verdict override: its run's counts and columns read again, not every prediction's.
  const overridden = { [key]: { tags: ['bench-tag'], note: '', updated, verdict: 'correct' as const } };
  const t2 = performance.now();
  await client.call('setAnnotations', { sources: [{ root: folder, data: { ...data, predictions: overridden } }] });
  const override = performance.now() - t2;
  const t3 = performance.now();
  await client.call('dashboardData', {});
  const dashboardAfterOverride = performance.now() - t3;
  await client.call('setAnnotations', { sources: [] });
  return {
    'slice discovery again after a tag (the dashboard asks after every change)': afterTag,
    'a verdict override laid over the index': override,
    'dashboard data after it': dashboardAfterOverride,
    'suggestions: every failed prediction read by the detectors (read first)': failedMs,
    'suggestions: the failed ones, CPU ms of the process': failedCpu,
    'suggestions: every prediction read by the detectors (steps of 4,000)': suggestMs,
    'suggestions: the same, CPU ms of the process': (suggestCpu.user + suggestCpu.system) / 1000,
    'slice discovery, top 10 (median of 3)': median(sliceTimes),
    'slice discovery: the same, CPU ms of the process': median(sliceCpu),
  };
}

/**
 * What a first sync pays for V8 compiling its threads' code: the same work once that code is compiled. A
 * worker keeping its parser threads syncs the folder, then a copy of it as a second root (every file read
 * again, as many rows inserted); the copy's sync against the floor of the copy, median of 3 rounds.
 */
async function compiledSync(folder: string): Promise<{ ms: number; ratio: number }> {
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'vlm4d-bench-copy-'));
  try {
    fs.cpSync(folder, copy, { recursive: true });
    const files = discover(copy).files.map((f) => f.path);
    const times: number[] = [];
    const ratios: number[] = [];
    for (let round = 0; round < 3; round++) {
      const client = new IndexClient({
        workerPath: path.join(__dirname, 'indexWorker.js'),
        wasmPath: path.join(__dirname, 'sql-wasm.wasm'),
        keepParserThreads: true,
      });
      await client.call('sync', { roots: [{ path: folder }] });
      await quiet();
      (globalThis as { gc?: () => void }).gc?.();
      const floorMs = floor(files);
      (globalThis as { gc?: () => void }).gc?.();
      const t = performance.now();
      await client.call('sync', { roots: [{ path: folder }, { path: copy }] });
      times.push(performance.now() - t);
      ratios.push((times.at(-1) as number) / floorMs);
      await client.dispose();
    }
    return { ms: median(times), ratio: median(ratios) };
  } finally {
    fs.rmSync(copy, { recursive: true, force: true });
  }
}

async function measureSize(label: string, folder: string): Promise<SizeResult> {
  const found = discover(folder).files;
  const files = found.map((f) => f.path);
  const bytes = found.reduce((a, f) => a + f.size, 0);
  const dist = __dirname;
  const floors: number[] = [];
  const indexTimes: number[] = [];
  const coldTimes: number[] = [];
  const stalls: number[] = [];
  let predictions = 0;
  let breakdown: Record<string, number> = {};
  const queries: Record<string, number> = {};
  let memory: Record<string, number> = {};
  const rounds = label === '10x' ? Math.min(ROUNDS, 3) : ROUNDS;
  for (let round = 0; round < rounds; round++) {
    (globalThis as { gc?: () => void }).gc?.();
    floors.push(floor(files));
    (globalThis as { gc?: () => void }).gc?.();
    const newClient = () =>
      new IndexClient({ workerPath: path.join(dist, 'indexWorker.js'), wasmPath: path.join(dist, 'sql-wasm.wasm') });
    // Cold: a sync asked of a worker that is only being created, as the extension does on activation.
    const tc = performance.now();
    const cold = newClient();
    await cold.call('sync', { roots: [{ path: folder }] });
    coldTimes.push(performance.now() - tc);
    await cold.dispose();
    // Let the cold worker's threads finish exiting (freeing their heaps) before the next measurement.
    await new Promise((r) => setTimeout(r, 300));
    (globalThis as { gc?: () => void }).gc?.();
    const client = newClient();
    // Wait for the worker and its parser threads to start, and for the process to go quiet (V8 goes on
    // compiling sql.js's hot WebAssembly for ~100 ms after the start), so that only indexing is timed; the
    // cold start, from a new worker to queryable, is measured above.
    await client.call('started', {});
    await quiet();
    const t0 = performance.now();
    const { value: report, maxStallMs } = await withStallMeter(() =>
      client.call('sync', { roots: [{ path: folder }] }),
    );
    indexTimes.push(performance.now() - t0);
    stalls.push(maxStallMs);
    predictions = report.counts.predictions;
    breakdown = report.timings;
    if (round === rounds - 1) {
      const page: FailureQuery = { outcome: ['failed'], limit: 100 };
      const t1 = performance.now();
      await client.call('query', page);
      queries['first failure page after the sync'] = performance.now() - t1;
      queries['failure page + total + facets'] = await timeQuery(client, page);
      const models = Object.keys((await client.call('query', { limit: 0 })).facets.model).slice(0, 2);
      queries['egocentric rotational failures of 2 models'] = await timeQuery(client, {
        outcome: ['failed'],
        perspective: ['egocentric'],
        motion: ['rotational'],
        model: models,
        limit: 100,
      });
      queries['deep page (offset 20000)'] = await timeQuery(client, {
        outcome: ['failed'],
        offset: 20_000,
        limit: 100,
      });
      queries['page of correct predictions'] = await timeQuery(client, {
        outcome: ['correct'],
        limit: 100,
      });
      queries['first page by model (sorts the order by model)'] = await timeQuery(
        client,
        { outcome: ['failed'], sort: 'model', limit: 100 },
        1,
      );
      // A user's click lands while a background step runs (they start after 50 ms without a request): the
      // query waits for that step to end.
      const during: number[] = [];
      for (let i = 0; i < 9; i++) {
        await new Promise((r) => setTimeout(r, 70 + 13 * i));
        during.push(await timeQuery(client, { outcome: ['failed'], perspective: ['egocentric'], limit: 100 }, 1));
      }
      queries['failure page while the background steps run (median of 9)'] = median(during);
      queries['failure page while the background steps run (slowest of 9)'] = Math.max(...during);
      queries['text search "clockwise" (first, before the background steps)'] = await timeQuery(
        client,
        { outcome: ['failed'], text: 'clockwise', limit: 100 },
        1,
      );
      queries['background steps left: search index (total ms)'] = (await client.call('finishBackground', {})).ms;
      await listQueries(client, queries);
      await searchQueries(client, queries);
      queries['text search, other filter (cached)'] = await timeQuery(client, {
        outcome: ['correct'],
        text: 'clockwise',
        limit: 100,
      });
      queries['accuracy table (first)'] = await (async () => {
        const t = performance.now();
        await client.call('accuracyTables', {});
        return performance.now() - t;
      })();
      queries['dashboard data (first)'] = await (async () => {
        const t = performance.now();
        await client.call('dashboardData', {});
        return performance.now() - t;
      })();
      queries['annotations laid after the sync (200 prediction keys, a question key)'] = await annotationsAfterSync(
        client,
        folder,
      );
      memory = await client.call('memory', {});
      Object.assign(queries, await failureModeTimes(client, folder));
      // Two runs compared with every slice and 2,000 bootstrap resamples (target: <= 150 ms at 1x).
      const [runA, runB] = await client.call('comparisonRuns', {});
      if (runA && runB) {
        const times: number[] = [];
        for (let i = 0; i < 5; i++) {
          const t = performance.now();
          await client.call('compare', { a: runA, b: runB });
          times.push(performance.now() - t);
        }
        queries['compare two runs, all slices, 2,000 resamples'] = median(times);
      }
      const someId = (await client.call('query', page)).rows[0]?.id ?? 1;
      queries['one prediction in full'] = await timeQuery(client, { limit: 0 }).then(async () => {
        const t = performance.now();
        await client.call('prediction', { id: someId });
        return performance.now() - t;
      });
    }
    await client.dispose();
  }
  const floorMs = median(floors);
  const indexMs = median(indexTimes);
  return {
    label,
    files: files.length,
    megabytes: bytes / 1e6,
    predictions,
    floorMs,
    indexMs,
    // Each round's ratio compares runs seconds apart, so drift on a shared machine cancels out.
    ratio: median(indexTimes.map((t, i) => t / (floors[i] as number))),
    coldMs: median(coldTimes),
    coldRatio: median(coldTimes.map((t, i) => t / (floors[i] as number))),
    maxStallMs: Math.max(...stalls),
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    ...(label === '1x' ? { compiled: await compiledSync(folder) } : {}),
    queries,
    breakdown,
    memory,
  };
}

function fmt(n: number, digits = 0): string {
  return n.toFixed(digits);
}

async function parent(folder: string | undefined, options: { sizes?: string; json?: boolean }): Promise<void> {
  const sizes: { label: string; scale?: number; folder?: string }[] = [
    { label: '1x', scale: 1 },
    { label: '4x', scale: 4 },
    { label: '10x', scale: 10 },
  ];
  if (folder) sizes.push({ label: path.basename(path.resolve(folder)), folder: path.resolve(folder) });
  const only = (options.sizes ?? process.env.VLM4D_BENCH_SCALES)
    ?.split(',')
    .map((x) => (/^\d+$/.test(x) ? `${x}x` : x));
  const results: SizeResult[] = [];
  for (const s of sizes) {
    if (only && !only.includes(s.label) && !s.folder) continue;
    let dir = s.folder;
    if (!dir) {
      dir = path.join(BENCH_DIR, `corpus-${s.label}`);
      const marker = path.join(dir, '.complete');
      if (!fs.existsSync(marker)) {
        fs.rmSync(dir, { recursive: true, force: true });
        process.stderr.write(`generating the ${s.label} corpus in ${dir}...\n`);
        await generateCorpus(dir, { scale: s.scale as number, seed: 1 });
        fs.writeFileSync(marker, 'ok');
      }
    }
    process.stderr.write(`measuring ${s.label}...\n`);
    const child = spawnSync(process.execPath, ['--expose-gc', __filename, '--measure', s.label, dir], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      maxBuffer: 64 * 1024 * 1024,
    });
    if (child.status !== 0) throw new Error(`measuring ${s.label} failed (exit ${child.status})`);
    const result = JSON.parse(child.stdout) as SizeResult;
    process.stderr.write(`tracing the memory of the index alone at ${s.label}...\n`);
    const traced = spawnSync(process.execPath, [__filename, '--trace', dir], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    if (traced.status === 0) result.memoryTrace = JSON.parse(traced.stdout) as MemoryTrace;
    results.push(result);
  }
  const base = results.find((r) => r.label === '1x');
  const lines = [
    '| size | files | MB | predictions | floor ms | index ms | index/floor | index vs 1x | cold start ms | cold/floor | max main-thread stall ms | peak RSS MB |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...results.map(
      (r) =>
        `| ${r.label} | ${r.files} | ${fmt(r.megabytes, 1)} | ${r.predictions} | ${fmt(r.floorMs)} | ${fmt(r.indexMs)} | ${fmt(r.ratio, 2)} | ${
          base ? `${fmt(r.indexMs / base.indexMs, 1)}x for ${fmt(r.predictions / base.predictions, 1)}x rows` : ''
        } | ${fmt(r.coldMs)} | ${fmt(r.coldRatio, 2)} | ${fmt(r.maxStallMs, 1)} | ${fmt(r.peakRssMb)} |`,
    ),
    ...results.flatMap((r) =>
      r.compiled
        ? [
            '',
            `At ${r.label}, the same sync once V8 has compiled the threads' code (a copy synced after the folder, same worker and parser threads): ${fmt(r.compiled.ms)} ms, ${fmt(r.compiled.ratio, 2)}x its floor.`,
          ]
        : [],
    ),
    '',
    '| query (median, ms, through the worker) | ' + results.map((r) => r.label).join(' | ') + ' |',
    '|---|' + results.map(() => '---').join('|') + '|',
    ...Object.keys(results[0]?.queries ?? {}).map(
      (q) => `| ${q} | ${results.map((r) => fmt(r.queries[q] ?? NaN, 1)).join(' | ')} |`,
    ),
    '',
    '| memory of the index worker after the queries, MB (bytes per prediction) | ' +
      results.map((r) => r.label).join(' | ') +
      ' |',
    '|---|' + results.map(() => '---').join('|') + '|',
    ...Object.keys(results[0]?.memory ?? {}).map(
      (k) =>
        `| ${k} | ${results
          .map((r) => `${fmt((r.memory[k] ?? NaN) / 1e6, 1)} (${fmt((r.memory[k] ?? NaN) / r.predictions)})`)
          .join(' | ')} |`,
    ),
    '',
    '| index breakdown (last round, ms) | ' + results.map((r) => r.label).join(' | ') + ' |',
    '|---|' + results.map(() => '---').join('|') + '|',
    ...Object.keys(results[0]?.breakdown ?? {}).map(
      (k) => `| ${k} | ${results.map((r) => fmt(r.breakdown[k] ?? NaN)).join(' | ')} |`,
    ),
  ];
  lines.push(
    '',
    ...traceTable(results.flatMap((r) => (r.memoryTrace ? [{ label: r.label, trace: r.memoryTrace }] : []))),
  );
  // The failure explorer on the corpus the size of the published results.
  const uiFolder = path.join(BENCH_DIR, 'corpus-1x');
  if (fs.existsSync(path.join(uiFolder, '.complete')) && process.env.VLM4D_BENCH_UI !== '0') {
    process.stderr.write('measuring the failure explorer (headless Chromium)...\n');
    const ui = await measureUi(path.resolve(__dirname, '..'), uiFolder);
    if (ui) {
      lines.push(
        '',
        `| failure explorer on the 1x corpus (${ui.predictions} predictions), median of ${ui.rounds} | ms | target |`,
        '|---|---|---|',
        `| filter click → list redrawn (query, facet counts, message, render) | ${fmt(ui.filterChangeMs, 1)} | ≤ 50 |`,
        `| … the view, until it posts the query | ${fmt(ui.beforePostMs, 1)} | |`,
        `| … host and transport (Playwright here; postMessage in VS Code) | ${fmt(ui.roundTripMs, 1)} | |`,
        `| … of which the query with its facet counts | ${fmt(ui.queryMs, 1)} | |`,
        `| … the view drawing the answer | ${fmt(ui.renderMs, 1)} | |`,
        `| view + query + drawing, without Playwright's transport (what VS Code adds instead is a postMessage) | ${fmt(ui.beforePostMs + ui.queryMs + ui.renderMs, 1)} | ≤ 50 |`,
      );
    }
  }
  fs.mkdirSync(BENCH_DIR, { recursive: true });
  fs.writeFileSync(path.join(BENCH_DIR, 'results.json'), JSON.stringify(results, null, 2));
  // --json: every figure, machine-readably, instead of the tables.
  process.stdout.write(options.json ? JSON.stringify(results, null, 2) + '\n' : lines.join('\n') + '\n');
}

if (process.argv[2] === '--trace') {
  traceMemory(process.argv[3] as string, __dirname).then(
    (r) => process.stdout.write(JSON.stringify(r)),
    (e: unknown) => {
      process.stderr.write(String(e instanceof Error ? e.stack : e) + '\n');
      process.exit(1);
    },
  );
} else if (process.argv[2] === '--measure') {
  measureSize(process.argv[3] as string, process.argv[4] as string).then(
    (r) => process.stdout.write(JSON.stringify(r)),
    (e: unknown) => {
      process.stderr.write(String(e instanceof Error ? e.stack : e) + '\n');
      process.exit(1);
    },
  );
} else {
  const args = process.argv.slice(2);
  if (args.includes('--help')) {
    process.stdout.write(
      'npm run bench -- [FOLDER] [--sizes 1,4,10] [--json]\n  --sizes: the corpus sizes to measure (default 1,4,10)\n  --json: print every figure as JSON (also written to .bench/results.json)\n',
    );
    process.exit(0);
  }
  const sizesAt = args.indexOf('--sizes');
  const sizes = sizesAt >= 0 ? args.splice(sizesAt, 2)[1] : undefined;
  const json = args.includes('--json');
  parent(
    args.find((a) => !a.startsWith('--')),
    { sizes, json },
  ).catch((e: unknown) => {
    process.stderr.write(String(e instanceof Error ? e.stack : e) + '\n');
    process.exit(1);
  });
}

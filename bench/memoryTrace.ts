// The memory of a process that does only what the extension does with the index: create the worker, sync
// a folder, let the background work finish (the order by model, the search index), then ask the queries the
// side panel, the table and the dashboard ask. Its RSS is sampled every 10 ms over the whole run, labelled
// by phase, so that the peak is placed (the benchmark process's own peak also holds the floor's parsed files
// and a second, cold worker). At the end of each phase the worker reports its parts (memoryReport.ts).
import * as fs from 'fs';
import * as path from 'path';
import { IndexClient } from '../src/core/index/indexClient';

export interface PhaseMemory {
  phase: string;
  /** The highest RSS sampled during the phase, and at its end. */
  peakRss: number;
  endRss: number;
  ms: number;
  /** The worker's parts at the phase's end (memoryReport.ts), in bytes. */
  parts: Record<string, number>;
}

export interface MemoryTrace {
  predictions: number;
  /** The process's peak RSS (the kernel's high-water mark), in bytes. */
  peakRss: number;
  /** The phase during which the highest sample was taken. */
  peakPhase: string;
  phases: PhaseMemory[];
}

function rss(): number {
  // Second field of statm: resident pages.
  const statm = fs.readFileSync('/proc/self/statm', 'utf8').split(' ');
  return Number(statm[1]) * 4096;
}

function highWater(): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync('/proc/self/status', 'utf8'));
  return m ? Number(m[1]) * 1024 : process.resourceUsage().maxRSS * 1024;
}

export async function traceMemory(folder: string, dist: string): Promise<MemoryTrace> {
  const phases: PhaseMemory[] = [];
  let current: { phase: string; peak: number; t0: number } | null = null;
  const sampler = setInterval(() => {
    if (current) current.peak = Math.max(current.peak, rss());
  }, 10);
  const client = new IndexClient({
    workerPath: path.join(dist, 'indexWorker.js'),
    wasmPath: path.join(dist, 'sql-wasm.wasm'),
  });
  const phase = async (name: string, work: () => Promise<unknown>): Promise<void> => {
    current = { phase: name, peak: rss(), t0: performance.now() };
    await work();
    const c = current;
    const parts = await client.call('memory', {});
    const endRss = rss();
    phases.push({ phase: name, peakRss: Math.max(c.peak, endRss), endRss, ms: performance.now() - c.t0, parts });
  };
  let predictions = 0;
  try {
    await phase('worker started (sql.js, parser threads)', () => client.call('started', {}));
    await phase('sync (read, parse, insert, lists)', async () => {
      predictions = (await client.call('sync', { roots: [{ path: folder }] })).counts.predictions;
    });
    await phase('first failure page (facet counts)', () => client.call('query', { outcome: ['failed'], limit: 100 }));
    await phase('search before the search index (scan)', () =>
      client.call('query', { outcome: ['failed'], text: 'clockwise', limit: 100 }),
    );
    await phase('background: order by model and search index', () => client.call('finishBackground', {}));
    await phase('search "moving" (frequent word: hits table)', () =>
      client.call('query', { outcome: ['failed'], text: 'moving', limit: 100 }),
    );
    await phase('accuracy table', () => client.call('accuracyTables', {}));
    await phase('dashboard data', () => client.call('dashboardData', {}));
    await phase('lists: correct, all sorted by model, deep pages', async () => {
      const total = (await client.call('query', { outcome: ['correct'], limit: 0 })).total;
      await client.call('query', { outcome: ['correct'], offset: Math.max(0, total - 100), limit: 100 });
      await client.call('query', { sort: 'model', limit: 100 });
    });
  } finally {
    clearInterval(sampler);
    await client.dispose();
  }
  const top = phases.reduce((a, b) => (b.peakRss > a.peakRss ? b : a), phases[0] as PhaseMemory);
  return { predictions, peakRss: highWater(), peakPhase: top.phase, phases };
}

/** The traces as a table: per phase, the peak RSS of each size, and the worker's parts at the end of each phase. */
export function traceTable(traces: { label: string; trace: MemoryTrace }[]): string[] {
  const mb = (b: number | undefined) => (b === undefined ? '' : (b / 1e6).toFixed(0));
  const first = traces[0]?.trace;
  if (!first) return [];
  const lines = [
    '| index process alone: peak RSS during each phase, MB | ' + traces.map((t) => t.label).join(' | ') + ' |',
    '|---|' + traces.map(() => '---').join('|') + '|',
    ...first.phases.map((p, i) => `| ${p.phase} | ${traces.map((t) => mb(t.trace.phases[i]?.peakRss)).join(' | ')} |`),
    `| **peak RSS of the process (high-water mark)** | ${traces.map((t) => `**${mb(t.trace.peakRss)}**`).join(' | ')} |`,
    `| phase of the peak | ${traces.map((t) => t.trace.peakPhase).join(' | ')} |`,
  ];
  for (const { label, trace } of traces) {
    const keys = Object.keys(trace.phases[0]?.parts ?? {});
    lines.push(
      '',
      `| ${label}: the worker's parts at each phase's end, MB (bytes a prediction at the end) | ${keys.join(' | ')} |`,
      '|---|' + keys.map(() => '---').join('|') + '|',
      ...trace.phases.map((p) => `| ${p.phase} | ${keys.map((k) => mb(p.parts[k])).join(' | ')} |`),
      `| bytes a prediction | ${keys
        .map((k) => ((trace.phases[trace.phases.length - 1]?.parts[k] ?? 0) / trace.predictions).toFixed(0))
        .join(' | ')} |`,
    );
  }
  return lines;
}

// `npx tsx bench/phraseSearch.ts [--scale N] [--before MODULE] [--rounds N]`: the search index over the
// responses alone, in one process, on the generated corpus (bench/corpus.ts, under .bench/): every block
// loaded as the index loads it, built, then the first search for words and phrases of common words timed
// over every block (what PredictionTexts.responsesContaining does), and the index's memory. With --before
// (a copy of an older textIndex.ts), the two are built over the same blocks and timed alternately, their
// answers compared. The questions' side and the list's facet counts are not in these figures.
import * as fs from 'fs';
import * as path from 'path';
import { discover } from '../src/core/discovery';
import { KnownQuestions, loadFile } from '../src/core/index/fileLoader';
import type { PackedTexts } from '../src/core/index/textStore';
import { TextIndex } from '../src/core/index/textIndex';
import { generateCorpus } from './corpus';

interface SearchIndex {
  build(texts: PackedTexts): void;
  matching(texts: PackedTexts, term: string): number[];
  bytes(blocks: Iterable<PackedTexts>): Record<string, number>;
}

const TERMS = [
  'zebra',
  '"is moving"',
  '"the car"',
  'the',
  'moving',
  '"moving to the left"',
  '"the object is"',
  'rotate',
];

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1] as number;

/** CPU time of the process since `from` (one thread works here: its time, whatever else the machine runs). */
function cpuMs(from: NodeJS.CpuUsage): number {
  const c = process.cpuUsage(from);
  return Math.round((c.user + c.system) / 1000);
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i < 0 ? undefined : process.argv[i + 1];
}

async function main(): Promise<void> {
  const scale = Number(arg('--scale') ?? 10);
  const rounds = Number(arg('--rounds') ?? 3);
  const dir = path.resolve('.bench', `corpus-${scale}x`);
  if (!fs.existsSync(path.join(dir, '.complete'))) {
    process.stderr.write(`generating the ${scale}x corpus in ${dir}...\n`);
    await generateCorpus(dir, { scale, seed: 1 });
    fs.writeFileSync(path.join(dir, '.complete'), 'ok');
  }
  const known = new KnownQuestions();
  const blocks: PackedTexts[] = [];
  for (const f of discover(dir).files) {
    const loaded = loadFile(f, known);
    if (loaded.kind === 'results') blocks.push(loaded.records.responses);
  }
  const predictions = blocks.reduce((a, b) => a + b.offsets.length - 1, 0);
  process.stderr.write(`${blocks.length} blocks, ${predictions} responses\n`);

  const indexes: [string, SearchIndex][] = [['after', new TextIndex()]];
  const before = arg('--before');
  if (before) {
    const mod = (await import(path.resolve(before))) as { TextIndex: new () => SearchIndex };
    indexes.unshift(['before', new mod.TextIndex()]);
  }
  const out: Record<string, number | string> = { predictions, load: fs.readFileSync('/proc/loadavg', 'utf8').trim() };
  for (const [name, index] of indexes) {
    const heap0 = process.memoryUsage().heapUsed;
    const t = performance.now();
    const cpu = process.cpuUsage();
    for (const b of blocks) index.build(b);
    out[`${name}: build ms`] = Math.round(performance.now() - t);
    out[`${name}: build CPU ms`] = cpuMs(cpu);
    for (const [k, v] of Object.entries(index.bytes(blocks))) out[`${name}: ${k} MB`] = +(v / 1e6).toFixed(1);
    out[`${name}: heap growth MB (rough)`] = +((process.memoryUsage().heapUsed - heap0) / 1e6).toFixed(1);
  }
  for (const text of TERMS) {
    const term = text.replace(/"/g, '');
    const times = new Map<string, number[]>();
    const cpuTimes = new Map<string, number[]>();
    const answers = new Map<string, number>();
    for (let r = 0; r < rounds; r++)
      for (const [name, index] of r % 2 ? [...indexes].reverse() : indexes) {
        // No collection forced before: one made the next searches' CPU time higher by a third, on both sides.
        const t = performance.now();
        const cpu = process.cpuUsage();
        let hits = 0;
        let sum = 0;
        for (const b of blocks)
          for (const i of index.matching(b, term)) {
            hits++;
            sum = (sum * 31 + i) % 1_000_000_007;
          }
        const ms = performance.now() - t;
        times.set(name, [...(times.get(name) ?? []), ms]);
        cpuTimes.set(name, [...(cpuTimes.get(name) ?? []), cpuMs(cpu)]);
        const prev = answers.get(name);
        if (prev !== undefined && prev !== sum) throw new Error(`${name} answered ${text} differently`);
        answers.set(name, sum);
        out[`${text}: hits`] = hits;
      }
    if (new Set(answers.values()).size > 1) throw new Error(`before and after differ for ${text}`);
    for (const [name, ms] of times) {
      const cpu = cpuTimes.get(name) as number[];
      out[`${text}: ${name} first ms (CPU)`] = `${Math.round(ms[0] as number)} (${cpu[0]})`;
      out[`${text}: ${name} median ms (CPU)`] = `${Math.round(median(ms))} (${median(cpu)})`;
    }
  }
  out['load after'] = fs.readFileSync('/proc/loadavg', 'utf8').trim();
  process.stdout.write(JSON.stringify(out, null, 1) + '\n');
}

main().catch((e: unknown) => {
  process.stderr.write(String(e instanceof Error ? e.stack : e) + '\n');
  process.exit(1);
});

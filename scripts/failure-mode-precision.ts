// Measures the failure-mode detectors' precision on the blind sample (scripts/failure-mode-sample.ts).
//
//   npx tsx scripts/failure-mode-precision.ts [FOLDER] [--dir DIR]
//
// DIR (default docs/failure-modes) holds sample-manifest.json (why each item was drawn) and the reviewers'
// labels-*.jsonl ({"id", "tags"} per line, labelled without seeing any detector's verdict). The detectors are
// run again on each sampled prediction in FOLDER (default /work/shared/vlm4d), so the figures are those of the
// rules as they are now. Writes DIR/precision.json and src/core/failureModePrecision.ts (what the CLI and the
// views show), and prints the table docs/failure-modes.md carries.
import * as fs from 'fs';
import * as path from 'path';
import { agreement } from '../src/core/agreement';
import type { Annotations } from '../src/core/annotations/format';
import { emptyAnnotations } from '../src/core/annotations/format';
import { DETECTORS, detectFailureModes } from '../src/core/failureModes';
import type { SampleItem } from '../src/core/failureModeSample';
import { measurePrecision } from '../src/core/failureModeSample';
import { ResultIndex } from '../src/core/index/resultIndex';
import { loadSqlJs } from '../src/core/index/sqlite';

const ROOT = path.join(__dirname, '..');

function parseArgs(argv: string[]): { folder: string; dir: string } {
  const o = { folder: '/work/shared/vlm4d', dir: path.join(ROOT, 'docs', 'failure-modes') };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '--dir') o.dir = argv[++i] ?? fail('--dir needs a value');
    else if (a.startsWith('--')) fail(`unknown option ${a}`);
    else o.folder = a;
  }
  return o;
}

function fail(message: string): never {
  throw new Error(message);
}

/** A labels file: one {"id", "tags"} a line; a bad line is reported and skipped, never guessed. */
function readLabels(file: string, known: Set<string>): Map<string, string[]> {
  const out = new Map<string, string[]>();
  fs.readFileSync(file, 'utf8')
    .split('\n')
    .forEach((line, i) => {
      if (!line.trim()) return;
      try {
        const v = JSON.parse(line) as { id?: unknown; tags?: unknown };
        if (typeof v.id !== 'string' || !known.has(v.id))
          throw new Error(`id ${JSON.stringify(v.id)} is not in the sample`);
        if (!Array.isArray(v.tags) || !v.tags.every((t) => (DETECTORS as readonly unknown[]).includes(t)))
          throw new Error('"tags" is not a list of the defined tags');
        if (out.has(v.id)) throw new Error(`${v.id} labelled twice`);
        out.set(v.id, v.tags as string[]);
      } catch (e) {
        console.error(`${path.basename(file)}:${i + 1}: skipped: ${e instanceof Error ? e.message : String(e)}`);
      }
    });
  return out;
}

const pct = (x: number) => `${(100 * x).toFixed(0)}%`;

async function main(): Promise<void> {
  const o = parseArgs(process.argv.slice(2));
  const manifest = JSON.parse(fs.readFileSync(path.join(o.dir, 'sample-manifest.json'), 'utf8')) as {
    seed: number;
    items: SampleItem[];
  };
  const files = fs
    .readdirSync(o.dir)
    .filter((f) => /^labels-.*\.jsonl$/.test(f))
    .sort();
  if (files.length === 0) fail(`no labels-*.jsonl in ${o.dir}`);
  const known = new Set(manifest.items.map((i) => i.id));
  const labels = files.map((f) => readLabels(path.join(o.dir, f), known));
  labels.forEach((l, i) => {
    if (l.size !== known.size) console.error(`${files[i]}: ${known.size - l.size} sampled items not labelled`);
  });

  // The detectors as they are now, on each sampled prediction.
  const index = new ResultIndex(await loadSqlJs());
  index.setRoots([o.folder]);
  await index.sync();
  const items: SampleItem[] = manifest.items.map((item) => {
    const id = index.predictionIdByKey(item.id);
    const d = id === null ? null : index.prediction(id);
    if (!d) fail(`${item.id} is not in ${o.folder}`);
    return { ...item, flags: detectFailureModes(d).map((s) => s.detector) };
  });
  index.close();
  const changed = items.filter((it, i) => it.flags.join() !== (manifest.items[i] as SampleItem).flags.join()).length;
  if (changed) console.error(`${changed} sampled items are flagged differently than when drawn`);

  const measured = measurePrecision(items, labels);
  const asAnnotations = (l: Map<string, string[]>): Annotations => {
    const a = emptyAnnotations();
    for (const [id, tags] of l) a.predictions[id] = { tags, note: '', updated: '' };
    return a;
  };
  const kappa =
    labels.length === 2
      ? agreement(
          asAnnotations(labels[0] as Map<string, string[]>),
          asAnnotations(labels[1] as Map<string, string[]>),
          DETECTORS,
        ).tags
      : [];
  fs.writeFileSync(
    path.join(o.dir, 'precision.json'),
    JSON.stringify({ seed: manifest.seed, labels: files, ...measured, reviewerAgreement: kappa, items }, null, 1) +
      '\n',
  );

  const constant = Object.fromEntries(
    measured.detectors
      .filter((d) => d.sample > 0)
      .map((d) => [d.tag, { precision: d.precision, low: d.low, high: d.high, sample: d.sample }]),
  );
  const ts = fs.readFileSync(path.join(ROOT, 'src', 'core', 'failureModePrecision.ts'), 'utf8');
  fs.writeFileSync(
    path.join(ROOT, 'src', 'core', 'failureModePrecision.ts'),
    ts.replace(
      /export const DETECTOR_PRECISION[^;]*;/s,
      `export const DETECTOR_PRECISION: Partial<Record<Detector, MeasuredPrecision>> = ${JSON.stringify(constant, null, 2)};`,
    ),
  );

  const head = `| Tag | Sample | ${files.map((f) => f.replace(/\.jsonl$/, '')).join(' | ')} | Precision (mean) | Wilson 95% | Reviewers' kappa |`;
  console.log(head);
  console.log(
    `|${head
      .split('|')
      .slice(1, -1)
      .map(() => '---')
      .join('|')}|`,
  );
  for (const d of measured.detectors) {
    const k = kappa.find((x) => x.tag === d.tag)?.kappa;
    console.log(
      `| \`${d.tag}\` | ${d.sample} | ${d.reviewers.map((r) => `${r.confirmed}/${d.sample}`).join(' | ')} | ${pct(d.precision)} | ${pct(d.low)}–${pct(d.high)} | ${k === null || k === undefined ? '-' : k.toFixed(2)} |`,
    );
  }
  console.log(`\nUnflagged failures: ${measured.unflagged.sample}; tags the reviewers gave them:`);
  measured.unflagged.tagged.forEach((t, i) => console.log(`  ${files[i]}: ${JSON.stringify(t)}`));
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
});

// Draws the blind sample on which the failure-mode detectors' precision is measured (docs/failure-modes.md).
//
//   npx tsx scripts/failure-mode-sample.ts [FOLDER] [--seed S] [--per N] [--unflagged M] [--out DIR]
//                                          [--manifest FILE]
//
// Over every failed prediction under FOLDER (default /work/shared/vlm4d), picks for every detector N (30)
// predictions it flags (all when fewer), plus M (100) failures no detector flags, shuffles them and writes
// DIR/sample.jsonl (default /work/labels) with what a reviewer needs to label each one and nothing that tells
// why it was picked: no detector verdict, no answer read by us. DIR/DEFINITIONS.md lists every tag with its
// one-line definition, in one order for every item. The manifest (default docs/failure-modes/sample-manifest.json,
// not for reviewers) records for which detector each item was drawn and the verdicts at drawing time, so the
// precision script measures each detector on the items drawn for it (a uniform sample of what it flags).
import * as fs from 'fs';
import * as path from 'path';
import { DETECTORS, DETECTOR_DEFINITIONS, detectFailureModes } from '../src/core/failureModes';
import type { Detector } from '../src/core/failureModes';
import { ResultIndex } from '../src/core/index/resultIndex';
import { loadSqlJs } from '../src/core/index/sqlite';
import type { PredictionRow } from '../src/core/index/query';
import { MAX_PAGE_ROWS } from '../src/core/index/query';
import { CHOICE_LETTERS } from '../src/core/model';
// The bootstrap's seeded generator (mulberry32): the same seed draws the same sample on every machine.
import { seededRandom as generator } from '../src/core/compare/paired';

interface Options {
  folder: string;
  seed: number;
  per: number;
  unflagged: number;
  out: string;
  manifest: string;
}

function parseArgs(argv: string[]): Options {
  const o: Options = {
    folder: '/work/shared/vlm4d',
    seed: 17,
    per: 30,
    unflagged: 100,
    out: '/work/labels',
    manifest: path.join(__dirname, '..', 'docs', 'failure-modes', 'sample-manifest.json'),
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    const next = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    const num = (): number => {
      const v = Number(next());
      if (!Number.isInteger(v) || v < 0) throw new Error(`${a} needs a whole number`);
      return v;
    };
    if (a === '--seed') o.seed = num();
    else if (a === '--per') o.per = num();
    else if (a === '--unflagged') o.unflagged = num();
    else if (a === '--out') o.out = next();
    else if (a === '--manifest') o.manifest = next();
    else if (a.startsWith('--')) throw new Error(`unknown option ${a}`);
    else o.folder = a;
  }
  return o;
}

function shuffle<T>(items: T[], random: () => number): T[] {
  const a = [...items];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [a[i], a[j]] = [a[j] as T, a[i] as T];
  }
  return a;
}

/** Long chains of thought keep their start and their end, where the conclusion and the final answer are. */
export function clipResponse(response: string): string {
  if (response.length <= 3000) return response;
  return `${response.slice(0, 1000)} […] ${response.slice(-2000)}`;
}

async function main(): Promise<void> {
  const o = parseArgs(process.argv.slice(2));
  const index = new ResultIndex(await loadSqlJs());
  index.setRoots([o.folder]);
  const report = await index.sync();
  for (const p of report.problems) console.error(`${p.severity}: ${p.path}: ${p.reason}`);

  const rows: PredictionRow[] = [];
  for (;;) {
    const page = index.query({ outcome: ['failed'], sort: 'model', offset: rows.length, limit: MAX_PAGE_ROWS }).rows;
    rows.push(...page);
    if (page.length < MAX_PAGE_ROWS) break;
  }
  // Sorted by key, so the draw does not depend on the order the index happens to return.
  rows.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));

  interface Item {
    key: string;
    id: number;
    flags: Detector[];
  }
  const items: Item[] = [];
  for (const row of rows) {
    const d = index.prediction(row.id);
    if (!d) continue;
    const flags = detectFailureModes({
      question: d.question,
      choices: d.choices,
      groundTruth: d.groundTruth,
      chosen: d.chosen,
      perspective: d.perspective,
      response: d.response,
    }).map((s) => s.detector);
    items.push({ key: d.key, id: d.id, flags });
  }

  const random = generator(o.seed);
  const drawnFor = new Map<string, string[]>();
  const mark = (key: string, why: string) => drawnFor.set(key, [...(drawnFor.get(key) ?? []), why]);
  const flaggedCounts: Record<string, number> = {};
  for (const det of DETECTORS) {
    const flagged = items.filter((i) => i.flags.includes(det));
    flaggedCounts[det] = flagged.length;
    for (const i of shuffle(flagged, random).slice(0, o.per)) mark(i.key, det);
  }
  const unflagged = items.filter((i) => i.flags.length === 0);
  for (const i of shuffle(unflagged, random).slice(0, o.unflagged)) mark(i.key, 'unflagged');

  const byKey = new Map(items.map((i) => [i.key, i]));
  const chosenKeys = shuffle([...drawnFor.keys()].sort(), random);
  const lines: string[] = [];
  for (const key of chosenKeys) {
    const d = index.prediction((byKey.get(key) as Item).id);
    if (!d) throw new Error(`prediction ${key} vanished`);
    const options: Record<string, string> = {};
    for (const l of CHOICE_LETTERS) if (d.choices[l] !== undefined) options[l] = String(d.choices[l]);
    const truth = d.groundTruthLetter ? `${d.groundTruthLetter}: ${String(d.groundTruth)}` : String(d.groundTruth);
    lines.push(JSON.stringify({ id: key, question: d.question, options, truth, response: clipResponse(d.response) }));
  }
  index.close();

  fs.mkdirSync(o.out, { recursive: true });
  fs.writeFileSync(path.join(o.out, 'sample.jsonl'), lines.join('\n') + '\n');
  const defs = [
    '# Failure-mode tags',
    '',
    'Each item of sample.jsonl is a failed prediction: the question, its options, the true answer and the',
    "model's response. Label each item with every tag below whose definition holds for it (none, if none does),",
    'reading the response yourself. Write one line per item to your labels file: {"id": "<the item\'s id>", "tags": [...]}.',
    '',
    'An id reads `<split>/<prompt>/<model>_<frames>/<question id>`. Egocentric questions (filmed by the camera',
    'wearer) are those of the real split whose question id number is above 922; the others are exocentric.',
    '',
    ...DETECTORS.map((t) => `- \`${t}\`: ${DETECTOR_DEFINITIONS[t]}`),
    '',
  ];
  fs.writeFileSync(path.join(o.out, 'DEFINITIONS.md'), defs.join('\n'));

  fs.mkdirSync(path.dirname(o.manifest), { recursive: true });
  const manifest = {
    folder: o.folder,
    seed: o.seed,
    per: o.per,
    unflagged: o.unflagged,
    failures: items.length,
    flagged: flaggedCounts,
    unflaggedFailures: unflagged.length,
    items: chosenKeys.map((key) => ({ id: key, drawnFor: drawnFor.get(key), flags: (byKey.get(key) as Item).flags })),
  };
  fs.writeFileSync(o.manifest, JSON.stringify(manifest, null, 1) + '\n');
  console.log(`${lines.length} items from ${items.length} failures -> ${path.join(o.out, 'sample.jsonl')}`);
  console.log(JSON.stringify(flaggedCounts));
}

if (require.main === module) {
  main().catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : String(e));
    process.exit(1);
  });
}

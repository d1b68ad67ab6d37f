// One lmms-eval or VLMEvalKit file read into the index's runs: rows read by the harness's reader, joined
// to the benchmark (vlm4dJoin.ts), then validated and put in columns as the authors' files are (one run
// per split found). A file of another benchmark is one note, "not VLM4D"; rows that cannot be placed are
// one message, and the rest is indexed.
import * as fs from 'fs';
import type { DiscoveredFile } from '../discovery';
import type { ReadLimits } from '../parse';
import { DEFAULT_READ_LIMITS, readJsonText, readPredictions } from '../parse';
import type { CompactRecords, KnownQuestions, LoadedFile } from '../index/fileLoader';
import { compactRecords } from '../index/fileLoader';
import type { RunDescriptor, Stage } from '../model';
import { SPLITS } from '../model';
import { readDelimited } from './delimited';
import type { HarnessFile } from './harnessDiscovery';
import type { HarnessRow, HarnessRun } from './harnessRow';
import { lmmsEvalRow, lmmsEvalRun, lmmsEvalSamples } from './lmmsEval';
import { joinRows, loadBenchmark } from './vlm4dJoin';
import { vlmEvalKitRow, vlmEvalKitRun } from './vlmEvalKit';
import type { Sheet } from './xlsxSheet';
import { readXlsx } from './xlsxSheet';

/** One run of a harness file: the file's rows of one split. */
export interface HarnessPart {
  run: Omit<RunDescriptor, 'stage'>;
  stage: Stage;
  records: CompactRecords;
}

const MAX_LISTED = 5;
const listed = (xs: number[]): string =>
  xs.slice(0, MAX_LISTED).join(', ') + (xs.length > MAX_LISTED ? ` and ${xs.length - MAX_LISTED} more` : '');

type Rows = { ok: true; run: HarnessRun; rows: HarnessRow[]; warnings: string[] } | { ok: false; reason: string };

function collect(
  items: readonly unknown[],
  toRow: (x: unknown) => HarnessRow | string,
): { rows: HarnessRow[]; warnings: string[] } {
  const rows: HarnessRow[] = [];
  const bad = new Map<string, number[]>();
  items.forEach((x, i) => {
    const r = toRow(x);
    if (typeof r !== 'string') return void rows.push(r);
    const list = bad.get(r);
    if (list) list.push(i);
    else bad.set(r, [i]);
  });
  const warnings = [...bad].map(([why, at]) => `${at.length} record(s) skipped: ${why} (record ${listed(at)})`);
  return { rows, warnings };
}

function sheetRows(sheet: Sheet): Record<string, unknown>[] | string {
  if (!sheet.ok) return sheet.reason;
  return sheet.rows.map((cells) => {
    const rec: Record<string, unknown> = {};
    sheet.header.forEach((h, i) => {
      if (h !== '' && !(h in rec)) rec[h] = cells[i] ?? '';
    });
    return rec;
  });
}

function readRows(f: DiscoveredFile, h: HarnessFile, limits: ReadLimits): Rows {
  if (h.format === 'lmms-eval') {
    const text = readJsonText(f.path, limits);
    if (!text.ok) return text;
    const s = lmmsEvalSamples(text.value, f.path.endsWith('.jsonl'));
    if (!s.ok) return s;
    const { rows, warnings } = collect(s.samples, lmmsEvalRow);
    return { ok: true, run: lmmsEvalRun(f.path), rows, warnings: [...s.warnings, ...warnings] };
  }
  let records: Record<string, unknown>[] | string;
  if (f.path.endsWith('.json')) {
    const text = readJsonText(f.path, limits);
    if (!text.ok) return text;
    let v: unknown;
    try {
      v = JSON.parse(text.value);
    } catch {
      return { ok: false, reason: 'invalid JSON' };
    }
    records = Array.isArray(v) ? (v as Record<string, unknown>[]) : 'expected a JSON array of rows';
  } else {
    let bytes: Buffer;
    try {
      if (fs.statSync(f.path).size > limits.maxFileBytes) return { ok: false, reason: 'file too large to read' };
      bytes = fs.readFileSync(f.path);
    } catch (e) {
      return { ok: false, reason: `cannot read file: ${(e as Error).message}` };
    }
    records = f.path.endsWith('.xlsx')
      ? sheetRows(readXlsx(bytes))
      : sheetRows(readDelimited(bytes.toString('utf8'), f.path.endsWith('.tsv') ? '\t' : ','));
  }
  if (typeof records === 'string') return { ok: false, reason: records };
  const { rows, warnings } = collect(records, (x) =>
    x && typeof x === 'object' && !Array.isArray(x)
      ? vlmEvalKitRow(x as Record<string, unknown>)
      : 'row is not an object',
  );
  return { ok: true, run: vlmEvalKitRun(f.path, h.task), rows, warnings };
}

const FORMAT_NAME = { 'lmms-eval': 'lmms-eval task', vlmevalkit: 'VLMEvalKit dataset' } as const;

export function loadHarness(
  f: DiscoveredFile,
  known: KnownQuestions,
  limits: ReadLimits = DEFAULT_READ_LIMITS,
): LoadedFile {
  const h = f.harness as HarnessFile;
  const read = readRows(f, h, limits);
  if (!read.ok) return { kind: 'error', reason: read.reason };
  const { run, rows } = read;
  const named = `${FORMAT_NAME[h.format]} '${run.task}'`;
  const joined = joinRows(rows, run, loadBenchmark(f.dataset));
  const placed = joined.byId + joined.byText + joined.byCopy;
  if (!placed && !/vlm4d/i.test(run.task))
    return {
      kind: 'harness',
      parts: [],
      warnings: [`not VLM4D: ${named}, none of its ${rows.length} records matches a VLM4D question; not indexed`],
    };
  const warnings = [...read.warnings];
  for (const [why, at] of joined.unjoined)
    warnings.push(
      `${at.length} of ${rows.length} records not joined to a VLM4D question: ${why} (record ${listed(at)}); see docs/harness-formats.md`,
    );
  if (!placed) return { kind: 'error', reason: `${named}: no record could be placed. ${warnings.join('; ')}` };
  const parts: HarnessPart[] = [];
  for (const split of SPLITS) {
    const recs = joined.bySplit.get(split);
    if (!recs) continue;
    const p = readPredictions(recs);
    if (!p.ok) {
      warnings.push(`${split} records: ${p.reason}`);
      continue;
    }
    warnings.push(...p.warnings.map((w) => `${split} records: ${w}`));
    const { model, samplingLabel, sampling, promptMode } = run;
    // Grading is per record: a verdict in the file is the judge's; a record without one is graded by the
    // answer-reading rule, as raw outputs are. The two make two runs of the same file, one per grader.
    const judged = p.value.filter((r) => r.correct !== null);
    const groups =
      judged.length && judged.length < p.value.length ? [judged, p.value.filter((r) => r.correct === null)] : [p.value];
    if (groups.length > 1)
      warnings.push(
        `${split} records: ${p.value.length - judged.length} of ${p.value.length} carry no verdict: graded by the answer-reading rule (rule-graded)`,
      );
    for (const group of groups) {
      const { stage, records } = compactRecords(group, f.dataset, split, known, false);
      parts.push({ run: { split, promptMode, model, samplingLabel, sampling }, stage, records });
    }
  }
  if (!parts.length) return { kind: 'error', reason: `${named}: ${warnings.join('; ')}` };
  return { kind: 'harness', parts, warnings };
}

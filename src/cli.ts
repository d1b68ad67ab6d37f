#!/usr/bin/env node
// Command-line front end over the same core the extension uses, so that numbers can be checked and scripted.
import * as fs from 'fs';
import * as path from 'path';
import { parseArgs } from 'util';
import { clipCommand, ClipUsageError } from './cli/clip';
import { accuracyTableCsv, accuracyTables } from './core/accuracyTable';
import { auditRecords } from './core/audit';
import type { ExportRow } from './core/annotations/export';
import { exportRow, exportRowsCsv } from './core/annotations/export';
import { AnnotationStore } from './core/annotations/store';
import type { FailureQuery } from './core/index/query';
import type { RootSpec, SyncReport } from './core/index/resultIndex';
import { ResultIndex } from './core/index/resultIndex';
import { loadSqlJs } from './core/index/sqlite';
import type { MotionType, Perspective, PromptMode, Source, Split } from './core/model';
import { MOTION_TYPES, PERSPECTIVES, PROMPT_MODES, SOURCES, SPLITS } from './core/model';

const USAGE = `Usage: vlm4d <command> [options]

Commands:
  table REAL_DIR SYNTHETIC_DIR   the authors' accuracy table (CSV) for one pair of folders
  table FOLDER                   one table per {real,synthetic}_mc_<prompt> pair found below FOLDER
  index FOLDER [--json]          counts, bad files and timings
  failures FOLDER [filters] [--limit N] [--offset N] [--json]
                                 failed predictions matching all filters
    --split real|synthetic  --perspective egocentric|exocentric|unspecified
    --motion translational|rotational|counting|false-positive
    --source davis|ego4d|youtube-vos|synthetic|unknown
    --model NAME (repeatable)  --prompt cot|direct-output  --text WORDS
  audit FOLDER [--json]          the judge audit: agreement between the answer-reading rule and the
                                 judges' verdicts per prompt mode and split, the disagreeing predictions,
                                 and where two judges of the same run disagree
  tags FOLDER [--file PATH] [--json]
                                 every annotated prediction (tags, notes, overrides) with its fields,
                                 from FOLDER/.vlm4d/annotations.json (or --file, relative to FOLDER); CSV
                                 without --json
  clip FOLDER KEY [--clip-root DIR]... [--json]
                                 where the clip of the prediction KEY (as failures --json prints it) is
                                 found, and why each other place was not taken; clips are read only from
                                 FOLDER and the --clip-root folders

Options:
  --strict   exit 2 when any file is bad (bad files are always reported and skipped)
  --help     this text

Exit status: 0 when anything was indexed; 1 when nothing was found; 2 for wrong arguments,
a missing folder, or (with --strict) any bad file.`;

class UsageError extends Error {}

function fail(message: string): never {
  throw new UsageError(message);
}

function oneOf<T extends string>(name: string, value: string | undefined, allowed: readonly T[]): T[] | undefined {
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) fail(`--${name} must be one of ${allowed.join(', ')} (got "${value}")`);
  return [value as T];
}

function folder(p: string | undefined, what: string): string {
  if (!p) fail(`missing ${what}`);
  const abs = path.resolve(p);
  if (!fs.existsSync(abs)) fail(`${what} does not exist: ${abs}`);
  if (!fs.statSync(abs).isDirectory()) fail(`${what} is not a folder: ${abs}`);
  return abs;
}

async function openIndex(roots: RootSpec[]): Promise<{ index: ResultIndex; report: SyncReport }> {
  const index = new ResultIndex(await loadSqlJs());
  index.setRoots(roots);
  return { index, report: await index.sync() };
}

function reportProblems(report: SyncReport): void {
  for (const p of report.problems) process.stderr.write(`${p.severity}: ${p.path}: ${p.reason}\n`);
}

/** 0 when something was indexed, 1 when nothing, 2 with --strict and any bad file. */
function exitCode(report: SyncReport, strict: boolean): number {
  if (strict && report.problems.length) return 2;
  return report.counts.predictions > 0 ? 0 : 1;
}

export async function main(argv: string[], out: (s: string) => void = (s) => process.stdout.write(s)): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      json: { type: 'boolean' },
      strict: { type: 'boolean' },
      help: { type: 'boolean' },
      split: { type: 'string' },
      perspective: { type: 'string' },
      motion: { type: 'string' },
      source: { type: 'string' },
      model: { type: 'string', multiple: true },
      prompt: { type: 'string' },
      text: { type: 'string' },
      limit: { type: 'string' },
      offset: { type: 'string' },
      file: { type: 'string' },
      'clip-root': { type: 'string', multiple: true },
    },
  });
  const [command, ...args] = positionals;
  if (values.help || !command) {
    out(USAGE + '\n');
    return values.help ? 0 : 2;
  }
  const strict = values.strict === true;
  switch (command) {
    case 'table': {
      if (args.length !== 1 && args.length !== 2) fail('table takes REAL_DIR SYNTHETIC_DIR, or one FOLDER');
      let roots: RootSpec[];
      let pair: { realDir: string; syntheticDir: string } | undefined;
      if (args.length === 2) {
        const realDir = folder(args[0], 'REAL_DIR');
        const syntheticDir = folder(args[1], 'SYNTHETIC_DIR');
        const prompt = (/_mc_(.+)$/.exec(path.basename(realDir))?.[1] ?? 'cot') as PromptMode;
        roots = [
          { path: realDir, assume: { split: 'real', promptMode: prompt } },
          { path: syntheticDir, assume: { split: 'synthetic', promptMode: prompt } },
        ];
        pair = { realDir, syntheticDir };
      } else {
        roots = [{ path: folder(args[0], 'FOLDER') }];
      }
      const { index, report } = await openIndex(roots);
      reportProblems(report);
      const tables = accuracyTables(index, pair ?? {});
      if (!tables.length) process.stderr.write('no pair of real and synthetic result files with the same name was found\n');
      tables.forEach((t, i) => {
        // A rule-graded table always says so: its numbers are not a judge's.
        const rule = t.grader === 'rule' ? ' (rule-graded: raw outputs, no judge)' : '';
        if (tables.length > 1 || rule) out(`${i ? '\n' : ''}# ${t.promptMode}${rule}: ${t.realDir} + ${t.syntheticDir}\n`);
        out(accuracyTableCsv(t));
      });
      index.close();
      return strict && report.problems.length ? 2 : tables.length ? 0 : 1;
    }
    case 'index': {
      if (args.length !== 1) fail('index takes one FOLDER');
      const { index, report } = await openIndex([{ path: folder(args[0], 'FOLDER') }]);
      if (values.json) {
        out(JSON.stringify({ counts: report.counts, badFiles: report.problems, timings: report.timings }, null, 2) + '\n');
      } else {
        const c = report.counts;
        out(`${c.files} files, ${c.runs} runs, ${c.questions} questions, ${c.predictions} predictions (${c.failures} failed) in ${Math.round(report.timings.totalMs)} ms\n`);
        reportProblems(report);
      }
      index.close();
      return exitCode(report, strict);
    }
    case 'failures': {
      if (args.length !== 1) fail('failures takes one FOLDER');
      const limit = values.limit === undefined ? 100 : Number(values.limit);
      const offset = values.offset === undefined ? 0 : Number(values.offset);
      if (!Number.isInteger(limit) || limit < 0) fail(`--limit must be a whole number (got "${values.limit}")`);
      if (!Number.isInteger(offset) || offset < 0) fail(`--offset must be a whole number (got "${values.offset}")`);
      const query: FailureQuery = {
        outcome: ['failed'],
        split: oneOf<Split>('split', values.split, SPLITS),
        perspective: oneOf<Perspective>('perspective', values.perspective, PERSPECTIVES),
        motion: oneOf<MotionType>('motion', values.motion, MOTION_TYPES),
        source: oneOf<Source>('source', values.source, SOURCES),
        promptMode: oneOf<PromptMode>('prompt', values.prompt, PROMPT_MODES),
        model: values.model,
        text: values.text,
        limit,
        offset,
      };
      const { index, report } = await openIndex([{ path: folder(args[0], 'FOLDER') }]);
      reportProblems(report);
      const unknown = (values.model ?? []).filter((m) => !(m in index.query({ limit: 0 }).facets.model));
      if (unknown.length) process.stderr.write(`warning: no model named ${unknown.join(', ')} in the results\n`);
      const result = index.query(query);
      if (values.json) out(JSON.stringify({ total: result.total, rows: result.rows }, null, 2) + '\n');
      else {
        out(`${result.total} failed predictions\n`);
        for (const r of result.rows) out(`${r.model} [${r.promptMode}] ${r.split}/${r.qid} ${r.motion}/${r.perspective}: ${r.question} — truth ${r.groundTruthLetter ?? '?'}: ${r.groundTruth}, chose ${r.chosen ?? '-'}: ${r.chosenText ?? ''}\n`);
      }
      index.close();
      return exitCode(report, strict);
    }
    case 'audit': {
      if (args.length !== 1) fail('audit takes one FOLDER');
      const { index, report } = await openIndex([{ path: folder(args[0], 'FOLDER') }]);
      reportProblems(report);
      const audit = auditRecords(index.auditRecords());
      index.auditAll();
      const judges = index.query({ audit: ['judges-disagree'], limit: 10_000 }).rows.map((r) => ({ key: r.key, judgeCorrect: r.judgeCorrect }));
      const groups = audit.groups.map((g) => ({ ...g, agreement: g.total ? g.agree / g.total : null }));
      if (values.json) {
        out(JSON.stringify({ groups, disagreements: audit.disagreements, judgesDisagree: judges }, null, 2) + '\n');
      } else {
        const pct = (n: number, of: number) => (of ? `${((100 * n) / of).toFixed(2)}%` : '-');
        out('prompt mode,split,predictions,agree,judge right/rule wrong,judge wrong/rule right,rule reads no answer\n');
        for (const g of audit.groups) out(`${g.promptMode},${g.split},${g.total},${pct(g.agree, g.total)},${g.judgeCorrectRuleWrong},${g.judgeWrongRuleCorrect},${g.unreadable}\n`);
        out(`${audit.disagreements.length} predictions where the rule's verdict differs from the judge's (--json lists them)\n`);
        if (judges.length) out(`${judges.length} predictions where two judges of the same run disagree\n`);
      }
      index.close();
      return exitCode(report, strict);
    }
    case 'tags': {
      if (args.length !== 1) fail('tags takes one FOLDER');
      const root = folder(args[0], 'FOLDER');
      const file = path.resolve(root, values.file ?? path.join('.vlm4d', 'annotations.json'));
      const store = new AnnotationStore(file);
      const state = store.load();
      if (state.kind === 'broken') {
        process.stderr.write(`${file}: cannot be read (${state.reason})\n`);
        return 2;
      }
      const { index, report } = await openIndex([{ path: root }]);
      reportProblems(report);
      index.setAnnotations([{ root, data: store.data }]);
      const rows: ExportRow[] = [];
      for (let offset = 0; ; offset += 10_000) {
        const page = index.query({ offset, limit: 10_000 }).rows;
        for (const r of page) if (r.annotation) rows.push(exportRow(r, store.data));
        if (page.length < 10_000) break;
      }
      const orphans = index.annotationOrphans().map(({ kind, key }) => ({ kind, key }));
      if (values.json) out(JSON.stringify({ file, annotated: rows.length, rows, orphans }, null, 2) + '\n');
      else out(exportRowsCsv(rows));
      if (orphans.length) process.stderr.write(`${orphans.length} annotation(s) match nothing in the results (kept in the file): ${orphans.map((o) => o.key).join(', ')}\n`);
      index.close();
      return exitCode(report, strict);
    }
    case 'clip': {
      if (args.length !== 2) fail('clip takes FOLDER KEY');
      const c = { folder: folder(args[0], 'FOLDER'), key: args[1] as string, clipRoots: values['clip-root'] ?? [], json: values.json === true };
      return clipCommand(c, out, (s) => process.stderr.write(s)).catch((e: unknown) => (e instanceof ClipUsageError ? fail(e.message) : Promise.reject(e)));
    }
    default:
      fail(`unknown command "${command}"`);
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: unknown) => {
      if (e instanceof UsageError || (e instanceof Error && 'code' in e && String((e as { code: unknown }).code).startsWith('ERR_PARSE_ARGS'))) {
        process.stderr.write(`vlm4d: ${e.message}\nRun with --help for usage.\n`);
        process.exit(2);
      }
      process.stderr.write(`vlm4d: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exit(3);
    },
  );
}

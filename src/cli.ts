#!/usr/bin/env node
// Command-line front end over the same core the extension uses, so that numbers can be checked and scripted.
import * as fs from 'fs';
import * as path from 'path';
import { parseArgs } from 'util';
import { clipCommand, ClipUsageError } from './cli/clip';
import { accuracyTableCsv, accuracyTables } from './core/accuracyTable';
import { auditRecords } from './core/audit';
import { countedAccuracyTables } from './core/countedTable';
import type { ExportRow } from './core/annotations/export';
import { exportRow, exportRowsCsv } from './core/annotations/export';
import { AnnotationStore } from './core/annotations/store';
import { COMPARE_USAGE, CompareUsageError, compareCommand } from './cli/compare';
import { TAG_USAGE, tagCommand } from './cli/tag';
import { modesCommand, MODES_USAGE, ModesUsageError } from './cli/modesCommand';
import type { FailureQuery, PredictionRow } from './core/index/query';
import { MAX_PAGE_ROWS } from './core/index/query';
import type { RootSpec, SyncReport } from './core/index/indexTypes';
import { ResultIndex } from './core/index/resultIndex';
import { loadSqlJs } from './core/index/sqlite';
import type { ExportFormat } from './cli/export';
import { EXPORT_FORMATS, EXPORT_USAGE, exportPredictions } from './cli/export';
import type { MotionType, Perspective, PromptMode, Source, Split } from './core/model';
import { MOTION_TYPES, PERSPECTIVES, PROMPT_MODES, SOURCES, SPLITS } from './core/model';
import { terminalSafe } from './core/terminalText';

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
    --model NAME (repeatable)  --prompt cot|direct-output
    --text 'WORDS "A PHRASE"' (or --search): every word and quoted phrase in the question or response
  audit FOLDER [--json]          the judge audit: agreement between the answer-reading rule and the
                                 judges' verdicts per prompt mode and split, the disagreeing predictions,
                                 and where two judges of the same run disagree
  tags FOLDER [--file PATH] [--json]
                                 every annotated prediction (tags, notes, overrides) with its fields,
                                 from FOLDER/.vlm4d/annotations.json (or --file, relative to FOLDER); CSV
                                 without --json
${TAG_USAGE}
${COMPARE_USAGE}
${MODES_USAGE}
${EXPORT_USAGE}
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
  if (!(allowed as readonly string[]).includes(value))
    fail(`--${name} must be one of ${allowed.join(', ')} (got "${value}")`);
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

/** A message for stderr, with anything a terminal could act on escaped (paths and reasons come from data). */
function warn(message: string): void {
  process.stderr.write(terminalSafe(message) + '\n');
}

function reportProblems(report: Pick<SyncReport, 'problems'>): void {
  for (const p of report.problems) warn(`${p.severity}: ${p.path}: ${p.reason}`);
}

/** The one --file given (the agreement command takes two). */
function oneFile(files: string[] | undefined): string | undefined {
  if ((files?.length ?? 0) > 1) fail('--file is given more than once');
  return files?.[0];
}

/** The rows of a query from `offset` on, `limit` of them (all when not given), read page by page. */
function allRows(index: ResultIndex, query: FailureQuery, offset = 0, limit = Infinity): PredictionRow[] {
  const rows: PredictionRow[] = [];
  while (rows.length < limit) {
    const want = Math.min(MAX_PAGE_ROWS, limit - rows.length);
    const page = index.query({ ...query, offset: offset + rows.length, limit: want }).rows;
    rows.push(...page);
    if (page.length < want) break;
  }
  return rows;
}

/** 0 when something was indexed, 1 when nothing, 2 with --strict and any bad file. */
function exitCode(report: SyncReport, strict: boolean): number {
  if (strict && report.problems.length) return 2;
  return report.counts.predictions > 0 ? 0 : 1;
}

/**
 * Runs one command. `out` takes JSON as it is; text for people (tables, lists, CSV) goes through `say`, which
 * escapes every control character but line ends and tabs (terminalText.ts).
 */
export async function main(argv: string[], out: (s: string) => void = (s) => process.stdout.write(s)): Promise<number> {
  const say = (s: string) => out(s.split('\r\n').map(terminalSafe).join('\r\n'));
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
      search: { type: 'string' },
      limit: { type: 'string' },
      offset: { type: 'string' },
      file: { type: 'string', multiple: true },
      detector: { type: 'string', multiple: true },
      top: { type: 'string' },
      'min-support': { type: 'string' },
      alpha: { type: 'string' },
      key: { type: 'string', multiple: true },
      add: { type: 'string' },
      remove: { type: 'string' },
      note: { type: 'string' },
      'question-note': { type: 'string' },
      verdict: { type: 'string' },
      from: { type: 'string' },
      'clip-root': { type: 'string', multiple: true },
      a: { type: 'string' },
      b: { type: 'string' },
      format: { type: 'string' },
      out: { type: 'string' },
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
      // Judged results need no index: their counts are folded straight from the files (countedTable.ts).
      const counted = countedAccuracyTables(roots, pair);
      const opened = counted ? null : await openIndex(roots);
      const problems = counted?.problems ?? opened?.report.problems ?? [];
      reportProblems({ problems });
      const tables = counted?.tables ?? accuracyTables(opened?.index as ResultIndex, pair ?? {});
      if (!tables.length) warn('no pair of real and synthetic result files with the same name was found');
      tables.forEach((t, i) => {
        // A rule-graded table always says so: its numbers are not a judge's.
        const rule = t.grader === 'rule' ? ' (rule-graded: raw outputs, no judge)' : '';
        if (tables.length > 1 || rule)
          say(`${i ? '\n' : ''}# ${t.promptMode}${rule}: ${t.realDir} + ${t.syntheticDir}\n`);
        say(accuracyTableCsv(t));
      });
      opened?.index.close();
      return strict && problems.length ? 2 : tables.length ? 0 : 1;
    }
    case 'index': {
      if (args.length !== 1) fail('index takes one FOLDER');
      const { index, report } = await openIndex([{ path: folder(args[0], 'FOLDER') }]);
      if (values.json) {
        out(
          JSON.stringify({ counts: report.counts, badFiles: report.problems, timings: report.timings }, null, 2) + '\n',
        );
      } else {
        const c = report.counts;
        say(
          `${c.files} files, ${c.runs} runs, ${c.questions} questions, ${c.predictions} predictions (${c.failures} failed) in ${Math.round(report.timings.totalMs)} ms\n`,
        );
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
        text: values.text ?? values.search,
      };
      const { index, report } = await openIndex([{ path: folder(args[0], 'FOLDER') }]);
      reportProblems(report);
      const unknown = (values.model ?? []).filter((m) => !(m in index.query({ limit: 0 }).facets.model));
      if (unknown.length) warn(`warning: no model named ${unknown.join(', ')} in the results`);
      const { total } = index.query({ ...query, limit: 0 });
      const rows = allRows(index, query, offset, limit);
      if (values.json) out(JSON.stringify({ total, rows }, null, 2) + '\n');
      else {
        say(`${total} failed predictions\n`);
        for (const r of rows)
          say(
            `${r.model} [${r.promptMode}] ${r.split}/${r.qid} ${r.motion}/${r.perspective}: ${r.question} — truth ${r.groundTruthLetter ?? '?'}: ${r.groundTruth}, chose ${r.chosen ?? '-'}: ${r.chosenText ?? ''}\n`,
          );
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
      const judges = allRows(index, { audit: ['judges-disagree'] }).map((r) => ({
        key: r.key,
        judgeCorrect: r.judgeCorrect,
      }));
      const groups = audit.groups.map((g) => ({ ...g, agreement: g.total ? g.agree / g.total : null }));
      if (values.json) {
        out(JSON.stringify({ groups, disagreements: audit.disagreements, judgesDisagree: judges }, null, 2) + '\n');
      } else {
        const pct = (n: number, of: number) => (of ? `${((100 * n) / of).toFixed(2)}%` : '-');
        say('prompt mode,split,predictions,agree,judge right/rule wrong,judge wrong/rule right,rule reads no answer\n');
        for (const g of audit.groups)
          say(
            `${g.promptMode},${g.split},${g.total},${pct(g.agree, g.total)},${g.judgeCorrectRuleWrong},${g.judgeWrongRuleCorrect},${g.unreadable}\n`,
          );
        say(
          `${audit.disagreements.length} predictions where the rule's verdict differs from the judge's (--json lists them)\n`,
        );
        if (judges.length) say(`${judges.length} predictions where two judges of the same run disagree\n`);
      }
      index.close();
      return exitCode(report, strict);
    }
    case 'tags': {
      if (args.length !== 1) fail('tags takes one FOLDER');
      const root = folder(args[0], 'FOLDER');
      const file = path.resolve(root, oneFile(values.file) ?? path.join('.vlm4d', 'annotations.json'));
      const store = new AnnotationStore(file);
      const state = store.load();
      if (state.kind === 'broken') {
        warn(`${file}: cannot be read (${state.reason})`);
        return 2;
      }
      const { index, report } = await openIndex([{ path: root }]);
      reportProblems(report);
      index.setAnnotations([{ root, data: store.data }]);
      const rows: ExportRow[] = allRows(index, {})
        .filter((r) => r.annotation)
        .map((r) => exportRow(r, store.data));
      const orphans = index.annotationOrphans().map(({ kind, key }) => ({ kind, key }));
      if (values.json) out(JSON.stringify({ file, annotated: rows.length, rows, orphans }, null, 2) + '\n');
      else say(exportRowsCsv(rows));
      if (orphans.length)
        warn(
          `${orphans.length} annotation(s) match nothing in the results (kept in the file): ${orphans.map((o) => o.key).join(', ')}`,
        );
      index.close();
      return exitCode(report, strict);
    }
    case 'tag':
      return tagCommand(args, { ...values, file: oneFile(values.file) }, out);
    case 'suggest':
    case 'slices':
    case 'agreement':
      return modesCommand(command, args, values, {
        out,
        say,
        warn,
        openIndex,
        folder,
        oneOf,
        reportProblems,
        exitCode,
        strict,
      }).catch((e: unknown) => (e instanceof ModesUsageError ? fail(e.message) : Promise.reject(e)));
    case 'export': {
      if (args.length !== 1) fail('export takes one FOLDER');
      const format = oneOf('format', values.format ?? 'ndjson', EXPORT_FORMATS)?.[0] as ExportFormat;
      if (!values.out) fail('export needs --out FILE');
      const file = path.resolve(values.out);
      if (fs.existsSync(file)) fail(`--out ${file} exists already: export never overwrites a file`);
      const { index, report } = await openIndex([{ path: folder(args[0], 'FOLDER') }]);
      reportProblems(report);
      warn(`${exportPredictions(index, format, file)} predictions written to ${file}`);
      index.close();
      return exitCode(report, strict);
    }
    case 'clip': {
      if (args.length !== 2) fail('clip takes FOLDER KEY');
      const c = {
        folder: folder(args[0], 'FOLDER'),
        key: args[1] as string,
        clipRoots: values['clip-root'] ?? [],
        json: values.json === true,
      };
      return clipCommand(c, out, (s) => process.stderr.write(s)).catch((e: unknown) =>
        e instanceof ClipUsageError ? fail(e.message) : Promise.reject(e),
      );
    }
    case 'compare': {
      if (args.length !== 1) fail('compare takes one FOLDER');
      const filter = {
        split: oneOf<Split>('split', values.split, SPLITS),
        perspective: oneOf<Perspective>('perspective', values.perspective, PERSPECTIVES),
        motion: oneOf<MotionType>('motion', values.motion, MOTION_TYPES),
        source: oneOf<Source>('source', values.source, SOURCES),
      };
      const { index, report } = await openIndex([{ path: folder(args[0], 'FOLDER') }]);
      reportProblems(report);
      try {
        compareCommand(index, { a: values.a, b: values.b, filter, json: values.json === true }, out);
      } catch (e) {
        if (e instanceof CompareUsageError) fail(e.message);
        throw e;
      } finally {
        index.close();
      }
      return exitCode(report, strict);
    }
    default:
      fail(`unknown command "${command}"`);
  }
}

/**
 * Exits once everything written has left the process. Writes to a pipe are asynchronous when the reader is
 * slower than the writer, and `process.exit` drops what is still queued; the callback of an empty write runs
 * after every write before it. A reader that went away (`vlm4d ... | head`) ends the process quietly.
 */
function exitAfterOutput(code: number): void {
  process.exitCode = code;
  let left = 2;
  const done = () => --left === 0 && process.exit(code);
  process.stdout.write('', done);
  process.stderr.write('', done);
}

if (require.main === module) {
  process.stdout.on('error', (e: NodeJS.ErrnoException) => process.exit(e.code === 'EPIPE' ? 0 : 3));
  main(process.argv.slice(2)).then(exitAfterOutput, (e: unknown) => {
    if (
      e instanceof UsageError ||
      (e instanceof Error && 'code' in e && String((e as { code: unknown }).code).startsWith('ERR_PARSE_ARGS'))
    ) {
      warn(`vlm4d: ${e.message}\nRun with --help for usage.`);
      return exitAfterOutput(2);
    }
    warn(`vlm4d: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    exitAfterOutput(3);
  });
}

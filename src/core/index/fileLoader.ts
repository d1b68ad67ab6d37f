// Reading one file into what the index inserts: validated, with the per-record values computed and the
// texts kept aside. Pure and synchronous, so it runs in the index's own thread (CLI, tests) or in a
// parser thread that works on the next file while the index inserts this one (the worker).
import { letterOfChoice, letterOfExtracted } from '../answers';
import { readAnswer } from '../answerReading';
import type { DiscoveredFile } from '../discovery';
import type { ChoiceLetter, ChoiceValue, PredictionRecord, Question, Split, Stage } from '../model';
import { CHOICE_LETTERS } from '../model';
import type { TaxonomyOverride, ReadLimits } from '../parse';
import { EXOCENTRIC_MAX_ID } from '../taxonomy';
import { AUTHORS_SLICE } from './schema';
import type { HarnessPart } from '../harness/loadHarness';
import { loadHarness } from '../harness/loadHarness';
import type { PackedTexts } from './textStore';
import { EMPTY_TEXTS, packTexts } from './textStore';
import {
  DEFAULT_READ_LIMITS,
  NO_EXTRAS,
  bytesToText,
  onlyChoices,
  parseObject,
  parseRecords,
  readJsonText,
  readTaxonomyOverrides,
  readPredictions,
  readQuestions,
  readResultText,
} from '../parse';

/** One result file's records, column by column (cheap to pass between threads). */
export interface CompactRecords {
  count: number;
  /** The records' ids, packed like the texts; null (not sent) for those of the form `validation_<n>` (see qnum). */
  ids: PackedTexts;
  /** Letter the judge extracted (in a raw file: the letter the answer-reading rule read), 0-3 for A-D, or -1. */
  chosen: Int8Array;
  /** The judge's verdict: 1 correct, 0 wrong, -1 none. */
  correct: Int8Array;
  /**
   * In a raw file (no judge): the answer-reading rule's verdict, 1 correct, 0 wrong (or nothing readable),
   * -1 when the ground truth is unknown. Always -1 in judged files (their audit runs later, see auditLayer.ts).
   */
  ruleCorrect: Int8Array;
  /**
   * The ground truth's letter as the record itself states it (its own choices and ground truth), 0-3, or -1:
   * what its judge graded against, which can differ from the benchmark file's (a run on an older version).
   */
  truth: Int8Array;
  /** The authors' statistics slice (AUTHORS_SLICE): by id in the real split, by the record's ground truth in the synthetic one. */
  slice: Uint8Array;
  responses: PackedTexts;
  extracted: PackedTexts;
  /** The question number of ids of the form `validation_<n>` (-1 otherwise), for a lookup without strings. */
  qnum: Int32Array;
  /** Extra judge fields, for the records that have any: [record index, fields]. */
  extras: [number, Record<string, string>][];
  /** The question as the record states it, for questions the index does not know yet: [record index, question]. */
  fallback: [number, Question][];
}

export type LoadedFile =
  | { kind: 'error'; reason: string }
  | { kind: 'questions'; questions: Question[]; warnings: string[] }
  | { kind: 'labels'; overrides: TaxonomyOverride[]; warnings: string[] }
  | { kind: 'results'; stage: Stage; records: CompactRecords; warnings: string[] }
  /** An lmms-eval or VLMEvalKit file: one run per split it holds (none when it is not VLM4D). */
  | { kind: 'harness'; parts: HarnessPart[]; warnings: string[] };

/** The numeric part of `validation_<n>`, as the authors' script reads it. */
export function questionNumber(id: string): number | null {
  // Fast path for the usual `validation_<n>` (called once per record while loading).
  if (id.startsWith('validation_') && id.length > 11 && id.length < 20) {
    let n = 0;
    for (let i = 11; i < id.length; i++) {
      const d = id.charCodeAt(i) - 48;
      if (d < 0 || d > 9) return numberAtEnd(id);
      n = n * 10 + d;
    }
    return n;
  }
  return numberAtEnd(id);
}

/** n when `id` is exactly `validation_<n>` (as the index writes it back: no sign, no leading zero), else -1. */
export function standardQuestionNumber(id: string): number {
  if (id.length < 12 || id.length > 19 || !id.startsWith('validation_') || (id.length > 12 && id.charCodeAt(11) === 48))
    return -1;
  let n = 0;
  for (let i = 11; i < id.length; i++) {
    const d = id.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

function numberAtEnd(id: string): number | null {
  const m = /(\d+)\s*$/.exec(id);
  return m ? Number(m[1]) : null;
}

/** A question's identity: the same id exists in both splits, and in every copy of the benchmark. */
export const questionKey = (dataset: string, split: Split, id: string): string => `${dataset}\u0000${split}\u0000${id}`;

/**
 * The questions the index holds (by the keys of questionKey), grouped by dataset and split so that a
 * record is looked up by its id alone, without building its key.
 */
export class KnownQuestions {
  private readonly byGroup = new Map<string, Set<string>>();

  constructor(keys: Iterable<string> = []) {
    for (const key of keys) {
      const cut = key.indexOf('\u0000', key.indexOf('\u0000') + 1);
      this.ids(key.slice(0, cut)).add(key.slice(cut + 1));
    }
  }

  /** The known ids of one dataset and split (added to as questions are sent). */
  ids(datasetAndSplit: string): Set<string> {
    let ids = this.byGroup.get(datasetAndSplit);
    if (!ids) this.byGroup.set(datasetAndSplit, (ids = new Set()));
    return ids;
  }

  keys(): string[] {
    const out: string[] = [];
    for (const [group, ids] of this.byGroup) for (const id of ids) out.push(`${group}\u0000${id}`);
    return out;
  }
}

/** The authors' synthetic false-positive rule, on a record's own ground truth. */
export function isAuthorsFalsePositive(groundTruth: ChoiceValue | null): boolean {
  if (typeof groundTruth !== 'string') return false;
  const a = groundTruth.trim().toLowerCase();
  return a === 'no' || a.startsWith('no ');
}

/**
 * Reads and validates one file. `knownQuestions` are those the index already holds; records of other
 * questions carry their question text along. Questions sent are added to it, so each is sent once.
 * Never throws: whatever goes wrong with one file is that file's reason, and the others are read.
 */
export function loadFile(
  f: DiscoveredFile,
  knownQuestions: KnownQuestions,
  limits: ReadLimits = DEFAULT_READ_LIMITS,
): LoadedFile {
  try {
    return loadOrThrow(f, knownQuestions, limits);
  } catch (e) {
    return { kind: 'error', reason: unexpectedFailure(e) };
  }
}

/** The reason for a failure no check foresaw (the engine's own limits, mostly). */
export function unexpectedFailure(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  if (e instanceof RangeError && /call stack/i.test(msg))
    return `cannot read the file: nested too deeply to process (${msg})`;
  if (e instanceof RangeError && /string (length|longer)/i.test(msg))
    return `cannot read the file: too large to process as text (${msg})`;
  return `cannot read the file: ${msg}`;
}

function loadOrThrow(f: DiscoveredFile, knownQuestions: KnownQuestions, limits: ReadLimits): LoadedFile {
  if (f.harness) return loadHarness(f, knownQuestions, limits);
  if (f.kind !== 'labels' && f.kind !== 'questions') return loadResults(f, knownQuestions, limits);
  const text = readJsonText(f.path, limits);
  if (!text.ok) return { kind: 'error', reason: text.reason };
  if (f.kind === 'labels') {
    const obj = parseObject(text.value);
    if (!obj.ok) return { kind: 'error', reason: obj.reason };
    const l = readTaxonomyOverrides(obj.value[0]);
    return l.ok ? { kind: 'labels', overrides: l.value, warnings: l.warnings } : { kind: 'error', reason: l.reason };
  }
  const raw = parseRecords(text.value, f.path.endsWith('.jsonl'));
  if (!raw.ok) return { kind: 'error', reason: raw.reason };
  const q = readQuestions(raw.value, f.split);
  return q.ok
    ? { kind: 'questions', questions: q.value, warnings: [...raw.warnings, ...q.warnings] }
    : { kind: 'error', reason: q.reason };
}

/** A result file's validated records, before they are put in columns; or why the file cannot be read. */
export type ReadResults =
  | { kind: 'error'; reason: string }
  | { kind: 'records'; stage: Stage; recs: PredictionRecord[]; utf8Bytes: boolean; warnings: string[] };

/**
 * Reads and validates a result file's records (the index's loader and the CLI's counting-only table
 * share it, so both skip and report exactly the same records). Judged when any record carries a verdict.
 */
export function readResultRecords(f: DiscoveredFile, limits: ReadLimits = DEFAULT_READ_LIMITS): ReadResults {
  if (!f.run) return { kind: 'error', reason: 'not in a {split}_mc_{prompt} folder' };
  const read = readResultText(f.path, limits);
  if (!read.ok) return { kind: 'error', reason: read.reason };
  const { text, utf8Bytes } = read.value;
  const jsonLines = f.path.endsWith('.jsonl');
  let raw = parseRecords(text, jsonLines);
  // Positions in the message count characters: read as bytes, a line's non-ASCII characters would count twice.
  if (!raw.ok && utf8Bytes) raw = parseRecords(bytesToText(text), jsonLines);
  if (!raw.ok) return { kind: 'error', reason: raw.reason };
  const p = readPredictions(raw.value, utf8Bytes);
  if (!p.ok) return { kind: 'error', reason: p.reason };
  const stage: Stage = p.value.some((r) => r.correct !== null) ? 'judged' : 'raw';
  const warnings = [...raw.warnings, ...p.warnings];
  if (stage === 'judged' && f.stageHint === 'raw')
    warnings.push('holds verdicts although it is under outputs/: indexed as judged');
  return { kind: 'records', stage, recs: p.value, utf8Bytes, warnings };
}

function loadResults(f: DiscoveredFile, knownQuestions: KnownQuestions, limits: ReadLimits): LoadedFile {
  const r = readResultRecords(f, limits);
  if (r.kind === 'error') return r;
  const run = f.run as NonNullable<DiscoveredFile['run']>;
  const { stage, records } = compactRecords(r.recs, f.dataset, run.split, knownQuestions, r.utf8Bytes);
  return { kind: 'results', stage, records, warnings: r.warnings };
}

/** Validated records of one run in columns; judged when any record carries a verdict. */
export function compactRecords(
  recs: readonly PredictionRecord[],
  dataset: string,
  split: Split,
  knownQuestions: KnownQuestions,
  utf8Bytes: boolean,
): { stage: Stage; records: CompactRecords } {
  const n = recs.length;
  const records: CompactRecords = {
    count: n,
    ids: EMPTY_TEXTS,
    chosen: new Int8Array(n),
    correct: new Int8Array(n),
    ruleCorrect: new Int8Array(n).fill(-1),
    truth: new Int8Array(n),
    slice: new Uint8Array(n),
    responses: EMPTY_TEXTS,
    extracted: EMPTY_TEXTS,
    qnum: new Int32Array(n),
    extras: [],
    fallback: [],
  };
  // A file is judged when any record carries a verdict; otherwise every record is graded by the rule.
  const graded = recs.some((r) => r.correct !== null);
  // One small loop per column rather than one loop doing everything: the threads that run this are new
  // at every sync, and compiling one large optimized loop (again after each deoptimization) cost more
  // CPU than the loop itself (measured with --trace-opt).
  readLetters(recs, records, graded, utf8Bytes);
  const ids = readQuestionNumbers(recs, records.qnum);
  readSlices(recs, records, split);
  readRare(recs, records, knownQuestions.ids(`${dataset}\u0000${split}`), split, utf8Bytes ? bytesToText : (s) => s);
  records.ids = packTexts(ids);
  records.responses = packTexts(column(recs, 'response'), utf8Bytes);
  records.extracted = packTexts(column(recs, 'extractedAnswer'));
  return { stage: graded ? 'judged' : 'raw', records };
}

/** The chosen letters, verdicts and ground truths (the record's own): by the judge's reading, or the rule's in a raw file. */
function readLetters(
  recs: readonly PredictionRecord[],
  records: CompactRecords,
  graded: boolean,
  utf8Bytes: boolean,
): void {
  for (let i = 0; i < recs.length; i++) {
    const rec = recs[i] as PredictionRecord;
    const letter = graded
      ? letterOfExtracted(rec.choices, rec.extractedAnswer)
      : readAnswer(utf8Bytes ? bytesToText(rec.response) : rec.response, rec.choices).letter;
    records.chosen[i] = letterCode(letter);
    records.correct[i] = rec.correct === null ? -1 : rec.correct ? 1 : 0;
    const truth = letterOfChoice(rec.choices, rec.groundTruth);
    records.truth[i] = letterCode(truth);
    if (!graded && truth !== null) records.ruleCorrect[i] = letter === truth ? 1 : 0;
  }
}

const letterCode = (letter: ChoiceLetter | null): number => (letter === null ? -1 : CHOICE_LETTERS.indexOf(letter));

/** The authors' statistics slice of each record (after readQuestionNumbers). */
function readSlices(recs: readonly PredictionRecord[], records: CompactRecords, split: Split): void {
  const { slice, qnum } = records;
  for (let i = 0; i < recs.length; i++) {
    const rec = recs[i] as PredictionRecord;
    const num = qnum[i] as number;
    slice[i] =
      split === 'real'
        ? (num >= 0 ? num : (questionNumber(rec.id) ?? 0)) <= EXOCENTRIC_MAX_ID
          ? AUTHORS_SLICE.realExo
          : AUTHORS_SLICE.realEgo
        : isAuthorsFalsePositive(rec.groundTruth)
          ? AUTHORS_SLICE.synthFalsePositive
          : AUTHORS_SLICE.synthDirectional;
  }
}

/** Each record's `validation_<n>` number into `qnum` (-1 for other ids); returns the ids to send as text (null for the others). */
function readQuestionNumbers(recs: readonly PredictionRecord[], qnum: Int32Array): (string | null)[] {
  const ids = new Array<string | null>(recs.length);
  for (let i = 0; i < recs.length; i++) {
    const id = (recs[i] as PredictionRecord).id;
    const num = standardQuestionNumber(id);
    qnum[i] = num;
    ids[i] = num < 0 ? id : null;
  }
  return ids;
}

/** Extra judge fields, and the question text of questions the index does not know yet (each sent once). */
function readRare(
  recs: readonly PredictionRecord[],
  records: CompactRecords,
  knownIds: Set<string>,
  split: Split,
  text: (s: string) => string,
): void {
  for (let i = 0; i < recs.length; i++) {
    const rec = recs[i] as PredictionRecord;
    if (rec.judgeExtras !== NO_EXTRAS) records.extras.push([i, rec.judgeExtras]);
    if (!knownIds.has(rec.id)) {
      knownIds.add(rec.id);
      const video = rec.video === null ? null : text(rec.video);
      records.fallback.push([
        i,
        {
          split,
          id: rec.id,
          video,
          question: text(rec.question),
          choices: onlyChoices(rec.choices),
          answer: rec.groundTruth ?? '',
        },
      ]);
    }
  }
}

function column<K extends 'response' | 'extractedAnswer'>(
  recs: readonly PredictionRecord[],
  key: K,
): PredictionRecord[K][] {
  const out = new Array<PredictionRecord[K]>(recs.length);
  for (let i = 0; i < recs.length; i++) out[i] = (recs[i] as PredictionRecord)[key];
  return out;
}

// Reads result, question and labels files into typed records. Bad input never throws: a file either
// parses (possibly with per-record warnings) or comes back with one specific reason.
import { bytesToText, describeChar } from './textFile';
import type { ChoiceValue, Choices, MotionType, Perspective, PredictionRecord, Question, Source, Split } from './model';
import { CHOICE_LETTERS, MOTION_TYPES, PERSPECTIVES, SOURCES, SPLITS } from './model';

export type Parsed<T> = { ok: true; value: T; warnings: string[] } | { ok: false; reason: string };
export type { ReadLimits, ResultText } from './textFile';
export { DEFAULT_READ_LIMITS, MAX_STRING_CHARS, bytesToText, readJsonText, readResultText } from './textFile';
type Decode = (s: string) => string;

const MAX_LISTED = 5;

/** Parses a JSON array, or JSON Lines (one record a line), into raw records. */
export function parseRecords(text: string, jsonLines: boolean): Parsed<unknown[]> {
  const trimmed = text.trimStart();
  if (!jsonLines || trimmed.startsWith('[')) {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (e) {
      // JSON Lines saved as .json: every line an object.
      if (!jsonLines && trimmed.startsWith('{')) {
        const asLines = parseLines(text);
        if (asLines.ok && asLines.value.length > 1) return asLines;
      }
      return { ok: false, reason: describeJsonError(e, text) };
    }
    if (Array.isArray(value)) return { ok: true, value, warnings: [] };
    if (value && typeof value === 'object')
      return {
        ok: false,
        reason: `expected a JSON array of records, found an object (${describeKeys(Object.keys(value))})`,
      };
    return { ok: false, reason: `expected a JSON array of records, found ${value === null ? 'null' : typeof value}` };
  }
  return parseLines(text);
}

/** Parses a file that must hold one JSON object (the labels file); returned as a one-element list. */
export function parseObject(text: string): Parsed<unknown[]> {
  try {
    return { ok: true, value: [JSON.parse(text)], warnings: [] };
  } catch (e) {
    return { ok: false, reason: describeJsonError(e, text) };
  }
}

function parseLines(text: string): Parsed<unknown[]> {
  const out: unknown[] = [];
  const bad: number[] = [];
  const lines = text.split('\n');
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    try {
      out.push(JSON.parse(line));
    } catch {
      bad.push(i + 1);
    }
  });
  if (out.length === 0)
    return { ok: false, reason: `no valid JSON line (${bad.length} invalid lines, first at line ${bad[0] ?? 0})` };
  const warnings = bad.length ? [`${bad.length} invalid JSON line(s) skipped: line ${listed(bad)}`] : [];
  return { ok: true, value: out, warnings };
}

function describeJsonError(e: unknown, text: string): string {
  // V8 quotes the text around the error ('Unexpected token 's', "[{"a": secret"... is not valid JSON'):
  // the file may not be a result file, so only the kind of character is said.
  const msg = (e instanceof Error ? e.message : String(e))
    .replace(/,\s*(?:\.\.\.)?".*"(?:\.\.\.)?\s*is not valid JSON$/s, '')
    .replace(/^Unexpected token '(.)'/su, (_, c: string) => `Unexpected character (${describeChar(c.charCodeAt(0))})`);
  const pos = /position (\d+)/.exec(msg);
  const where = pos ? ` at ${lineCol(text, Number(pos[1]))}` : '';
  if (/end of JSON input|Unterminated/i.test(msg) || (pos && Number(pos[1]) >= text.trimEnd().length - 1)) {
    return `truncated JSON: the text ends before the JSON is complete${where}`;
  }
  return `invalid JSON${where}: ${msg.replace(/ in JSON at position \d+.*$/, '')}`;
}

function lineCol(text: string, pos: number): string {
  let line = 1;
  let last = -1;
  for (let i = 0; i < pos && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      last = i;
    }
  }
  return `line ${line}, column ${pos - last}`;
}

function listed(items: readonly (string | number)[]): string {
  const shown = items.slice(0, MAX_LISTED).join(', ');
  return items.length > MAX_LISTED ? `${shown} and ${items.length - MAX_LISTED} more` : shown;
}

/** Collects per-record problems so that one message per kind of problem reaches the user. */
class RecordProblems {
  private readonly byReason = new Map<string, number[]>();
  add(reason: string, index: number): void {
    const list = this.byReason.get(reason);
    if (list) list.push(index);
    else this.byReason.set(reason, [index]);
  }
  get count(): number {
    let n = 0;
    for (const l of this.byReason.values()) n += l.length;
    return n;
  }
  messages(): string[] {
    return [...this.byReason].map(([reason, idx]) => `${reason} (record${idx.length > 1 ? 's' : ''} ${listed(idx)})`);
  }
}

/** The judgeExtras of a record without extra fields (shared). */
export const NO_EXTRAS: Record<string, string> = Object.freeze({}) as Record<string, string>;
const KNOWN_FIELDS = new Set([
  'id',
  'question',
  'choices',
  'response',
  'ground_truth_answer',
  'extracted_answer',
  'correct',
  'video',
  'answer',
  'question_type',
]);

/**
 * Keys that say what a file holds (a wrapper around records, a run's metadata) are named; others only
 * counted, since the file may not be a result file at all and its keys could be anything (credentials).
 */
const TELLING_KEYS = new Set([
  ...KNOWN_FIELDS,
  'results',
  'records',
  'data',
  'predictions',
  'outputs',
  'items',
  'model',
  'labels',
  'version',
  'questions',
  'config',
]);
function describeKeys(keys: string[]): string {
  if (!keys.length) return 'keys: none';
  const named = keys.filter((k) => TELLING_KEYS.has(k)).slice(0, 5);
  const others = keys.length - named.length;
  const unknown = others ? `${others} unknown, not shown` : '';
  return `keys: ${named.length ? `${named.join(', ')}${unknown ? ` and ${unknown}` : ''}` : unknown}`;
}

/** Extra judge fields nested deeper than this are not shown (see readPredictions). */
export const MAX_NESTING = 64;

/** Whether an object or array holds objects or arrays more than `limit` levels deep (without recursion). */
export function nestedDeeperThan(value: object, limit: number): boolean {
  const stack: [object, number][] = [[value, 1]];
  for (let top = stack.pop(); top; top = stack.pop()) {
    const [v, depth] = top;
    if (depth > limit) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v))
      if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
  }
  return false;
}

/**
 * Options A-D alone: records keep their own choices object (no copy per record), but one that is kept
 * (a question) or sent to another thread must not carry whatever else the file put in it.
 */
export function onlyChoices(c: Choices): Choices {
  const out: Choices = {};
  for (const letter of CHOICE_LETTERS) if (c[letter] !== undefined) out[letter] = c[letter];
  return out;
}

function isChoiceValue(v: unknown): v is ChoiceValue {
  return typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v));
}

function readChoices(v: unknown, decode: Decode | null): Choices | string {
  if (!v || typeof v !== 'object' || Array.isArray(v))
    return `field 'choices' is ${describeType(v)}, expected an object {A, B, C, D}`;
  const obj = v as Record<string, unknown>;
  let found = 0;
  for (const letter of CHOICE_LETTERS) {
    const c = obj[letter];
    if (c === undefined) continue;
    if (!isChoiceValue(c)) return `choice ${letter} is ${describeType(c)}, expected text or a number`;
    if (decode && typeof c === 'string') obj[letter] = decode(c);
    found++;
  }
  if (found === 0) return "field 'choices' has none of the keys A, B, C, D";
  // The record's own object is kept (no copy per record): only A-D are ever read from it.
  return obj as Choices;
}

function readId(v: unknown, decode: Decode | null = null): string | null {
  if (typeof v === 'string') {
    const id = decode ? decode(v) : v;
    return id.trim() !== '' ? id : null;
  }
  if (typeof v === 'number' && Number.isInteger(v)) return `validation_${v}`;
  return null;
}

export function describeType(v: unknown): string {
  if (v === undefined) return 'missing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

/** The fields result records and benchmark entries share: an object with an id, a question and choices. */
function readCommonFields(
  r: unknown,
  i: number,
  what: 'record' | 'entry',
  problems: RecordProblems,
  decode: Decode | null = null,
): { rec: Record<string, unknown> & { question: string }; id: string; choices: Choices } | null {
  if (!r || typeof r !== 'object' || Array.isArray(r))
    return (problems.add(`${what} is ${describeType(r)}, expected an object`, i), null);
  const rec = r as Record<string, unknown>;
  const id = readId(rec.id, decode);
  if (id === null)
    return (problems.add(`field 'id' is ${describeType(rec.id)}, expected text like "validation_12"`, i), null);
  if (typeof rec.question !== 'string')
    return (problems.add(`field 'question' is ${describeType(rec.question)}, expected text`, i), null);
  const choices = readChoices(rec.choices, decode);
  if (typeof choices === 'string') return (problems.add(choices, i), null);
  return { rec: rec as Record<string, unknown> & { question: string }, id, choices };
}

/**
 * Validates the records of a result file (judged or raw). Duplicate ids keep the first record. With
 * `utf8Bytes` (see readResultText) the fields are turned into text except the responses, which stay bytes,
 * and the question and video, which the loader needs only for questions it does not know (it decodes
 * them then: checking every record's question text cost more than the rest of the decoding).
 */
export function readPredictions(raw: unknown[], utf8Bytes = false): Parsed<PredictionRecord[]> {
  const decode = utf8Bytes ? bytesToText : null;
  const out: PredictionRecord[] = [];
  const problems = new RecordProblems();
  const notes = new RecordProblems();
  const firstIndex = new Map<string, number>();
  const duplicates: string[] = [];
  for (let i = 0; i < raw.length; i++) {
    readOne(raw[i], i);
  }
  function readOne(r: unknown, i: number): void {
    const head = readCommonFields(r, i, 'record', problems, decode);
    if (!head) return;
    const { rec, id, choices } = head;
    let response = rec.response;
    if (response === null) response = '';
    if (typeof response !== 'string')
      return problems.add(`field 'response' is ${describeType(rec.response)}, expected text`, i);
    let correct: boolean | null = null;
    if (typeof rec.correct === 'boolean') correct = rec.correct;
    else if (rec.correct === 0 || rec.correct === 1) correct = rec.correct === 1;
    else if (rec.correct !== undefined && rec.correct !== null)
      return problems.add(`field 'correct' is ${describeType(rec.correct)}, expected true or false`, i);
    let gtField = rec.ground_truth_answer !== undefined ? rec.ground_truth_answer : rec.answer;
    if (decode && typeof gtField === 'string') gtField = decode(gtField);
    if (gtField !== undefined && gtField !== null && !isChoiceValue(gtField))
      return problems.add(`field 'ground_truth_answer' is ${describeType(gtField)}, expected text or a number`, i);
    let ex = rec.extracted_answer;
    if (decode && typeof ex === 'string') ex = decode(ex);
    if (ex !== undefined && ex !== null && !isChoiceValue(ex))
      return problems.add(`field 'extracted_answer' is ${describeType(ex)}, expected text`, i);
    if (correct !== null && (gtField === undefined || gtField === null))
      return problems.add("field 'ground_truth_answer' is missing in a judged record", i);
    const seen = firstIndex.get(id);
    if (seen !== undefined) {
      duplicates.push(`${id} (records ${seen} and ${i})`);
      return;
    }
    firstIndex.set(id, i);
    let judgeExtras: Record<string, string> = NO_EXTRAS;
    for (const key in rec) {
      if (KNOWN_FIELDS.has(key)) continue;
      const v = rec[key];
      if (v === undefined || v === null) continue;
      if (judgeExtras === NO_EXTRAS) judgeExtras = {};
      const name = decode ? decode(key) : key;
      // Written out recursively (and later copied between threads): a field nested thousands of levels
      // deep would overflow the stack. The record stays; the field is not shown.
      if (typeof v === 'object' && nestedDeeperThan(v, MAX_NESTING)) {
        notes.add(`field '${name}' is nested deeper than ${MAX_NESTING} levels: not shown`, i);
        judgeExtras[name] = `(not shown: nested deeper than ${MAX_NESTING} levels)`;
        continue;
      }
      const shown = typeof v === 'string' ? v : JSON.stringify(v, null, 2);
      judgeExtras[name] = decode ? decode(shown) : shown;
    }
    out.push({
      id,
      question: rec.question,
      choices,
      response,
      groundTruth: gtField === undefined || gtField === null ? null : (gtField as ChoiceValue),
      extractedAnswer: ex === undefined || ex === null ? null : String(ex),
      correct,
      video: typeof rec.video === 'string' ? rec.video : null,
      judgeExtras,
    });
  }
  const warnings = [...problems.messages(), ...notes.messages()];
  if (duplicates.length) warnings.push(`duplicate id ${listed(duplicates)}: kept the first`);
  if (out.length === 0) {
    if (raw.length === 0) return { ok: false, reason: 'the file holds an empty array: no records' };
    return { ok: false, reason: `no valid record: ${warnings.join('; ')}` };
  }
  if (problems.count) warnings.unshift(`${problems.count} of ${raw.length} records skipped`);
  return { ok: true, value: out, warnings };
}

/** Validates a benchmark questions file (`data/{split}_mc.json`). */
export function readQuestions(raw: unknown[], split: Split): Parsed<Question[]> {
  const out: Question[] = [];
  const problems = new RecordProblems();
  const seen = new Set<string>();
  const duplicates: string[] = [];
  raw.forEach((r, i) => {
    const head = readCommonFields(r, i, 'entry', problems);
    if (!head) return;
    const { rec, id, choices } = head;
    if (!isChoiceValue(rec.answer))
      return problems.add(`field 'answer' is ${describeType(rec.answer)}, expected text or a number`, i);
    if (rec.video !== undefined && rec.video !== null && typeof rec.video !== 'string')
      return problems.add(`field 'video' is ${describeType(rec.video)}, expected a URL or path`, i);
    if (seen.has(id)) {
      duplicates.push(id);
      return;
    }
    seen.add(id);
    out.push({
      split,
      id,
      video: typeof rec.video === 'string' ? rec.video : null,
      question: rec.question,
      choices: onlyChoices(choices),
      answer: rec.answer,
    });
  });
  const warnings = problems.messages();
  if (duplicates.length) warnings.push(`duplicate id ${listed(duplicates)}: kept the first`);
  if (out.length === 0)
    return {
      ok: false,
      reason:
        raw.length === 0 ? 'the file holds an empty array: no questions' : `no valid question: ${warnings.join('; ')}`,
    };
  if (problems.count) warnings.unshift(`${problems.count} of ${raw.length} entries skipped`);
  return { ok: true, value: out, warnings };
}

/** A per-question override of the derived taxonomy: one entry of a labels file's `labels` list. */
export interface TaxonomyOverride {
  split: Split;
  id: string;
  motion?: MotionType;
  perspective?: Perspective;
  source?: Source;
}

/**
 * Labels file (`vlm4d-labels.json` anywhere in a results folder):
 * `{"version": 1, "labels": [{"split": "real", "id": "validation_12", "motion": "rotational"}]}`.
 */
export function readTaxonomyOverrides(value: unknown): Parsed<TaxonomyOverride[]> {
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    return { ok: false, reason: 'expected an object {"version": 1, "labels": [...]}' };
  }
  const obj = value as Record<string, unknown>;
  if (obj.version !== 1) {
    const shown =
      typeof obj.version === 'number' && Number.isFinite(obj.version) ? String(obj.version) : describeType(obj.version);
    return { ok: false, reason: `unsupported labels version ${shown} (expected 1)` };
  }
  if (!Array.isArray(obj.labels))
    return { ok: false, reason: `field 'labels' is ${describeType(obj.labels)}, expected an array` };
  const out: TaxonomyOverride[] = [];
  const problems = new RecordProblems();
  obj.labels.forEach((l: unknown, i: number) => {
    if (!l || typeof l !== 'object') return problems.add('label is not an object', i);
    const rec = l as Record<string, unknown>;
    if (!SPLITS.includes(rec.split as Split))
      return problems.add(`field 'split' must be one of ${SPLITS.join(', ')}`, i);
    const id = readId(rec.id);
    if (id === null) return problems.add("field 'id' is missing", i);
    const override: TaxonomyOverride = { split: rec.split as Split, id };
    for (const [field, allowed] of [
      ['motion', MOTION_TYPES],
      ['perspective', PERSPECTIVES],
      ['source', SOURCES],
    ] as const) {
      const v = rec[field];
      if (v === undefined) continue;
      if (!(allowed as readonly unknown[]).includes(v))
        return problems.add(`field '${field}' must be one of ${allowed.join(', ')}`, i);
      (override as unknown as Record<string, unknown>)[field] = v;
    }
    out.push(override);
  });
  const warnings = problems.messages();
  if (problems.count) warnings.unshift(`${problems.count} of ${obj.labels.length} labels skipped`);
  return { ok: true, value: out, warnings };
}

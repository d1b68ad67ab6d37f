// The VLM4D-specific part of reading harness files: each row joined to its benchmark question in
// data/{real,synthetic}_mc.json, by the id the record holds (its split from the record, the task's name,
// or the only split that has the id), else by question text and options. A row that neither joins nor
// carries a full copy of its question cannot be placed (which split? which question?): it is counted in
// one message per file, and the rest is indexed.
import * as fs from 'fs';
import * as path from 'path';
import type { ChoiceValue, Choices, Question, Split } from '../model';
import { CHOICE_LETTERS, SPLITS } from '../model';
import { readAnswer } from '../answerReading';
import { parseRecords, readJsonText, readQuestions } from '../parse';
import type { HarnessRow, HarnessRun } from './harnessRow';

export interface Benchmark {
  byId: Map<Split, Map<string, Question>>;
  byText: Map<string, Question[]>;
  /** Questions files found for the dataset. */
  files: string[];
}

const cache = new Map<string, { stamp: string; questions: Question[] }>();

function questionsOf(file: string, split: Split): Question[] | null {
  let stamp: string;
  try {
    const st = fs.statSync(file);
    if (!st.isFile()) return null;
    stamp = `${st.size}:${st.mtimeMs}`;
  } catch {
    return null;
  }
  const hit = cache.get(file);
  if (hit?.stamp === stamp) return hit.questions;
  const t = readJsonText(file);
  const raw = t.ok ? parseRecords(t.value, file.endsWith('.jsonl')) : null;
  const q = raw?.ok ? readQuestions(raw.value, split) : null;
  const questions = q?.ok ? q.value : [];
  cache.set(file, { stamp, questions });
  return questions;
}

const norm = (v: ChoiceValue | null | undefined): string =>
  String(v ?? '')
    .trim()
    .replace(/\s+/g, ' ')
    .toLowerCase();
/** A question's text and options, as the text join compares them. */
export function textKey(question: string, choices: Choices): string {
  return [norm(question), ...CHOICE_LETTERS.map((l) => norm(choices[l]))].join('\u0001');
}

/** The benchmark files of a dataset folder (the folder holding `data/`, see discovery.ts). */
export function loadBenchmark(dataset: string): Benchmark {
  const bench: Benchmark = { byId: new Map(), byText: new Map(), files: [] };
  if (!dataset) return bench;
  for (const split of SPLITS) {
    const ids = new Map<string, Question>();
    bench.byId.set(split, ids);
    for (const dir of [path.join(dataset, 'data'), dataset])
      for (const ext of ['.json', '.jsonl']) {
        const file = path.join(dir, `${split}_mc${ext}`);
        const qs = ids.size ? null : questionsOf(file, split);
        if (!qs) continue;
        bench.files.push(file);
        for (const q of qs) {
          ids.set(q.id, q);
          const k = textKey(q.question, q.choices);
          const list = bench.byText.get(k);
          if (list) list.push(q);
          else bench.byText.set(k, [q]);
        }
      }
  }
  return bench;
}

export interface Joined {
  /** Records in the authors' judged/raw format, per split, for readPredictions. */
  bySplit: Map<Split, Record<string, unknown>[]>;
  byId: number;
  byText: number;
  /** Rows placed by their own full copy of the question (no benchmark entry for them). */
  byCopy: number;
  /** Row numbers (0-based) that could not be placed, with why. */
  unjoined: Map<string, number[]>;
}

function place(
  row: HarnessRow,
  run: HarnessRun,
  bench: Benchmark,
): { q: Question; how: 'id' | 'text' | 'copy' } | string {
  if (row.id !== null) {
    const id = /^\d+$/.test(row.id) ? `validation_${row.id}` : row.id;
    const stated = row.split ?? run.split;
    const splits = stated ? [stated] : SPLITS.filter((s) => bench.byId.get(s)?.has(id));
    const candidates = splits.flatMap((s) => bench.byId.get(s)?.get(id) ?? []);
    // The same id exists in both splits: the question text decides, else the text join below.
    const matching =
      candidates.length > 1 && row.question !== null
        ? candidates.filter((q) => norm(q.question) === norm(row.question))
        : candidates;
    if (matching.length === 1) return { q: matching[0] as Question, how: 'id' };
    if (stated && row.question !== null && row.choices && row.answer !== null && !bench.byId.get(stated)?.size)
      return {
        q: { split: stated, id, video: row.video, question: row.question, choices: row.choices, answer: row.answer },
        how: 'copy',
      };
  }
  if (row.question !== null && row.choices) {
    const hits = (bench.byText.get(textKey(row.question, row.choices)) ?? []).filter(
      (q) => !(row.split ?? run.split) || q.split === (row.split ?? run.split),
    );
    if (hits.length === 1) return { q: hits[0] as Question, how: 'text' };
    if (hits.length > 1) return `question text and options match ${hits.length} benchmark questions`;
  }
  if (!bench.files.length) return 'no benchmark file (data/real_mc.json, data/synthetic_mc.json) to join to';
  if (row.id !== null) return 'id not in the benchmark (or in both splits, with no split stated)';
  return row.question !== null
    ? 'question text and options match no benchmark question'
    : 'no id and no question text to join by';
}

export function joinRows(rows: readonly HarnessRow[], run: HarnessRun, bench: Benchmark): Joined {
  const out: Joined = { bySplit: new Map(), byId: 0, byText: 0, byCopy: 0, unjoined: new Map() };
  rows.forEach((row, i) => {
    const p = place(row, run, bench);
    if (typeof p === 'string') {
      const list = out.unjoined.get(p);
      if (list) list.push(i);
      else out.unjoined.set(p, [i]);
      return;
    }
    const { q, how } = p;
    out[how === 'id' ? 'byId' : how === 'text' ? 'byText' : 'byCopy']++;
    // The record's own ground truth is what its verdict was made against; the benchmark's otherwise.
    const truth = row.answer ?? q.answer;
    const rec: Record<string, unknown> = {
      id: q.id,
      question: q.question,
      choices: q.choices,
      response: row.response,
      ground_truth_answer: truth,
      video: q.video ?? row.video,
    };
    if (row.correct !== null) rec.correct = row.correct;
    if (row.extracted !== null) rec.extracted_answer = row.extracted;
    else if (row.correct !== null) {
      // A verdict without the harness's reading of the response: the letter shown as chosen is the rule's.
      const letter = readAnswer(row.response, q.choices).letter;
      rec.extracted_answer = letter ?? 'No Valid Answer';
      rec.extracted_by = 'the answer-reading rule (the file holds no extracted answer)';
    }
    if (row.judge !== null) rec.judge = row.judge;
    for (const [k, v] of Object.entries(row.extras)) if (!(k in rec)) rec[k] = v;
    let list = out.bySplit.get(q.split);
    if (!list) out.bySplit.set(q.split, (list = []));
    list.push(rec);
  });
  return out;
}

// lmms-eval's per-sample logs, every generation (see docs/harness-formats.md):
//   <= 0.2.0   <run-folder>/<task>.json = {args, model_configs, logs: [...], time}, beside results.json
//   >= 0.2.4   <model>/<date>_samples_<task>.jsonl, beside <date>_results.json
// A sample holds doc_id, target, filtered_resps (resps only when they differ), doc and arguments up to 0.3,
// and one key per metric whose value is a number or a dict (often a copy of the question record with the
// prediction and a 0/1 score). The results file gives the model, the task's config and frame settings.
import * as fs from 'fs';
import * as path from 'path';
import type { PromptMode } from '../model';
import { parseRecords } from '../parse';
import type { HarnessRow, HarnessRun } from './harnessRow';
import {
  choicesOf,
  promptModeOfName,
  samplingOfName,
  splitOfName,
  splitOfValue,
  splitOfVideo,
  verdictOf,
} from './harnessRow';
import { answerText } from './vlmEvalKit';

/** Fields lmms-eval itself writes into a sample; every other key is a metric. */
const SAMPLE_FIELDS = new Set([
  'doc_id',
  'doc',
  'target',
  'arguments',
  'resps',
  'filtered_resps',
  'doc_hash',
  'prompt_hash',
  'target_hash',
  'input',
  'token_counts',
  'input_media',
  'filter',
  'metrics',
]);
/** Where a metric's dict keeps its verdict, in the order they are looked for. */
const VERDICT_FIELDS = ['correct', 'accuracy', 'acc', 'result', 'score', 'hit', 'is_correct'];
const EXTRACTED_FIELDS = ['pred_letter', 'extracted_answer', 'pred_answer', 'parsed_pred', 'pred_option'];
const MAX_CONFIG_BYTES = 64 * 1024 * 1024;

export const SAMPLES_FILE = /^(.+?)_samples_(.+)\.jsonl$/;

/** The results file that describes a samples file, and the task's name. */
export function lmmsEvalCompanion(filePath: string): { results: string; task: string } {
  const base = path.basename(filePath);
  const m = SAMPLES_FILE.exec(base);
  if (m) return { results: path.join(path.dirname(filePath), `${m[1]}_results.json`), task: m[2] as string };
  return { results: path.join(path.dirname(filePath), 'results.json'), task: base.replace(/\.json$/, '') };
}

function readConfig(file: string): Record<string, unknown> {
  try {
    if (fs.statSync(file).size > MAX_CONFIG_BYTES) return {};
    const v = JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

const obj = (v: unknown): Record<string, unknown> =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
const text = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/** `pretrained=org/Name,max_frames_num=32` → `Name`; a model path's last part. */
function modelOfArgs(args: unknown): string | null {
  const s = typeof args === 'string' ? args : null;
  const m = s && /(?:^|,)\s*(?:pretrained|model|model_version|model_name|model_id|path|engine)=([^,]+)/.exec(s);
  return m ? lastPart(m[1] as string) : null;
}
const lastPart = (s: string): string =>
  s
    .replace(/[/\\]+$/, '')
    .split(/[/\\]/)
    .pop() as string;

/** Frames or fps stated in model args (a `k=v,k=v` string) or a config object, as `32frame` / `1fps`. */
export function samplingOfConfig(...sources: unknown[]): string | null {
  const keys =
    /(?:^|[,{"\s])"?(max_frames_num|max_num_frames|num_frames|frames_num|nframes|num_frm|max_frames|fps)"?\s*[=:]\s*"?(\d+(?:\.\d+)?)/;
  for (const src of sources) {
    const s = typeof src === 'string' ? src : src && typeof src === 'object' ? JSON.stringify(src) : '';
    const m = keys.exec(s);
    if (m) return m[1] === 'fps' ? `${m[2]}fps` : `${m[2]}frame`;
  }
  return null;
}

/** A `prompt_mode` (or `prompt_type`) value anywhere in a task's config. */
function promptModeOfConfig(config: unknown): PromptMode | null {
  const m = /"prompt_(?:mode|type)"\s*:\s*"([^"]{1,64})"/.exec(JSON.stringify(config ?? {}));
  return m ? promptModeOfName(m[1] as string) : null;
}

export function lmmsEvalRun(filePath: string): HarnessRun {
  const { results, task } = lmmsEvalCompanion(filePath);
  const r = readConfig(results);
  const config = obj(r.config);
  const taskConfig = obj(r.configs)[task];
  const dir = path.basename(path.dirname(filePath));
  const model =
    (text(r.model_name) && lastPart(r.model_name as string)) ||
    modelOfArgs(config.model_args) ||
    (text(r.model_name_sanitized) ?? dir).split('__').pop() ||
    dir;
  const label = samplingOfConfig(config.model_args, taskConfig) ?? samplingOfName(task)?.label ?? '';
  return {
    task,
    model,
    samplingLabel: label,
    sampling: samplingOfName(label)?.sampling ?? { kind: 'unknown' },
    promptMode: promptModeOfName(task) ?? promptModeOfConfig(taskConfig) ?? 'unspecified',
    split: splitOfName(task),
  };
}

/** The samples of a file: JSON Lines (>= 0.2.4) or the older `{logs: [...]}`. */
export function lmmsEvalSamples(
  text: string,
  jsonLines: boolean,
): { ok: true; samples: unknown[]; warnings: string[] } | { ok: false; reason: string } {
  if (jsonLines) {
    const p = parseRecords(text, true);
    return p.ok ? { ok: true, samples: p.value, warnings: p.warnings } : p;
  }
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    return { ok: false, reason: `invalid JSON: ${(e as Error).message.replace(/,?\s*".*$/s, '')}` };
  }
  const logs = obj(v).logs;
  if (!Array.isArray(logs)) return { ok: false, reason: "not an lmms-eval samples file (no 'logs' list)" };
  return { ok: true, samples: logs, warnings: [] };
}

/** The first text in a (possibly nested) list of responses. */
function firstText(v: unknown, depth = 0): string | null {
  if (typeof v === 'string') return v;
  if (Array.isArray(v) && depth < 4)
    for (const x of v) {
      const t = firstText(x, depth + 1);
      if (t !== null) return t;
    }
  return null;
}

export function lmmsEvalRow(sample: unknown): HarnessRow | string {
  const s = obj(sample);
  if (!Object.keys(s).length) return 'sample is not an object';
  const response = firstText(s.filtered_resps) ?? firstText(s.resps);
  if (response === null) return "sample has no response text (no 'filtered_resps' or 'resps')";
  const doc = obj(s.doc);
  const extras: Record<string, unknown> = {};
  let copy: Record<string, unknown> = {};
  let correct: boolean | null = null;
  let judge: string | null = null;
  for (const key of Object.keys(s)) {
    if (SAMPLE_FIELDS.has(key)) continue;
    const v = s[key];
    extras[key] = v;
    if (correct !== null) continue;
    const d = obj(v);
    const field = VERDICT_FIELDS.find((f) => verdictOf(d[f]) !== null);
    if (field) {
      correct = verdictOf(d[field]);
      judge = `${key}.${field}`;
      copy = d;
    } else if (verdictOf(v) !== null && typeof v !== 'string') {
      correct = verdictOf(v);
      judge = key;
    } else if (!Object.keys(copy).length && Object.keys(d).length) copy = d;
  }
  if (s.target !== undefined) extras.target = s.target;
  if (s.doc_id !== undefined) extras.doc_id = s.doc_id;
  const pick = (...names: string[]): unknown => {
    for (const n of names) for (const src of [copy, doc]) if (src[n] !== undefined && src[n] !== null) return src[n];
    return undefined;
  };
  const choices = choicesOf(copy) ?? choicesOf(doc);
  const video = text(pick('video', 'video_path', 'video_url'));
  const id = pick('id', 'question_id', 'qid');
  const extracted = pick(...EXTRACTED_FIELDS);
  return {
    id: typeof id === 'string' || typeof id === 'number' ? String(id) : null,
    split: splitOfValue(pick('split')) ?? splitOfVideo(video),
    question: text(pick('question')),
    choices,
    answer: answerText(pick('answer', 'ground_truth_answer', 'gt_answer', 'gt_letter'), choices),
    video,
    response,
    extracted: typeof extracted === 'string' || typeof extracted === 'number' ? String(extracted) : null,
    correct,
    judge,
    extras,
  };
}

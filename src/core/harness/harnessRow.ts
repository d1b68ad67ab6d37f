// What a harness's per-sample record says, in one shape whatever the harness and its version: read by
// lmmsEval.ts and vlmEvalKit.ts, joined to the benchmark by vlm4dJoin.ts. Nothing here is VLM4D-specific
// but the names of the splits.
import type { ChoiceLetter, ChoiceValue, Choices, FrameSampling, PromptMode, Split } from '../model';
import { CHOICE_LETTERS } from '../model';
import { parseSampling } from '../discovery';

export interface HarnessRow {
  /** The question's id when the record holds one (`validation_12`). */
  id: string | null;
  /** The split when the record says it (a `split` field, or the clip's `videos_real/` path). */
  split: Split | null;
  question: string | null;
  choices: Choices | null;
  /** The ground truth as the choice's text. */
  answer: ChoiceValue | null;
  video: string | null;
  response: string;
  /** The harness's reading of the response (a letter, or a choice), when it wrote one. */
  extracted: string | null;
  /** The verdict the file holds, and the metric or column it came from. */
  correct: boolean | null;
  judge: string | null;
  /** Every other field, shown in the detail view as the judge's fields. */
  extras: Record<string, unknown>;
}

/** What the file (and its config) says about the run. */
export interface HarnessRun {
  /** The task or dataset name, as the harness wrote it. */
  task: string;
  model: string;
  samplingLabel: string;
  sampling: FrameSampling;
  promptMode: PromptMode;
  /** The split the task name states, for records that do not say theirs. */
  split: Split | null;
}

/** `cot` / `direct-output` when the name says so (as a word: `vlm4d_real_cot`, `VLM4D-direct`), else null. */
export function promptModeOfName(name: string): PromptMode | null {
  const n = name.toLowerCase();
  if (/(^|[^a-z])(cot|chain[-_ ]?of[-_ ]?thought)([^a-z]|$)/.test(n)) return 'cot';
  if (/(^|[^a-z])direct([^a-z]|$)|direct[-_]?output|direct[-_]?answer/.test(n)) return 'direct-output';
  return null;
}

/** The split a task or dataset name states (`vlm4d_real`, `VLM4D_synthetic_32frame`), else null. */
export function splitOfName(name: string): Split | null {
  const n = name.toLowerCase();
  const real = /(^|[^a-z])real([^a-z]|$)/.test(n);
  const synth = /(^|[^a-z])(synthetic|synth)([^a-z]|$)/.test(n);
  return real === synth ? null : real ? 'real' : 'synthetic';
}

/** The split a clip's path or URL shows (the dataset keeps `videos_real/` and `videos_synthetic/`). */
export function splitOfVideo(video: string | null): Split | null {
  if (!video) return null;
  if (/(^|[/\\])videos_real[/\\]/.test(video)) return 'real';
  if (/(^|[/\\])videos_synthetic[/\\]/.test(video)) return 'synthetic';
  return null;
}

export function splitOfValue(v: unknown): Split | null {
  if (typeof v !== 'string') return null;
  const s = v.trim().toLowerCase();
  return s === 'real' ? 'real' : s === 'synthetic' || s === 'synth' ? 'synthetic' : null;
}

/** Frame sampling a name states as its last `_32frame` / `_1fps` part. */
export function samplingOfName(name: string): { label: string; sampling: FrameSampling } | null {
  const m = /(?:^|[_\-.])(\d+frames?|\d+(?:\.\d+)?fps)$/i.exec(name);
  if (!m) return null;
  const label = (m[1] as string).toLowerCase().replace(/frames$/, 'frame');
  return { label, sampling: parseSampling(label) };
}

/** A verdict as files write it: true/false, 1/0, "True"/"1"; -1 (VLMEvalKit: no answer found) is wrong. */
export function verdictOf(v: unknown): boolean | null {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v === 1 ? true : v === 0 || v === -1 ? false : null;
  if (typeof v === 'string') {
    const s = v.trim().toLowerCase();
    if (s === '1' || s === '1.0' || s === 'true') return true;
    if (s === '0' || s === '0.0' || s === '-1' || s === '-1.0' || s === 'false') return false;
  }
  return null;
}

/** Options A-D from an object's fields (`{A: .., B: ..}`, or `choices` / `options` as an object or list). */
export function choicesOf(rec: Record<string, unknown>): Choices | null {
  const out: Choices = {};
  let found = 0;
  const put = (letter: ChoiceLetter, v: unknown): void => {
    if ((typeof v === 'string' && v.trim() !== '') || (typeof v === 'number' && Number.isFinite(v))) {
      out[letter] = v;
      found++;
    }
  };
  const from = (src: unknown): void => {
    if (Array.isArray(src))
      src.slice(0, 4).forEach((v, i) => {
        put(CHOICE_LETTERS[i] as ChoiceLetter, typeof v === 'string' ? v.replace(/^\s*\(?[A-D][.):]\s*/, '') : v);
      });
    else if (src && typeof src === 'object')
      for (const l of CHOICE_LETTERS) put(l, (src as Record<string, unknown>)[l]);
  };
  from(rec.choices ?? rec.options);
  if (!found) from(rec);
  return found ? out : null;
}

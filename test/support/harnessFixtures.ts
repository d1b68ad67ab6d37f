// The committed harness fixtures (test/fixtures/harness, written by its generate.py from the writers it
// cites): each format's folder copied beside the fixture benchmark into a temp dir, and the predictions
// they all hold, read from predictions.json for expectations computed without the code under test.
import * as fs from 'fs';
import * as path from 'path';
import type { ResultIndex } from '../../src/core/index/resultIndex';
import { tempDir } from './fixtures';

export const HARNESS_FIXTURES = path.resolve(__dirname, '..', 'fixtures', 'harness');
export const MODEL = 'Qwen2.5-VL-7B';

/** Folders holding the same predictions; judged ones carry the judge's verdicts, raw ones none. */
export const JUDGED_FORMATS = [
  'lmms-eval-0.2.0',
  'lmms-eval-0.3',
  'lmms-eval-0.4',
  'vlmevalkit-xlsx',
  'vlmevalkit-hit',
];
export const RAW_FORMATS = ['vlmevalkit-tsv', 'vlmevalkit-json'];

export interface FixturePrediction {
  id: string;
  /** The letter the response states, null when it states none. */
  letter: string | null;
  correct: boolean;
}

export function fixturePredictions(): Record<'real' | 'synthetic', FixturePrediction[]> {
  return JSON.parse(fs.readFileSync(path.join(HARNESS_FIXTURES, 'predictions.json'), 'utf8')) as Record<
    'real' | 'synthetic',
    FixturePrediction[]
  >;
}

/** A temp folder holding `data/` and a copy of each named fixture folder. */
export function harnessFolder(...formats: string[]): string {
  const dir = tempDir('vlm4d-harness-');
  fs.cpSync(path.join(HARNESS_FIXTURES, 'data'), path.join(dir, 'data'), { recursive: true });
  for (const f of formats) fs.cpSync(path.join(HARNESS_FIXTURES, f), path.join(dir, f), { recursive: true });
  return dir;
}

/** Every prediction the index shows (all outcomes), as comparable tuples, sorted. */
export function indexedPredictions(index: ResultIndex, outcome: ('failed' | 'correct' | 'ungraded')[]): string[] {
  const r = index.query({ outcome, limit: 10_000 });
  return r.rows
    .map((p) => [p.key, p.split, p.qid, p.model, p.samplingLabel, p.promptMode, p.outcome, p.chosen ?? '-'].join(' '))
    .sort();
}

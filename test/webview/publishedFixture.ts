// The 23 published models at once, as a user who ran the authors' pipeline for all of them opens them: the
// benchmark's real question files (samples/vlm4d-published/data, 1,371 real and 445 synthetic questions) and one
// judged chain-of-thought file per model and split, named as the published files are, each answer right with the
// model's published accuracy on that split (bench/corpus.ts). The bundled samples hold four of the 23 models'
// files; the dashboard's layout needs all 23 names and numbers, not their responses.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { MODELS } from '../../bench/corpus';
import { ResultIndex } from '../../src/core/index/resultIndex';
import { loadSqlJs } from '../../src/core/index/sqlite';
import type { FixtureQuestion } from '../support/fixtures';
import { judge, tempDir, writeJson } from '../support/fixtures';

export const PUBLISHED_MODEL_COUNT = MODELS.length;

export async function publishedIndex(
  root: string,
): Promise<{ index: ResultIndex; dir: string; real: FixtureQuestion[]; synthetic: FixtureQuestion[] }> {
  const data = path.join(root, 'samples', 'vlm4d-published', 'data');
  const real = JSON.parse(fs.readFileSync(path.join(data, 'real_mc.json'), 'utf8')) as FixtureQuestion[];
  const synthetic = JSON.parse(fs.readFileSync(path.join(data, 'synthetic_mc.json'), 'utf8')) as FixtureQuestion[];
  const dir = tempDir('vlm4d-published-23-');
  writeJson(path.join(dir, 'data', 'real_mc.json'), real);
  writeJson(path.join(dir, 'data', 'synthetic_mc.json'), synthetic);
  MODELS.forEach((m, i) => {
    writeJson(
      path.join(dir, 'processed_outputs', 'real_mc_cot', `${m.stem}.json`),
      judge(real, 1000 + i, m.accReal / 100),
    );
    writeJson(
      path.join(dir, 'processed_outputs', 'synthetic_mc_cot', `${m.stem}.json`),
      judge(synthetic, 2000 + i, m.accSynthetic / 100),
    );
  });
  const index = new ResultIndex(await loadSqlJs(path.join(root, 'node_modules', 'sql.js', 'dist', 'sql-wasm.wasm')));
  index.setRoots([dir]);
  await index.sync();
  return { index, dir, real, synthetic };
}

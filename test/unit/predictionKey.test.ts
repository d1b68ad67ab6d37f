import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import {
  formatPredictionKey,
  parsePredictionKey,
  questionAnnotationKey,
  runStem,
} from '../../src/core/index/predictionKey';
import { MAX_PAGE_ROWS, clampPageLimit } from '../../src/core/index/query';
import { ResultIndex } from '../../src/core/index/resultIndex';
import { loadSqlJs } from '../../src/core/index/sqlite';
import { parseViewMessage } from '../../src/protocol/failuresValidate';
import { makeResultsFolder } from '../support/fixtures';

describe('prediction keys (predictionKey.ts)', () => {
  it('names every prediction by its split, prompt, file stem and question id, and finds it again by that key', async () => {
    const { dir } = makeResultsFolder();
    // A model name holding underscores, and a file name with no sampling part at all.
    const real = path.join(dir, 'processed_outputs', 'real_mc_cot');
    const source = fs.readdirSync(real)[0] as string;
    for (const name of ['my_model_v2_16frame.json', 'solo.json'])
      fs.copyFileSync(path.join(real, source), path.join(real, name));
    const index = new ResultIndex(await loadSqlJs());
    try {
      index.setRoots([dir]);
      await index.sync();
      const { rows, total } = index.query({ limit: MAX_PAGE_ROWS });
      assert.equal(rows.length, total);
      const stems = new Set<string>();
      for (const row of rows) {
        const file = index.prediction(row.id)?.filePath as string;
        // The key's run part is the result file's own name: computed here from the path, not by the index.
        const stem = path.basename(file, '.json');
        stems.add(stem);
        assert.equal(
          row.key,
          `${row.split}/${path.basename(path.dirname(file)).replace(/^[a-z]+_mc_/, '')}/${stem}/${row.qid}`,
        );
        assert.deepEqual(parsePredictionKey(row.key), {
          split: row.split,
          promptMode: row.promptMode,
          stem,
          qid: row.qid,
        });
        assert.equal(
          runStem(row.split, row.promptMode, row.model, row.samplingLabel),
          `${row.split}/${row.promptMode}/${stem}`,
        );
        assert.equal(index.predictionIdByKey(row.key), row.id);
      }
      assert.ok(stems.has('my_model_v2_16frame') && stems.has('solo'), [...stems].join(', '));
    } finally {
      index.close();
    }
  });

  it('keeps a model name with underscores whole, and leaves the sampling out when there is none', () => {
    const key = formatPredictionKey({
      split: 'synthetic',
      promptMode: 'direct-output',
      model: 'qwen_2_vl',
      samplingLabel: '1fps',
      qid: 'validation_7',
    });
    assert.equal(key, 'synthetic/direct-output/qwen_2_vl_1fps/validation_7');
    assert.deepEqual(parsePredictionKey(key), {
      split: 'synthetic',
      promptMode: 'direct-output',
      stem: 'qwen_2_vl_1fps',
      qid: 'validation_7',
    });
    assert.equal(
      formatPredictionKey({ split: 'real', promptMode: 'cot', model: 'solo', samplingLabel: '', qid: 'q1' }),
      'real/cot/solo/q1',
    );
    assert.equal(questionAnnotationKey('real', 'validation_3'), 'real/validation_3');
  });

  it('finds nothing in what is not shaped like a key', async () => {
    for (const bad of [
      '',
      'real',
      'real/cot/validation_1',
      'real/cot/m/',
      '/cot/m/validation_1',
      'real//m/validation_1',
    ]) {
      assert.equal(parsePredictionKey(bad), null, JSON.stringify(bad));
    }
    const index = new ResultIndex(await loadSqlJs());
    try {
      index.setRoots([makeResultsFolder().dir]);
      await index.sync();
      assert.equal(index.predictionIdByKey('real/cot/validation_1'), null);
      assert.equal(index.predictionIdByKey('real/cot/nobody_8frame/validation_1'), null);
    } finally {
      index.close();
    }
  });
});

describe('the largest page (query.ts MAX_PAGE_ROWS)', () => {
  it('is what the index serves and what the failures view may ask for', () => {
    assert.equal(clampPageLimit(undefined), 100);
    assert.equal(clampPageLimit(-5), 0);
    assert.equal(clampPageLimit(MAX_PAGE_ROWS), MAX_PAGE_ROWS);
    assert.equal(clampPageLimit(MAX_PAGE_ROWS + 1), MAX_PAGE_ROWS);
    const ask = (limit: number) => parseViewMessage({ type: 'query', requestId: 1, query: { limit } });
    assert.deepEqual(ask(MAX_PAGE_ROWS), { type: 'query', requestId: 1, query: { limit: MAX_PAGE_ROWS } });
    assert.equal(ask(MAX_PAGE_ROWS + 1), null);
  });
});

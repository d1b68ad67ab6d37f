// The dashboard's chain-of-thought vs direct-output section over results whose prompt mode is unspecified
// (a harness task named without cot or direct): they fit neither side, and the section says how many there
// are and whose, instead of leaving them out silently. The count is checked against the index's own query.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ResultIndex } from '../../src/core/index/resultIndex';
import { loadSqlJs } from '../../src/core/index/sqlite';
import { tempDir } from '../support/fixtures';
import { dataMessage, openDashboard } from './dashboard.test';
import { env } from './harness';

/** The authors' judged run as chain of thought and (a copy) as direct output, and an lmms-eval task named `vlm4d`. */
async function mixedIndex(): Promise<ResultIndex> {
  const fixtures = path.join(env.root, 'test', 'fixtures', 'harness');
  const dir = tempDir('vlm4d-cot-unspecified-');
  for (const f of ['data', 'authors-judged', 'lmms-eval-0.4'])
    fs.cpSync(path.join(fixtures, f), path.join(dir, f), { recursive: true });
  const outputs = path.join(dir, 'authors-judged', 'processed_outputs');
  for (const split of ['real', 'synthetic'])
    fs.cpSync(path.join(outputs, `${split}_mc_cot`), path.join(outputs, `${split}_mc_direct-output`), {
      recursive: true,
    });
  const samples = path.join(dir, 'lmms-eval-0.4', 'Qwen__Qwen2.5-VL-7B');
  fs.renameSync(
    path.join(samples, '20251101_093000_samples_vlm4d_cot.jsonl'),
    path.join(samples, '20251101_093000_samples_vlm4d.jsonl'),
  );
  const SQL = await loadSqlJs(path.join(env.root, 'node_modules', 'sql.js', 'dist', 'sql-wasm.wasm'));
  const index = new ResultIndex(SQL);
  index.setRoots([dir]);
  await index.sync();
  return index;
}

export function registerCotUnspecifiedTests(): void {
  describe('dashboard: chain of thought vs direct output with unspecified prompt modes', () => {
    it('names the graded predictions of unspecified prompt mode with their count, beside the chart of the other two', async () => {
      const index = await mixedIndex();
      const d = await openDashboard();
      try {
        const unspecified = index.query({ promptMode: ['unspecified'], grader: ['judge', 'rule'], limit: 0 }).total;
        assert.ok(unspecified > 0);
        assert.ok(index.query({ promptMode: ['direct-output'], limit: 0 }).total > 0);
        const from = d.received.length;
        await d.send(dataMessage(index));
        await d.waitFor((m) => m.type === 'rendered', from);
        // The comparison itself: chain of thought and direct output only.
        await d.page.locator('canvas#cot-direct-chart').waitFor();
        const note = (await d.page.locator('#cot-unspecified').textContent()) ?? '';
        assert.match(
          note,
          new RegExp(
            `^Not compared: ${unspecified} graded predictions of Qwen2\\.5-VL-7B with an unspecified prompt mode`,
          ),
        );
        assert.match(note, /"unspecified"/);
      } finally {
        await d.close();
        index.close();
      }
    });
  });
}

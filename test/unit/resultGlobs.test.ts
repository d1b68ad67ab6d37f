import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
// The glob matcher mocha and eslint use: the same syntax as the editor's globs for `**`, `{a,b}` and `[..]`.
import { minimatch } from 'minimatch';
import { discover } from '../../src/core/discovery';
import { probeForResults } from '../../src/core/resultsProbe';
import { RESULT_GLOBS, SKIP_DIRS, SKIP_GLOB, WATCH_GLOB } from '../../src/core/resultGlobs';
import { tempDir } from '../support/fixtures';
import { harnessFolder } from '../support/harnessFixtures';

const OUTPUT_DIRS = ['out', 'output', 'logs', 'results'];
const SKIPPED = ['node_modules', '.git', '__pycache__', '.venv', '.mypy_cache', 'dist'];

/** The harness fixtures' files (lmms-eval 0.4 and VLMEvalKit), relative to their folder, as discover finds them. */
function harnessFiles(): { dir: string; files: string[] } {
  const dir = harnessFolder('lmms-eval-0.4', 'vlmevalkit-tsv');
  const files = discover(dir)
    .files.filter((f) => f.harness)
    .map((f) => path.relative(dir, f.path))
    .sort();
  return { dir, files };
}

describe('results under output folders (out/, logs/, results/): found; dependencies and caches: not walked', () => {
  it('discovers harness outputs under out/, output/, logs/ and results/, and nothing under node_modules, .git or caches', () => {
    const { dir, files } = harnessFiles();
    assert.ok(files.length >= 3, files.join());
    for (const sub of [...OUTPUT_DIRS, ...SKIPPED])
      for (const f of ['lmms-eval-0.4', 'vlmevalkit-tsv'])
        fs.cpSync(path.join(dir, f), path.join(dir, sub, f), { recursive: true });
    const found = discover(dir)
      .files.filter((f) => f.harness)
      .map((f) => path.relative(dir, f.path))
      .sort();
    const expected = [...files, ...OUTPUT_DIRS.flatMap((sub) => files.map((f) => path.join(sub, f)))].sort();
    assert.deepEqual(found, expected);
  });

  it("the editor's globs and the folder probe agree with discovery: harness files are watched and found, skipped folders excluded", async () => {
    const { files } = harnessFiles();
    for (const sub of OUTPUT_DIRS)
      for (const f of files) {
        const p = path.join(sub, f).split(path.sep).join('/');
        assert.ok(minimatch(p, WATCH_GLOB, { dot: true }), `watched: ${p}`);
        assert.ok(!minimatch(p, SKIP_GLOB, { dot: true }), `not excluded: ${p}`);
        // The per-sample files of a VLM4D task or dataset make a folder a results folder, for the editor's
        // search and for the walk that answers first (resultsProbe.ts).
        if (/vlm4d/i.test(path.basename(p))) {
          assert.ok(
            RESULT_GLOBS.some((g) => minimatch(p, g, { dot: true })),
            `a results folder: ${p}`,
          );
          const dir = tempDir();
          fs.mkdirSync(path.join(dir, path.dirname(p)), { recursive: true });
          fs.writeFileSync(path.join(dir, p), '');
          assert.equal(await probeForResults(dir), true, `probed: ${p}`);
        }
      }
    for (const sub of SKIP_DIRS) {
      const dir = tempDir();
      fs.mkdirSync(path.join(dir, sub, 'm'), { recursive: true });
      fs.writeFileSync(path.join(dir, sub, 'm', '2025_samples_vlm4d_cot.jsonl'), '');
      assert.equal(await probeForResults(dir), false, `not probed under ${sub}`);
    }
    for (const sub of SKIP_DIRS) assert.ok(minimatch(`a/${sub}/b/x.jsonl`, SKIP_GLOB, { dot: true }), sub);
    // Another benchmark's samples file alone does not activate the extension.
    assert.ok(!RESULT_GLOBS.some((g) => minimatch('out/m/2025_samples_mvbench_action.jsonl', g, { dot: true })));
  });
});

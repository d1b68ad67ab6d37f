import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { probeForResults } from '../../src/core/resultsProbe';
import { tempDir, writeJson } from '../support/fixtures';

const manifest = JSON.parse(fs.readFileSync(path.resolve(__dirname, '..', '..', 'package.json'), 'utf8')) as {
  activationEvents: string[];
};

describe('finding out cheaply whether a folder holds results', () => {
  it('finds result files, questions files and the labels file at any depth, and nothing in an unrelated folder', async () => {
    const none = tempDir();
    writeJson(path.join(none, 'src', 'config.json'), {});
    writeJson(path.join(none, 'node_modules', 'x', 'real_mc_cot', 'a.json'), []);
    writeJson(path.join(none, 'mc_cot', 'a.json'), []);
    fs.writeFileSync(path.join(none, 'real_mc_cot.txt'), '');
    assert.equal(await probeForResults(none), false, 'walked to the end: none');
    for (const rel of [
      'a/b/c/processed_outputs/real_mc_cot/m_8frame.json',
      'x/outputs/synthetic_mc_direct-output/m_1fps.jsonl',
      'deep/data/real_mc.json',
      'vlm4d-labels.json',
    ]) {
      const dir = tempDir();
      fs.cpSync(none, dir, { recursive: true });
      writeJson(path.join(dir, rel), []);
      assert.equal(await probeForResults(dir), true, rel);
    }
  });

  it('leaves the decision to the editor past its budget of folders or at a symbolic link', async () => {
    const wide = tempDir();
    for (let i = 0; i < 30; i++) fs.mkdirSync(path.join(wide, `d${i}`, 'e'), { recursive: true });
    assert.equal(await probeForResults(wide, 20), undefined, 'over budget');
    assert.equal(await probeForResults(wide), false, 'within the default budget');
    const linked = tempDir();
    const target = tempDir();
    writeJson(path.join(target, 'real_mc_cot', 'm_8frame.json'), []);
    fs.symlinkSync(target, path.join(linked, 'results'));
    assert.equal(await probeForResults(linked), undefined, 'a link is not followed');
  });

  it('activates without a search over the whole workspace: exact names, else once the editor has started', () => {
    const events = manifest.activationEvents;
    assert.deepEqual(
      events.filter((e) => e.startsWith('workspaceContains:') && /[*?{[]/.test(e)),
      [],
      'a glob makes the editor search the whole folder before activating',
    );
    assert.ok(events.includes('onStartupFinished'), 'results in any other layout are found after startup');
  });
});

import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { discover } from '../../src/core/discovery';
import { ResultIndex } from '../../src/core/index/resultIndex';
import { loadSqlJs } from '../../src/core/index/sqlite';
import { judge, makeResultsFolder, realQuestions, tempDir, writeJson } from '../support/fixtures';

// Symbolic links are followed only to places inside the folders being indexed, each folder once; a link
// elsewhere (another project, `/`) is noted and not followed. File names that are not valid UTF-8 get a
// true reason.

const rel = (root: string, files: { path: string }[]): string[] => files.map((f) => path.relative(root, f.path)).sort();

describe('discovery: symbolic links and file names', () => {
  it('follows a link to a folder inside the root once, under the link path', () => {
    const dir = tempDir();
    // A run stored under another name, linked into the layout.
    writeJson(path.join(dir, 'store', 'run7', 'm_8frame.json'), judge(realQuestions(), 1, 0.5));
    fs.mkdirSync(path.join(dir, 'processed_outputs'), { recursive: true });
    fs.symlinkSync(path.join(dir, 'store', 'run7'), path.join(dir, 'processed_outputs', 'real_mc_cot'));
    const d = discover(dir);
    assert.deepEqual(rel(dir, d.files), [path.join('processed_outputs', 'real_mc_cot', 'm_8frame.json')]);
    assert.deepEqual(d.problems, []);
  });

  it('does not follow links outside the root (a folder, a file, the whole disk), and says so', () => {
    const dir = tempDir();
    const elsewhere = tempDir();
    writeJson(path.join(elsewhere, 'real_mc_cot', 'outside_8frame.json'), judge(realQuestions(), 1, 0.5));
    writeJson(path.join(dir, 'processed_outputs', 'real_mc_cot', 'inside_8frame.json'), judge(realQuestions(), 2, 0.5));
    fs.symlinkSync(elsewhere, path.join(dir, 'other-project'));
    fs.symlinkSync('/', path.join(dir, 'disk'));
    fs.symlinkSync(
      path.join(elsewhere, 'real_mc_cot', 'outside_8frame.json'),
      path.join(dir, 'processed_outputs', 'real_mc_cot', 'linked_8frame.json'),
    );
    const d = discover(dir);
    assert.deepEqual(rel(dir, d.files), [path.join('processed_outputs', 'real_mc_cot', 'inside_8frame.json')]);
    const real = fs.realpathSync(elsewhere);
    assert.deepEqual(d.problems.map((p) => [path.relative(dir, p.path), p.severity, p.reason]).sort(), [
      ['disk', 'warning', 'not followed: a symbolic link to /, outside the folders being indexed'],
      ['other-project', 'warning', `not followed: a symbolic link to ${real}, outside the folders being indexed`],
      [
        path.join('processed_outputs', 'real_mc_cot', 'linked_8frame.json'),
        'warning',
        `not followed: a symbolic link to ${path.join(real, 'real_mc_cot', 'outside_8frame.json')}, outside the folders being indexed`,
      ],
    ]);
  });

  it('follows a link into another folder being indexed', () => {
    const a = tempDir();
    const b = tempDir();
    writeJson(path.join(b, 'runs', 'x_8frame.json'), judge(realQuestions(), 1, 0.5));
    fs.mkdirSync(path.join(a, 'processed_outputs'), { recursive: true });
    fs.symlinkSync(path.join(b, 'runs'), path.join(a, 'processed_outputs', 'real_mc_cot'));
    assert.equal(discover(a).files.length, 0);
    assert.deepEqual(rel(a, discover(a, undefined, [fs.realpathSync(a), fs.realpathSync(b)]).files), [
      path.join('processed_outputs', 'real_mc_cot', 'x_8frame.json'),
    ]);
  });

  it('ends on loops of links and finds each file once', () => {
    const { dir, judged } = makeResultsFolder();
    fs.symlinkSync('..', path.join(dir, 'processed_outputs', 'up'));
    fs.symlinkSync('.', path.join(dir, 'processed_outputs', 'real_mc_cot', 'self'));
    fs.symlinkSync(path.join(dir, 'loop-b'), path.join(dir, 'loop-a'));
    fs.symlinkSync(path.join(dir, 'loop-a'), path.join(dir, 'loop-b'));
    const d = discover(dir);
    assert.equal(d.files.filter((f) => f.kind !== 'questions').length, judged.size);
    assert.deepEqual(d.problems, []);
  });

  it('gives a file whose name is not valid UTF-8 a true reason, and indexes the rest', async () => {
    const { dir, judged } = makeResultsFolder();
    const folder = path.join(dir, 'processed_outputs', 'real_mc_cot');
    // "mod\xe9le_8frame.json": Latin-1 bytes, as an old tool might write them.
    const name = Buffer.concat([Buffer.from('mod'), Buffer.from([0xe9]), Buffer.from('le_8frame.json')]);
    fs.writeFileSync(
      Buffer.concat([Buffer.from(folder + path.sep), name]),
      JSON.stringify(judge(realQuestions(), 3, 0.5)),
    );
    const badFolder = Buffer.concat([Buffer.from(path.join(dir, 'runs-')), Buffer.from([0xff])]);
    fs.mkdirSync(badFolder);
    const index = new ResultIndex(await loadSqlJs());
    index.setRoots([dir]);
    const report = await index.sync();
    assert.equal(
      report.counts.predictions,
      [...judged.values()].reduce((n, r) => n + r.length, 0),
    );
    assert.deepEqual(
      report.problems.map((p) => [path.relative(dir, p.path), p.reason]).sort(),
      [
        [
          path.join('processed_outputs', 'real_mc_cot', 'mod\ufffdle_8frame.json'),
          'file not read: its name is not valid UTF-8 (bytes 6d 6f 64 e9 6c 65 5f 38 66 72 61 6d 65 2e 6a 73 6f 6e); rename it to index it',
        ],
        [
          'runs-\ufffd',
          'folder not searched: its name is not valid UTF-8 (bytes 72 75 6e 73 2d ff); rename it to index what it holds',
        ],
      ].sort(),
    );
    index.close();
  });
});

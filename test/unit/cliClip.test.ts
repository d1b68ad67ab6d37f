// `vlm4d clip FOLDER KEY`: the detail view's clip resolution, explained, from the built CLI as users run it.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { videoCacheKey } from '../../src/core/clips';
import { makeResultsFolder, realQuestions, tempDir, writeJson } from '../support/fixtures';

const CLI = path.resolve(__dirname, '..', '..', 'dist', 'cli.js');

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

interface Answer {
  found: boolean;
  path?: string;
  via?: string;
  tried: { path: string; result: string; reason?: string; realPath?: string }[];
}

/** The key of the first failed prediction of question `qid`, as `failures --json` prints it. */
function keyOf(dir: string, qid: string): string {
  const rows = (
    JSON.parse(cli('failures', dir, '--split', 'real', '--limit', '1000', '--json').stdout) as {
      rows: { key: string; qid: string }[];
    }
  ).rows;
  const row = rows.find((r) => r.qid === qid);
  assert.ok(row, `a failure of ${qid}`);
  return row.key;
}

function touch(p: string): string {
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, 'x');
  return p;
}

describe('the clip command', () => {
  before(function () {
    if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build first`);
  });

  it('finds the clip in a clip root, after saying why each earlier place was not taken', () => {
    const { dir } = makeResultsFolder();
    const q = realQuestions()[1] as { id: string; video: string };
    const key = keyOf(dir, q.id);
    const roots = tempDir();
    const dataset = q.video.split('/resolve/main/')[1] as string;
    // Nothing yet: every place is missing, exit 1.
    const none = cli('clip', dir, key, '--clip-root', roots, '--json');
    assert.equal(none.code, 1, none.stderr);
    const missing = JSON.parse(none.stdout) as Answer;
    assert.equal(missing.found, false);
    assert.deepEqual(
      missing.tried.map((t) => [t.path, t.result]),
      [
        [path.join(roots, ...dataset.split('/')), 'missing'],
        [path.join(dir, 'video_cache', videoCacheKey(q.video), 'video.mp4'), 'missing'],
        [path.join(dir, videoCacheKey(q.video), 'video.mp4'), 'missing'],
        [path.join(roots, 'video_cache', videoCacheKey(q.video), 'video.mp4'), 'missing'],
        [path.join(roots, videoCacheKey(q.video), 'video.mp4'), 'missing'],
      ],
    );
    // The clip mirrored below the clip root: found there, first.
    const clip = touch(path.join(roots, ...dataset.split('/')));
    const r = cli('clip', dir, key, '--clip-root', roots, '--json');
    assert.equal(r.code, 0, r.stderr);
    const found = JSON.parse(r.stdout) as Answer;
    assert.deepEqual(
      { found: found.found, path: found.path, via: found.via },
      { found: true, path: clip, via: 'clip:clip-root' },
    );
    // Text: one line per place tried, then what was found.
    const text = cli('clip', dir, key, '--clip-root', roots);
    assert.equal(text.code, 0, text.stderr);
    assert.deepEqual(text.stdout.trimEnd().split('\n'), [`found\t${clip}`, `found\t${clip}\tvia clip:clip-root`]);
  });

  it('refuses a clip outside FOLDER and the clip roots, says why and what would allow it', () => {
    const { dir } = makeResultsFolder();
    const outside = touch(path.join(tempDir(), 'elsewhere', 'x.mp4'));
    const qs = realQuestions().map((q, i) => (i === 1 ? { ...q, video: outside } : q));
    writeJson(path.join(dir, 'data', 'real_mc.json'), qs);
    const key = keyOf(dir, (qs[1] as { id: string }).id);
    const r = cli('clip', dir, key, '--json');
    assert.equal(r.code, 1, r.stderr);
    const a = JSON.parse(r.stdout) as Answer;
    assert.equal(a.found, false);
    assert.equal(a.tried[0]?.path, outside);
    assert.equal(a.tried[0]?.result, 'outside-allowed-folders');
    assert.match(a.tried[0]?.reason ?? '', /pass --clip-root with a folder that holds it to allow it/);
    // With its folder as a clip root it is allowed.
    const allowed = JSON.parse(cli('clip', dir, key, '--clip-root', path.dirname(outside), '--json').stdout) as Answer;
    assert.deepEqual(
      { found: allowed.found, path: allowed.path, via: allowed.via },
      { found: true, path: outside, via: 'clip:path-in-record' },
    );
  });

  it('an unknown key: a clear message and exit 2; wrong arguments: exit 2', () => {
    const { dir } = makeResultsFolder();
    const r = cli('clip', dir, 'real/cot/nobody_8frame/validation_1');
    assert.equal(r.code, 2);
    assert.match(
      r.stderr,
      /no prediction with the key "real\/cot\/nobody_8frame\/validation_1" in .*failures FOLDER --json/,
    );
    assert.equal(r.stdout, '');
    assert.equal(cli('clip', dir).code, 2);
  });

  it('prints no control character from the data: paths and reasons are escaped', () => {
    const { dir } = makeResultsFolder();
    const evil = 'clips/\u001b[2J\u001b]0;owned\u0007x\u009b31m\u007f.mp4';
    const qs = realQuestions().map((q, i) => (i === 1 ? { ...q, video: evil } : q));
    writeJson(path.join(dir, 'data', 'real_mc.json'), qs);
    const key = keyOf(dir, (qs[1] as { id: string }).id);
    // eslint-disable-next-line no-control-regex
    const controls = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;
    const text = cli('clip', dir, key);
    assert.equal(text.code, 1, text.stderr);
    assert.ok(!controls.test(text.stdout), JSON.stringify(text.stdout));
    assert.ok(text.stdout.includes('clips/\\x1b[2J\\x1b]0;owned\\x07x\\x9b31m\\x7f.mp4'), text.stdout);
    const json = cli('clip', dir, key, '--json');
    assert.ok(!controls.test(json.stdout), JSON.stringify(json.stdout));
    // The JSON still reads back as the path the record names.
    assert.equal((JSON.parse(json.stdout) as Answer).tried[0]?.path, path.join(dir, 'data', evil));
  });
});

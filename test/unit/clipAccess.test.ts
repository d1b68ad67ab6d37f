// A results file names its clips: whatever it names, a clip is only read from inside the allowed folders
// (results, workspace, clip roots), compared after symlinks, and only when it is a regular video file.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { allowedRoots, checkCandidate, resourceRoots } from '../../src/core/clipAccess';
import type { ClipSearch } from '../../src/core/clips';
import { resolveClip } from '../../src/core/clips';
import { tempDir } from '../support/fixtures';

const HF = 'https://huggingface.co/datasets/shijiezhou/VLM4D/resolve/main';

function touch(p: string, text = 'x'): string {
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, text);
  return p;
}

/** A results folder (with its questions file), a clip root, and files outside both. */
function layout() {
  const dir = fs.realpathSync(tempDir());
  const results = path.join(dir, 'results');
  const clips = path.join(dir, 'clips');
  const declaredIn = touch(path.join(results, 'data', 'real_mc.json'), '[]');
  const outside = touch(path.join(dir, 'outside', 'x.mp4'));
  const base: ClipSearch = { video: null, declaredIn, clipRoots: [clips], resultRoots: [results], allowRemote: false };
  return { dir, results, clips, declaredIn, outside, base };
}

describe('where clips may be read from', () => {
  it('refuses every attack from the issue, each with its reason, and still finds a real clip inside a root', async () => {
    const { dir, clips, outside, base } = layout();
    touch(path.join(dir, 'x.mp4'));
    const inRoot = touch(path.join(clips, 'videos_real', 'davis', 'ok.mp4'));
    fs.symlinkSync(outside, path.join(clips, 'videos_real', 'davis', 'link.mp4'));
    const attacks: { video: string; at: string }[] = [
      { video: '/etc/passwd', at: '/etc/passwd' },
      { video: '/', at: '/' },
      // From results/data/real_mc.json, two folders up: the folder that holds the results folder.
      { video: '../../x.mp4', at: path.join(dir, 'x.mp4') },
      { video: 'file:///tmp/x.mp4', at: '/tmp/x.mp4' },
      { video: pathToFileURL(outside).href, at: outside },
      // Decoded, the dataset path climbs out of the clip root: clips/videos_real/../../outside/x.mp4.
      { video: `${HF}/videos_real/..%2F..%2Foutside%2Fx.mp4`, at: outside },
      { video: `${HF}/videos_real/davis/link.mp4`, at: path.join(clips, 'videos_real', 'davis', 'link.mp4') },
    ];
    for (const { video, at } of attacks) {
      const found = await resolveClip({ ...base, video });
      assert.equal(found.kind, 'missing', `${video} must not be found: ${JSON.stringify(found)}`);
      const refusal = found.tried.find((t) => t.path === at);
      assert.ok(refusal, `${video}: ${at} is among the places tried: ${JSON.stringify(found.tried)}`);
      assert.equal(refusal.result, 'outside-allowed-folders', video);
      // It says where the clip was and which setting would allow it.
      assert.match(refusal.reason ?? '', /outside the allowed folders .*vlm4d\.clipRoots/, video);
      assert.ok(
        (refusal.reason ?? '').includes(base.resultRoots[0] as string),
        `${video}: the allowed folders are named`,
      );
      // Nothing tried was taken.
      assert.ok(
        found.tried.every((t) => t.result !== 'found'),
        video,
      );
    }
    // The symlink says where it really leads.
    const link = (await resolveClip({ ...base, video: `${HF}/videos_real/davis/link.mp4` })).tried[0];
    assert.equal(link?.realPath, outside);
    assert.match(link?.reason ?? '', new RegExp(`a symlink to ${outside.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}`));
    // The same dataset path to a real clip inside the root resolves.
    const ok = await resolveClip({ ...base, video: `${HF}/videos_real/davis/ok.mp4` });
    assert.equal(ok.kind, 'local');
    assert.equal(ok.kind === 'local' && ok.path, inRoot);
  });

  it('refuses what is not a regular video file, inside a root too: a folder, a named pipe, a text file', async () => {
    const { results, base } = layout();
    fs.mkdirSync(path.join(results, 'folder.mp4'));
    execFileSync('mkfifo', [path.join(results, 'pipe.mp4')]);
    touch(path.join(results, 'notes.txt'));
    const expect = {
      'folder.mp4': /not a regular file \(a folder\)/,
      'pipe.mp4': /not a regular file \(a named pipe\)/,
      'notes.txt': /not a video file/,
      'absent.mp4': /no such file/,
    };
    const results_ = {
      'folder.mp4': 'not-a-regular-file',
      'pipe.mp4': 'not-a-regular-file',
      'notes.txt': 'not-a-video',
      'absent.mp4': 'missing',
    };
    for (const [name, reason] of Object.entries(expect)) {
      const found = await resolveClip({ ...base, video: `../${name}` });
      assert.equal(found.kind, 'missing', name);
      assert.equal(found.tried[0]?.path, path.join(results, name));
      assert.equal(found.tried[0]?.result, results_[name as keyof typeof results_], name);
      assert.match(found.tried[0]?.reason ?? '', reason, name);
    }
  });

  it('takes a symlink that stays inside the allowed folders, and a root that is itself a symlink', async () => {
    const { dir, clips, results, base } = layout();
    const real = touch(path.join(clips, 'real.mp4'));
    fs.symlinkSync(real, path.join(results, 'alias.mp4'));
    const found = await resolveClip({ ...base, video: '../alias.mp4' });
    assert.equal(found.kind, 'local');
    // The path is the one inside the root as written (it keeps its extension); the check followed it.
    assert.equal(found.kind === 'local' && found.path, path.join(results, 'alias.mp4'));
    assert.equal(found.tried[0]?.realPath, real);
    // A clip root given as a symlink to the real folder: a clip below it is inside, and the webview is
    // allowed both the root as given and where it really is.
    const linkedRoot = path.join(dir, 'linked-clips');
    fs.symlinkSync(clips, linkedRoot);
    const roots = await allowedRoots([linkedRoot], 'hint');
    assert.equal((await checkCandidate(path.join(linkedRoot, 'real.mp4'), roots)).result, 'found');
    assert.deepEqual(resourceRoots(roots).sort(), [clips, linkedRoot].sort());
  });

  it('gives the webview the allowed roots only, never a clip folder, and a refusal names the hint it was given', async () => {
    const { results, clips, dir } = layout();
    const roots = await allowedRoots([results, clips, path.join(dir, 'no-such-folder')], 'pass --clip-root DIR');
    // A folder that does not exist is kept as given (nothing is inside it), with no realpath.
    assert.deepEqual(resourceRoots(roots).sort(), [results, clips, path.join(dir, 'no-such-folder')].sort());
    const refused = await checkCandidate('/etc/passwd', roots);
    assert.deepEqual(
      { result: refused.result, hint: refused.reason?.endsWith('pass --clip-root DIR to allow it') },
      { result: 'outside-allowed-folders', hint: true },
    );
    // A NUL in a path is refused before the file system sees it.
    assert.equal((await checkCandidate(path.join(results, 'a\0.mp4'), roots)).result, 'missing');
  });
});

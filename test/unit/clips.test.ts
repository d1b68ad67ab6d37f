import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import type { ClipLocation } from '../../src/core/clips';
import { datasetRelativePath, frameAtTime, resolveClip, seekTimeOfFrame, videoCacheKey } from '../../src/core/clips';
import { tempDir } from '../support/fixtures';

const URL = 'https://huggingface.co/datasets/shijiezhou/VLM4D/resolve/main/videos_real/davis/city-ride.mp4';

/** What a resolution found, without the list of places tried. */
function pick(found: ClipLocation): Record<string, unknown> {
  const rest: Record<string, unknown> = { ...found };
  delete rest.tried;
  return rest;
}

function touch(p: string): string {
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, 'x');
  return p;
}

describe('finding clips', () => {
  it('reads the dataset path from a Hugging Face URL or a local path', () => {
    assert.equal(datasetRelativePath(URL), 'videos_real/davis/city-ride.mp4');
    assert.equal(datasetRelativePath('/data/VLM4D/videos_synthetic/synth_001.mp4'), 'videos_synthetic/synth_001.mp4');
    assert.equal(datasetRelativePath('clip.mp4'), null);
  });

  it('keys the authors cache by the md5 of the full URL', () => {
    // Computed independently: python3 -c "import hashlib; print(hashlib.md5(URL.encode()).hexdigest())"
    assert.equal(videoCacheKey(URL), '00becb3fa2962c8e3c890125ed638371');
  });

  it('looks in order: the record path, the clip roots, the video cache; remote only when allowed', async () => {
    const dir = tempDir();
    const results = path.join(dir, 'results');
    const root = path.join(dir, 'clips');
    const search = {
      video: URL,
      declaredIn: path.join(results, 'data', 'real_mc.json'),
      clipRoots: [root],
      resultRoots: [results],
      allowRemote: false,
    };
    // Nothing on disk: it says where it looked, and why each place was not taken.
    const missing = await resolveClip(search);
    assert.equal(missing.kind, 'missing');
    const tried = new Map(missing.tried.map((t) => [t.path, t.result]));
    assert.equal(tried.get(path.join(root, 'videos_real', 'davis', 'city-ride.mp4')), 'missing');
    assert.equal(tried.get(path.join(results, 'video_cache', videoCacheKey(URL), 'video.mp4')), 'missing');
    // Remote when allowed, and only then.
    assert.deepEqual(pick(await resolveClip({ ...search, allowRemote: true })), {
      kind: 'remote',
      url: URL,
      rule: 'clip:remote-allowed',
    });
    // The authors' cache under the results folder.
    const cached = touch(path.join(results, 'video_cache', videoCacheKey(URL), 'video.mp4'));
    assert.deepEqual(pick(await resolveClip(search)), { kind: 'local', path: cached, rule: 'clip:video-cache' });
    // A clip root mirroring the dataset wins over the cache.
    const mirrored = touch(path.join(root, 'videos_real', 'davis', 'city-ride.mp4'));
    assert.deepEqual(pick(await resolveClip(search)), { kind: 'local', path: mirrored, rule: 'clip:clip-root' });
  });

  it('takes a relative path in the record from the file that holds it', async () => {
    const dir = tempDir();
    const clip = touch(path.join(dir, 'clips', 'moves-left.mp4'));
    const found = await resolveClip({
      video: '../clips/moves-left.mp4',
      declaredIn: path.join(dir, 'data', 'real_mc.json'),
      clipRoots: [],
      resultRoots: [dir],
      allowRemote: true,
    });
    assert.deepEqual(pick(found), { kind: 'local', path: clip, rule: 'clip:path-in-record' });
  });

  it('finds the bundled motion demo clips from its questions file', async () => {
    const demo = path.resolve(__dirname, '..', '..', 'samples', 'motion-demo');
    const questions = path.join(demo, 'data', 'real_mc.json');
    for (const q of JSON.parse(fs.readFileSync(questions, 'utf8')) as { video: string }[]) {
      const found = await resolveClip({
        video: q.video,
        declaredIn: questions,
        clipRoots: [],
        resultRoots: [demo],
        allowRemote: false,
      });
      assert.equal(found.kind, 'local', q.video);
    }
  });
});

describe('frame numbers and seek times', () => {
  it('seeks to the middle of a frame, so the frame shown after a seek is the one asked for', () => {
    const fps = 15;
    for (let n = 0; n < 45; n++) assert.equal(frameAtTime(seekTimeOfFrame(n, fps), fps, 45), n);
  });

  it('steps by exactly one frame', () => {
    const fps = 29.97;
    for (let n = 0; n < 100; n++)
      assert.equal(
        frameAtTime(seekTimeOfFrame(n + 1, fps), fps, 1000) - frameAtTime(seekTimeOfFrame(n, fps), fps, 1000),
        1,
      );
  });

  it('maps a time on a frame boundary to the frame that starts there, and clamps to the clip', () => {
    assert.equal(frameAtTime(1, 15, 45), 15);
    assert.equal(frameAtTime(0, 15, 45), 0);
    assert.equal(frameAtTime(3, 15, 45), 44);
    assert.equal(frameAtTime(-1, 15, 45), 0);
  });
});

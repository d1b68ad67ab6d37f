import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { finalAnswerSpan } from '../../src/core/answers';
import { framesGiven, probeMp4, probeMp4Bytes } from '../../src/core/videoProbe';
import { tempDir } from '../support/fixtures';

const CLIPS = path.join(__dirname, '..', '..', 'samples', 'motion-demo', 'clips');

describe('reading a clip header', () => {
  it('finds the frame rate and count the demo clips were made with (ffmpeg color source d=3:r=15)', () => {
    for (const name of ['moves-left.mp4', 'turns-clockwise.mp4']) {
      const info = probeMp4(path.join(CLIPS, name));
      assert.ok(info, name);
      assert.equal(info.frameCount, 45, name);
      assert.ok(Math.abs(info.fps - 15) < 1e-9, `${name}: ${info.fps}`);
      assert.ok(Math.abs(info.durationSeconds - 3) < 1e-9, `${name}: ${info.durationSeconds}`);
    }
  });

  it('returns null for a file that is not an MP4, a truncated one, or none at all', () => {
    const dir = tempDir();
    const text = path.join(dir, 'x.mp4');
    fs.writeFileSync(text, 'not a video');
    assert.equal(probeMp4(text), null);
    const whole = fs.readFileSync(path.join(CLIPS, 'moves-left.mp4'));
    assert.equal(probeMp4Bytes(whole.subarray(0, 64)), null);
    assert.equal(probeMp4(path.join(dir, 'missing.mp4')), null);
  });

  it('reads a clip again when it changed on disk (headers are kept per path, size and mtime)', () => {
    const dir = tempDir();
    const clip = path.join(dir, 'c.mp4');
    fs.copyFileSync(path.join(CLIPS, 'moves-left.mp4'), clip);
    const first = probeMp4(clip);
    assert.ok(first && first.frameCount > 0);
    assert.deepEqual(probeMp4(clip), first);
    fs.writeFileSync(clip, 'replaced by something that is not a video');
    assert.equal(probeMp4(clip), null);
  });

  it('marks the frames a run was given: 8 frames by numpy.linspace over 45 decoded frames', () => {
    // numpy.linspace(0, 44, 8, dtype=int) = [0, 6, 12, 18, 25, 31, 37, 44]
    const given = framesGiven({ kind: 'frames', count: 8 }, { fps: 15, frameCount: 45, durationSeconds: 3 });
    assert.deepEqual(given.frames, [0, 6, 12, 18, 25, 31, 37, 44]);
    assert.match(given.note, /8 frames given/);
    // 1 fps over 3 s: 3 frames, numpy.linspace(0, 44, 3, dtype=int) = [0, 22, 44]
    assert.deepEqual(framesGiven({ kind: 'fps', fps: 1, cap: 64 }, { fps: 15, frameCount: 45, durationSeconds: 3 }).frames, [0, 22, 44]);
    assert.equal(framesGiven({ kind: 'unknown' }, { fps: 15, frameCount: 45, durationSeconds: 3 }).frames, null);
    assert.equal(framesGiven({ kind: 'frames', count: 8 }, null).frames, null);
  });
});

describe('the final-answer sentence of a response', () => {
  const span = (r: string): string | null => {
    const s = finalAnswerSpan(r);
    return s && r.slice(s.start, s.end);
  };
  it('spans the last "final answer" sentence to the end of its line', () => {
    assert.equal(span('The car moves left.\nTherefore, the final answer is: B. left'), 'Therefore, the final answer is: B. left');
    assert.equal(span('So the answer is A.\nFinal Answer: **B**\n\nDone.'), 'Final Answer: **B**');
    assert.equal(span('Answer: C  '), 'Answer: C');
  });
  it('is null when the response states no answer', () => {
    assert.equal(span('I cannot tell from these frames.'), null);
    assert.equal(span(''), null);
  });
});

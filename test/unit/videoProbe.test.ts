import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { finalAnswerSpan } from '../../src/core/answers';
import { framesGiven, MAX_PROBE_BYTES, probeMp4, probeMp4Bytes, probeMp4File } from '../../src/core/videoProbe';
import { tempDir } from '../support/fixtures';

const ROOT = path.join(__dirname, '..', '..');
const CLIPS = path.join(ROOT, 'samples', 'motion-demo', 'clips');

/** The top-level boxes of an MP4: type, offset, size. */
function boxes(bytes: Buffer): { type: string; at: number; size: number }[] {
  const out = [];
  for (let at = 0; at + 8 <= bytes.length;) {
    const size = bytes.readUInt32BE(at);
    out.push({ type: bytes.toString('latin1', at + 4, at + 8), at, size });
    at += size;
  }
  return out;
}

describe('reading a clip header', () => {
  it('finds the frame rate and count the demo clips were made with (ffmpeg color source d=3:r=15)', async () => {
    for (const name of ['moves-left.mp4', 'turns-clockwise.mp4']) {
      const info = await probeMp4(path.join(CLIPS, name));
      assert.ok(info, name);
      assert.equal(info.frameCount, 45, name);
      assert.ok(Math.abs(info.fps - 15) < 1e-9, `${name}: ${info.fps}`);
      assert.ok(Math.abs(info.durationSeconds - 3) < 1e-9, `${name}: ${info.durationSeconds}`);
    }
  });

  it('returns null for a file that is not an MP4, a truncated one, or none at all', async () => {
    const dir = tempDir();
    const text = path.join(dir, 'x.mp4');
    fs.writeFileSync(text, 'not a video');
    assert.equal(await probeMp4(text), null);
    const whole = fs.readFileSync(path.join(CLIPS, 'moves-left.mp4'));
    assert.equal(probeMp4Bytes(whole.subarray(0, 64)), null);
    assert.equal(await probeMp4(path.join(dir, 'missing.mp4')), null);
  });

  it('reads a clip again when it changed on disk (headers are kept per path, size and mtime)', async () => {
    const dir = tempDir();
    const clip = path.join(dir, 'c.mp4');
    fs.copyFileSync(path.join(CLIPS, 'moves-left.mp4'), clip);
    const first = await probeMp4(clip);
    assert.ok(first && first.frameCount > 0);
    assert.deepEqual(await probeMp4(clip), first);
    fs.writeFileSync(clip, 'replaced by something that is not a video');
    assert.equal(await probeMp4(clip), null);
  });

  it('probes asynchronously: a named pipe and a device are refused at once, the thread never waits on them', function () {
    // In a child process with a deadline: a probe that blocked on the pipe (or read the device without end)
    // would be killed at the deadline and this test fail, instead of hanging the test run.
    this.timeout(60_000);
    const dir = tempDir();
    const fifo = path.join(dir, 'clip.mp4');
    execFileSync('mkfifo', [fifo]);
    const script = `
      const { probeMp4 } = require(${JSON.stringify(path.join(ROOT, 'src', 'core', 'videoProbe.ts'))});
      const pending = probeMp4(${JSON.stringify(fifo)});
      const isPromise = pending instanceof Promise;
      Promise.all([pending, probeMp4('/dev/zero'), probeMp4('/dev/null')]).then((r) => console.log(JSON.stringify({ isPromise, results: r })));
    `;
    const r = spawnSync(process.execPath, ['--require', 'tsx/cjs', '-e', script], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 30_000,
    });
    assert.equal(r.signal, null, `the probe did not return (killed at the deadline): ${r.stderr}`);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), { isPromise: true, results: [null, null, null] });
  });

  it('reads only the header boxes of a large clip, in bounded reads, wherever its moov is', async () => {
    // A 4 GB sparse file shaped like an unoptimised recording: ftyp, a huge mdat (64-bit size), then moov.
    const clip = fs.readFileSync(path.join(CLIPS, 'moves-left.mp4'));
    const layout = boxes(clip);
    const ftyp = layout.find((b) => b.type === 'ftyp');
    const moov = layout.find((b) => b.type === 'moov');
    assert.ok(ftyp && moov);
    const mdatSize = 2 ** 32 + 16;
    const file = path.join(tempDir(), 'large.mp4');
    const fd = fs.openSync(file, 'w');
    try {
      fs.writeSync(fd, clip, ftyp.at, ftyp.size, 0);
      const mdat = Buffer.alloc(16);
      mdat.writeUInt32BE(1, 0);
      mdat.write('mdat', 4, 'latin1');
      mdat.writeBigUInt64BE(BigInt(mdatSize), 8);
      fs.writeSync(fd, mdat, 0, 16, ftyp.size);
      fs.writeSync(fd, clip, moov.at, moov.size, ftyp.size + mdatSize);
    } finally {
      fs.closeSync(fd);
    }
    assert.ok(fs.statSync(file).size > 4 * 1024 ** 3);
    const { info, bytesRead } = await probeMp4File(file);
    assert.deepEqual(info, await probeMp4(path.join(CLIPS, 'moves-left.mp4')));
    // Three box headers (16 bytes each), ftyp and moov: nothing of the media data.
    assert.equal(bytesRead, 3 * 16 + ftyp.size + moov.size);
  });

  it('gives up within its byte cap on a file of endless tiny boxes or a moov larger than the cap', async () => {
    const dir = tempDir();
    const tiny = path.join(dir, 'tiny.mp4');
    const box = Buffer.alloc(8);
    box.writeUInt32BE(8, 0);
    box.write('free', 4, 'latin1');
    fs.writeFileSync(tiny, Buffer.concat(Array.from({ length: 5000 }, () => box)));
    const t = await probeMp4File(tiny);
    assert.equal(t.info, null);
    assert.ok(t.bytesRead <= 1000 * 16, `${t.bytesRead} bytes read`);
    const huge = path.join(dir, 'huge-moov.mp4');
    const head = Buffer.alloc(8);
    head.writeUInt32BE(MAX_PROBE_BYTES + 8, 0);
    head.write('moov', 4, 'latin1');
    fs.writeFileSync(huge, head);
    fs.truncateSync(huge, MAX_PROBE_BYTES + 8);
    const h = await probeMp4File(huge);
    assert.equal(h.info, null);
    assert.ok(h.bytesRead <= 16, `${h.bytesRead} bytes read`);
  });

  it('marks the frames a run was given: 8 frames by numpy.linspace over 45 decoded frames', () => {
    // numpy.linspace(0, 44, 8, dtype=int) = [0, 6, 12, 18, 25, 31, 37, 44]
    const given = framesGiven({ kind: 'frames', count: 8 }, { fps: 15, frameCount: 45, durationSeconds: 3 });
    assert.deepEqual(given.frames, [0, 6, 12, 18, 25, 31, 37, 44]);
    assert.match(given.note, /8 frames given/);
    // 1 fps over 3 s: 3 frames, numpy.linspace(0, 44, 3, dtype=int) = [0, 22, 44]
    assert.deepEqual(
      framesGiven({ kind: 'fps', fps: 1, cap: 64 }, { fps: 15, frameCount: 45, durationSeconds: 3 }).frames,
      [0, 22, 44],
    );
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
    assert.equal(
      span('The car moves left.\nTherefore, the final answer is: B. left'),
      'Therefore, the final answer is: B. left',
    );
    assert.equal(span('So the answer is A.\nFinal Answer: **B**\n\nDone.'), 'Final Answer: **B**');
    assert.equal(span('Answer: C  '), 'Answer: C');
  });
  it('is null when the response states no answer', () => {
    assert.equal(span('I cannot tell from these frames.'), null);
    assert.equal(span(''), null);
  });
});

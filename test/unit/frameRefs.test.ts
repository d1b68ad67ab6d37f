import * as assert from 'node:assert/strict';
import type { FrameRef, FrameRefContext } from '../../src/core/frameRefs';
import { frameReferences } from '../../src/core/frameRefs';

const eight: FrameRefContext = { sampledCount: 8, durationSeconds: 10 };
/** Each reference as the text it covers and what it points at, for readable expectations. */
const read = (text: string, ctx = eight) =>
  frameReferences(text, ctx).map((r: FrameRef) => [text.slice(r.start, r.end), r.kind, r.from, r.to] as const);

describe('frame and time references in a chain of thought', () => {
  it('reads ordinal images and frames as the k-th frame the model was given', () => {
    assert.deepEqual(
      read(
        'In the first frame the car is left; in the second image it moved; the 3rd picture and the last frame agree.',
      ),
      [
        ['first frame', 'sampled', 0, 0],
        ['second image', 'sampled', 1, 1],
        ['3rd picture', 'sampled', 2, 2],
        ['last frame', 'sampled', 7, 7],
      ],
    );
  });

  it('reads numbered frames and ranges, 1-based as models write them', () => {
    assert.deepEqual(read('1. **Frame 1**: starts. 2. **Frame 2-4**: turns. Image #6 and frames 7 to 8 end it.'), [
      ['Frame 1', 'sampled', 0, 0],
      ['Frame 2-4', 'sampled', 1, 3],
      ['Image #6', 'sampled', 5, 5],
      ['frames 7 to 8', 'sampled', 6, 7],
    ]);
  });

  it('takes no frame past those the model was given, and reads any when their number is unknown', () => {
    assert.deepEqual(read('Frame 9 and the tenth image', eight), []);
    assert.deepEqual(read('Frame 12-14', { sampledCount: null, durationSeconds: null }), [
      ['Frame 12-14', 'sampled', 11, 13],
    ]);
    assert.deepEqual(read('frames 5-3', eight), [], 'a backwards range names nothing');
  });

  it('reads times inside the clip, and clock positions as clock positions', () => {
    assert.deepEqual(read('Between 00:02-00:03 the dog turns; at 0:07.5 it stops.'), [
      ['00:02-00:03', 'time', 2, 3],
      ['0:07.5', 'time', 7.5, 7.5],
    ]);
    assert.deepEqual(
      read('The hand moves from the top (12:00) to the right (3:00), then down (6:00).'),
      [],
      'a 10-second clip has no 3:00',
    );
    assert.deepEqual(read('from 0:30 to 0:40', { sampledCount: null, durationSeconds: null }), [
      ['0:30 to 0:40', 'time', 30, 40],
    ]);
  });

  it('reads moments in seconds, not durations', () => {
    const refs = read(
      'In the early frames (1.0-2.5 seconds) it is small; at 4 s it is large; for 2 seconds it waits; in the last 5 seconds nothing.',
    );
    assert.deepEqual(refs, [
      ['1.0-2.5 seconds', 'time', 1, 2.5],
      ['4 s', 'time', 4, 4],
    ]);
  });

  it('never returns overlapping references, and each covers text of the response', () => {
    const text = 'Frame 2-4 (00:01-00:02) and the second frame; Frames 1 and 2; at 3 seconds.';
    const refs = frameReferences(text, eight);
    for (let i = 1; i < refs.length; i++) assert.ok((refs[i] as FrameRef).start >= (refs[i - 1] as FrameRef).end);
    for (const r of refs) assert.ok(r.start >= 0 && r.end <= text.length && r.end > r.start);
    assert.equal(refs.length, 5);
  });
});

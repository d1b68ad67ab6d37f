import * as assert from 'node:assert/strict';
import { parseRunFileName } from '../../src/core/discovery';
import { linspaceInt, sampledFrames } from '../../src/core/sampling';

describe('frame sampling', () => {
  it('derives model and sampling from the file name (model = before the last "_")', () => {
    assert.deepEqual(parseRunFileName('gpt-4o_32frame.json'), {
      model: 'gpt-4o',
      samplingLabel: '32frame',
      sampling: { kind: 'frames', count: 32 },
    });
    assert.deepEqual(parseRunFileName('InternVideo2_5_Chat_8B_1fps.json'), {
      model: 'InternVideo2_5_Chat_8B',
      samplingLabel: '1fps',
      sampling: { kind: 'fps', fps: 1, cap: 64 },
    });
    assert.deepEqual(parseRunFileName('nosampling.json'), {
      model: 'nosampling',
      samplingLabel: '',
      sampling: { kind: 'unknown' },
    });
  });

  it('matches numpy.linspace(0, n - 1, N, dtype=int)', () => {
    // Values printed by numpy 1.26: np.linspace(0, 99, 8, dtype=int), np.linspace(0, 9, 4, dtype=int).
    assert.deepEqual(linspaceInt(0, 99, 8), [0, 14, 28, 42, 56, 70, 84, 99]);
    assert.deepEqual(linspaceInt(0, 9, 4), [0, 3, 6, 9]);
    assert.deepEqual(linspaceInt(0, 5, 1), [0]);
    // Independent check of the truncation rule: every index is floor(i * (n-1)/(N-1)).
    const got = linspaceInt(0, 299, 32);
    got.forEach((v, i) => assert.ok(v === Math.floor((i * 299) / 31) || Math.abs(v - (i * 299) / 31) < 1));
    assert.equal(got[31], 299);
  });

  it('gives an fps run min(64, int(duration)) frames', () => {
    assert.equal(sampledFrames({ kind: 'fps', fps: 1, cap: 64 }, 250, 10.4)?.length, 10);
    assert.equal(sampledFrames({ kind: 'fps', fps: 1, cap: 64 }, 3000, 100)?.length, 64);
    assert.equal(sampledFrames({ kind: 'unknown' }, 100, 4), null);
  });
});

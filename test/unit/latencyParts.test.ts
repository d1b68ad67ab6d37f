import * as assert from 'node:assert/strict';
import { median, medians, parts } from '../support/latency';

describe('latency report parts', () => {
  it('turns the marks into part lengths that add up from the key to the painted frame', () => {
    const host = {
      received: 1010,
      roots: 1011,
      prediction: 1014,
      answers: 1015,
      suggestions: 1016,
      clip: 1020,
      posted: 1022,
    };
    const page = { received: 1025, bar: 1027, clip: 1028, side: 1036, comparison: 1036.5 };
    const p = parts({ start: 1000, host, page, shownAt: 1037, paintedAt: 1055 });
    assert.equal(p['key to host'], 10);
    assert.equal(p['host: clip done (from the host receiving it)'], 10);
    assert.equal(p['host posted to page received'], 3);
    assert.equal(p['page: side drawn'], 8);
    const chain =
      (p['key to host'] ?? 0) +
      (p['host: posted done (from the host receiving it)'] ?? 0) +
      (p['host posted to page received'] ?? 0) +
      (p['page received to filled'] ?? 0) +
      (p['filled to next frame painted'] ?? 0);
    assert.equal(chain, p['key to next frame painted']);
    assert.equal(p['key to next frame painted'], 55);
  });

  it('leaves out parts whose marks are missing (an older build, no key mark)', () => {
    const p = parts({ host: { received: 5 }, page: {}, shownAt: 30 });
    assert.deepEqual(Object.keys(p), ['host received to filled']);
  });

  it('medians per part, odd and even counts', () => {
    assert.equal(median([3, 1, 2]), 2);
    assert.equal(median([4, 1, 3, 2]), 2.5);
    const m = medians([
      { host: { received: 0 }, page: {}, shownAt: 10 },
      { host: { received: 0 }, page: {}, shownAt: 30 },
      { host: { received: 0 }, page: {}, shownAt: 20 },
    ]);
    assert.deepEqual(m, [{ part: 'host received to filled', median: 20, n: 3 }]);
  });
});

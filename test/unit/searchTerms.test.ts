import * as assert from 'assert';
import { containsAll, highlightRanges, searchTerms } from '../../src/core/searchTerms';

describe('search terms', () => {
  it('keeps quoted phrases whole and splits the other words', () => {
    assert.deepStrictEqual(searchTerms('clockwise "turning  left" ball'), ['clockwise', 'turning left', 'ball']);
    assert.deepStrictEqual(searchTerms('"unclosed phrase here'), ['unclosed phrase here']);
    assert.deepStrictEqual(searchTerms('  '), []);
    assert.deepStrictEqual(searchTerms('Left left ""'), ['Left']);
  });

  it('a phrase matches only as written; words match anywhere', () => {
    const text = 'The car is turning left, then it stops.';
    assert.strictEqual(containsAll(text, searchTerms('"turning left"')), true);
    assert.strictEqual(containsAll(text, searchTerms('"left turning"')), false);
    assert.strictEqual(containsAll(text, searchTerms('stops CAR')), true);
    assert.strictEqual(containsAll(text, searchTerms('stops truck')), false);
  });

  it('highlights every occurrence once, a phrase over the words inside it', () => {
    const text = 'Turning left. Then turning left again, left.';
    const ranges = highlightRanges(text, ['left', 'turning left']);
    assert.deepStrictEqual(
      ranges.map(([a, b]) => text.slice(a, b)),
      ['Turning left', 'turning left', 'left'],
    );
    assert.deepStrictEqual(highlightRanges('a+b (c)', ['+b (']), [[1, 5]]);
    assert.deepStrictEqual(highlightRanges('abc', []), []);
  });
});

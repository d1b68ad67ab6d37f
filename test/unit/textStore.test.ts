import * as assert from 'node:assert/strict';
import { joinedText, matchingTexts, packTexts, searchPattern, transferables, unpackText } from '../../src/core/index/textStore';

// Texts as model outputs come: empty, missing, non-ASCII (short and long), astral characters, a leading
// U+FEFF (a BOM a decoder would drop), text that looks like the separator's neighbours.
const TEXTS: (string | null)[] = [
  'Therefore, the final answer is: B',
  '',
  null,
  'é',
  '\ufeffstarts with a byte order mark',
  `Le vélo tourne dans le sens des aiguilles d'une montre → ${'x'.repeat(40)} 😀 final: C`,
  '短い',
  'clockwise'.repeat(20),
  '\u0001',
  'CLOCKWISE at the end',
];

describe('packed texts (responses kept beside the database)', () => {
  it('gives every text back unchanged, from the bytes and from the decoded string', () => {
    const p = packTexts(TEXTS);
    const fromBytes = TEXTS.map((_, i) => unpackText(p, i));
    // null stays null; \u0001 alone is how null is marked, so it reads as null too (documented limit).
    assert.deepEqual(fromBytes, TEXTS.map((t) => (t === '\u0001' ? null : t)));
    joinedText(p);
    assert.equal(p.bytes.length, 0, 'the bytes are let go once the string holds the texts');
    assert.deepEqual(TEXTS.map((_, i) => unpackText(p, i)), fromBytes);
  });

  it('survives the move to another thread (its buffers are transferred, not copied)', () => {
    const p = packTexts(TEXTS);
    const moved = structuredClone(p, { transfer: transferables(p) });
    assert.equal(p.bytes.byteLength, 0, 'detached in the sender');
    assert.equal(unpackText(moved, 5), TEXTS[5]);
  });

  it('finds the texts a search matches, by character offsets after non-ASCII text', () => {
    const p = packTexts(TEXTS);
    const expected = TEXTS.flatMap((t, i) => (t !== null && /clockwise/i.test(t) ? [i] : []));
    assert.deepEqual(matchingTexts(p, searchPattern('clockwise')), expected);
    assert.deepEqual(matchingTexts(p, searchPattern('→')), [5]);
    assert.deepEqual(matchingTexts(p, searchPattern('byte order')), [4]);
  });

  it('replaces a lone surrogate (not encodable) without shifting the texts after it', () => {
    const p = packTexts(['a\ud800b', 'after']);
    assert.equal(unpackText(p, 0), 'a\ufffdb');
    assert.equal(unpackText(p, 1), 'after');
    assert.deepEqual(matchingTexts(p, searchPattern('after')), [1]);
  });

  it('grows its buffer when the texts take more than one byte a character', () => {
    const many = Array.from({ length: 50 }, (_, i) => `${'€'.repeat(i * 3)}${i}`);
    const p = packTexts(many);
    assert.deepEqual(many.map((_, i) => unpackText(p, i)), many);
  });
});

import * as assert from 'node:assert/strict';
import { matchingTexts, packTexts, searchPattern, transferables, unpackText } from '../../src/core/index/textStore';

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
  it('gives every text back unchanged, from the bytes and after a search read them as Latin-1', () => {
    const p = packTexts(TEXTS);
    const fromBytes = TEXTS.map((_, i) => unpackText(p, i));
    // null stays null; \u0001 alone is how null is marked, so it reads as null too (documented limit).
    assert.deepEqual(
      fromBytes,
      TEXTS.map((t) => (t === '\u0001' ? null : t)),
    );
    matchingTexts(p, searchPattern('final'));
    assert.equal(p.bytes.length, 0, 'the bytes are let go once the Latin-1 view holds them');
    assert.deepEqual(
      TEXTS.map((_, i) => unpackText(p, i)),
      fromBytes,
    );
  });

  it('survives the move to another thread (its buffers are transferred, not copied)', () => {
    const p = packTexts(TEXTS);
    const moved = structuredClone(p, { transfer: transferables(p) });
    assert.equal(p.bytes.byteLength, 0, 'detached in the sender');
    assert.equal(unpackText(moved, 5), TEXTS[5]);
  });

  it('finds the texts a search matches, as a case-insensitive search of each decoded text would', () => {
    const needles = [
      'clockwise',
      'CLOCKWISE',
      'final',
      'byte order',
      'é',
      'É',
      '→',
      '😀',
      '短',
      'vélo tourne',
      'x'.repeat(30),
      'ß',
      's',
      'k',
    ];
    for (const needle of needles) {
      const p = packTexts(TEXTS);
      const expected = TEXTS.flatMap((t, i) =>
        t !== null && t !== '\u0001' && new RegExp(searchPattern(needle).source, 'i').test(t) ? [i] : [],
      );
      assert.deepEqual(matchingTexts(p, searchPattern(needle)), expected, needle);
    }
  });

  it('matches no ASCII letter inside a multi-byte character, whatever its bytes look like as Latin-1', () => {
    // Å is C3 85 in UTF-8, İ is C4 B0, ſ C5 BF, the Kelvin sign E2 84 AA: as Latin-1, "Ã\u0085", "Ä°", "Å¿", "â\u0084ª".
    const texts = ['\u00c5', '\u0130', '\u017f', '\u212a', 'plain', 'KAS'];
    for (const needle of ['a', 'i', 's', 'k', 'A', 'ª', 'Ã']) {
      const expected = texts.flatMap((t, i) => (new RegExp(searchPattern(needle).source, 'i').test(t) ? [i] : []));
      assert.deepEqual(matchingTexts(packTexts(texts), searchPattern(needle)), expected, needle);
    }
    assert.deepEqual(matchingTexts(packTexts(texts), searchPattern('a')), [4, 5], 'only the ASCII letters');
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
    assert.deepEqual(
      many.map((_, i) => unpackText(p, i)),
      many,
    );
  });
});

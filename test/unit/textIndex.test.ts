import * as assert from 'node:assert/strict';
import { containsAll } from '../../src/core/searchTerms';
import { TextIndex } from '../../src/core/index/textIndex';
import type { PackedTexts } from '../../src/core/index/textStore';
import { packTexts } from '../../src/core/index/textStore';
import { ResultIndex } from '../../src/core/index/resultIndex';
import { loadSqlJs } from '../../src/core/index/sqlite';
import { makeResultsFolder, prng } from '../support/fixtures';

// Words as responses hold them: English, punctuation glued on, other scripts, characters whose lower case is
// ASCII (U+0130, U+212A), astral characters, digits.
const WORDS = [
  'the',
  'object',
  'moves',
  'clockwise',
  'counter-clockwise',
  'Left',
  'RIGHT',
  'rotating',
  'rotation',
  'camera',
  'Therefore,',
  'answer:',
  '(B)',
  'B.',
  'is',
  'a',
  'an',
  'to',
  'Ä°stanbul',
  'İstanbul',
  '\u212aelvin',
  'KELVIN',
  'vélo',
  'VÉLO',
  'naïve',
  'straße',
  'STRASSE',
  '短い',
  '回転',
  '😀',
  '→',
  '—',
  '"quoted"',
  "it's",
  'x2',
  '2x',
  '42',
  'e.g.',
  '**bold**',
  '\\n',
  'tab\there',
  'NUL?',
];

function corpus(seed: number, blocks: number, perBlock: number): (string | null)[][] {
  const rnd = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  return Array.from({ length: blocks }, () =>
    Array.from({ length: perBlock }, () => {
      if (rnd() < 0.03) return null;
      const n = Math.floor(rnd() * 40);
      const words = Array.from({ length: n }, () => {
        const w = pick(WORDS);
        return rnd() < 0.1 ? w.toUpperCase() : w;
      });
      return words.join(pick([' ', ' ', ' ', '\n', '  ', ', ']));
    }),
  );
}

/** Terms of every kind: words, their pieces (under 3 characters too), slices of texts across words, punctuation. */
function terms(seed: number, texts: (string | null)[]): string[] {
  const rnd = prng(seed);
  const some = texts.filter((t): t is string => !!t);
  const out = [
    'a',
    'e',
    'is',
    'x',
    '2',
    'ck',
    'İ',
    'i',
    'k',
    'K',
    '\u212a',
    'ß',
    'SS',
    'é',
    'É',
    '😀',
    '→',
    ',',
    '.',
    ':',
    '(',
    '"',
    "'",
    ' ',
    '  ',
    '\n',
    'the object',
    'LEFT RIGHT',
    'clock',
    'wise',
    'counter-clock',
    'istanbul',
    'i̇stanbul',
    'kelvin',
    'absent',
    'zzz',
    'NUL?',
    'e.g',
    '**',
    '\\',
    // Phrases of frequent words: pairs of tokens one space apart, with and without something around them.
    'is a',
    'the is',
    'is the object',
    'the object moves',
    'object moves clockwise',
    'Left RIGHT rotating',
    'is  a',
    'is\na',
    'the, is',
    ' is a',
    'is a ',
    'his a',
    's a',
    'is an',
    'an is',
    'x2 2x',
    '2x 42',
    'e.g. the',
    "it's the",
    'the "quoted"',
    'camera rotation',
    'a to',
    'to a the',
  ];
  for (let k = 0; k < 150; k++) {
    const t = some[Math.floor(rnd() * some.length)] as string;
    const from = Math.floor(rnd() * t.length);
    const len = 1 + Math.floor(rnd() * 14);
    const slice = t.slice(from, from + len);
    out.push(rnd() < 0.3 ? slice.toUpperCase() : slice);
  }
  for (let k = 0; k < 40; k++) out.push(WORDS[Math.floor(rnd() * WORDS.length)] as string);
  return out.filter((t) => t.length > 0);
}

const brute = (texts: (string | null)[], term: string): number[] =>
  texts.flatMap((t, i) => (containsAll(t ?? '', [term]) ? [i] : []));

describe('the search index over responses', () => {
  it('finds exactly what a brute-force containsAll finds, built or not, for words, pieces, phrases, punctuation and non-ASCII', () => {
    const blocks = corpus(11, 6, 300);
    const packed: PackedTexts[] = blocks.map((b) => packTexts(b));
    const index = new TextIndex();
    const all = terms(12, blocks.flat());
    // Half the blocks built: a search mixes indexed and scanned blocks.
    packed.slice(0, 3).forEach((p) => index.build(p));
    let nonEmpty = 0;
    for (const term of all) {
      blocks.forEach((texts, b) => {
        const expected = brute(texts, term);
        if (expected.length) nonEmpty++;
        assert.deepEqual(
          index.matching(packed[b] as PackedTexts, term),
          expected,
          `${JSON.stringify(term)} in block ${b}`,
        );
      });
    }
    packed.slice(3).forEach((p) => index.build(p));
    for (const term of all) {
      blocks.forEach((texts, b) => {
        assert.deepEqual(
          index.matching(packed[b] as PackedTexts, term),
          brute(texts, term),
          `${JSON.stringify(term)} in block ${b}, built`,
        );
      });
    }
    assert.ok(nonEmpty > all.length, 'most terms match something: the comparison is not between empty lists');
  });

  it('reads tokens of every ASCII letter and digit, and keeps apart two words whose hashes collide', () => {
    // Tokens are looked up by a 32-bit FNV-1a hash of their lower-cased characters: "costarring" and
    // "liquid" share one, as do "declinate" and "macallums".
    const chars = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
    const texts: (string | null)[] = [
      ...[...chars].map((c, i) => `x${c}y ${chars.slice(i)} ${c}`),
      'liquid water',
      'a Costarring role',
      'LIQUID and costarring',
      'declinate',
      'MACALLUMS x',
      'macallumsdeclinate',
      '@[`{ punctuation_between/tokens',
    ];
    const packed = packTexts(texts);
    const index = new TextIndex();
    assert.ok(index.build(packed));
    const search = [...chars].flatMap((c) => [c, `x${c}y`, `${c}y`]);
    search.push('liquid', 'costarring', 'declinate', 'macallums', 'punctuation', 'between/tokens', '@[', '{ p');
    for (const term of search) assert.deepEqual(index.matching(packed, term), brute(texts, term), JSON.stringify(term));
  });

  it('built in pieces (each stopped at its deadline), with searches and another block built between them, finds the same', () => {
    const blocks = corpus(31, 2, 1500);
    const packed: PackedTexts[] = blocks.map((b) => packTexts(b));
    const [first, second] = packed as [PackedTexts, PackedTexts];
    const index = new TextIndex();
    const all = terms(32, blocks.flat()).filter((_, i) => i % 3 === 0);
    const check = (what: string) =>
      all.forEach((term) =>
        blocks.forEach((texts, b) =>
          assert.deepEqual(index.matching(packed[b] as PackedTexts, term), brute(texts, term), `${term} ${what}`),
        ),
      );
    // A deadline already past: each call indexes a few thousand tokens, then stops.
    let calls = 0;
    while (calls < 3 && !index.build(first, 0)) calls++;
    assert.equal(calls, 3, 'the block is long enough to take several pieces');
    assert.equal(index.isBuilt(first), false);
    check('while the first block is half built');
    // Another block built meanwhile: the first starts over when it is taken up again.
    assert.equal(index.build(second), true);
    calls = 1;
    while (!index.build(first, 0)) calls++;
    assert.ok(calls > 3, `the first block took ${calls} pieces`);
    assert.equal(index.isBuilt(first), true);
    check('built in pieces');
  });

  it('finds the same in a block of over 65,536 texts (32-bit lists and bitmaps), words and phrases of frequent words', () => {
    const rnd = prng(21);
    const words = ['the', 'is', 'a', 'object', 'moving', 'Left', 'this', 'car', 'cart', 'IS'];
    const texts = Array.from({ length: 70_000 }, (_, i) =>
      i % 997 === 0
        ? null
        : Array.from({ length: 1 + Math.floor(rnd() * 6) }, () => words[Math.floor(rnd() * words.length)]).join(
            rnd() < 0.8 ? ' ' : ', ',
          ),
    );
    const packed = packTexts(texts);
    const index = new TextIndex();
    index.build(packed);
    for (const term of [
      'the',
      'is',
      'car',
      'is moving',
      'the car',
      'this car',
      's car',
      'is a',
      'moving, left',
      'a the is',
    ])
      assert.deepEqual(index.matching(packed, term), brute(texts, term), JSON.stringify(term));
  });

  it('answers the list the same before and after its index is built in the background', async () => {
    const { dir } = makeResultsFolder();
    const index = new ResultIndex(await loadSqlJs());
    index.setRoots([dir]);
    await index.sync();
    const words = ['clockwise', 'the', 'answer is', 'B', 'zzzz-absent', 'é'];
    const before = words.map((text) => index.query({ text, limit: 1000 }).rows.map((r) => r.id));
    let steps = 0;
    while (index.backgroundStep(0)) steps++;
    assert.ok(steps > 0, 'the index is built in more than one step');
    const after = words.map((text) => index.query({ text, limit: 1000 }).rows.map((r) => r.id));
    assert.deepEqual(after, before);
    assert.ok(before.some((ids) => ids.length > 0));
    index.close();
  });
});

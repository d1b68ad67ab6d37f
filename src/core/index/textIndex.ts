// A token index over the responses of the text store (textStore.ts), so that a search need not read every
// response. Built block by block (one block per result file) in small steps after indexing; a block not
// indexed yet is searched by a scan, so results never depend on how far the building got.
//
// Tokens are the maximal runs of ASCII letters and digits of a text, lower-cased. A term's own ASCII runs
// (lower-cased) must each lie inside one of a matching text's tokens: if the lower-cased text contains the
// lower-cased term, every maximal run of [0-9a-z] of the term sits within a maximal run of the text. So the
// texts holding, for every run of the term, a token containing it are the candidates, and a candidate is
// checked against the text itself (the reference is containsAll of searchTerms.ts: case-insensitive,
// literal). A term that is one ASCII run needs no check: a token containing it is a match.
// A run the term continues before is where a text's token starts (after: where it ends), so a phrase's inner
// words are whole tokens: "the car" wants a token ending in "the" and one starting with "car", far fewer
// candidates than tokens holding them.
//
// Two runs of a term one space apart are, in a matching text, two tokens next to each other with one space
// between. Such pairs of tokens are indexed too (per block, each pair's texts), so a phrase's candidates are
// the texts holding, for each such gap, a pair of tokens placed as its runs are; a phrase of two words with
// nothing before or after them (`"is moving"`) then needs no check: a text holding a token ending in "is",
// one space and a token starting with "moving" contains "is moving". Checking the candidates' bytes was most
// of a phrase's time (tens of thousands of texts for common words at 10x).
//
// Two characters lower-case to ASCII letters (U+0130 to "i̇", U+212A KELVIN SIGN to "k"): a text holding one
// is always a candidate and always checked. A term with no ASCII run (punctuation, non-ASCII only) scans.
//
// Postings are kept per block as local indices (16 bits when the block allows), or as a bitmap for a key
// most texts hold (postingLists.ts).
import type { PostingLists } from './postingLists';
import { markTexts, postingBytes, postingLists, PostingScratch } from './postingLists';
import type { PackedTexts } from './textStore';
import { unpackText } from './textStore';

interface BlockPostings {
  /** Keyed by token id: the texts holding the token. */
  tokens: PostingLists;
  /**
   * Keyed by a * t + b, where a and b are positions in `tokens.keys` and t its length: the texts where token
   * a is followed by one space and token b. Null past 2^26 tokens in the vocabulary (phrases are then checked).
   */
  pairs: PostingLists | null;
  /** Texts holding a character that lower-cases to ASCII: always checked. */
  unsafe: number[];
}

/** A block's build in progress: what the token loop has gathered, and where it stopped. */
interface Building {
  texts: PackedTexts;
  /** The texts in Latin-1 view, and where each starts. */
  s: string;
  offsets: PackedTexts['offsets'];
  /** (token id, text) of each token's first occurrence in a text. */
  occurrences: number[];
  /** Token ids a and b next to each other with one space between, as a * PAIR + b, then their text. */
  adjacent: Float64Array;
  pairs: number;
  previous: number;
  previousEnd: number;
  /** A token id reached PAIR: pairs are not indexed. */
  beyond: boolean;
  /** Every token is read; then the tokens' lists are made. */
  read: boolean;
  tokens: PostingLists | null;
  /** The text of the last token, and where the next text starts. */
  doc: number;
  end: number;
  /** Where the reading of tokens goes on. */
  at: number;
}

// In Latin-1 view of UTF-8 bytes: U+0130 is C4 B0, U+212A is E2 84 AA.
const UNSAFE = /\u00c4\u00b0|\u00e2\u0084\u00aa/g;
const TOKEN = /[0-9a-z]+/gi;
/** A character of a token: an ASCII letter or digit (as TOKEN matches). */
const isTokenChar = (c: number): boolean => (c >= 48 && c <= 57) || ((c | 32) >= 97 && (c | 32) <= 122);

/** `token` (lower-case) is s[start, end) lower-cased. */
function sameToken(token: string, s: string, start: number, end: number): boolean {
  if (token.length !== end - start) return false;
  for (let k = 0; k < token.length; k++) {
    const c = s.charCodeAt(start + k);
    if (token.charCodeAt(k) !== (c >= 65 && c <= 90 ? c + 32 : c)) return false;
  }
  return true;
}

/** Token ids stay below it (2^26; a pair's key a * PAIR + b is then exact in a double). */
const PAIR = 0x4000000;

export class TextIndex {
  /**
   * Tokens by id (the vocabulary only grows; stale tokens cost nothing), each token's hash, and ids + 1 by
   * hash in an open-addressed table kept at most half full (0: empty).
   */
  private readonly vocab: string[] = [];
  private hashes = new Int32Array(1024);
  private slots = new Int32Array(4096);
  /** Keyed by the block's packed texts: a block dropped or rolled back takes its postings with it. */
  private readonly built = new WeakMap<PackedTexts, BlockPostings>();
  private lastDoc = new Int32Array(1024);
  private readonly containing = new Map<string, Uint8Array>();
  private readonly scratch = new PostingScratch();
  /** The block being indexed, when a build stopped at its deadline. */
  private building: Building | null = null;

  /** Drops the build's working tables (when every block is built; the next build makes them again). */
  release(): void {
    this.scratch.release();
  }

  isBuilt(texts: PackedTexts): boolean {
    return this.built.has(texts);
  }

  /**
   * Indexes one block's texts, or goes on with it, until `deadline` (a performance.now() time): true once
   * the block is indexed. A block of long responses takes tens of milliseconds: its build stops between
   * tokens, or before the tokens' or the pairs' lists are made, and the next call for the same block takes
   * it up where it was (a call for another block starts that one over).
   */
  build(texts: PackedTexts, deadline = Infinity): boolean {
    if (this.built.has(texts)) return true;
    if (this.building?.texts !== texts) this.building = this.startBuilding(texts);
    const b = this.building;
    if (!b.read) {
      if (!this.readTokens(b, deadline)) return false;
      b.read = true;
      if (performance.now() >= deadline) return false;
    }
    const n = b.offsets.length - 1;
    if (!b.tokens) {
      b.tokens = postingLists(b.occurrences, n, this.scratch);
      if (!b.beyond && performance.now() >= deadline) return false;
    }
    const unsafe: number[] = [];
    UNSAFE.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = UNSAFE.exec(b.s)) !== null) {
      const d = textAt(texts, m.index);
      if (unsafe[unsafe.length - 1] !== d) unsafe.push(d);
    }
    const pairs = b.beyond ? null : pairPostings(b.tokens, b.adjacent.subarray(0, b.pairs), n, this.scratch);
    this.built.set(texts, { tokens: b.tokens, pairs, unsafe });
    this.building = null;
    return true;
  }

  /**
   * Reads the block's tokens on from where the last call stopped; false when it stopped at `deadline`. A
   * token is a run of ASCII letters and digits (in the Latin-1 view, no other character is one), looked up
   * by a hash of its lower-cased characters without making a string of it (only a new token is one).
   */
  private readTokens(b: Building, deadline: number): boolean {
    const { s, offsets, occurrences, adjacent } = b;
    const length = s.length;
    let i = b.at;
    let seen = 0;
    while (i < length) {
      let c = s.charCodeAt(i);
      if (!isTokenChar(c)) {
        i++;
        continue;
      }
      const start = i;
      let hash = 0x811c9dc5;
      do {
        hash = Math.imul(hash ^ (c >= 65 && c <= 90 ? c + 32 : c), 0x01000193);
        c = ++i < length ? s.charCodeAt(i) : 0;
      } while (isTokenChar(c));
      while (start >= b.end) b.end = offsets[++b.doc + 1] as number;
      const id = this.tokenId(s, start, i, hash);
      if (this.lastDoc[id] !== b.doc) {
        this.lastDoc[id] = b.doc;
        occurrences.push(id, b.doc);
      }
      // Texts are separated by a 0 byte: a space before a token is in its own text.
      if (start === b.previousEnd + 1 && s.charCodeAt(b.previousEnd) === 32) {
        adjacent[b.pairs++] = b.previous * PAIR + id;
        adjacent[b.pairs++] = b.doc;
      }
      if (id >= PAIR) b.beyond = true;
      b.previous = id;
      b.previousEnd = i;
      if ((++seen & 4095) === 0 && performance.now() >= deadline) {
        b.at = i;
        return false;
      }
    }
    b.at = length;
    return true;
  }

  /** The id of the token s[start, end) lower-cased, whose hash is `hash`; a new one is added to the vocabulary. */
  private tokenId(s: string, start: number, end: number, hash: number): number {
    const mask = this.slots.length - 1;
    for (let k = hash & mask; ; k = (k + 1) & mask) {
      const slot = (this.slots[k] as number) - 1;
      if (slot < 0) break;
      if (this.hashes[slot] === hash && sameToken(this.vocab[slot] as string, s, start, end)) return slot;
    }
    const id = this.vocab.length;
    this.vocab.push(s.slice(start, end).toLowerCase());
    if (id >= this.hashes.length) {
      const grown = new Int32Array(this.hashes.length * 2);
      grown.set(this.hashes);
      this.hashes = grown;
      const last = new Int32Array(this.lastDoc.length * 2).fill(-1);
      last.set(this.lastDoc);
      this.lastDoc = last;
    }
    this.hashes[id] = hash;
    if ((id + 1) * 2 > this.slots.length) this.rehash(this.slots.length * 2);
    else this.place(id);
    return id;
  }

  private place(id: number): void {
    const mask = this.slots.length - 1;
    let k = (this.hashes[id] as number) & mask;
    while (this.slots[k] !== 0) k = (k + 1) & mask;
    this.slots[k] = id + 1;
  }

  private rehash(size: number): void {
    this.slots = new Int32Array(size);
    for (let id = 0; id < this.vocab.length; id++) this.place(id);
  }

  private startBuilding(texts: PackedTexts): Building {
    const s = latin1(texts);
    this.lastDoc.fill(-1);
    return {
      texts,
      s,
      offsets: texts.offsets,
      occurrences: [],
      // A token takes two bytes at least, its separator included: room for every pair.
      adjacent: this.scratch.buffer(s.length + 2),
      pairs: 0,
      previous: -1,
      previousEnd: -2,
      beyond: false,
      read: false,
      tokens: null,
      doc: 0,
      end: texts.offsets.length > 1 ? (texts.offsets[1] as number) : 0,
      at: 0,
    };
  }

  /**
   * Local indices (ascending) of the texts in `texts` whose lower-cased text contains `term` lower-cased;
   * `scan` answers the same for a block with no postings yet, or a term the tokens cannot narrow.
   */
  matching(texts: PackedTexts, term: string): number[] {
    const lower = term.toLowerCase();
    const found = [...lower.matchAll(TOKEN)];
    const runs = found.map((m) => {
      // A run the term goes on before (after) is where its token starts (ends) in a matching text: a
      // character of [0-9a-z] there would have made it longer.
      const start = (m.index as number) > 0;
      const end = (m.index as number) + m[0].length < lower.length;
      return `${start ? '^' : ''}${m[0]}${end ? '$' : ''}`;
    });
    const block = this.built.get(texts);
    if (!block || !runs.length) return scan(texts, lower);
    const n = texts.offsets.length - 1;
    // For each run, the texts holding a token that contains it (so placed), and for each two runs one space
    // apart, the texts holding such tokens next to each other; a text is a candidate when it has all.
    const hits = new Uint16Array(n);
    let want = 0;
    const count = (seen: Uint8Array): void => {
      want++;
      for (let i = 0; i < n; i++) hits[i] = (hits[i] as number) + (seen[i] as number);
    };
    const { tokens, pairs } = block;
    // Runs one space apart: their pairs also say that the texts hold each run's token.
    const covered = new Set<string>();
    let spaced = 0;
    for (let j = 0; pairs && j + 1 < found.length; j++) {
      const gap = (found[j]?.index as number) + (found[j]?.[0].length as number);
      if (found[j + 1]?.index !== gap + 1 || lower[gap] !== ' ') continue;
      spaced++;
      covered.add(runs[j] as string).add(runs[j + 1] as string);
      const seen = new Uint8Array(n);
      markPairs(block, this.tokensContaining(runs[j] as string), this.tokensContaining(runs[j + 1] as string), seen);
      count(seen);
    }
    for (const run of new Set(runs)) {
      if (covered.has(run)) continue;
      const seen = new Uint8Array(n);
      const containing = this.tokensContaining(run);
      for (let k = 0; k < tokens.keys.length; k++) if (containing[tokens.keys[k] as number]) markTexts(tokens, k, seen);
      count(seen);
    }
    // One run, or two one space apart, with nothing before or after: a candidate is a match.
    const exact =
      runs.length === 1
        ? runs[0] === lower
        : runs.length === 2 &&
          spaced === 1 &&
          (runs[0] as string).endsWith('$') &&
          !(runs[1] as string).endsWith('$') &&
          !(runs[0] as string).startsWith('^');
    // Candidates are checked in the Latin-1 view for an ASCII term (as scan() does; decoding each candidate
    // cost ~1 s for a phrase of common words at 10x), the regular expression moving forward only.
    const inView = isAscii(lower) ? new ForwardMatch(texts, lower) : null;
    const out: number[] = [];
    let u = 0;
    for (let i = 0; i < n; i++) {
      while (u < block.unsafe.length && (block.unsafe[u] as number) < i) u++;
      const unsafe = block.unsafe[u] === i;
      if (hits[i] !== want && !unsafe) continue;
      if (exact && !unsafe) out.push(i);
      else if (
        unsafe || !inView
          ? contains(texts, i, lower)
          : inView.within(texts.offsets[i] as number, texts.offsets[i + 1] as number)
      )
        out.push(i);
    }
    return out;
  }

  /** Flags by token id: which tokens hold `placed` (one pass over the vocabulary, kept for the next blocks). */
  private tokensContaining(placed: string): Uint8Array {
    const cached = this.containing.get(placed);
    if (cached && cached.length === this.vocab.length) return cached;
    const flags = new Uint8Array(this.vocab.length);
    // `^run`: tokens starting with it, `run$`: ending with it, both: equal to it.
    const start = placed.startsWith('^');
    const end = placed.endsWith('$');
    const run = placed.slice(start ? 1 : 0, end ? -1 : undefined);
    for (let id = 0; id < this.vocab.length; id++) {
      const token = this.vocab[id] as string;
      if (start ? (end ? token === run : token.startsWith(run)) : end ? token.endsWith(run) : token.includes(run))
        flags[id] = 1;
    }
    if (this.containing.size > 64) this.containing.clear();
    this.containing.set(placed, flags);
    return flags;
  }

  /** Memory held: the vocabulary's characters (2 bytes counted each) and the postings of `blocks`. */
  bytes(blocks: Iterable<PackedTexts>): { vocabulary: number; postings: number; pairs: number } {
    let postings = 0;
    let pairs = 0;
    for (const b of blocks) {
      const p = this.built.get(b);
      if (!p) continue;
      postings += postingBytes(p.tokens) + p.unsafe.length * 8;
      pairs += p.pairs ? postingBytes(p.pairs) : 0;
    }
    return { vocabulary: this.vocab.reduce((a, t) => a + 2 * t.length + 16, 0), postings, pairs };
  }
}

/** Sets `seen` for the texts holding a token flagged in `before`, one space and a token flagged in `after`. */
function markPairs(block: BlockPostings, before: Uint8Array, after: Uint8Array, seen: Uint8Array): void {
  const { tokens, pairs } = block;
  if (!pairs) return;
  const t = tokens.keys.length;
  const keys = pairs.keys;
  // Keys are sorted by the first token's position: each flagged first token's pairs are one range.
  for (let a = 0; a < t; a++) {
    if (!before[tokens.keys[a] as number]) continue;
    let lo = 0;
    let hi = keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((keys[mid] as number) < a * t) lo = mid + 1;
      else hi = mid;
    }
    for (let k = lo; k < keys.length && (keys[k] as number) < (a + 1) * t; k++)
      if (after[tokens.keys[(keys[k] as number) - a * t] as number]) markTexts(pairs, k, seen);
  }
}

/** The block's bytes as Latin-1 characters: kept by the store once a search made it, else made for the while. */
function latin1(texts: PackedTexts): string {
  return (
    texts.latin1 ?? Buffer.from(texts.bytes.buffer, texts.bytes.byteOffset, texts.bytes.byteLength).toString('latin1')
  );
}

/** The text holding byte `at`: the last offset <= at. */
function textAt(texts: PackedTexts, at: number): number {
  let lo = 0;
  let hi = texts.offsets.length - 2;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((texts.offsets[mid] as number) <= at) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

function contains(texts: PackedTexts, i: number, lowerTerm: string): boolean {
  return (unpackText(texts, i) ?? '').toLowerCase().includes(lowerTerm);
}

// eslint-disable-next-line no-control-regex
const isAscii = (term: string): boolean => /^[\x01-\x7f]+$/.test(term);

/**
 * Whether an ASCII term occurs (case-insensitively) in the Latin-1 view of [from, to), for ranges asked in
 * ascending order: with the block's view made, the regular expression only moves forward; else each range
 * is read as Latin-1 by itself (a copy, no decoding).
 */
class ForwardMatch {
  private readonly pattern: RegExp;
  private readonly bytes: Buffer | null;
  /** Where the first match at or after the last range's start begins (Infinity: none). */
  private next = -1;

  constructor(
    private readonly texts: PackedTexts,
    lowerTerm: string,
  ) {
    this.pattern = new RegExp(lowerTerm.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'gi');
    const b = texts.bytes;
    this.bytes = texts.latin1 === undefined ? Buffer.from(b.buffer, b.byteOffset, b.byteLength) : null;
  }

  within(from: number, to: number): boolean {
    if (this.bytes) {
      this.pattern.lastIndex = 0;
      return this.pattern.test(this.bytes.toString('latin1', from, to));
    }
    if (this.next < from) {
      this.pattern.lastIndex = from;
      const m = this.pattern.exec(this.texts.latin1 as string);
      this.next = m ? m.index : Infinity;
    }
    // A term holds no separator, so a match starting inside a text ends inside it.
    return this.next < to;
  }
}

/**
 * Every text checked. An ASCII term is matched in the Latin-1 view, several times faster than decoding: an
 * ASCII match there is one in the decoded text (bytes of UTF-8 sequences are 0x80 and up, and no Latin-1
 * character from 0x80 up matches an ASCII letter under the `i` flag), but for the texts holding a character
 * that lower-cases to ASCII, checked decoded.
 */
function scan(texts: PackedTexts, lowerTerm: string): number[] {
  const n = texts.offsets.length - 1;
  const out: number[] = [];
  // eslint-disable-next-line no-control-regex
  if (!/^[\x01-\x7f]+$/.test(lowerTerm)) {
    for (let i = 0; i < n; i++) if (contains(texts, i, lowerTerm)) out.push(i);
    return out;
  }
  const s = latin1(texts);
  const found = new Set<number>();
  const pattern = new RegExp(lowerTerm.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'gi');
  let m: RegExpExecArray | null;
  while ((m = pattern.exec(s)) !== null) {
    const i = textAt(texts, m.index);
    found.add(i);
    pattern.lastIndex = texts.offsets[i + 1] as number;
  }
  UNSAFE.lastIndex = 0;
  while ((m = UNSAFE.exec(s)) !== null) {
    const i = textAt(texts, m.index);
    if (contains(texts, i, lowerTerm)) found.add(i);
  }
  for (const i of found) out.push(i);
  return out.sort((a, b) => a - b);
}

/**
 * The lists of the pairs of tokens, from (a * PAIR + b, text) pairs, keyed anew by positions in the block's
 * tokens (ascending with the ids, so the keys stay sorted).
 */
function pairPostings(tokens: PostingLists, adjacent: Float64Array, n: number, scratch: PostingScratch): PostingLists {
  const t = tokens.keys.length;
  const pairs = postingLists(adjacent, n, scratch);
  let top = 0;
  for (let k = 0; k < t; k++) top = Math.max(top, tokens.keys[k] as number);
  const position = new Int32Array(top + 1);
  for (let k = 0; k < t; k++) position[tokens.keys[k] as number] = k;
  const keys = new (t * t <= 0x80000000 ? Int32Array : Float64Array)(pairs.keys.length);
  for (let k = 0; k < keys.length; k++) {
    const key = pairs.keys[k] as number;
    const a = Math.floor(key / PAIR);
    keys[k] = (position[a] as number) * t + (position[key - a * PAIR] as number);
  }
  return { ...pairs, keys };
}

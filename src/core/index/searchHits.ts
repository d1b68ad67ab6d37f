// The predictions a search text matches, in the language of searchTerms.ts: every term must occur in the
// prediction's question or its response (one term may occur in the question and another in the response).
// Each term's hits come from one function, hitsFor, so that a different lookup (a token index) can stand
// behind it without changing how terms combine. Hits are kept as ascending id arrays: a common word
// matches most predictions, and sets of that size cost more to make than the search itself.
import { searchTerms } from '../searchTerms';
import type { PredictionTexts } from './predictionTexts';
import type { QuestionTable } from './questionTable';
import { SEPARATOR, searchPattern } from './textStore';

export interface SearchSources {
  questions: QuestionTable;
  texts: PredictionTexts;
  /** The ids of the predictions of these questions (row ids). */
  predictionsOf: (questionIds: readonly number[]) => Iterable<number>;
  /** Changes whenever the indexed data does: cached hits are dropped then. */
  dataVersion: () => number;
}

/** Ids kept between searches (4 bytes each): typing a phrase letter by letter re-runs only the last term. */
const CACHED_IDS = 4_000_000;

export class SearchHits {
  private cache = new Map<string, Int32Array>();
  private cacheVersion = -1;

  constructor(private readonly sources: SearchSources) {}

  /** The ids (ascending) of the predictions whose question or response contains `term` (case-insensitive, literal). */
  hitsFor(term: string): Int32Array {
    const version = this.sources.dataVersion();
    if (version !== this.cacheVersion) {
      this.cache.clear();
      this.cacheVersion = version;
    }
    const key = term.toLowerCase();
    const cached = this.cache.get(key);
    if (cached) return cached;
    const hits = this.scan(term);
    let held = hits.length;
    for (const ids of this.cache.values()) held += ids.length;
    for (const [k, ids] of this.cache) {
      if (held <= CACHED_IDS) break;
      this.cache.delete(k);
      held -= ids.length;
    }
    this.cache.set(key, hits);
    return hits;
  }

  /** The ids of the predictions matching every term of `text`, ascending; null when it has no term. */
  matching(text: string): Int32Array | null {
    const terms = searchTerms(text);
    if (!terms.length) return null;
    // Smallest first: the intersection then only ever shrinks from it.
    const lists = terms.map((t) => this.hitsFor(t)).sort((a, b) => a.length - b.length);
    let out = lists[0] as Int32Array;
    for (const other of lists.slice(1)) out = intersect(out, other);
    return out;
  }

  private scan(term: string): Int32Array {
    // No text holds the separator: such a term matches nothing (stripping it would match everything).
    if (term.includes(SEPARATOR) || !term) return new Int32Array(0);
    const needle = searchPattern(term);
    const inQuestion = new RegExp(needle.source, 'i');
    const questionIds = [...this.sources.questions.all()]
      .filter((st) => inQuestion.test((st.bench ?? st.fallback)?.question ?? ''))
      .map((st) => st.rowId);
    const fromQuestions = Int32Array.from(questionIds.length ? this.sources.predictionsOf(questionIds) : []).sort();
    return union(fromQuestions, Int32Array.from(this.sources.texts.responsesContaining(term)).sort());
  }
}

/** The ids in both ascending lists. */
function intersect(a: Int32Array, b: Int32Array): Int32Array {
  const out = new Int32Array(Math.min(a.length, b.length));
  let n = 0;
  for (let i = 0, j = 0; i < a.length && j < b.length;) {
    const x = a[i] as number;
    const y = b[j] as number;
    if (x < y) i++;
    else if (x > y) j++;
    else {
      out[n++] = x;
      i++;
      j++;
    }
  }
  return out.slice(0, n);
}

/** The ids in either ascending list, each once. */
function union(a: Int32Array, b: Int32Array): Int32Array {
  const out = new Int32Array(a.length + b.length);
  let n = 0;
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const x = i < a.length ? (a[i] as number) : Infinity;
    const y = j < b.length ? (b[j] as number) : Infinity;
    const v = Math.min(x, y);
    if (x === v) i++;
    if (y === v) j++;
    if (n === 0 || out[n - 1] !== v) out[n++] = v;
  }
  return out.slice(0, n);
}

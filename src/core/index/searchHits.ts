// The predictions a search text matches, in the language of searchTerms.ts: every term must occur in the
// prediction's question or its response (one term may occur in the question and another in the response).
// Each term's hits come from one function, hitsFor, so that a different lookup (a token index) can stand
// behind it without changing how terms combine.
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

/** Terms kept between searches: typing a phrase letter by letter re-runs only the last term. */
const CACHED_TERMS = 32;

export class SearchHits {
  private cache = new Map<string, ReadonlySet<number>>();
  private cacheVersion = -1;

  constructor(private readonly sources: SearchSources) {}

  /** The ids of the predictions whose question or response contains `term` (case-insensitive, literal). */
  hitsFor(term: string): ReadonlySet<number> {
    const version = this.sources.dataVersion();
    if (version !== this.cacheVersion) {
      this.cache.clear();
      this.cacheVersion = version;
    }
    const key = term.toLowerCase();
    const cached = this.cache.get(key);
    if (cached) return cached;
    const hits = this.scan(term);
    if (this.cache.size >= CACHED_TERMS) this.cache.delete(this.cache.keys().next().value as string);
    this.cache.set(key, hits);
    return hits;
  }

  /** The ids of the predictions matching every term of `text`, ascending; null when it has no term. */
  matching(text: string): number[] | null {
    const terms = searchTerms(text);
    if (!terms.length) return null;
    // Smallest set first: the intersection then only ever shrinks from it.
    const sets = terms.map((t) => this.hitsFor(t)).sort((a, b) => a.size - b.size);
    const [first, ...rest] = sets as [ReadonlySet<number>, ...ReadonlySet<number>[]];
    const out: number[] = [];
    for (const id of first) if (rest.every((s) => s.has(id))) out.push(id);
    return out.sort((a, b) => a - b);
  }

  private scan(term: string): ReadonlySet<number> {
    const hits = new Set<number>();
    // No text holds the separator: such a term matches nothing (stripping it would match everything).
    if (term.includes(SEPARATOR) || !term) return hits;
    const needle = searchPattern(term);
    const inQuestion = new RegExp(needle.source, 'i');
    const questionIds = [...this.sources.questions.all()]
      .filter((st) => inQuestion.test((st.bench ?? st.fallback)?.question ?? ''))
      .map((st) => st.rowId);
    if (questionIds.length) for (const id of this.sources.predictionsOf(questionIds)) hits.add(id);
    for (const id of this.sources.texts.responsesContaining(term)) hits.add(id);
    return hits;
  }
}

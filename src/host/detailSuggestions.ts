// The detail view's failure-mode suggestions: the prediction's open ones (rejected and accepted ones are not
// offered again), with their evidence, as the view draws them under the tags.
import type { DetailSuggestion } from '../protocol/detailView';
import type { IndexService } from './indexService';

/** Prediction `id`'s open suggestions; none when the index cannot say (it is being rebuilt). */
export async function openSuggestions(index: IndexService, id: number): Promise<DetailSuggestion[]> {
  try {
    const all = await index.call('suggestions', { id });
    return all
      .filter((s) => s.status === 'open')
      .map((s) => ({ detector: s.detector, tag: s.tag, evidence: s.evidence }));
  } catch {
    return [];
  }
}

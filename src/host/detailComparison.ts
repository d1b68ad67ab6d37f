// The detail view's side-by-side comparison: while the side panel lists two runs compared, the question's
// answers by A and by B, each with its verdict, chosen answer, response and the frames it was given.
import { comparisonRunName } from '../core/index/predictionKey';
import type { PredictionRow } from '../core/index/query';
import { sampledFrames } from '../core/sampling';
import type { ClipView, ComparedAnswer, DetailData } from '../protocol/detailView';
import type { FailureFilters } from '../protocol/failuresView';
import type { IndexService } from './indexService';

export async function detailComparison(
  index: IndexService,
  filters: FailureFilters | undefined,
  answers: readonly PredictionRow[],
  clip: ClipView,
  shownId: number,
): Promise<DetailData['comparison']> {
  const c = filters?.comparison;
  if (!c) return undefined;
  const runOf = (r: PredictionRow) => comparisonRunName(r.promptMode, r.model, r.samplingLabel);
  // B's is the prediction shown (the list holds B's); A's is its graded answer, as the comparison pairs them
  // (a run's raw outputs beside its judged file are not graded by a judge and are not compared).
  const graded = (r: PredictionRow) => r.outcome === 'correct' || r.outcome === 'failed';
  const rowB =
    answers.find((r) => r.id === shownId && runOf(r) === c.b) ?? answers.find((r) => runOf(r) === c.b && graded(r));
  const rowA = answers.find((r) => runOf(r) === c.a && graded(r));
  if (!rowA || !rowB) return undefined;
  const answer = async (row: PredictionRow): Promise<ComparedAnswer | null> => {
    const view = await index.call('predictionView', { id: row.id });
    if (!view) return null;
    const p = view.detail;
    const known = clip.kind === 'video' && clip.frameCount && clip.durationSeconds;
    return {
      run: runOf(row),
      id: row.id,
      outcome: p.outcome,
      chosen: p.chosen,
      chosenText: p.chosenText,
      response: p.response,
      sampledFrames: known
        ? sampledFrames(p.sampling, clip.frameCount as number, clip.durationSeconds as number)
        : null,
      frameCount: clip.kind === 'video' ? clip.frameCount : null,
    };
  };
  const [a, b] = await Promise.all([answer(rowA), answer(rowB)]);
  return a && b ? { a, b } : undefined;
}

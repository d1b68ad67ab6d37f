// The host's side of failure-mode suggestions: accept or reject one prediction's suggestion, and accept every
// open suggestion in the current list after asking (one change, undone as one). The side panel and the detail
// view call these; the suggestions themselves come from the index worker (core/index/suggestionLayer.ts).
import * as vscode from 'vscode';
import type { FailureQuery } from '../core/index/query';
import { MAX_PAGE_ROWS } from '../core/index/query';
import { DETECTORS } from '../core/failureModes';
import type { DetailData } from '../protocol/detailView';
import type { AnnotationService, Target } from './annotations';
import type { IndexService } from './indexService';

/** Accepts (the tag is added, recorded as from its detector) or rejects one suggestion of prediction `id`. */
export async function decideSuggestion(
  index: IndexService,
  annotations: AnnotationService,
  id: number,
  detector: string,
  accept: boolean,
): Promise<boolean> {
  const [target] = await annotations.targetsOf([id]);
  if (!target) return false;
  const open = (await index.call('suggestions', { id })).find((s) => s.detector === detector && s.status === 'open');
  if (!open) return false;
  return accept
    ? annotations.acceptSuggestions([{ target, tag: open.tag }])
    : annotations.rejectSuggestion(target, detector);
}

/**
 * Every open suggestion of the predictions listed under `query` (of `detectors`, or of all), accepted after
 * the user confirms with the count: one change, which one undo reverts.
 */
export async function acceptAllInList(
  index: IndexService,
  annotations: AnnotationService,
  query: FailureQuery,
  detectors: readonly string[],
): Promise<boolean> {
  const q: FailureQuery = { ...query, suggested: [...detectors], group: undefined };
  const items: { id: number; tag: string }[] = [];
  for (let offset = 0; ; offset += MAX_PAGE_ROWS) {
    const page = await index.call('query', { ...q, offset, limit: MAX_PAGE_ROWS });
    for (const row of page.rows)
      for (const s of await index.call('suggestions', { id: row.id }))
        if (s.status === 'open' && detectors.includes(s.detector)) items.push({ id: row.id, tag: s.tag });
    if (page.rows.length < MAX_PAGE_ROWS) break;
  }
  if (!items.length) return false;
  const predictions = new Set(items.map((i) => i.id)).size;
  // Asked in a quick pick rather than a modal dialog: the keyboard drives it (Enter accepts, Escape
  // declines), and so can a test of the workbench, where VS Code refuses modal dialogs.
  const yes = `Accept ${items.length} suggested tag(s)`;
  const answer = await vscode.window.showQuickPick(
    [
      { label: yes, description: `on ${predictions} prediction(s)` },
      { label: 'Cancel', description: 'accept nothing' },
    ],
    {
      title: 'VLM4D: Accept All Suggestions in List',
      placeHolder: `Accept ${items.length} suggested tag(s) on ${predictions} prediction(s)? One undo reverts them all.`,
    },
  );
  if (answer?.label !== yes) return false;
  // One id at a time: targetsOf leaves out predictions it cannot place, so positions would not line up.
  const accepted: { target: Target; tag: string }[] = [];
  for (const id of new Set(items.map((i) => i.id))) {
    const [target] = await annotations.targetsOf([id]);
    if (target) for (const i of items) if (i.id === id) accepted.push({ target, tag: i.tag });
  }
  return annotations.acceptSuggestions(accepted);
}

/** "Accept All Suggestions in List": the side panel's list, of the detectors its Suggested filter holds (or all). */
export async function acceptAllCommand(
  index: IndexService,
  annotations: AnnotationService,
  list: FailureQuery | null,
): Promise<void> {
  if (!list) {
    void vscode.window.showInformationMessage(
      'VLM4D: show the Failures list first; its filters say whose suggestions to accept.',
    );
    return;
  }
  const detectors = list.suggested?.length ? list.suggested : [...DETECTORS];
  if (!(await acceptAllInList(index, annotations, list, detectors)))
    void vscode.window.setStatusBarMessage('VLM4D: no suggestion accepted', 2500);
}

/** Accepts or rejects the first open suggestion of the prediction the detail view shows (its `a` and `x` keys). */
export async function decideShownCommand(
  index: IndexService,
  annotations: AnnotationService,
  shown: DetailData | null,
  accept: boolean,
): Promise<void> {
  const first = shown?.annotation.suggestions?.[0];
  if (!shown || !first) {
    void vscode.window.setStatusBarMessage('VLM4D: the prediction shown has no open suggestion', 2500);
    return;
  }
  await decideSuggestion(index, annotations, shown.prediction.id, first.detector, accept);
}

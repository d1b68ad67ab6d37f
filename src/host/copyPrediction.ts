// Copy Key and Copy as Markdown for the prediction in the detail view: from its buttons (the page sends the
// text, checked by detailValidate.ts) and from the command palette (built here from what the view shows).
import * as vscode from 'vscode';
import { detailMarkdown } from '../protocol/detailMarkdown';
import type { CopyWhat, DetailData } from '../protocol/detailView';

const WHAT: Record<CopyWhat, string> = { key: 'the prediction’s key', markdown: 'the prediction as Markdown' };

export async function copyText(what: CopyWhat, text: string): Promise<void> {
  await vscode.env.clipboard.writeText(text);
  vscode.window.setStatusBarMessage(`VLM4D: copied ${WHAT[what]}`, 3000);
}

/** The command: copies the shown prediction's key or Markdown, or says there is none. */
export async function copyShown(shown: DetailData | null, what: CopyWhat): Promise<void> {
  if (!shown) {
    void vscode.window.showInformationMessage('VLM4D: no prediction is shown in the detail view.');
    return;
  }
  await copyText(what, what === 'key' ? shown.prediction.key : detailMarkdown(shown));
}

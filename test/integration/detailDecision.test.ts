// The detail view built around the decision, in the real workbench on the motion demo, driven by the mouse
// and the keyboard: the verdict, the tags and the note are on screen without scrolling at 1500x950, and Copy
// Key puts the shown prediction's key on the clipboard (the command palette's Copy Prediction as Markdown its
// Markdown). Skipped when the runner opened another workspace or has no UI bridge.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { Vlm4dApi } from '../../src/extension';
import { detailMarkdown } from '../../src/protocol/detailMarkdown';
import { ui } from '../support/bridge';
import { DETAIL, SIDE_PANEL, showAllFailures, until, demoWorkspace, indexedApi } from '../support/extension';

describe('detail view: the decision at the top, Copy Key', function () {
  let a: Vlm4dApi;

  before(async function () {
    const root = demoWorkspace();
    if (!root) this.skip();
    a = await indexedApi();
  });

  it('the verdict, tags and note are visible without scrolling; Copy Key puts the key on the clipboard', async function () {
    this.timeout(120_000);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await showAllFailures(a);
    await ui.click({ selector: '.row[data-index="0"]', webview: SIDE_PANEL });
    await until('a prediction in the detail view', () => a.detail.current);
    await ui.waitFor({ selector: '#copy-key', webview: DETAIL });
    const shown = a.detail.current?.prediction;
    assert.ok(shown);
    await until('the page to show the host’s prediction', async () =>
      (await ui.text({ selector: '#prediction-key', webview: DETAIL })) === shown.key ? true : null,
    );
    // Everything the user decides on lies inside the webview's viewport, as drawn: nothing needs scrolling.
    const outside = await ui.evaluate(
      `() => ['#outcome', '#readings', '#tags .tag', '#note-prediction', '#copy-key']
        .filter((s) => {
          const r = document.querySelector(s)?.getBoundingClientRect();
          return !r || r.height === 0 || r.top < 0 || r.bottom > window.innerHeight;
        })`,
      { webview: DETAIL },
    );
    assert.deepEqual(outside, [], 'not within the first viewport of the detail view');

    await vscode.env.clipboard.writeText('before the click');
    await ui.click({ selector: '#copy-key', webview: DETAIL });
    await until('the key on the clipboard', async () =>
      (await vscode.env.clipboard.readText()) === shown.key ? true : null,
    );
    await vscode.commands.executeCommand('vlm4d.copyPredictionMarkdown');
    const current = a.detail.current;
    assert.ok(current);
    assert.equal(await vscode.env.clipboard.readText(), detailMarkdown(current));
    assert.match(
      await vscode.env.clipboard.readText(),
      new RegExp(`Key: \`${shown.key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\``),
    );
  });
});

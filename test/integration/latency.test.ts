// The detail view's latency as a user meets it, in the real workbench on the motion demo (npm run
// test:explorer): the first open (a click on a row creates the panel), j in the side panel's list (the open
// detail view follows) and j in the detail view, several times each, every part timed (test/support/latency.ts)
// and its median written to test-results/timings.json. A report, not a timed test: nothing is asserted on
// the times, only that each press drew the list's selection.
// Skipped when the runner opened another workspace or has no UI bridge (@vscode/test-electron).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Vlm4dApi } from '../../src/extension';
import { ui } from '../support/bridge';
import { DETAIL, SIDE_PANEL, report, showAllFailures, until, demoWorkspace, indexedApi } from '../support/extension';
import type { Sample } from '../support/latency';
import { medians } from '../support/latency';

/** Presses (and first opens) timed per kind: enough for a median on a noisy machine, few enough to be quick. */
const PRESSES = 9;
const FIRST_OPENS = 8;

describe('failure explorer latency on the motion demo (report)', function () {
  let a: Vlm4dApi;

  before(async function () {
    const root = demoWorkspace();
    if (!root) this.skip();
    a = await indexedApi();
  });

  after(async () => {
    if (!a) return;
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    // The tags it added: the explorer's other tests start from none.
    const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '';
    fs.rmSync(path.join(root, '.vlm4d', 'annotations.json'), { force: true });
  });

  const dataset = async (webview: string): Promise<Record<string, string>> =>
    (await ui.evaluate('() => ({ ...document.body.dataset })', { webview })) as Record<string, string>;
  const listSelects = async (): Promise<number> =>
    Number(await ui.evaluate('el => el.dataset.id', { selector: '.row[aria-selected="true"]', webview: SIDE_PANEL }));

  /**
   * The sample of the `show` asked for after `since` (epoch ms): waits until the host built the list's
   * selection, and the page drew it and painted the next frame.
   */
  async function sampleAfter(since: number, start: () => Promise<number | undefined>): Promise<Sample> {
    const page = await until(
      'the detail view to draw the selection and paint',
      async () => {
        const host = hostMarks();
        if (!((host.received ?? 0) >= since)) return null;
        // Read each time: after j in the detail view the list's selection moves when the host says so.
        if (a.detail.current?.prediction.id !== (await listSelects())) return null;
        const d = await dataset(DETAIL);
        const shownAt = Number(d.shownAt);
        // Drawn for this press: after it, the list's selection (a row built ahead is drawn before the host
        // hears of the key). A build without the page's marks (to compare with) notes no painted frame.
        const drawn = d.shownId ? Number(d.shownId) === a.detail.current?.prediction.id && shownAt >= since : false;
        const legacy = !d.shownId && shownAt >= (host.posted ?? host.received ?? Infinity);
        return (drawn || legacy) && (d.paintedAt || !d.drawMarks) ? d : null;
      },
      15_000,
    );
    const host = hostMarks();
    return {
      ...(await start().then((s) => (s === undefined ? {} : { start: s }))),
      host,
      page: JSON.parse(page.drawMarks ?? '{}') as Record<string, number>,
      shownAt: Number(page.shownAt),
      paintedAt: Number(page.paintedAt),
      ...(page.drawnFrom ? { from: page.drawnFrom } : {}),
    };
  }

  /** The host's marks; a build without them (to compare with) has when the request came only. */
  const hostMarks = (): Record<string, number> =>
    (a.detail as { lastMarks?: Record<string, number> }).lastMarks ?? { received: a.detail.lastRequestAt };

  const reportAll = (what: string, samples: Sample[]): void => {
    for (const m of medians(samples)) report(`latency, ${what}: ${m.part} (median of ${m.n}), ms`, m.median);
    const ahead = samples.filter((s) => s.from === 'ahead' || s.from === 'held').length;
    if (samples.some((s) => s.from))
      report(`latency, ${what}: drawn from rows built ahead, of ${samples.length}`, ahead);
  };
  /** As a user looks at a prediction before the next key: the rows around it are built ahead meanwhile. */
  const looked = () =>
    until(
      'the rows around the prediction built ahead',
      async () => Number((await dataset(DETAIL)).held) > 0,
      5_000,
    ).catch(() => undefined);

  it('times the first open, j in the list, j in the detail view and a tag then j, part by part', async function () {
    this.timeout(240_000);
    const firstOpens: Sample[] = [];
    for (let i = 0; i < FIRST_OPENS; i++) {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await until('no detail view', () => !a.detail.current);
      await showAllFailures(a);
      await ui.waitFor({ selector: '.row[data-index="1"][data-id]', webview: SIDE_PANEL }, 'attached');
      const since = Date.now();
      await ui.click({ selector: `.row[data-index="${i % 2}"]`, webview: SIDE_PANEL });
      firstOpens.push(await sampleAfter(since, async () => undefined));
    }
    reportAll('first open (a click creates the panel)', firstOpens);

    // j in the list: the keyboard is in the list after the click (focus preserved).
    await until('the keyboard in the list', () =>
      ui.evaluate('() => document.hasFocus() && !!document.activeElement?.classList.contains("list")', {
        webview: SIDE_PANEL,
      }),
    );
    const inList: Sample[] = [];
    for (let i = 0; i < PRESSES; i++) {
      await looked();
      const since = Date.now();
      await ui.press('j');
      inList.push(await sampleAfter(since, async () => Number((await dataset(SIDE_PANEL)).movedAt)));
    }
    reportAll('j in the list', inList);

    // j in the detail view.
    await ui.click({ selector: '#question', webview: DETAIL });
    await until('the keyboard in the detail view', () => ui.evaluate('() => document.hasFocus()', { webview: DETAIL }));
    const inDetail: Sample[] = [];
    for (let i = 0; i < PRESSES; i++) {
      await looked();
      const since = Date.now();
      await ui.press('j');
      inDetail.push(await sampleAfter(since, async () => Number((await dataset(DETAIL)).stepAt)));
    }
    reportAll('j in the detail view', inDetail);

    // The triage loop itself: a number key tags the prediction, then j at once; from the top of the list again
    // (the demo's failures are few).
    await vscode.commands.executeCommand('vlm4d.showPanel');
    await until('the keyboard in the list', () =>
      ui.evaluate('() => document.hasFocus() && !!document.activeElement?.classList.contains("list")', {
        webview: SIDE_PANEL,
      }),
    );
    await ui.press('Home');
    await until(
      'the first row shown',
      async () => a.detail.current?.position?.index === 0 && a.detail.current.prediction.id === (await listSelects()),
    );
    await ui.click({ selector: '#question', webview: DETAIL });
    await until('the keyboard in the detail view', () => ui.evaluate('() => document.hasFocus()', { webview: DETAIL }));
    const afterTag: Sample[] = [];
    const pressedTags = () => ui.count({ selector: '#tags .tag[aria-pressed="true"]', webview: DETAIL });
    for (let i = 0; i < PRESSES; i++) {
      await looked();
      const before = await pressedTags();
      await ui.press('1');
      await until('the tag shown', async () => (await pressedTags()) !== before, 10_000);
      const since = Date.now();
      await ui.press('j');
      afterTag.push(await sampleAfter(since, async () => Number((await dataset(DETAIL)).stepAt)));
    }
    reportAll('a number key, then j in the detail view', afterTag);
    assert.equal(inList.length + inDetail.length + afterTag.length, 3 * PRESSES);
  });
});

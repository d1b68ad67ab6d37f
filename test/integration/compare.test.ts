// Comparing two runs as a user does, in the real workbench through Playwright, on the motion demo: Compare
// Runs… picks A and B by typing into the quick picks, the dashboard's "fixed by B" count opens the side
// panel under the comparison filter with the same count, and the detail view shows both runs' answers.
// Skipped when the runner opened another workspace or has no UI bridge (@vscode/test-electron).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { Vlm4dApi } from '../../src/extension';
import { ui } from '../support/bridge';
import { afterReload } from '../support/reload';
import { DASHBOARD, DETAIL, SIDE_PANEL, until, demoWorkspace, indexedApi } from '../support/extension';

describe('failure explorer: comparing two runs in the workbench', function () {
  let a: Vlm4dApi;

  before(async function () {
    const root = demoWorkspace();
    if (!root || afterReload()) this.skip();
    a = await indexedApi();
  });

  after(async function () {
    if (!a) return;
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('picks two runs by typing, opens "fixed by B" with the table\'s count, and shows both answers side by side', async function () {
    this.timeout(180_000);
    const runs = await a.index.call('comparisonRuns', {});
    // Two runs of which B fixed something (the first such pair).
    let pair: { a: string; b: string; fixed: number } | null = null;
    for (const x of runs)
      for (const y of runs) {
        if (pair || x === y) continue;
        const fixed = (await a.index.call('compare', { a: x, b: y })).slices[0]?.onlyAFailed ?? 0;
        if (fixed > 0) pair = { a: x, b: y, fixed };
      }
    assert.ok(pair, `two runs of ${runs.join(', ')} where B fixed a question`);
    const picked = vscode.commands.executeCommand<boolean>('vlm4d.compareRuns');
    for (const run of [pair.a, pair.b]) {
      await ui.waitFor({ selector: '.quick-input-widget input' }, 'visible', 20_000);
      await until(`the quick pick for ${run}`, async () =>
        /Compare Runs \((1|2)\/2\)/.test(await ui.text({ selector: '.quick-input-widget .quick-input-title' })),
      );
      if (run === pair.a) {
        // The dashboard opens with the pick and its page may take the focus as it loads (or the user clicks
        // it): the pick stays open until a run is chosen or Escape is pressed.
        await ui.click({ selector: 'body', webview: DASHBOARD });
        assert.ok(
          await ui.evaluate('() => document.hasFocus()', { webview: DASHBOARD }),
          'the dashboard has the focus',
        );
        await new Promise((r) => setTimeout(r, 300));
        assert.equal(await ui.evaluate('el => el.checkVisibility()', '.quick-input-widget'), true, 'the pick is open');
        await ui.click({ selector: '.quick-input-widget .quick-input-box input' });
      }
      await ui.type(run);
      // Filtered as typed: the run's own entry is the one left first. Keys typed while the pick was still
      // taking focus can be lost: then the run is typed into its box again.
      const box = '.quick-input-widget .quick-input-box input';
      await until(`the quick pick to filter to ${run}`, async () => {
        if ((await ui.text({ selector: '.quick-input-list .monaco-list-row[data-index="0"]' })).includes(run))
          return true;
        if (String(await ui.evaluate('el => el.value', box)) !== run) await ui.fill(box, run);
        return false;
      });
      await ui.press('Enter');
      if (run === pair.a)
        await until('the second quick pick', async () =>
          (await ui.text({ selector: '.quick-input-widget .quick-input-title' })).includes('(2/2)'),
        );
    }
    assert.equal(await picked, true);
    const fixedCell = '#compare-table tbody tr:first-child td.fixed button';
    await ui.waitFor({ selector: fixedCell, webview: DASHBOARD }, 'visible', 30_000);
    assert.equal(a.dashboard.comparison.last?.a, pair.a);
    assert.equal(a.dashboard.comparison.last?.b, pair.b);
    const inTable = Number(await ui.text({ selector: fixedCell, webview: DASHBOARD }));
    assert.equal(inTable, pair.fixed);
    await ui.click({ selector: fixedCell, webview: DASHBOARD });
    const chip = '#filter-comparison .chip[data-value="fixed"] .chip-count';
    await until(
      'the side panel\'s "fixed by B" count',
      async () =>
        (await ui.count({ selector: chip, webview: SIDE_PANEL })) > 0 &&
        (await ui.text({ selector: chip, webview: SIDE_PANEL })).replace(/\D/g, '') === String(inTable),
      30_000,
    );
    await until(
      'the list of what B fixed',
      async () => (await ui.count({ selector: '.row[data-id]', webview: SIDE_PANEL })) === inTable,
      20_000,
    );
    await ui.click({ selector: '.row[data-index="0"]', webview: SIDE_PANEL });
    await until(
      'both answers side by side',
      async () =>
        (await ui.count({ selector: '#compare-side-by-side .compare-a', webview: DETAIL })) === 1 &&
        (await ui.count({ selector: '#compare-side-by-side .compare-b', webview: DETAIL })) === 1,
      30_000,
    );
    assert.match(
      await ui.text({ selector: '#compare-side-by-side .compare-a h3', webview: DETAIL }),
      new RegExp(pair.a.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')),
    );
    assert.match(await ui.text({ selector: '.compare-a .compare-outcome', webview: DETAIL }), /fail/i);
    assert.match(await ui.text({ selector: '.compare-b .compare-outcome', webview: DETAIL }), /correct/i);
    // Back to the plain list for the tests that follow.
    await ui.click({ selector: '#comparison-end', webview: SIDE_PANEL });
    // Ending the comparison goes back to the failures.
    const failed = (await a.index.call('query', { outcome: ['failed'], limit: 0 })).total;
    await until(
      'the failure list after End comparison',
      async () => (await ui.text({ selector: '#summary', webview: SIDE_PANEL })) === `${failed} failed predictions`,
    );
  });
});

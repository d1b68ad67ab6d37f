// The triage loop as a user drives it with the keyboard and the mouse, in the real workbench through
// Playwright, on the motion demo (npm run test:explorer): the detail view always shows the side panel's
// selected prediction, a number key tags what the detail view shows and nothing else, Enter moves the
// keyboard to the detail view, the list can be reached from the keyboard, and opening another model's answer
// from the detail view moves the list's selection and its "k of N" with it.
// Skipped when the runner opened another workspace or has no UI bridge (@vscode/test-electron).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Vlm4dApi } from '../../src/extension';
import { ui } from '../support/bridge';
import { afterReload } from '../support/reload';
import { DETAIL, SIDE_PANEL, report, showAllFailures, until, demoWorkspace, indexedApi } from '../support/extension';

type OnDisk = { predictions: Record<string, { tags: string[] }> };

describe('failure explorer triage loop on the motion demo', function () {
  let a: Vlm4dApi;
  let root: string;
  let file: string;

  before(async function () {
    const demo = demoWorkspace();
    if (!demo) this.skip();
    root = demo;
    a = await indexedApi();
    file = path.join(root, '.vlm4d', 'annotations.json');
  });

  after(async function () {
    // After a window reload the explorer's tests still read the tags and the detail view left before it.
    if (!a || afterReload()) return;
    // The explorer's tests start from no detail view and no tags.
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    if (file) fs.rmSync(file, { force: true });
  });

  const onDisk = (): OnDisk | null =>
    fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as OnDisk) : null;
  /** The keys of every prediction carrying `tag` in the annotations file. */
  const taggedWith = (tag: string): string[] =>
    Object.entries(onDisk()?.predictions ?? {})
      .filter(([, v]) => v.tags.includes(tag))
      .map(([k]) => k);

  /** The prediction the list selects (its row's data-id), or null when no row is selected. */
  const listSelects = async (): Promise<number | null> => {
    const n = await ui.count({ selector: '.row[aria-selected="true"][data-id]', webview: SIDE_PANEL });
    return n
      ? Number(
          await ui.evaluate('el => el.dataset.id', {
            selector: '.row[aria-selected="true"][data-id]',
            webview: SIDE_PANEL,
          }),
        )
      : null;
  };
  /** The prediction the detail view's page shows: its row in "Every loaded answer" is marked as the one shown. */
  const pageShows = async (): Promise<number | null> => {
    const v = await ui.evaluate(
      '() => document.querySelector(\'#others tr[aria-current="true"]\')?.dataset.id ?? null',
      { webview: DETAIL },
    );
    return typeof v === 'string' ? Number(v) : null;
  };
  /**
   * Waits until the list's selection, the detail view's page and the host's `current` name one prediction
   * (other than `moved`, the one before a key that must move on: the host answers j in the detail view).
   */
  const agree = async (after: string, movedFrom?: number): Promise<number> => {
    let last = '';
    try {
      return await until(
        `the detail view to show the list's selection after ${after}`,
        async () => {
          const [list, page, host] = [await listSelects(), await pageShows(), a.detail.current?.prediction.id ?? null];
          last = `list selects ${list}, the detail page shows ${page}, the host's current is ${host}`;
          return list !== null && list !== movedFrom && list === page && page === host ? list : null;
        },
        10_000,
      );
    } catch (e) {
      throw new Error(`${(e as Error).message}: ${last}`, { cause: e });
    }
  };
  /** Asserts that `tag` is on the prediction the detail view shows (by its stable key) and on no other. */
  const taggedOnlyShown = async (tag: string, after: string): Promise<void> => {
    const shown = a.detail.current?.prediction;
    assert.ok(shown, `a prediction in the detail view after ${after}`);
    await until(`${tag} on ${shown.key} in ${file}`, () => taggedWith(tag).includes(shown.key), 10_000).catch(
      () => undefined,
    );
    assert.deepEqual(
      taggedWith(tag),
      [shown.key],
      `after ${after}, the tag ${tag} is on the prediction shown (${shown.key}) and on no other`,
    );
  };
  const keyboardIn = (webview: string) => ui.evaluate('() => document.hasFocus()', { webview });
  const keyboardInList = () =>
    ui.evaluate('() => document.hasFocus() && !!document.activeElement?.classList.contains("list")', {
      webview: SIDE_PANEL,
    });

  /** The side panel on all failures, no detail view, no annotations file. */
  async function freshList(): Promise<number> {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await until('no detail view', () => !a.detail.current);
    fs.rmSync(file, { force: true });
    const total = await showAllFailures(a);
    await ui.waitFor({ selector: '.row[data-index="0"][data-id]', webview: SIDE_PANEL }, 'attached');
    return total;
  }

  it('the detail view follows the list (clicks, j/k, Home/End, PageUp/PageDown) and a number key tags the prediction shown, never another', async function () {
    this.timeout(180_000);
    const total = await freshList();
    assert.ok(total >= 4, 'the demo has a few failures');
    const tags = a.annotations.tags();

    // A click opens the detail view on the row; the keyboard stays in the list.
    await ui.click({ selector: '.row[data-index="0"]', webview: SIDE_PANEL });
    await agree('a click on the first row');
    await until('the first open drawn', () => ui.evaluate('() => document.body.dataset.shownAt', { webview: DETAIL }));
    const drawnAfterRequest = async () =>
      Number(await ui.evaluate('() => document.body.dataset.shownAt', { webview: DETAIL })) - a.detail.lastRequestAt;
    report(
      'triage: detail view drawn after the first click (creates the panel), ms',
      await drawnAfterRequest(),
      `host build ${a.detail.lastShowMs.toFixed(1)} ms`,
    );
    await until('the keyboard in the list', async () => (await keyboardInList()) === true);

    // j in the list: the detail view follows; 1 tags what it shows.
    let pressed = Date.now();
    await ui.press('j');
    await agree('j in the list');
    report(
      'triage: detail view drawn after j in the list, ms',
      await drawnAfterRequest(),
      `host build ${a.detail.lastShowMs.toFixed(1)} ms; ${Date.now() - pressed} ms as polled through the bridge`,
    );
    await ui.press('1');
    await taggedOnlyShown(tags[0] as string, 'j then 1 in the list');

    for (const key of ['End', 'Home', 'PageDown', 'PageUp', 'j', 'j', 'k']) {
      await ui.press(key);
      await agree(`${key} in the list`);
    }
    await ui.click({ selector: '.row[data-index="2"]', webview: SIDE_PANEL });
    assert.equal(
      await agree('a click on the third row'),
      Number(await ui.evaluate('el => el.dataset.id', { selector: '.row[data-index="2"]', webview: SIDE_PANEL })),
    );

    // j then a digit at once, in the list: the tag goes to the newly selected row, which the detail view shows.
    await ui.press('j');
    await ui.press('3');
    await agree('j then 3 in the list');
    await taggedOnlyShown(tags[2] as string, 'j then 3 at once in the list');

    // A digit then j at once: the digit's save refreshes the list while j is pressed; j still moves on, and
    // the digit acted on the row it was pressed on (3 again takes the tag off).
    const untagged = await agree('before 3 then j');
    await ui.press('3');
    await ui.press('j');
    await agree('3 then j at once in the list', untagged);
    await until(`${tags[2]} taken off`, () => taggedWith(tags[2] as string).length === 0, 10_000);

    // In the detail view: j moves the list's selection, and a digit pressed while the next prediction is still
    // loading goes to it (the one now selected), not to the one it replaces.
    await ui.click({ selector: '#question', webview: DETAIL });
    await until('the keyboard in the detail view', async () => (await keyboardIn(DETAIL)) === true);
    pressed = Date.now();
    let from = await agree('a click in the detail view');
    await ui.press('j');
    await ui.press('2');
    from = await agree('j then 2 in the detail view', from);
    report(
      'triage: detail view drawn after j in the detail view (key to filled, as the page noted them), ms',
      Number(
        await ui.evaluate('() => document.body.dataset.shownAt - document.body.dataset.stepAt', { webview: DETAIL }),
      ),
      `host build ${a.detail.lastShowMs.toFixed(1)} ms; ${Date.now() - pressed} ms as polled through the bridge`,
    );
    await taggedOnlyShown(tags[1] as string, 'j then 2 at once in the detail view');
    await ui.press('k');
    await agree('k in the detail view', from);
    await ui.press('4');
    await taggedOnlyShown(tags[3] as string, 'k then 4 in the detail view');
  });

  it('j draws the next row from what the detail view built ahead, and a change made meanwhile is never hidden by it', async function () {
    this.timeout(120_000);
    await freshList();
    await ui.click({ selector: '.row[data-index="0"]', webview: SIDE_PANEL });
    await agree('a click on the first row');
    await ui.click({ selector: '#question', webview: DETAIL });
    await until('the keyboard in the detail view', async () => (await keyboardIn(DETAIL)) === true);
    const held = () => ui.evaluate('() => document.body.dataset.held ?? "0"', { webview: DETAIL });
    await until('the rows around it built ahead', async () => (await held()) === '1', 10_000);
    // Built ahead and held: j draws it in the page before the host hears of it.
    let from = await agree('the first row shown');
    await ui.press('j');
    from = await agree('j in the detail view', from);
    assert.equal(await ui.evaluate('() => document.body.dataset.drawnFrom', { webview: DETAIL }), 'ahead');
    await until('the rows around the second built ahead', async () => (await held()) === '2', 10_000);
    // The next row is tagged elsewhere (the side panel, another window's file) while the page holds it.
    const nextId = Number(
      await ui.evaluate('el => el.dataset.id', { selector: '.row[data-index="2"]', webview: SIDE_PANEL }),
    );
    const [target] = await a.annotations.targetsOf([nextId]);
    assert.ok(target);
    const tagsOf = () => a.annotations.data(target.root)?.predictions[target.predictionKey]?.tags ?? [];
    // A tag it does not have yet (other tests may have left some in memory while the file is read again).
    const tag = a.annotations.tags().find((t) => !tagsOf().includes(t)) as string;
    assert.ok(await a.annotations.toggleTag([target], tag));
    assert.ok(tagsOf().includes(tag), `${tag} added to the next row`);
    await ui.press('j');
    assert.equal(await agree('j after the next row was tagged elsewhere', from), nextId);
    await until(
      `the tag ${tag} shown on the next row`,
      async () =>
        (await ui.evaluate('el => el.getAttribute("aria-pressed")', {
          selector: `#tags .tag[data-tag="${tag}"]`,
          webview: DETAIL,
        })) === 'true',
      10_000,
    );
  });

  it('Enter in the list moves the keyboard to an open detail view: j and the digits then act there', async function () {
    this.timeout(120_000);
    await freshList();
    await ui.click({ selector: '.row[data-index="0"]', webview: SIDE_PANEL });
    await agree('a click on the first row');
    await until('the keyboard in the list', async () => (await keyboardInList()) === true);
    await ui.press('j');
    await ui.press('Enter');
    await agree('j, Enter in the list');
    await until(
      'the keyboard in the detail view after Enter',
      async () => (await keyboardIn(DETAIL)) === true && (await keyboardIn(SIDE_PANEL)) === false,
    );
    const before = a.detail.current?.prediction.id;
    await ui.press('j');
    await agree('Enter, then j', before);
    assert.equal(
      await ui.evaluate('el => el.dataset.index', { selector: '.row[aria-selected="true"]', webview: SIDE_PANEL }),
      '2',
    );
    await ui.press('5');
    await taggedOnlyShown(a.annotations.tags()[4] as string, 'Enter, j, 5');
    // Enter again, on another row of an open detail view: the keyboard goes there again.
    const tagged = a.detail.current?.prediction.id;
    await ui.click({ selector: '.row[data-index="0"]', webview: SIDE_PANEL });
    // The click shows the row in the open detail view: Enter once it is shown, as after the first click.
    await agree('a click on the first row again', tagged);
    await until('the keyboard back in the list', async () => (await keyboardInList()) === true);
    await ui.press('Enter');
    await until(
      'the keyboard in the detail view after a second Enter',
      async () => (await keyboardIn(DETAIL)) === true,
    );
    await agree('a second Enter');
  });

  it('"Show Failures" puts the keyboard in the list (selection kept); / goes to the search box and Escape back', async function () {
    this.timeout(120_000);
    await freshList();
    await vscode.commands.executeCommand('workbench.view.explorer');
    // From the command palette, as a user runs it.
    await ui.press('F1');
    await ui.waitFor('.quick-input-widget input');
    await ui.type('VLM4D: Show Failures');
    await ui.waitFor('.quick-input-widget .monaco-list-row:has-text("VLM4D: Show Failures")');
    await ui.press('Enter');
    await until('the keyboard in the list after "Show Failures"', async () => (await keyboardInList()) === true);
    await ui.press('j');
    await ui.press('j');
    const chosen = await until('a selected row', () => listSelects());
    assert.equal(
      await ui.evaluate('el => el.dataset.index', { selector: '.row[aria-selected="true"]', webview: SIDE_PANEL }),
      '1',
    );
    // Away and back: the keyboard is in the list again, on the same row.
    await vscode.commands.executeCommand('workbench.view.explorer');
    await vscode.commands.executeCommand('vlm4d.showPanel');
    await until('the keyboard in the list when shown again', async () => (await keyboardInList()) === true);
    assert.equal(await listSelects(), chosen, 'the selection is kept');
    // / to the search box, Escape back to the list.
    await ui.press('/');
    await until(
      'the search box focused',
      async () => (await ui.evaluate('() => document.activeElement?.id', { webview: SIDE_PANEL })) === 'filter-text',
    );
    await ui.press('Escape');
    await until('the keyboard back in the list after Escape', async () => (await keyboardInList()) === true);
    assert.equal(await listSelects(), chosen, 'the selection is kept after Escape');
    await ui.press('j');
    assert.equal(
      await until(
        'the next row',
        async () =>
          (await ui.evaluate('el => el.dataset.index', {
            selector: '.row[aria-selected="true"]',
            webview: SIDE_PANEL,
          })) === '2',
      ),
      true,
    );
  });

  it('another answer opened from "Every loaded answer" moves the list selection and "k of N"; j goes on from there', async function () {
    this.timeout(120_000);
    const total = await freshList();
    // A failure whose question another model also failed (so in the list) and a third answered otherwise.
    const rows = (await a.index.call('query', { outcome: ['failed'], limit: 1000 })).rows;
    let pick: { from: number; to: number; outside: number | null } | null = null;
    for (const [i, r] of rows.entries()) {
      const others = await a.index.call('questionPredictions', { id: r.id });
      const inList = others.find((o) => o.id !== r.id && rows.some((x) => x.id === o.id));
      if (!inList) continue;
      const outside = others.find((o) => !rows.some((x) => x.id === o.id));
      pick = { from: i, to: rows.findIndex((x) => x.id === inList.id), outside: outside?.id ?? null };
      if (outside) break;
    }
    assert.ok(pick, 'the demo has a question that two models failed');
    const to = rows[pick.to]?.id as number;
    await ui.click({ selector: `.row[data-index="${pick.from}"]`, webview: SIDE_PANEL });
    await agree('a click on a row');
    await ui.click({ selector: `#others tr[data-id="${to}"] button`, webview: DETAIL });
    assert.equal(await agree("opening another model's answer from the detail view"), to);
    assert.equal(await ui.text({ selector: '.position', webview: DETAIL }), `${pick.to + 1} of ${total}`);
    assert.equal(
      await ui.evaluate('el => el.dataset.index', { selector: '.row[aria-selected="true"]', webview: SIDE_PANEL }),
      String(pick.to),
    );
    await ui.click({ selector: '#question', webview: DETAIL });
    await ui.press('j');
    if (pick.to + 1 < total) assert.equal(await agree('j after it', to), rows[pick.to + 1]?.id);

    if (pick.outside !== null) {
      // An answer the list does not hold: no row is selected and no "k of N" is claimed.
      await ui.click({ selector: `#others tr[data-id="${pick.outside}"] button`, webview: DETAIL });
      await until(
        'the outside answer shown',
        async () => (await pageShows()) === pick?.outside && a.detail.current?.prediction.id === pick?.outside,
      );
      await until('no row selected', async () => (await listSelects()) === null);
      assert.equal(await ui.count({ selector: '.position', webview: DETAIL }), 0);
    }
  });

  it('failure explorer after a window reload: the restored detail view says "k of N" and the list selects its prediction', async function () {
    if (!afterReload()) this.skip();
    this.timeout(90_000);
    const expect = JSON.parse(fs.readFileSync(path.join(root, '.vlm4d-expect-after-reload.json'), 'utf8')) as {
      key: string;
      tag: string;
      rotational: number;
    };
    await until('the detail view restored', () => a.detail.current?.prediction.key === expect.key, 60_000);
    await vscode.commands.executeCommand('vlm4d.showPanel');
    await until(
      'the rotational filter back',
      async () =>
        (await ui.text({ selector: '#summary', webview: SIDE_PANEL })) === `${expect.rotational} failed predictions`,
      30_000,
    );
    const id = await agree('a window reload');
    const index = Number(
      await ui.evaluate('el => el.dataset.index', { selector: '.row[aria-selected="true"]', webview: SIDE_PANEL }),
    );
    assert.equal((await a.index.call('prediction', { id }))?.key, expect.key);
    assert.equal(
      await until('"k of N" in the restored detail view', () => ui.text({ selector: '.position', webview: DETAIL })),
      `${index + 1} of ${expect.rotational}`,
    );
  });
});

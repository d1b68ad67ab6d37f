// The failure explorer as a user drives it, in the real workbench through Playwright: on the motion demo
// (npm run test:explorer opens samples/motion-demo), choose rotational failures in the side panel, click the
// first, read the response beside the playing clip, press j for the next failure, step one frame.
// Skipped when the runner opened another workspace or has no UI bridge (@vscode/test-electron).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { answerLabel } from '../../src/core/answerLabels';
import type { Vlm4dApi } from '../../src/extension';
import { ui } from '../support/bridge';
import { afterReload, reloadWindowAndContinue } from '../support/reload';
import {
  DASHBOARD,
  DETAIL,
  SIDE_PANEL,
  report,
  showAllFailures,
  until,
  demoWorkspace,
  indexedApi,
} from '../support/extension';

/**
 * The demo's judged failures of one prompt mode on rotational questions (options naming turning senses), with
 * the canonical labels of the ground truth and of the option the judge extracted, and the authors' perspective.
 */
function confusionOnDisk(root: string, prompt: string): { truth: string; chosen: string; perspective: string }[] {
  const out: { truth: string; chosen: string; perspective: string }[] = [];
  const dir = path.join(root, 'processed_outputs', `real_mc_${prompt}`);
  for (const name of fs.readdirSync(dir)) {
    const records = JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8')) as (DemoRecord & {
      ground_truth_answer: string;
      extracted_answer: string;
    })[];
    for (const r of records) {
      if (r.correct !== false || !Object.values(r.choices).some((c) => /clockwise/i.test(String(c)))) continue;
      const letter = /^\s*([A-D])\b/.exec(r.extracted_answer)?.[1];
      out.push({
        truth: answerLabel(r.ground_truth_answer),
        chosen: letter && r.choices[letter] !== undefined ? answerLabel(r.choices[letter] as string) : 'no answer',
        perspective: Number(r.id.split('_')[1]) <= 922 ? 'exocentric' : 'egocentric',
      });
    }
  }
  return out;
}

interface DemoRecord {
  id: string;
  choices: Record<string, string>;
  response: string;
  correct: boolean;
}

/**
 * The demo's rotational failures, read from its files: judged predictions answered wrongly to questions whose
 * options are turning senses (the independent expectation for the panel's count).
 */
function rotationalFailuresOnDisk(root: string): { model: string; record: DemoRecord }[] {
  const out: { model: string; record: DemoRecord }[] = [];
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (
        /_mc_(cot|direct-output)$/.test(path.basename(d)) &&
        e.name.endsWith('.json') &&
        /processed_outputs/.test(p)
      ) {
        const model = e.name.replace(/_[^_]*\.json$/, '');
        for (const r of JSON.parse(fs.readFileSync(p, 'utf8')) as DemoRecord[]) {
          if (r.correct === false && Object.values(r.choices).some((c) => /clockwise/i.test(String(c))))
            out.push({ model, record: r });
        }
      }
    }
  };
  walk(root);
  return out;
}

describe('failure explorer on the motion demo', function () {
  let a: Vlm4dApi;
  let root: string;

  before(async function () {
    const demo = demoWorkspace();
    if (!demo) this.skip();
    root = demo;
    a = await indexedApi();
  });

  it('filters to rotational failures, opens the first beside its playing clip, j moves on, a frame step counts one', async function () {
    this.timeout(120_000);
    const expected = rotationalFailuresOnDisk(root);
    assert.ok(expected.length >= 2, 'the demo has rotational failures');

    await vscode.commands.executeCommand('vlm4d.showPanel');
    await ui.waitFor(
      { selector: '#filter-motion .chip[data-value="rotational"]', webview: SIDE_PANEL },
      'visible',
      20_000,
    );
    await ui.click({ selector: '#filter-motion .chip[data-value="rotational"]', webview: SIDE_PANEL });
    const want = `${expected.length} failed predictions`;
    await until(
      `the summary "${want}"`,
      async () => (await ui.text({ selector: '#summary', webview: SIDE_PANEL })) === want,
    );
    const rows = await until('the list rows', async () => {
      const n = await ui.count({ selector: '.row[data-id]', webview: SIDE_PANEL });
      return n === expected.length ? n : 0;
    });
    assert.equal(rows, expected.length);

    // Click the first row: the detail view opens with that prediction.
    const firstId = Number(
      await ui.evaluate('el => el.dataset.id', { selector: '.row[data-index="0"]', webview: SIDE_PANEL }),
    );
    await ui.click({ selector: '.row[data-index="0"]', webview: SIDE_PANEL });
    const first = await a.index.call('prediction', { id: firstId });
    assert.ok(first);
    assert.ok(
      expected.some((e) => e.record.response === first.response),
      'the first row is one of the rotational failures on disk',
    );
    // Its last line, as plain text (the response is shown as Markdown).
    const lastLine = (r: string) => r.trim().split('\n').pop()?.replace(/[*_`]/g, '').trim() ?? '';
    const firstLine = lastLine(first.response);
    const clicked = Date.now();
    await until(
      'the response in the detail view',
      async () => (await ui.text({ selector: '#response', webview: DETAIL })).includes(firstLine),
      20_000,
    );
    // An end-to-end timing report (not a timed test): click to filled view, polled through the bridge.
    const filled = async () =>
      Number(await ui.evaluate('() => document.body.dataset.shownAt', { webview: DETAIL })) - a.detail.lastRequestAt;
    report(
      'detail view filled after a click (first open: creates the panel), ms',
      await filled(),
      `host build ${a.detail.lastShowMs.toFixed(1)} ms; ${Date.now() - clicked} ms as polled through the bridge`,
    );
    // The response is plain text until the Markdown renderer (a second bundle, loaded after the first paint) has run.
    const markdownAt = Number(
      await until('the response drawn as Markdown', () =>
        ui.evaluate('() => document.body.dataset.markdownAt', { webview: DETAIL }),
      ),
    );
    report(
      'detail view response drawn as Markdown after a click (first open; plain text before), ms',
      markdownAt - a.detail.lastRequestAt,
    );

    // Its icons are drawn with the codicon font (the page adds the stylesheet after its first draw).
    await until('the verdict icon drawn with the codicon font', () =>
      ui.evaluate(
        `() => { const i = document.querySelector('#decision .codicon'); return !!i && getComputedStyle(i).fontFamily.includes('codicon') && document.fonts.check('16px codicon'); }`,
        { webview: DETAIL },
      ),
    );

    // The clip plays: enough data to play, and time moves.
    await until(
      'the clip to load',
      async () => (await ui.evaluate('v => v.readyState', { selector: 'video', webview: DETAIL })) === 4,
      20_000,
    );
    await ui.click({ selector: '#play', webview: DETAIL });
    const t0 = Number(await ui.evaluate('v => v.currentTime', { selector: 'video', webview: DETAIL }));
    await until(
      'the clip time to advance',
      async () => Number(await ui.evaluate('v => v.currentTime', { selector: 'video', webview: DETAIL })) > t0 + 0.2,
    );
    await ui.click({ selector: '#play', webview: DETAIL });
    await until(
      'the clip to pause',
      async () => (await ui.evaluate('v => v.paused', { selector: 'video', webview: DETAIL })) === true,
    );

    // One frame forward with the button: the frame number goes up by exactly one.
    const frameOf = async () =>
      Number(/Frame (\d+)/.exec(await ui.text({ selector: '#frame-number', webview: DETAIL }))?.[1]);
    const before = await until('a frame number', async () => {
      const f = await frameOf();
      return Number.isFinite(f) ? { f } : null;
    });
    await ui.click({ selector: '#next-frame', webview: DETAIL });
    await until('the next frame', async () => (await frameOf()) === before.f + 1);

    // j (in the detail view) opens the next failure of the list; the side panel's selection follows.
    const secondId = Number(
      await ui.evaluate('el => el.dataset.id', { selector: '.row[data-index="1"]', webview: SIDE_PANEL }),
    );
    const second = await a.index.call('prediction', { id: secondId });
    assert.ok(second);
    await ui.click({ selector: '#response', webview: DETAIL });
    const pressed = Date.now();
    await ui.press('j');
    await until('the detail view to show the next failure', () => a.detail.current?.prediction.id === secondId, 15_000);
    await until('its response', async () =>
      (await ui.text({ selector: '#response', webview: DETAIL })).includes(lastLine(second.response)),
    );
    // From the key, as the page noted it: the row may be drawn from what was built ahead, before the host hears.
    const keyToFilled = async () => {
      const d = (await ui.evaluate('() => ({ ...document.body.dataset })', { webview: DETAIL })) as Record<
        string,
        string
      >;
      return Number(d.shownAt) - Number(d.stepAt);
    };
    report(
      'detail view filled after j in it (panel reused; key to filled), ms',
      await keyToFilled(),
      `host build ${a.detail.lastShowMs.toFixed(1)} ms; ${Date.now() - pressed} ms as polled through the bridge`,
    );
    await until(
      'the list selection to follow',
      async () =>
        Number(
          await ui.evaluate('el => el.dataset.id', { selector: '.row[aria-selected="true"]', webview: SIDE_PANEL }),
        ) === secondId,
    );

    // With the filter section folded, the list shows beside the detail view (the README's screenshot).
    await ui.click({ selector: '#filters-toggle', webview: SIDE_PANEL });
    await ui.click({ selector: '.row[data-index="1"]', webview: SIDE_PANEL });
    await ui.screenshot('explorer-motion-demo');
    await ui.click({ selector: '#filters-toggle', webview: SIDE_PANEL });
  });

  it('tags a failure with the key 3: the file on disk holds it, the tag filter counts it, a hand edit of the file shows', async function () {
    this.timeout(120_000);
    const file = path.join(root, '.vlm4d', 'annotations.json');
    fs.rmSync(file, { force: true });
    const allFailed = await showAllFailures(a);
    const id = Number(
      await ui.evaluate('el => el.dataset.id', { selector: '.row[data-index="0"]', webview: SIDE_PANEL }),
    );
    const p = await a.index.call('prediction', { id });
    assert.ok(p);
    await ui.click({ selector: '.row[data-index="0"]', webview: SIDE_PANEL });
    await until(
      'the row to be selected',
      async () =>
        (await ui.evaluate('el => el.getAttribute("aria-selected")', {
          selector: '.row[data-index="0"]',
          webview: SIDE_PANEL,
        })) === 'true',
    );
    const third = a.annotations.tags()[2] as string;
    await ui.press('3');

    // On disk, under the prediction's stable key.
    const onDisk = () =>
      fs.existsSync(file)
        ? (JSON.parse(fs.readFileSync(file, 'utf8')) as { predictions: Record<string, { tags: string[] }> })
        : null;
    await until(`${third} in ${file}`, () => onDisk()?.predictions[p.key]?.tags.includes(third));
    // The side panel shows it on the row, and its tag filter counts it.
    await until('the tag on the row', async () =>
      (await ui.text({ selector: '.row[data-index="0"] .row-tags', webview: SIDE_PANEL })).includes(`#${third}`),
    );
    const count = (tag: string) =>
      ui.text({ selector: `#filter-tags .chip[data-value="${tag}"] .chip-count`, webview: SIDE_PANEL });
    await until('the tag count', async () => (await count(third)) === '1');

    // A hand edit of the file (another window, a git pull) shows without a reload.
    const edited = onDisk() as { predictions: Record<string, { tags: string[] }> };
    (edited.predictions[p.key] as { tags: string[] }).tags.push('judge-error');
    fs.writeFileSync(file, JSON.stringify(edited, null, 2));
    await until(
      'the hand-made tag on the row',
      async () =>
        (await ui.text({ selector: '.row[data-index="0"] .row-tags', webview: SIDE_PANEL })).includes('#judge-error'),
      20_000,
    );
    await until('its count', async () => (await count('judge-error')) === '1');

    // Undo takes back the 3, and keeps the hand-made tag.
    await vscode.commands.executeCommand('vlm4d.undoAnnotation');
    await until('the undo on disk', () => {
      const tags = onDisk()?.predictions[p.key]?.tags ?? [];
      return !tags.includes(third) && tags.includes('judge-error');
    });
    await until('the count after undo', async () => (await count(third)) === '0');

    // A verdict override counts everywhere: the status bar has one failure less, the list too.
    const failedOnDisk = allFailed;
    const target = a.annotations.targetOf(p);
    assert.ok(target);
    await a.annotations.setVerdict(target, 'correct');
    await until('the status bar with one failure less', () =>
      a.statusBar.text.endsWith(`· ${failedOnDisk - 1} failed`),
    );
    await until(
      'the list with one failure less',
      async () =>
        (await ui.text({ selector: '#summary', webview: SIDE_PANEL })) === `${failedOnDisk - 1} failed predictions`,
    );
    await a.annotations.setVerdict(target, undefined);
    await until('the status bar back', () => a.statusBar.text.endsWith(`· ${failedOnDisk} failed`));
  });

  it('restores a detail view from the state its page kept (what VS Code hands back after a restart)', async function () {
    this.timeout(60_000);
    const row = (await a.index.call('query', { outcome: ['failed'], motion: ['rotational'], limit: 1 })).rows[0];
    assert.ok(row);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await until('no detail view', () => !a.detail.current);
    // What VS Code's serializer receives: a fresh panel of the detail view's type and the kept state.
    const panel = vscode.window.createWebviewPanel('vlm4d.detail', 'VLM4D: prediction', vscode.ViewColumn.One, {
      enableScripts: true,
    });
    await a.detail.restore(panel, { key: row.key });
    assert.equal(a.detail.current?.prediction.id, row.id);
    await until(
      'the restored response',
      async () => (await ui.text({ selector: '#response', webview: DETAIL })).length > 0,
    );
    assert.equal(await ui.text({ selector: '#question', webview: DETAIL }), row.question);
  });

  it('saves the filters under a name, reopens them, and keeps them when the view is hidden and shown', async function () {
    this.timeout(120_000);
    const rotational = rotationalFailuresOnDisk(root).length;
    const summary = () => ui.text({ selector: '#summary', webview: SIDE_PANEL });
    await vscode.commands.executeCommand('vlm4d.showPanel');
    const chipOn = async () =>
      Boolean(
        await ui.evaluate('el => el.classList.contains("on")', {
          selector: '#filter-motion .chip[data-value="rotational"]',
          webview: SIDE_PANEL,
        }),
      );
    if (!(await chipOn()))
      await ui.click({ selector: '#filter-motion .chip[data-value="rotational"]', webview: SIDE_PANEL });
    await until('the rotational failures', async () => (await summary()) === `${rotational} failed predictions`);

    // Save Filter in the panel asks for a name in the workbench.
    await ui.click({ selector: '#save-filter', webview: SIDE_PANEL });
    await ui.waitFor('.quick-input-widget input');
    await ui.fill('.quick-input-widget input', 'rotation failures');
    await ui.press('Enter');
    await until('the saved filter', () =>
      a.failures
        .savedFilters()
        .some((f) => f.name === 'rotation failures' && f.filters.motion?.join() === 'rotational'),
    );

    // Clear, then reopen it from the command.
    await ui.click({ selector: '#clear-filters', webview: SIDE_PANEL });
    const allFailed = (await a.index.call('query', { outcome: ['failed'], limit: 0 })).total;
    await until('all failures', async () => (await summary()) === `${allFailed} failed predictions`);
    void vscode.commands.executeCommand('vlm4d.openSavedFilter');
    await ui.waitFor('.quick-input-widget .monaco-list-row:has-text("rotation failures")');
    await ui.press('Enter');
    await until(
      'the saved filter back in the panel',
      async () => (await summary()) === `${rotational} failed predictions` && (await chipOn()),
    );

    // Another view container, then back: the panel is rebuilt with the same filters.
    await vscode.commands.executeCommand('workbench.view.explorer');
    await vscode.commands.executeCommand('vlm4d.showPanel');
    await until(
      'the filters after the view came back',
      async () => (await summary()) === `${rotational} failed predictions` && (await chipOn()),
      20_000,
    );
  });

  // Last in this file: reloads the window, then the suite continues with the "after a window reload" tests.
  it('the accuracy dashboard: a confusion cell sets the side panel to its failures, the counts agree, an override shows without reopening', async function () {
    this.timeout(120_000);
    await vscode.commands.executeCommand('vlm4d.showDashboard');
    await a.dashboard.whenRendered();
    // The first rotational cell with failures (chain of thought, every judged model: the dashboard's defaults).
    const cell = '.confusion[data-motion="rotational"] button.cell';
    await ui.waitFor({ selector: cell, webview: DASHBOARD }, 'visible', 20_000);
    const [truth, chosen, count, perspective] = (await ui.evaluate(
      'el => [el.dataset.truth, el.dataset.chosen, Number(el.dataset.count), el.closest("table").dataset.perspective]',
      { selector: cell, webview: DASHBOARD },
    )) as [string, string, number, string];
    // Independently, from the demo's judged chain-of-thought files.
    const onDisk = confusionOnDisk(root, 'cot').filter(
      (f) => f.truth === truth && f.chosen === chosen && f.perspective === perspective,
    ).length;
    assert.equal(count, onDisk, `cell ${truth} → ${chosen} (${perspective})`);
    await ui.click({ selector: cell, webview: DASHBOARD });
    const want = `${count} failed prediction${count === 1 ? '' : 's'}`;
    await until(
      `the side panel to say "${want}"`,
      async () => (await ui.text({ selector: '#summary', webview: SIDE_PANEL })) === want,
      20_000,
    );
    assert.equal(await ui.count({ selector: '.row[data-id]', webview: SIDE_PANEL }), count);
    assert.equal(
      await ui.text({ selector: '#filter-labels .label-filter-text', webview: SIDE_PANEL }),
      `Answer: truth ${truth}, chosen ${chosen}`,
    );

    // An override on one of the cell's failures shows in the open dashboard without reopening it, and so does
    // taking it back.
    const id = Number(
      await ui.evaluate('el => el.dataset.id', { selector: '.row[data-index="0"]', webview: SIDE_PANEL }),
    );
    const p = await a.index.call('prediction', { id });
    assert.ok(p);
    const target = a.annotations.targetOf(p);
    assert.ok(target);
    const cellNow = async () =>
      Number(
        (await ui.evaluate(
          `() => [...document.querySelectorAll('.confusion[data-motion="rotational"][data-perspective="${perspective}"] td')].find((td) => td.dataset.truth === ${JSON.stringify(truth)} && td.dataset.chosen === ${JSON.stringify(chosen)})?.dataset.count ?? 0`,
          { webview: DASHBOARD },
        )) ?? 0,
      );
    await a.annotations.setVerdict(target, 'correct');
    await until('the dashboard cell with one failure less', async () => (await cellNow()) === count - 1, 20_000);
    await a.annotations.setVerdict(target, undefined);
    await until('the dashboard cell back', async () => (await cellNow()) === count, 20_000);
    // Back to the plain list for the tests that follow.
    await ui.click({ selector: '#clear-filters', webview: SIDE_PANEL });
    // The detail view goes (the next test opens it afresh over the dashboard).
    await vscode.commands.executeCommand('workbench.action.closeOtherEditors');
    await until('the detail view closed', () => !a.detail.visible && !a.detail.current);
  });

  it('filters to rotational failures, tags one and reloads the window', async function () {
    if (afterReload()) this.skip();
    this.timeout(60_000);
    await vscode.commands.executeCommand('vlm4d.showPanel');
    await ui.waitFor({ selector: '#clear-filters', webview: SIDE_PANEL }, 'visible', 20_000);
    await ui.click({ selector: '#clear-filters', webview: SIDE_PANEL });
    await ui.click({ selector: '#filter-motion .chip[data-value="rotational"]', webview: SIDE_PANEL });
    const rotational = rotationalFailuresOnDisk(root).length;
    await until(
      'the rotational failures',
      async () => (await ui.text({ selector: '#summary', webview: SIDE_PANEL })) === `${rotational} failed predictions`,
    );
    // A click opens the detail view over the dashboard the previous test left in front: the keyboard stays in
    // the list (the workbench handed it to the covered dashboard, where keys were lost). Both ways: the view
    // created afresh, then brought back to the front after the dashboard came forward again.
    const keyboardInList = () =>
      ui.evaluate('() => document.hasFocus() && document.activeElement?.classList.contains("list")', {
        webview: SIDE_PANEL,
      });
    await ui.click({ selector: '.row[data-index="0"]', webview: SIDE_PANEL });
    await until('the detail view', () => a.detail.visible);
    await until('the keyboard in the list (new detail view)', async () => (await keyboardInList()) === true);
    await vscode.commands.executeCommand('vlm4d.showDashboard');
    await until('the dashboard in front', () => !a.detail.visible);
    await ui.click({ selector: '.row[data-index="0"]', webview: SIDE_PANEL });
    await until('the detail view in front', () => a.detail.visible);
    await until(
      'the keyboard in the list (detail view brought forward)',
      async () => (await keyboardInList()) === true,
    );
    await until(
      'the row to be selected',
      async () =>
        (await ui.evaluate('el => el.getAttribute("aria-selected")', {
          selector: '.row[data-index="0"]',
          webview: SIDE_PANEL,
        })) === 'true',
    );
    const id = Number(
      await ui.evaluate('el => el.dataset.id', { selector: '.row[data-index="0"]', webview: SIDE_PANEL }),
    );
    const p = await a.index.call('prediction', { id });
    assert.ok(p);
    await ui.press('1');
    const file = path.join(root, '.vlm4d', 'annotations.json');
    const first = a.annotations.tags()[0] as string;
    await until(
      'the tag on disk',
      () =>
        fs.existsSync(file) &&
        (JSON.parse(fs.readFileSync(file, 'utf8')) as { predictions: Record<string, { tags: string[] }> }).predictions[
          p.key
        ]?.tags.includes(first),
    );
    fs.writeFileSync(
      path.join(root, '.vlm4d-expect-after-reload.json'),
      JSON.stringify({ key: p.key, tag: first, rotational }),
    );
    await reloadWindowAndContinue('after a window reload');
  });

  it('after a window reload: the filters are back, the tag is still shown on its row and counted by the tag filter', async function () {
    if (!afterReload()) this.skip();
    this.timeout(60_000);
    const expect = JSON.parse(fs.readFileSync(path.join(root, '.vlm4d-expect-after-reload.json'), 'utf8')) as {
      key: string;
      tag: string;
      rotational: number;
    };
    await vscode.commands.executeCommand('vlm4d.showPanel');
    await until(
      'the rotational filter back',
      async () =>
        (await ui.text({ selector: '#summary', webview: SIDE_PANEL })) === `${expect.rotational} failed predictions`,
      30_000,
    );
    assert.equal(
      await ui.evaluate('el => el.classList.contains("on")', {
        selector: '#filter-motion .chip[data-value="rotational"]',
        webview: SIDE_PANEL,
      }),
      true,
    );
    await until(
      'the tag count',
      async () =>
        (await ui.text({
          selector: `#filter-tags .chip[data-value="${expect.tag}"] .chip-count`,
          webview: SIDE_PANEL,
        })) === '1',
      30_000,
    );
    // Filter by it: the one row left is the tagged prediction, showing its tag.
    await ui.click({ selector: `#filter-tags .chip[data-value="${expect.tag}"]`, webview: SIDE_PANEL });
    await until('one row', async () => (await ui.count({ selector: '.row[data-id]', webview: SIDE_PANEL })) === 1);
    const id = Number(
      await ui.evaluate('el => el.dataset.id', { selector: '.row[data-index="0"]', webview: SIDE_PANEL }),
    );
    assert.equal((await a.index.call('prediction', { id }))?.key, expect.key);
    assert.match(
      await ui.text({ selector: '.row[data-index="0"] .row-tags', webview: SIDE_PANEL }),
      new RegExp(`#${expect.tag}`),
    );
  });
});

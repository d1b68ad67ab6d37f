// Failure-mode suggestions as a user decides them in the real workbench through Playwright, on the motion demo
// (npm run test:explorer): the side panel's Suggested filter lists the predictions with an open suggestion;
// `a` in the detail view accepts the first (a tag, recorded as from its detector, in the annotations file),
// the undo command takes it back, `x` rejects one, which is then never suggested again.
// Skipped when the runner opened another workspace or has no UI bridge (@vscode/test-electron).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { DETECTORS } from '../../src/core/failureModes';
import type { Vlm4dApi } from '../../src/extension';
import { ui } from '../support/bridge';
import { afterReload } from '../support/reload';
import { DETAIL, SIDE_PANEL, showAllFailures, until, demoWorkspace, indexedApi } from '../support/extension';

type OnDisk = {
  predictions: Record<string, { tags: string[]; sources?: Record<string, string>; rejected?: string[] }>;
};

describe('failure explorer suggestions on the motion demo', function () {
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
    if (!a || afterReload()) return;
    // The explorer's tests start from the default filters, no detail view and no annotations.
    // (Cleared with the panel's own button and waited for, so that no late focus change follows into the next test.)
    await showAllFailures(a);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    if (file) fs.rmSync(file, { force: true });
  });

  const onDisk = (): OnDisk => {
    try {
      return JSON.parse(fs.readFileSync(file, 'utf8')) as OnDisk;
    } catch {
      return { predictions: {} };
    }
  };
  /** The detail view's page and the host show prediction `id` with its suggestions drawn as the host has them. */
  const shows = async (id: number): Promise<void> => {
    await until(`the detail view to show ${id}`, async () => {
      const page = await ui.evaluate(
        '() => document.querySelector(\'#others tr[aria-current="true"]\')?.dataset.id ?? null',
        { webview: DETAIL },
      );
      return a.detail.current?.prediction.id === id && page === String(id);
    });
  };
  const drawnSuggestions = async (): Promise<string[]> =>
    (await ui.evaluate(
      '() => [...document.querySelectorAll("#suggestions .suggestion")].map((r) => r.dataset.detector)',
      { webview: DETAIL },
    )) as string[];

  it('a accepts the first suggestion as a tag, undo takes it back, x rejects one for good', async function () {
    this.timeout(180_000);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    fs.rmSync(file, { force: true });
    await showAllFailures(a);
    // The detectors run after indexing: wait until they have read every failure.
    const all = { outcome: ['failed' as const], suggested: [...DETECTORS] };
    await until(
      'the detectors to finish',
      async () => (await a.index.call('query', { ...all, limit: 0 })).suggestions?.pending === 0,
      60_000,
    );
    const listed = await a.index.call('query', { ...all, limit: 50 });
    assert.ok(listed.total >= 2, `the demo has predictions with suggestions (${listed.total})`);

    // The Suggested filter in the side panel, chosen with the mouse: the list holds exactly those predictions.
    const first = listed.rows[0];
    assert.ok(first);
    const firstOpen = (await a.index.call('suggestions', { id: first.id })).filter((s) => s.status === 'open');
    const detector = firstOpen[0]?.detector as string;
    await a.failures.showFilters({ outcome: ['failed'], suggested: [detector] });
    const underDetector = (await a.index.call('query', { outcome: ['failed'], suggested: [detector], limit: 0 })).total;
    await until(
      'the list under the Suggested filter',
      async () =>
        (await ui.text({ selector: '#summary', webview: SIDE_PANEL })) === `${underDetector} failed predictions`,
    );
    await ui.click({ selector: '.row[data-index="0"]', webview: SIDE_PANEL });
    const id = Number(
      await ui.evaluate('el => el.dataset.id', { selector: '.row[data-index="0"]', webview: SIDE_PANEL }),
    );
    await shows(id);
    const key = a.detail.current?.prediction.key as string;
    const open = (await a.index.call('suggestions', { id })).filter((s) => s.status === 'open');
    assert.ok(open.length, `prediction ${key} has an open suggestion`);
    await until('the suggestions drawn', async () => (await drawnSuggestions()).length === open.length);
    assert.deepEqual(
      await drawnSuggestions(),
      open.map((s) => s.detector),
    );
    const tag = open[0]?.tag as string;

    // `a` in the detail view: the tag is in the file, recorded as from its detector; the view drops the suggestion.
    await ui.click({ selector: '#question', webview: DETAIL });
    await ui.press('a');
    await until(`${tag} on ${key} in ${file}`, () => onDisk().predictions[key]?.tags.includes(tag) ?? false, 10_000);
    assert.equal(onDisk().predictions[key]?.sources?.[tag], 'detector');
    await until(
      'the accepted suggestion gone from the view',
      async () => !(await drawnSuggestions()).includes(open[0]?.detector as string),
    );
    await until(
      'the tag drawn as on',
      async () =>
        (await ui.evaluate(
          `() => document.querySelector('#tags .tag[data-tag="${tag}"]')?.getAttribute('aria-pressed') ?? 'absent'`,
          {
            webview: DETAIL,
          },
        )) !== 'false',
    );

    // The undo command: the tag is gone, the suggestion open again.
    await vscode.commands.executeCommand('vlm4d.undoAnnotation');
    await until(`${tag} off ${key}`, () => !(onDisk().predictions[key]?.tags.includes(tag) ?? false), 10_000);
    await until('the suggestion offered again', async () => (await drawnSuggestions())[0] === open[0]?.detector);

    // `x` on another prediction: rejected in the file, and never suggested there again.
    const other = (await a.index.call('query', { ...all, limit: 50 })).rows.find((r) => r.id !== id);
    assert.ok(other, 'a second prediction with a suggestion');
    await a.failures.showFilters({ outcome: ['failed'], suggested: [...DETECTORS] });
    await vscode.commands.executeCommand('vlm4d.showPanel');
    await a.detail.show({ id: other.id, preserveFocus: false, position: null });
    await shows(other.id);
    const otherKey = a.detail.current?.prediction.key as string;
    const otherOpen = (await a.index.call('suggestions', { id: other.id })).filter((s) => s.status === 'open');
    const rejected = otherOpen[0]?.detector as string;
    await until('the suggestions drawn', async () => (await drawnSuggestions())[0] === rejected);
    await ui.click({ selector: '#question', webview: DETAIL });
    await ui.press('x');
    await until(
      `${rejected} rejected on ${otherKey}`,
      () => onDisk().predictions[otherKey]?.rejected?.includes(rejected) ?? false,
      10_000,
    );
    assert.equal(
      onDisk().predictions[otherKey]?.tags.includes(otherOpen[0]?.tag as string) ?? false,
      false,
      'a rejection adds no tag',
    );
    await until(
      'the rejected suggestion gone from the view',
      async () => !(await drawnSuggestions()).includes(rejected),
    );
    const after = await a.index.call('suggestions', { id: other.id });
    assert.equal(after.find((s) => s.detector === rejected)?.status, 'rejected');
    const stillListed = await a.index.call('query', { outcome: ['failed'], suggested: [rejected], limit: 1000 });
    assert.ok(!stillListed.rows.some((r) => r.id === other.id), 'no longer under the Suggested filter');
  });
});

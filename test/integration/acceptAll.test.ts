// Accept All Suggestions in List as a user runs it in the real workbench through Playwright, on the motion
// demo: the command asks first in a quick pick (VS Code refuses modal dialogs in a test workbench, so the
// confirmation is one the keyboard drives: Escape changes nothing, Enter accepts); the file then holds every
// open suggestion of the list as a tag recorded as from its detector; one undo takes them all back.
// Skipped when the runner opened another workspace or has no UI bridge (@vscode/test-electron).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { DETECTORS } from '../../src/core/failureModes';
import type { Vlm4dApi } from '../../src/extension';
import { ui } from '../support/bridge';
import { afterReload } from '../support/reload';
import { SIDE_PANEL, showAllFailures, until, demoWorkspace, indexedApi } from '../support/extension';

type OnDisk = { predictions: Record<string, { tags: string[]; sources?: Record<string, string> }> };
const PICK = '.quick-input-widget';

describe('failure explorer suggestions: accept all in list', function () {
  let a: Vlm4dApi;
  let file: string;

  before(async function () {
    const root = demoWorkspace();
    if (!root || afterReload()) this.skip();
    a = await indexedApi();
    file = path.join(root, '.vlm4d', 'annotations.json');
  });

  after(async function () {
    if (!a || afterReload()) return;
    await showAllFailures(a);
    if (file) fs.rmSync(file, { force: true });
  });

  const onDisk = (): OnDisk => {
    try {
      return JSON.parse(fs.readFileSync(file, 'utf8')) as OnDisk;
    } catch {
      return { predictions: {} };
    }
  };

  it('asks first, accepts every open suggestion of the list with its source, and one undo reverts all', async function () {
    this.timeout(180_000);
    fs.rmSync(file, { force: true });
    const all = { outcome: ['failed' as const], suggested: [...DETECTORS] };
    await until(
      'the detectors to finish',
      async () => (await a.index.call('query', { ...all, limit: 0 })).suggestions?.pending === 0,
      60_000,
    );
    // The detector with the fewest open suggestions (at least two), as the list to accept.
    const counts = (await a.index.call('query', { outcome: ['failed'], limit: 0 })).suggestions?.counts ?? {};
    const detector = Object.entries(counts)
      .filter(([, n]) => n >= 2)
      .sort((x, y) => x[1] - y[1])[0]?.[0];
    assert.ok(detector, `a detector with two suggestions or more (${JSON.stringify(counts)})`);
    const filters = { outcome: ['failed' as const], suggested: [detector] };
    const listed = await a.index.call('query', { ...filters, limit: 1000 });
    const expected: { key: string; tag: string }[] = [];
    for (const r of listed.rows)
      for (const s of await a.index.call('suggestions', { id: r.id }))
        if (s.status === 'open' && s.detector === detector) expected.push({ key: r.key, tag: s.tag });
    assert.ok(expected.length >= 2);
    await a.failures.showFilters(filters);
    await until(
      'the list under the Suggested filter',
      async () =>
        (await ui.text({ selector: '#summary', webview: SIDE_PANEL })) === `${listed.total} failed predictions` &&
        JSON.stringify(a.failures.filters?.suggested) === JSON.stringify([detector]),
    );
    const question = `Accept ${expected.length} suggested tag(s) on ${new Set(expected.map((e) => e.key)).size} prediction(s)?`;

    /** The confirmation open, its question shown and the keyboard in it. */
    const confirmation = async (): Promise<void> => {
      await ui.waitFor({ selector: PICK }, 'visible', 20_000);
      await until(
        'the confirmation with its question, focused',
        async () =>
          String(await ui.evaluate('el => el.placeholder', `${PICK} .quick-input-box input`)).startsWith(question) &&
          (await ui.evaluate('() => !!document.activeElement?.closest(".quick-input-widget")')) === true,
      );
      assert.match(
        await ui.text({ selector: `${PICK} .monaco-list-row[data-index="0"]` }),
        new RegExp(`^Accept ${expected.length} suggested tag`),
      );
    };

    // Declined with Escape: nothing is written.
    const dismissed = vscode.commands.executeCommand('vlm4d.acceptAllSuggestionsInList');
    await confirmation();
    await ui.press('Escape');
    await dismissed;
    await ui.waitFor({ selector: PICK }, 'hidden', 10_000);
    assert.equal(fs.existsSync(file), false, 'a declined confirmation writes nothing');

    // Accepted with Enter (the first choice).
    const accepted = vscode.commands.executeCommand('vlm4d.acceptAllSuggestionsInList');
    await confirmation();
    await ui.press('Enter');
    await accepted;
    await until(
      `${expected.length} accepted tags in ${file}`,
      () => expected.every((e) => onDisk().predictions[e.key]?.tags.includes(e.tag)),
      10_000,
    );
    for (const e of expected) assert.equal(onDisk().predictions[e.key]?.sources?.[e.tag], 'detector', e.key);
    assert.equal(
      (await a.index.call('query', { ...filters, limit: 0 })).total,
      0,
      'no open suggestion of the detector is left in the list',
    );

    // One undo: every one of them is gone again, with its source.
    await vscode.commands.executeCommand('vlm4d.undoAnnotation');
    await until(
      'every accepted tag undone',
      () =>
        expected.every(
          (e) => !onDisk().predictions[e.key]?.tags.includes(e.tag) && !onDisk().predictions[e.key]?.sources?.[e.tag],
        ),
      10_000,
    );
    await until(
      'the suggestions open again',
      async () => (await a.index.call('query', { ...filters, limit: 0 })).total === listed.total,
    );
  });
});

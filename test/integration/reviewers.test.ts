// Agreement between reviewers in the real workbench through Playwright, on the motion demo: your annotations
// (made through the extension) against another reviewer's file, passed to Compare Annotations With Another
// File… as its argument (the runner cannot answer the native open dialog the palette shows); the dashboard's
// kappa and counts equal a direct computation here, and a click on a disagreement opens that prediction.
// Skipped when the runner opened another workspace or has no UI bridge (@vscode/test-electron).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Vlm4dApi } from '../../src/extension';
import { ui } from '../support/bridge';
import { afterReload } from '../support/reload';
import { DASHBOARD, until, demoWorkspace, indexedApi } from '../support/extension';

type Item = { tags: string[]; note?: string; verdict?: string };

/** Kappa from its definition over paired labels; null when chance agreement is 1. */
function directKappa(pairs: [string, string][]): number | null {
  const n = pairs.length;
  const po = pairs.filter(([x, y]) => x === y).length / n;
  let pe = 0;
  for (const c of new Set(pairs.flat()))
    pe += (pairs.filter(([x]) => x === c).length / n) * (pairs.filter(([, y]) => y === c).length / n);
  return pe === 1 ? null : (po - pe) / (1 - pe);
}

describe('failure explorer: agreement between reviewers', function () {
  let a: Vlm4dApi;
  let own: string;
  let other: string;

  before(async function () {
    const root = demoWorkspace();
    if (!root || afterReload()) this.skip();
    a = await indexedApi();
    own = path.join(root, '.vlm4d', 'annotations.json');
    other = path.join(root, '.vlm4d', 'reviewer-b.json');
  });

  after(async function () {
    if (!a || afterReload()) return;
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const f of [own, other]) if (f) fs.rmSync(f, { force: true });
  });

  it("shows kappa per tag and for verdicts against another reviewer's file; a disagreement opens", async function () {
    this.timeout(180_000);
    fs.rmSync(own, { force: true });
    const rows = (await a.index.call('query', { outcome: ['failed'], limit: 6 })).rows;
    assert.equal(rows.length, 6, 'six failures to annotate');
    const targets = await a.annotations.targetsOf(rows.map((r) => r.id));
    const keys = targets.map((t) => t.predictionKey);
    // Yours: missed-motion on the first four, the first overridden as wrong, a note on the last two.
    assert.ok(await a.annotations.toggleTag(targets.slice(0, 4), 'missed-motion'));
    assert.ok(await a.annotations.setVerdict(targets[0] as (typeof targets)[number], 'wrong'));
    for (const t of targets.slice(4)) assert.ok(await a.annotations.setNote(t, 'predictions', 'looked at'));
    // Theirs: missed-motion on 0, 1 and 4, judge-error on 2, verdicts wrong on 0 and correct on 1.
    const theirs: Record<string, Item> = {};
    keys.forEach((k, i) => {
      theirs[k] = {
        tags: [...([0, 1, 4].includes(i) ? ['missed-motion'] : []), ...(i === 2 ? ['judge-error'] : [])],
        note: 'b',
        ...(i === 0 ? { verdict: 'wrong' } : i === 1 ? { verdict: 'correct' } : {}),
      };
    });
    fs.writeFileSync(other, JSON.stringify({ format: 'vlm4d-annotations', version: 1, predictions: theirs }));
    const onDisk = () => {
      try {
        return (JSON.parse(fs.readFileSync(own, 'utf8')) as { predictions: Record<string, Item> }).predictions;
      } catch {
        return {};
      }
    };
    await until('your six annotations on disk', () => Object.keys(onDisk()).length === 6, 10_000);
    const mine = onDisk();

    assert.equal(
      await vscode.commands.executeCommand('vlm4d.compareAnnotations', vscode.Uri.file(other)),
      true,
      'the file is compared',
    );
    await ui.waitFor({ selector: '#reviewers-table', webview: DASHBOARD }, 'visible', 30_000);
    const shown = (await ui.evaluate(
      '() => [...document.querySelectorAll("#reviewers-table tbody tr")].map((tr) => [...tr.querySelectorAll("th, td")].map((c) => c.textContent))',
      { webview: DASHBOARD },
    )) as string[][];
    // Direct: over the keys both annotated, each tag's and the verdicts' paired answers.
    const both = Object.keys(mine).filter((k) => k in theirs);
    assert.equal(both.length, 6);
    const k3 = (k: number | null) => (k === null ? '–' : k.toFixed(3));
    for (const tag of ['judge-error', 'missed-motion']) {
      const pairs = both.map((k) => [
        String(mine[k]?.tags.includes(tag) ?? false),
        String(theirs[k]?.tags.includes(tag) ?? false),
      ]) as [string, string][];
      const n = (x: string, y: string) => String(pairs.filter(([p, q]) => p === x && q === y).length);
      assert.deepEqual(
        shown.find((r) => r[0] === tag),
        [tag, k3(directKappa(pairs)), n('true', 'true'), n('true', 'false'), n('false', 'true'), n('false', 'false')],
      );
    }
    const verdicts = both.map((k) => [mine[k]?.verdict ?? 'none', theirs[k]?.verdict ?? 'none']) as [string, string][];
    assert.equal(shown.find((r) => r[0] === 'Verdict overrides')?.[1], k3(directKappa(verdicts)));

    // Where they differ: keys 1 (verdict), 2 (tags), 3 and 4 (missed-motion on one side).
    const listed = (await ui.evaluate(
      '() => [...document.querySelectorAll("#reviewers-list li")].map((li) => li.dataset.key)',
      { webview: DASHBOARD },
    )) as string[];
    assert.deepEqual(listed, [keys[1], keys[2], keys[3], keys[4]].sort());
    const target = keys[2] as string;
    await ui.click({ selector: `#reviewers-list li[data-key="${target}"] button.disagreement`, webview: DASHBOARD });
    await until(`the detail view to show ${target}`, () => a.detail.current?.prediction.key === target, 20_000);
  });
});

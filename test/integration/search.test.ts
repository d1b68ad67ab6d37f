// The side panel's search as a user types it, in the real workbench: a quoted phrase and a word on the motion
// demo list exactly the failures whose question or response holds both (counted here from the demo's files),
// and the matches are marked in the rows and in the opened prediction's response.
// Skipped when the runner opened another workspace or has no UI bridge (@vscode/test-electron).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Vlm4dApi } from '../../src/extension';
import { ui } from '../support/bridge';
import { DETAIL, SIDE_PANEL, showAllFailures, until, demoWorkspace, indexedApi } from '../support/extension';

interface DemoRecord {
  id: string;
  response: string;
  correct: boolean;
}

/** The demo's judged failures with their benchmark question, read from its files. */
function failuresOnDisk(root: string): { question: string; response: string }[] {
  const questions = new Map(
    (
      JSON.parse(fs.readFileSync(path.join(root, 'data', 'real_mc.json'), 'utf8')) as { id: string; question: string }[]
    ).map((q) => [q.id, q.question]),
  );
  const out: { question: string; response: string }[] = [];
  const judged = path.join(root, 'processed_outputs');
  for (const sub of fs.readdirSync(judged))
    for (const name of fs.readdirSync(path.join(judged, sub)))
      for (const r of JSON.parse(fs.readFileSync(path.join(judged, sub, name), 'utf8')) as DemoRecord[])
        if (r.correct === false) out.push({ question: questions.get(r.id) ?? '', response: r.response });
  return out;
}

const has = (text: string, term: string): boolean => text.toLowerCase().includes(term.toLowerCase());

describe('failure explorer search: quoted phrases, marked matches', function () {
  let a: Vlm4dApi;
  let root: string;

  before(async function () {
    const demo = demoWorkspace();
    if (!demo) this.skip();
    root = demo;
    a = await indexedApi();
  });

  after(async function () {
    if (!a) return;
    // The next tests start from an empty search box and no detail view.
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await showAllFailures(a);
  });

  it('a quoted phrase and a word list the failures holding both, marked in the rows and the response', async function () {
    this.timeout(120_000);
    const failures = failuresOnDisk(root);
    const count = (terms: string[]) =>
      failures.filter((f) => terms.every((t) => has(f.question, t) || has(f.response, t))).length;
    // The brute force's idea of a failure is the panel's before any search.
    assert.equal(await showAllFailures(a), count([]));
    const terms = ['white square', 'left'];
    const want = count(terms);
    // The phrase is not its words: the expectation tells a phrase search from a word search.
    assert.ok(want > 0 && want !== count(['square white', 'left']), 'the demo tells the phrase apart');

    await ui.click({ selector: '#filter-text input', webview: SIDE_PANEL });
    await ui.press('Control+a');
    await ui.type('"white square" left');
    await ui.press('Enter');
    await until(
      `the summary "${want} failed predictions"`,
      async () => (await ui.text({ selector: '#summary', webview: SIDE_PANEL })) === `${want} failed predictions`,
    );
    await until('the rows', async () => (await ui.count({ selector: '.row[data-id]', webview: SIDE_PANEL })) === want);
    const firstMarks = (await ui.evaluate(
      'el => [...el.querySelectorAll("mark.search-hit")].map((m) => m.textContent.toLowerCase())',
      { selector: '.row[data-index="0"] .row-question', webview: SIDE_PANEL },
    )) as string[];
    assert.ok(firstMarks.includes('white square'), `marks in the first row: ${firstMarks.join(', ')}`);

    // Open a row whose response holds a term: the detail view marks it (the host sends the search along).
    const ids = (await ui.evaluate('() => [...document.querySelectorAll(".row[data-id]")].map((r) => r.dataset.id)', {
      webview: SIDE_PANEL,
    })) as string[];
    let pick: { id: number; response: string } | null = null;
    for (const id of ids.map(Number)) {
      const p = await a.index.call('prediction', { id });
      if (p && terms.some((t) => has(p.response, t))) {
        pick = { id, response: p.response };
        break;
      }
    }
    assert.ok(pick, 'a listed response holds a term');
    const picked = pick;
    await ui.click({ selector: `.row[data-id="${picked.id}"]`, webview: SIDE_PANEL });
    await until('the detail view to show it', () => a.detail.current?.prediction.id === picked.id, 20_000);
    const inResponse = terms.filter((t) => has(picked.response, t));
    const responseMarks = await until('the response marked', async () => {
      const marks = (await ui.evaluate(
        'el => [...el.querySelectorAll("mark.search-hit")].map((m) => m.textContent.toLowerCase())',
        { selector: '#response', webview: DETAIL },
      )) as string[];
      return marks.length ? marks : null;
    });
    for (const t of inResponse)
      assert.ok(responseMarks.includes(t), `"${t}" is in the response and marked (${responseMarks.join(', ')})`);
  });
});

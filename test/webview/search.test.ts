// Search matches marked in the side panel's rows and in the detail view's response: the marks cover what the
// search language (src/core/searchTerms.ts) matches, computed here on the text itself, and the text is kept
// whole and as text (nothing the model wrote is read as markup).
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { searchTerms } from '../../src/core/searchTerms';
import { IndexSource } from './data';
import { data, openDetail } from './detail.test';
import { env, openPanel, until } from './harness';

/** The text of every <mark class="search-hit"> under `selector`, and the whole text of each match. */
async function marksIn(page: Page, selector: string): Promise<{ text: string; marks: string[] }[]> {
  return page.$$eval(selector, (els) =>
    els.map((e) => ({
      text: e.textContent ?? '',
      marks: [...e.querySelectorAll('mark.search-hit')].map((m) => m.textContent ?? ''),
    })),
  );
}

/** The stretches of `text` the terms cover (overlaps merged), case kept: what the marks must hold. */
function expectedMarks(text: string, terms: string[]): string[] {
  const covered = new Array<boolean>(text.length).fill(false);
  const lower = text.toLowerCase();
  for (const t of terms) {
    const needle = t.toLowerCase();
    for (let at = lower.indexOf(needle); at >= 0; at = lower.indexOf(needle, at + 1))
      for (let i = at; i < at + needle.length; i++) covered[i] = true;
  }
  const out: string[] = [];
  for (let i = 0; i < text.length;) {
    if (!covered[i]) {
      i++;
      continue;
    }
    let j = i;
    while (j < text.length && covered[j]) j++;
    out.push(text.slice(i, j));
    i = j;
  }
  return out;
}

/**
 * The text under `selector` and the stretches of it covered by marks, neighbouring marks joined: a phrase
 * marked in pieces (one per element the rendering split it into) reads as one stretch.
 */
async function coveredIn(page: Page, selector: string): Promise<{ text: string; covered: string[] }> {
  return page.$eval(selector, (root) => {
    let text = '';
    const on: boolean[] = [];
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const hit = !!n.parentElement?.closest('mark.search-hit');
      const t = (n as Text).data;
      text += t;
      for (let i = 0; i < t.length; i++) on.push(hit);
    }
    const covered: string[] = [];
    for (let i = 0; i < text.length;) {
      if (!on[i]) {
        i++;
        continue;
      }
      let j = i;
      while (j < text.length && on[j]) j++;
      covered.push(text.slice(i, j));
      i = j;
    }
    return { text, covered };
  });
}

export function registerSearchTests(): void {
  describe('search matches marked', function () {
    let source: IndexSource;
    before(async () => {
      source = await IndexSource.open(env.root, path.join(env.root, 'samples'));
    });
    after(() => source.close());

    it('in the list: every row marks the terms in its question, the question kept whole', async () => {
      const p = await openPanel(source, { width: 300, height: 700 });
      try {
        const search = '"white square" moving';
        await p.page.locator('#filter-text input').fill(search);
        await p.page.locator('#filter-text input').press('Enter');
        const expected = source.query({ outcome: ['failed'], text: search, limit: 0 }).total;
        assert.ok(expected > 0, 'the sample has rows for the search');
        await until(
          p.page,
          new Function(
            `return document.querySelector('#summary')?.textContent?.startsWith('${expected.toLocaleString('en-US')} ') && !!document.querySelector('.row[data-id] mark.search-hit')`,
          ) as () => boolean,
        );
        const rows = await marksIn(p.page, '.row[data-id] .row-question');
        assert.ok(rows.length > 0);
        const terms = searchTerms(search);
        for (const r of rows) assert.deepEqual(r.marks, expectedMarks(r.text, terms), r.text);
        // The title keeps the whole question for a row too narrow to show it.
        const titles = await p.page.$$eval('.row[data-id] .row-question', (qs) =>
          qs.map((q) => [q.textContent, q.getAttribute('title')]),
        );
        for (const [text, title] of titles) assert.equal(title, text);
        // A new search marks anew; none marks nothing.
        await p.page.locator('#filter-text input').fill('');
        await p.page.locator('#filter-text input').press('Enter');
        await until(
          p.page,
          () => !document.querySelector('mark.search-hit') && !!document.querySelector('.row[data-id]'),
        );
        await p.assertClean();
      } finally {
        await p.close();
      }
    });

    it('in the response: Markdown and plain text, the text whole, hostile text kept as text', async () => {
      const d = await openDetail();
      try {
        const response =
          'The bar is **turning left**, then turning back.\n\n<img src=x onerror="window.__xss=1"> Turning Left again.\n\nTherefore, the final answer is: A';
        const shown = data({ search: '"turning left" onerror' }, response);
        await d.send({ type: 'show', data: shown });
        await d.page.locator('#response mark.search-hit').first().waitFor();
        const [r] = await marksIn(d.page, '#response');
        assert.ok(r);
        // Marked text node by text node: what Markdown kept as text is marked as the language says.
        const expected = expectedMarks(r.text, searchTerms('"turning left" onerror'));
        assert.deepEqual(r.marks, expected);
        assert.ok(r.marks.includes('turning left') && r.marks.includes('Turning Left') && r.marks.includes('onerror'));
        assert.equal(await d.page.evaluate(() => (window as unknown as { __xss?: number }).__xss), undefined);
        assert.equal(await d.page.locator('#response img').count(), 0);
        // The same prediction without a search: no mark.
        await d.send({ type: 'show', data: { ...data({}, response), search: '' } });
        await until(d.page, () => !document.querySelector('#response mark.search-hit'));
        // A search that is not a string (a broken message) marks nothing and breaks nothing.
        await d.send({ type: 'show', data: { ...data({}, response), search: 42 as unknown as string } });
        await until(d.page, () => document.querySelector('#response')?.textContent?.includes('Turning Left'));
        assert.equal(await d.page.locator('#response mark.search-hit').count(), 0);
        await d.clean();
      } finally {
        await d.close();
      }
    });

    it('in the response: a quoted phrase that Markdown splits across elements is marked across them', async () => {
      const d = await openDetail();
      try {
        const response =
          'The car is moving **left** now, then Moving *Left* again; moving right.\n\nTherefore, the final answer is: A';
        // The phrase as the user typed it, and as the response holds it literally (with its Markdown).
        for (const search of ['"moving left"', '"moving **left**"']) {
          // Each search starts from another response, so what is read below is this search's drawing.
          await d.send({ type: 'show', data: { ...data({}, 'Nothing to see.'), search } });
          await until(d.page, () => document.querySelector('#response')?.textContent?.includes('Nothing to see.'));
          await d.send({ type: 'show', data: { ...data({}, response), search } });
          await until(
            d.page,
            () =>
              document.querySelector('#response')?.getAttribute('data-format') === 'markdown' &&
              !!document.querySelector('#response')?.textContent?.includes('moving left now'),
          );
          const r = await coveredIn(d.page, '#response');
          assert.ok(r.text.includes('moving left now'), `rendered without the markers: ${r.text}`);
          assert.deepEqual(r.covered, expectedMarks(r.text, ['moving left']), `for the search ${search}`);
          assert.deepEqual(r.covered, ['moving left', 'Moving Left']);
          // Marked in pieces inside the formatting: the emphasis stays as it was drawn.
          assert.equal(await d.page.locator('#response strong mark.search-hit').textContent(), 'left');
        }
        await d.clean();
      } finally {
        await d.close();
      }
    });

    it('in the response before the Markdown renderer loads (plain text), the final answer still marked', async () => {
      const d = await openDetail({ markdown: 'fail' });
      try {
        const response = 'It moves left.\n\nTherefore, the final answer is: A (left)';
        await d.send({ type: 'show', data: data({ search: 'left' }, response) });
        await d.page.locator('#response mark.search-hit').first().waitFor();
        const [r] = await marksIn(d.page, '#response .plain');
        assert.ok(r);
        assert.equal(r.text, response);
        assert.deepEqual(r.marks, ['left', 'left']);
        assert.equal(await d.page.locator('#response mark.final-answer mark.search-hit').count(), 1);
        // The renderer's request was made to fail: that failure is the only error.
        assert.deepEqual(
          d.errors.filter((e) => !/Failed to load resource/.test(e)),
          [],
        );
      } finally {
        await d.close();
      }
    });
  });
}

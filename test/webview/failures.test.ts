// The failures panel in headless Chromium: what it posts for each user action, what it shows for each
// host message, virtualization at 80,000 rows, keyboard navigation, untrusted text, CSP, persisted state.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import type { FailureQuery, QueryResult } from '../../src/core/index/query';
import type { ViewToHost } from '../../src/protocol/failuresView';
import type { DataSource } from './data';
import { IndexSource, LazySource, SYNTHETIC_MODELS, SyntheticSource } from './data';
import type { QueryMessage } from './fakeHost';
import type { Panel, PanelOptions } from './harness';
import { env, openPanel, until } from './harness';

const ROW_HEIGHT = 44;
const isQuery = (m: ViewToHost): m is QueryMessage => m.type === 'query';
type OpenMessage = Extract<ViewToHost, { type: 'open' }>;

/** Opens the panel, runs the test, checks it ended clean (no CSP violation, page error or refused message). */
function panelTest(
  title: string,
  source: () => DataSource,
  opts: PanelOptions & { autoReply?: boolean },
  fn: (p: Panel) => Promise<void>,
): void {
  it(title, async function () {
    const panel = await openPanel(source(), opts);
    try {
      await fn(panel);
      await panel.assertClean();
    } finally {
      await panel.close();
    }
  });
}

const failedOnly = (n: number) => () => new SyntheticSource(n, { outcomeOf: () => 'failed' });

async function selected(page: Page): Promise<{ index: number; id: number | null; inView: boolean } | null> {
  return page.evaluate(() => {
    const rows = document.querySelectorAll<HTMLElement>('.row[aria-selected="true"]');
    if (rows.length > 1) throw new Error(`${rows.length} rows are selected`);
    const row = rows[0];
    if (!row) return null;
    const list = document.querySelector('.list') as HTMLElement;
    const a = row.getBoundingClientRect();
    const b = list.getBoundingClientRect();
    if (list.getAttribute('aria-activedescendant') !== row.id)
      throw new Error('aria-activedescendant does not name the selected row');
    return {
      index: Number(row.dataset.index),
      id: row.dataset.id ? Number(row.dataset.id) : null,
      inView: a.top >= b.top - 1 && a.bottom <= b.bottom + 1,
    };
  });
}

async function waitSelected(page: Page, index: number): Promise<{ index: number; id: number | null; inView: boolean }> {
  await until(
    page,
    new Function(
      `const r = document.querySelector('.row[aria-selected="true"]'); return r && r.dataset.index === '${index}' && !!r.dataset.id;`,
    ) as () => boolean,
  );
  return (await selected(page)) as { index: number; id: number | null; inView: boolean };
}

const rowElements = (page: Page) => page.locator('.list .row').count();
const chip = (page: Page, facet: string, value: string) =>
  page.locator(`#filter-${facet} .chip[data-value="${value}"]`);
const lastQuery = (p: Panel, from: number, pred: (q: FailureQuery) => boolean, what: string) =>
  p.host.waitFor<QueryMessage>((m) => isQuery(m) && pred(m.query), from, 5_000, what);

export function registerPanelTests(): void {
  describe('failures panel: messages for filters', function () {
    panelTest(
      'posts ready, then one query with the default filters for the first page',
      failedOnly(500),
      {},
      async (p) => {
        const [ready, first] = p.host.received;
        assert.deepEqual(ready, { type: 'ready' });
        assert.deepEqual(first, { type: 'query', requestId: 1, query: { outcome: ['failed'], offset: 0, limit: 100 } });
      },
    );

    panelTest(
      'choosing a filter posts a query with that filter, from the first page',
      () => new SyntheticSource(3000),
      {},
      async (p) => {
        let from = p.host.mark();
        await chip(p.page, 'perspective', 'egocentric').click();
        let q = await lastQuery(p, from, (q) => !!q.perspective, 'a query with perspective');
        assert.deepEqual(q.query, { outcome: ['failed'], perspective: ['egocentric'], offset: 0, limit: 100 });
        assert.equal(await chip(p.page, 'perspective', 'egocentric').getAttribute('aria-pressed'), 'true');

        from = p.host.mark();
        await chip(p.page, 'motion', 'rotational').click();
        q = await lastQuery(p, from, (q) => !!q.motion, 'a query with motion');
        assert.deepEqual(q.query, {
          outcome: ['failed'],
          perspective: ['egocentric'],
          motion: ['rotational'],
          offset: 0,
          limit: 100,
        });
        // The list now holds what the host sent for those filters.
        await until(p.page, () =>
          [...document.querySelectorAll('.row[data-id] .badge')].some((b) => b.textContent === 'Rotation'),
        );
        const badges = await p.page.$$eval('.row[data-id]', (rows) =>
          rows.map((r) =>
            [...r.querySelectorAll<HTMLElement>('.badge')]
              .filter((b) => !b.hidden)
              .map((b) => b.textContent)
              .join(' '),
          ),
        );
        assert.ok(badges.length > 0 && badges.every((b) => b === 'Rotation Ego'), badges.join(' | '));

        from = p.host.mark();
        await chip(p.page, 'perspective', 'egocentric').click();
        q = await lastQuery(p, from, () => true, 'a query');
        assert.deepEqual(q.query, { outcome: ['failed'], motion: ['rotational'], offset: 0, limit: 100 });

        for (const [facet, value] of [
          ['split', 'synthetic'],
          ['source', 'davis'],
          ['promptMode', 'direct-output'],
        ] as const) {
          from = p.host.mark();
          await chip(p.page, facet, value).click();
          q = await lastQuery(p, from, (q) => !!q[facet], `a query with ${facet}`);
          assert.deepEqual(q.query[facet], [value]);
        }

        from = p.host.mark();
        await chip(p.page, 'outcome', 'all').click();
        q = await lastQuery(p, from, () => true, 'a query');
        assert.equal(q.query.outcome, undefined, 'all outcomes: no outcome filter');
        from = p.host.mark();
        await chip(p.page, 'outcome', 'correct').click();
        q = await lastQuery(p, from, () => true, 'a query');
        assert.deepEqual(q.query.outcome, ['correct']);
      },
    );

    panelTest(
      'the outcome group is a radio group: arrow keys choose the next outcome',
      failedOnly(300),
      {},
      async (p) => {
        await chip(p.page, 'outcome', 'failed').focus();
        assert.equal(await chip(p.page, 'outcome', 'failed').getAttribute('aria-checked'), 'true');
        const from = p.host.mark();
        await p.page.keyboard.press('ArrowRight');
        const q = await lastQuery(p, from, () => true, 'a query');
        assert.deepEqual(q.query.outcome, ['correct']);
        assert.equal(await chip(p.page, 'outcome', 'correct').getAttribute('aria-checked'), 'true');
        assert.equal(await p.page.evaluate(() => (document.activeElement as HTMLElement).dataset.value), 'correct');
      },
    );

    panelTest(
      'choosing models in the multi-select posts them',
      () => new SyntheticSource(2000),
      {},
      async (p) => {
        await p.page.locator('#filter-model').click();
        const option = p.page.locator('#filter-model li.option', { hasText: 'gpt-4o' });
        await option.waitFor();
        let from = p.host.mark();
        await option.click();
        let q = await lastQuery(p, from, (q) => !!q.model, 'a query with models');
        assert.deepEqual(q.query.model, ['gpt-4o']);
        from = p.host.mark();
        await p.page.locator('#filter-model li.option', { hasText: 'o4-mini' }).click();
        q = await lastQuery(p, from, (q) => (q.model?.length ?? 0) === 2, 'a query with two models');
        assert.deepEqual(q.query.model, ['gpt-4o', 'o4-mini']);
        await p.page.keyboard.press('Escape');
        await until(p.page, () => document.querySelector('#model-summary')?.textContent === 'gpt-4o, o4-mini');
        const rows = await p.page.$$eval('.row[data-id] .row-model', (els) => els.map((e) => e.textContent));
        assert.ok(rows.length && rows.every((m) => m === 'gpt-4o' || m === 'o4-mini'), rows.join(','));
      },
    );

    panelTest(
      'text search posts one query after typing stops (debounced), not one per key',
      () => new SyntheticSource(2000),
      {},
      async (p) => {
        const from = p.host.mark();
        await p.page.locator('#filter-text input').pressSequentially('turning', { delay: 40 });
        const typed = Date.now();
        await p.page.waitForTimeout(60);
        assert.equal(p.host.queries(from).length, 0, 'no query while typing');
        const q = await lastQuery(p, from, (q) => q.text !== undefined, 'a query with text');
        assert.ok(Date.now() - typed >= 120, 'the query waited for the pause');
        assert.deepEqual(q.query, { outcome: ['failed'], text: 'turning', offset: 0, limit: 100 });
        await p.page.waitForTimeout(300);
        assert.deepEqual(
          p.host.queries(from).map((m) => m.query.text),
          ['turning'],
        );
        await until(p.page, () =>
          [...document.querySelectorAll('.row[data-id] .row-question')].every((e) =>
            /turning/.test(e.textContent ?? ''),
          ),
        );
      },
    );

    panelTest('Save Filter posts the filters; the sort switch posts sort by model', failedOnly(300), {}, async (p) => {
      await chip(p.page, 'motion', 'counting').click();
      let from = p.host.mark();
      await p.page.locator('#save-filter').click();
      const save = await p.host.waitFor((m) => m.type === 'saveFilter', from);
      assert.deepEqual(save, { type: 'saveFilter', query: { outcome: ['failed'], motion: ['counting'] } });
      from = p.host.mark();
      await p.page.locator('#sort').click();
      const q = await lastQuery(p, from, (q) => q.sort === 'model', 'a query sorted by model');
      assert.equal(q.query.offset, 0);
    });

    panelTest(
      'a setFilters message from the host shows those filters and queries them',
      failedOnly(300),
      {},
      async (p) => {
        const from = p.host.mark();
        await p.host.send({
          type: 'setFilters',
          filters: { motion: ['counting'], outcome: ['correct'], text: 'ball' },
        });
        const q = await lastQuery(p, from, (q) => !!q.motion, 'a query with motion');
        assert.deepEqual(q.query, { motion: ['counting'], outcome: ['correct'], text: 'ball', offset: 0, limit: 100 });
        assert.equal(await chip(p.page, 'motion', 'counting').getAttribute('aria-pressed'), 'true');
        assert.equal(await chip(p.page, 'outcome', 'correct').getAttribute('aria-checked'), 'true');
        assert.equal(await p.page.locator('#filter-text input').inputValue(), 'ball');
      },
    );
  });

  describe('failures panel: counts beside the options', function () {
    panelTest(
      'every option shows the count the host sent, updated on every result',
      failedOnly(300),
      { autoReply: false, waitForRows: false },
      async (p) => {
        const first = await p.host.waitFor<QueryMessage>(isQuery);
        const synthetic = new SyntheticSource(30, { outcomeOf: () => 'failed' }).query({ limit: 30 });
        const facets: QueryResult['facets'] = {
          split: { real: 1200, synthetic: 34 },
          perspective: { egocentric: 1234, exocentric: 5678, unspecified: 0 },
          motion: { translational: 900, rotational: 250, counting: 70, 'false-positive': 14 },
          source: { davis: 600, ego4d: 449, 'youtube-vos': 151, synthetic: 34, unknown: 0 },
          model: { 'gpt-4o': 17, 'o4-mini': 1017 },
          promptMode: { cot: 1000, 'direct-output': 234 },
          outcome: { failed: 1234, correct: 4321, ungraded: 5 },
          grader: { judge: 5560, rule: 0 },
        };
        await p.host.send({
          type: 'results',
          requestId: first.requestId,
          query: first.query,
          result: { total: 1234, rows: synthetic.rows, facets },
        });
        await until(p.page, () => document.querySelector('#summary')?.textContent === '1,234 failed predictions');
        const counts = await p.page.$$eval('.chips .chip', (chips) =>
          Object.fromEntries(
            chips.map((c) => [
              `${c.parentElement?.id}:${(c as HTMLElement).dataset.value}`,
              c.querySelector('.chip-count')?.textContent,
            ]),
          ),
        );
        assert.equal(counts['filter-perspective:egocentric'], '1,234');
        assert.equal(counts['filter-perspective:exocentric'], '5,678');
        assert.equal(counts['filter-perspective:unspecified'], '0');
        assert.equal(counts['filter-split:synthetic'], '34');
        assert.equal(counts['filter-motion:false-positive'], '14');
        assert.equal(counts['filter-source:youtube-vos'], '151');
        assert.equal(counts['filter-promptMode:direct-output'], '234');
        assert.equal(counts['filter-outcome:correct'], '4,321');
        assert.equal(counts['filter-outcome:all'], '5,560', 'all = failed + correct + ungraded');
        assert.ok(
          await chip(p.page, 'perspective', 'unspecified').evaluate((e) => e.classList.contains('zero')),
          'a zero count is dimmed',
        );
        assert.equal(await chip(p.page, 'perspective', 'egocentric').getAttribute('aria-label'), 'Egocentric, 1,234');
        const options = await p.page.$$eval('#filter-model vscode-option', (os) => os.map((o) => o.textContent));
        assert.deepEqual(options, ['gpt-4o (17)', 'o4-mini (1,017)']);

        // The next result (another filter) brings other counts.
        const from = p.host.mark();
        await chip(p.page, 'motion', 'rotational').click();
        const second = await p.host.waitFor<QueryMessage>(isQuery, from);
        const facets2 = {
          ...facets,
          perspective: { egocentric: 99, exocentric: 1, unspecified: 0 },
          model: { 'gpt-4o': 3, 'o4-mini': 5 },
        };
        await p.host.send({
          type: 'results',
          requestId: second.requestId,
          query: second.query,
          result: { total: 100, rows: synthetic.rows, facets: facets2 },
        });
        await until(
          p.page,
          () =>
            document.querySelector('#filter-perspective .chip[data-value="egocentric"] .chip-count')?.textContent ===
            '99',
        );
        assert.deepEqual(await p.page.$$eval('#filter-model vscode-option', (os) => os.map((o) => o.textContent)), [
          'gpt-4o (3)',
          'o4-mini (5)',
        ]);
        // A late reply to the superseded query changes nothing.
        await p.host.send({
          type: 'results',
          requestId: first.requestId,
          query: first.query,
          result: { total: 1234, rows: synthetic.rows, facets },
        });
        await p.page.waitForTimeout(100);
        assert.equal(await p.page.locator('#summary').textContent(), '100 failed predictions');
      },
    );
  });

  describe('failures panel: a virtualized list', function () {
    panelTest(
      '80,000 rows: under 100 row elements, and scrolling asks for the page in view',
      failedOnly(80_000),
      { height: 900 },
      async (p) => {
        assert.equal(await p.page.locator('#summary').textContent(), '80,000 failed predictions');
        assert.ok((await rowElements(p.page)) < 100, `${await rowElements(p.page)} rows in the DOM`);
        const list = await p.page.$eval('.list', (l) => ({
          scrollHeight: l.scrollHeight,
          role: l.getAttribute('role'),
        }));
        assert.equal(list.role, 'listbox');
        assert.equal(list.scrollHeight, 80_000 * ROW_HEIGHT);
        assert.equal(await p.page.locator('.row').first().getAttribute('aria-setsize'), '80000');

        const from = p.host.mark();
        await p.page.$eval('.list', (l, y) => (l.scrollTop = y), 40_000 * ROW_HEIGHT);
        const q = await lastQuery(p, from, (q) => q.offset === 40_000, 'the page at row 40,000');
        assert.equal(q.query.limit, 100);
        const offsets = p.host.queries(from).map((m) => m.query.offset as number);
        assert.ok(
          offsets.every((o) => o >= 39_900 && o <= 40_100),
          `only pages near row 40,000 were asked for: ${offsets.join(',')}`,
        );
        await until(
          p.page,
          () => document.querySelector('.row[aria-posinset="40001"]')?.getAttribute('data-id') === '40001',
        );
        assert.ok((await rowElements(p.page)) < 100);
        const row = await p.page.$eval('.row[aria-posinset="40001"]', (r) => ({
          q: r.querySelector('.row-question')?.textContent,
          label: r.getAttribute('aria-label'),
          role: r.getAttribute('role'),
        }));
        assert.equal(row.role, 'option');
        assert.ok(row.q && row.label?.includes(row.q));

        // Wheel scrolling: every page in view gets loaded, and the DOM stays small.
        await p.page.locator('.list').hover();
        await p.page.evaluate(() => {
          const w = window as unknown as { __longTasks: number[] };
          w.__longTasks = [];
          new PerformanceObserver((l) => w.__longTasks.push(...l.getEntries().map((e) => e.duration))).observe({
            type: 'longtask',
          });
        });
        for (let i = 0; i < 40; i++) {
          await p.page.mouse.wheel(0, 600);
          await p.page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r(null))));
        }
        await until(p.page, () => {
          const l = document.querySelector('.list') as HTMLElement;
          const b = l.getBoundingClientRect();
          const visible = [...document.querySelectorAll<HTMLElement>('.row')].filter((r) => {
            const a = r.getBoundingClientRect();
            return a.bottom > b.top && a.top < b.bottom;
          });
          return visible.length > 0 && visible.every((r) => r.dataset.id);
        });
        assert.ok((await rowElements(p.page)) < 100);
        // Reported, not asserted (timings on a shared machine): main-thread tasks over 50 ms while scrolling.
        const long = await p.page.evaluate(() => (window as unknown as { __longTasks: number[] }).__longTasks);
        console.log(
          `      (24,000 px of wheel scrolling through 80,000 rows: ${long.length} long tasks${long.length ? `, longest ${Math.round(Math.max(...long))} ms` : ''})`,
        );
      },
    );

    panelTest(
      '800,000 rows: the scroll area is capped and End reaches the last row',
      () => new LazySource(800_000),
      {},
      async (p) => {
        const h = await p.page.$eval('.list', (l) => l.scrollHeight);
        assert.ok(h <= 6_000_000 && h < 800_000 * ROW_HEIGHT, `scroll height ${h}`);
        await p.page.locator('.list').focus();
        await p.page.keyboard.press('End');
        const s = await waitSelected(p.page, 799_999);
        assert.equal(s.id, 800_000);
        assert.ok(s.inView, 'the last row is in view');
        await p.page.keyboard.press('Home');
        assert.equal((await waitSelected(p.page, 0)).id, 1);
      },
    );
  });

  describe('failures panel: selection and keyboard', function () {
    type SelectedMessage = Extract<ViewToHost, { type: 'selected' }>;
    panelTest(
      'a key that moves the selection posts `selected` (an open detail view follows it); a click posts open; a select from the host is not echoed',
      failedOnly(500),
      {},
      async (p) => {
        await p.page.locator('.list').focus();
        const after = async (key: string, index: number) => {
          const from = p.host.mark();
          await p.page.keyboard.press(key);
          assert.deepEqual(
            await p.host.waitFor<SelectedMessage>((m) => m.type === 'selected', from, 5_000, `selected after ${key}`),
            { type: 'selected', id: index + 1, index },
          );
        };
        await after('j', 0);
        await after('j', 1);
        await after('End', 499);
        await after('Home', 0);
        await after('PageDown', (await p.page.$eval('.list', (l) => Math.floor(l.clientHeight / 44))) - 1);
        await after('k', (await selected(p.page))!.index - 1);
        // A click opens (the detail view is opened for it), it does not merely follow.
        let from = p.host.mark();
        await p.page.locator('.row[data-index="3"]').click();
        assert.deepEqual(await p.host.waitFor<OpenMessage>((m) => m.type === 'open', from), {
          type: 'open',
          id: 4,
          index: 3,
          preserveFocus: true,
        });
        assert.equal(p.host.received.slice(from).filter((m) => m.type === 'selected').length, 0);
        // The host moves the selection (the detail view stepped): no message comes back for it.
        from = p.host.mark();
        await p.host.send({ type: 'select', id: 7, index: 6 });
        await waitSelected(p.page, 6);
        // A prediction the list does not hold: no row stays selected.
        await p.host.send({ type: 'select', id: null });
        await until(p.page, () => !document.querySelector('.row[aria-selected="true"]'));
        assert.equal(p.host.received.slice(from).filter((m) => m.type === 'selected' || m.type === 'open').length, 0);
        // A key at the top with nothing to move to posts nothing.
        await p.page.keyboard.press('Home');
        from = p.host.mark();
        await p.page.keyboard.press('k');
        await p.page.evaluate(() => new Promise((r) => setTimeout(r, 100)));
        assert.equal(p.host.received.slice(from).filter((m) => m.type === 'selected').length, 0);
      },
    );

    panelTest(
      'the list takes the keyboard when the view gets it; / goes to the search box and Escape (search empty) back to the list, selection kept',
      failedOnly(500),
      {},
      async (p) => {
        const inList = () => p.page.evaluate(() => !!document.activeElement?.classList.contains('list'));
        // The workbench gives the view the keyboard: the page's window gets focus, nothing in it has it yet.
        await p.page.evaluate(() => {
          (document.activeElement as HTMLElement | null)?.blur();
          window.dispatchEvent(new FocusEvent('focus'));
        });
        assert.equal(await inList(), true, 'the list has the keyboard');
        await p.page.keyboard.press('j');
        await p.page.keyboard.press('j');
        await waitSelected(p.page, 1);
        await p.page.keyboard.press('/');
        assert.equal(await p.page.evaluate(() => document.activeElement?.id), 'filter-text');
        assert.equal(
          await p.page.locator('#filter-text').evaluate((el) => (el as HTMLInputElement).value),
          '',
          'the / is not typed into the search',
        );
        await p.page.keyboard.press('Escape');
        assert.equal(await inList(), true, 'Escape in the empty search box goes back to the list');
        assert.equal((await selected(p.page))?.index, 1);
        await p.page.keyboard.press('j');
        await waitSelected(p.page, 2);
        // With text in it, Escape clears the search first (the list shows everything again), then leaves.
        await p.page.keyboard.press('/');
        await p.page.keyboard.type('zz');
        await p.page.keyboard.press('Escape');
        assert.equal(await p.page.locator('#filter-text').evaluate((el) => (el as HTMLInputElement).value), '');
        assert.equal(await inList(), false);
        await p.page.keyboard.press('Escape');
        assert.equal(await inList(), true);
        // The last control that had the keyboard gets it back next time (here the list).
        await p.page.evaluate(() => {
          (document.activeElement as HTMLElement | null)?.blur();
          window.dispatchEvent(new FocusEvent('focus'));
        });
        assert.equal(await inList(), true);
      },
    );

    panelTest(
      'j/k, arrows, Home/End and PageUp/PageDown move aria-selected; Enter and Space post open',
      failedOnly(80_000),
      { height: 800 },
      async (p) => {
        await p.page.locator('.list').focus();
        const press = async (key: string, index: number) => {
          await p.page.keyboard.press(key);
          const s = await waitSelected(p.page, index);
          assert.ok(s.inView, `row ${index} is in view after ${key}`);
          return s;
        };
        await press('j', 0);
        await press('j', 1);
        await press('ArrowDown', 2);
        await press('k', 1);
        await press('ArrowUp', 0);
        await press('ArrowUp', 0);
        const visibleRows = await p.page.$eval('.list', (l) => Math.floor(l.clientHeight / 44));
        await press('PageDown', visibleRows - 1);
        await press('PageDown', 2 * (visibleRows - 1));
        await press('PageUp', visibleRows - 1);
        const end = await press('End', 79_999);
        assert.equal(end.id, 80_000);

        let from = p.host.mark();
        await p.page.keyboard.press('Enter');
        let open = await p.host.waitFor<OpenMessage>((m) => m.type === 'open', from);
        assert.deepEqual(open, { type: 'open', id: 80_000, index: 79_999, preserveFocus: false });

        await press('Home', 0);
        await press('j', 1);
        from = p.host.mark();
        await p.page.keyboard.press(' ');
        open = await p.host.waitFor<OpenMessage>((m) => m.type === 'open', from);
        assert.deepEqual(open, { type: 'open', id: 2, index: 1, preserveFocus: true });
        assert.equal(await p.page.evaluate(() => document.activeElement?.className), 'list', 'focus stays on the list');
      },
    );

    panelTest(
      'a click selects and opens keeping focus; a double click opens and gives focus away',
      failedOnly(500),
      {},
      async (p) => {
        let from = p.host.mark();
        await p.page.locator('.row[data-index="3"]').click();
        assert.deepEqual(await p.host.waitFor((m) => m.type === 'open', from), {
          type: 'open',
          id: 4,
          index: 3,
          preserveFocus: true,
        });
        assert.equal((await selected(p.page))?.index, 3);
        from = p.host.mark();
        await p.page.locator('.row[data-index="5"]').dblclick();
        await p.host.waitFor((m) => m.type === 'open' && !m.preserveFocus, from);
        assert.equal((await selected(p.page))?.index, 5);
      },
    );

    panelTest(
      'when the workbench gives the view focus back, the control that had it gets it again',
      failedOnly(500),
      {},
      async (p) => {
        await p.page.locator('.row[data-index="2"]').click();
        assert.equal(await p.page.evaluate(() => document.activeElement?.className), 'list');
        // Focus leaves the page (another editor), then the workbench focuses the view's frame: the body, unless
        // the page puts it back.
        await p.page.evaluate(() => {
          (document.activeElement as HTMLElement).blur();
          window.dispatchEvent(new FocusEvent('focus'));
        });
        assert.equal(await p.page.evaluate(() => document.activeElement?.className), 'list', 'the list again');
        await p.page.keyboard.press('j');
        assert.equal((await selected(p.page))?.index, 3, 'j moved the selection');
      },
    );

    panelTest(
      'a select message from the host moves the selection and scrolls it into view',
      failedOnly(80_000),
      {},
      async (p) => {
        await p.host.send({ type: 'select', id: 5001, index: 5000 });
        let s = await waitSelected(p.page, 5000);
        assert.equal(s.id, 5001);
        assert.ok(s.inView);
        // By id alone, within the pages the view holds.
        await p.host.send({ type: 'select', id: 5004 });
        s = await waitSelected(p.page, 5003);
        assert.ok(s.inView);
        // step: the detail view's next / previous.
        let from = p.host.mark();
        await p.host.send({ type: 'step', delta: 1 });
        assert.deepEqual(await p.host.waitFor((m) => m.type === 'open', from), {
          type: 'open',
          id: 5005,
          index: 5004,
          preserveFocus: true,
        });
        assert.equal((await waitSelected(p.page, 5004)).id, 5005);
        from = p.host.mark();
        await p.host.send({ type: 'step', delta: -1 });
        assert.deepEqual(await p.host.waitFor((m) => m.type === 'open', from), {
          type: 'open',
          id: 5004,
          index: 5003,
          preserveFocus: true,
        });
      },
    );

    panelTest(
      'refresh (the index changed) asks again for the page in view and keeps the selection',
      failedOnly(5_000),
      {},
      async (p) => {
        await p.host.send({ type: 'select', id: 1501, index: 1500 });
        await waitSelected(p.page, 1500);
        const from = p.host.mark();
        await p.host.send({ type: 'refresh' });
        const q = await lastQuery(p, from, () => true, 'a query after refresh');
        assert.ok((q.query.offset as number) >= 1400 && (q.query.offset as number) <= 1500, `offset ${q.query.offset}`);
        assert.equal((await waitSelected(p.page, 1500)).id, 1501);
      },
    );

    panelTest(
      'keys pressed while a refresh is out act on the rows shown and are kept when it arrives',
      failedOnly(500),
      {},
      async (p) => {
        /** `j` selects the next row: the panel says which prediction, at which index. */
        const pressJ = async (from: number, id: number, index: number) => {
          await p.page.keyboard.press('j');
          assert.deepEqual(await p.host.waitFor((m) => m.type === 'selected', from), { type: 'selected', id, index });
        };
        await p.host.send({ type: 'vocabulary', tags: ['direction-reversal', 'perspective-confusion'] });
        await p.page.locator('.list').focus();
        await p.page.keyboard.press('j');
        await waitSelected(p.page, 0);
        // The index changed (the judge audit ended, say): the replies are held back while the user goes on.
        p.host.autoReply = false;
        let from = p.host.mark();
        await p.host.send({ type: 'refresh' });
        await lastQuery(p, from, () => true, 'the query after refresh');
        assert.equal(await p.page.locator('#summary').textContent(), '500 failed predictions');
        from = p.host.mark();
        await pressJ(from, 2, 1);
        await p.page.keyboard.press('2');
        assert.deepEqual(await p.host.waitFor((m) => m.type === 'toggleTag', from), {
          type: 'toggleTag',
          id: 2,
          tag: 'perspective-confusion',
        });
        // The replies: the selection stays where the keys took it; nothing is opened again.
        const opens = p.host.received.length;
        for (const q of p.host.queries(from - 1)) await p.host.answer(q);
        p.host.autoReply = true;
        await p.page.waitForFunction(() => !document.querySelector('.row.loading'));
        assert.equal((await waitSelected(p.page, 1)).id, 2);
        assert.deepEqual(
          p.host.received.slice(opens).filter((m) => m.type === 'open' || m.type === 'selected'),
          [],
        );
        await pressJ(p.host.mark(), 3, 2);
      },
    );

    panelTest(
      'after a refresh the selection follows its prediction when the list changed under it',
      failedOnly(500),
      {},
      async (p) => {
        await p.host.send({ type: 'select', id: 11, index: 10 });
        assert.equal((await waitSelected(p.page, 10)).id, 11);
        // Three predictions before it are no longer failures (an override elsewhere, say).
        const gone = new Set([2, 4, 6]);
        const before = p.host.source;
        p.host.source = {
          query: (q: FailureQuery) => {
            const all = before.query({ ...q, offset: 0, limit: 1_000 });
            const rows = all.rows.filter((r) => !gone.has(r.id));
            const offset = q.offset ?? 0;
            return { ...all, total: all.total - gone.size, rows: rows.slice(offset, offset + (q.limit ?? 100)) };
          },
        };
        const from = p.host.mark();
        await p.host.send({ type: 'refresh' });
        await lastQuery(p, from, () => true, 'the query after refresh');
        await until(p.page, () => document.querySelector('#summary')?.textContent === '497 failed predictions');
        assert.equal((await waitSelected(p.page, 7)).id, 11);
        assert.deepEqual(
          p.host.received.slice(from).filter((m) => m.type === 'open' || m.type === 'selected'),
          [],
        );
      },
    );
  });

  describe('failures panel: tags', function () {
    const TAGS = ['perspective-confusion', 'direction-reversal', 'rotation-sense-reversed', 'hallucinated-motion'];
    const tagged = () =>
      new SyntheticSource(50, {
        outcomeOf: () => 'failed',
        patch: (i) =>
          i === 1
            ? {
                annotation: {
                  tags: ['direction-reversal'],
                  questionTags: ['ambiguous-question'],
                  hasNote: true,
                  verdict: 'correct',
                },
              }
            : {},
      });
    panelTest(
      'number keys toggle the nth tag on the selected row; u and U undo and redo; t opens the palette',
      tagged,
      {},
      async (p) => {
        await p.host.send({ type: 'vocabulary', tags: TAGS });
        await p.page.locator('.list').focus();
        await p.page.keyboard.press('j');
        await p.page.keyboard.press('j');
        await waitSelected(p.page, 1);
        let from = p.host.mark();
        await p.page.keyboard.press('3');
        assert.deepEqual(await p.host.waitFor((m) => m.type === 'toggleTag', from), {
          type: 'toggleTag',
          id: 2,
          tag: 'rotation-sense-reversed',
        });
        from = p.host.mark();
        await p.page.keyboard.press('u');
        await p.host.waitFor((m) => m.type === 'undo', from);
        await p.page.keyboard.press('Shift+U');
        await p.host.waitFor((m) => m.type === 'redo', from);
        from = p.host.mark();
        await p.page.keyboard.press('t');
        assert.deepEqual(await p.host.waitFor((m) => m.type === 'tagPalette', from), {
          type: 'tagPalette',
          id: 2,
          query: { outcome: ['failed'] },
        });
        // A key beyond the vocabulary does nothing.
        from = p.host.mark();
        await p.page.keyboard.press('9');
        await p.page.keyboard.press('1');
        assert.deepEqual(await p.host.waitFor((m) => m.type === 'toggleTag', from), {
          type: 'toggleTag',
          id: 2,
          tag: 'perspective-confusion',
        });
        assert.equal(p.host.received.slice(from).filter((m) => m.type === 'toggleTag').length, 1);
        // Tag All asks the host for the whole list.
        from = p.host.mark();
        await p.page.locator('#tag-all').click();
        assert.deepEqual(await p.host.waitFor((m) => m.type === 'tagPalette', from), {
          type: 'tagPalette',
          id: null,
          query: { outcome: ['failed'] },
        });
        await p.assertClean();
      },
    );

    panelTest(
      'tag chips come from the vocabulary and filter; rows show tags, notes and overrides',
      tagged,
      {},
      async (p) => {
        await p.host.send({ type: 'vocabulary', tags: TAGS });
        await p.page.locator('#filter-tags .chip[data-value="direction-reversal"]').waitFor();
        const from = p.host.mark();
        await p.page.locator('#filter-tags .chip[data-value="direction-reversal"]').click();
        const q = await lastQuery(p, from, (x) => !!x.tags, 'a query with tags');
        assert.deepEqual(q.query.tags, ['direction-reversal']);
        await p.page.locator('#filter-marks .chip[data-value="overridden"]').click();
        const q2 = await lastQuery(p, from, (x) => !!x.overridden, 'a query with overridden');
        assert.deepEqual(
          { tags: q2.query.tags, overridden: q2.query.overridden },
          { tags: ['direction-reversal'], overridden: true },
        );
        // The row with annotations (the synthetic source does not filter by tag).
        const row = p.page.locator('.row[data-id="2"]');
        assert.equal(
          await row.locator('.row-tags').textContent(),
          'overridden #direction-reversal #ambiguous-question ✎',
        );
        assert.match(
          (await row.getAttribute('aria-label')) ?? '',
          /verdict overridden to correct\. tags direction-reversal, ambiguous-question\. has a note/,
        );
        await p.assertClean();
      },
    );

    panelTest('says when tagging is off, and why', tagged, {}, async (p) => {
      await p.host.send({
        type: 'vocabulary',
        tags: TAGS,
        taggingOff: '/r/.vlm4d/annotations.json cannot be read (not valid JSON)',
      });
      await until(p.page, () => /tagging off/.test(document.querySelector('#summary')?.textContent ?? ''));
      assert.match((await p.page.locator('#summary').getAttribute('title')) ?? '', /cannot be read/);
      await p.assertClean();
    });
  });

  describe('failures panel: rule grading, judge audit, answer labels', function () {
    // Every fifth row is a raw output graded by the rule; audit counts as a host that audits would send them.
    class AuditedSource extends SyntheticSource {
      pending = 120;
      override query(q: FailureQuery): QueryResult {
        const r = super.query(q);
        return {
          ...r,
          audit: { counts: { 'judge-disagrees': 17, 'no-answer': 4, 'judges-disagree': 0 }, pending: this.pending },
        };
      }
    }
    const audited = () =>
      new AuditedSource(200, {
        outcomeOf: () => 'failed',
        patch: (i) => (i % 5 === 0 ? { grader: 'rule', judgeCorrect: null } : {}),
      });

    panelTest(
      'rule-graded rows carry a badge and the grader chips filter them, with counts',
      audited,
      {},
      async (p) => {
        await until(p.page, () => document.querySelectorAll('.row[data-id]').length > 5);
        const shown = await p.page.$$eval('.row[data-id]', (rows) =>
          rows.map((r) => [
            Number((r as HTMLElement).dataset.id),
            !(r.querySelector('.badge-rule') as HTMLElement).hidden,
          ]),
        );
        for (const [id, badge] of shown) assert.equal(badge, ((id as number) - 1) % 5 === 0, `row ${id}`);
        assert.match(
          (await p.page.locator('.row[data-id="1"]').getAttribute('aria-label')) ?? '',
          /^Failed \(rule-graded\)/,
        );
        assert.equal(await chip(p.page, 'grader', 'rule').locator('.chip-count').textContent(), '40');
        const from = p.host.mark();
        await chip(p.page, 'grader', 'rule').click();
        const q = await lastQuery(p, from, (x) => !!x.grader, 'a query with grader');
        assert.deepEqual(q.query.grader, ['rule']);
        await until(p.page, () =>
          [...document.querySelectorAll<HTMLElement>('.row[data-id]')].every(
            (r) => !(r.querySelector('.badge-rule') as HTMLElement).hidden,
          ),
        );
      },
    );

    panelTest(
      'audit chips show their counts and the audit in progress, and post the flags chosen',
      audited,
      {},
      async (p) => {
        await until(
          p.page,
          () =>
            document.querySelector('#filter-audit .chip[data-value="judge-disagrees"] .chip-count')?.textContent ===
            '17',
        );
        assert.equal(await p.page.locator('#audit-progress').textContent(), 'Reading 120 more answers…');
        const from = p.host.mark();
        await chip(p.page, 'audit', 'judge-disagrees').click();
        await chip(p.page, 'audit', 'no-answer').click();
        const q = await lastQuery(p, from, (x) => (x.audit?.length ?? 0) === 2, 'a query with both audit flags');
        assert.deepEqual(q.query.audit, ['judge-disagrees', 'no-answer']);
      },
    );

    panelTest('answer labels from a dashboard cell are shown and can be cleared', audited, {}, async (p) => {
      assert.equal(await p.page.locator('#filter-labels').isHidden(), true);
      let from = p.host.mark();
      await p.host.send({
        type: 'setFilters',
        filters: {
          outcome: ['failed'],
          motion: ['rotational'],
          truthLabel: ['clockwise'],
          chosenLabel: ['counter-clockwise'],
        },
      });
      const q = await lastQuery(p, from, (x) => !!x.truthLabel, 'a query with the labels');
      assert.deepEqual(
        [q.query.truthLabel, q.query.chosenLabel, q.query.motion],
        [['clockwise'], ['counter-clockwise'], ['rotational']],
      );
      assert.equal(
        await p.page.locator('#filter-labels .label-filter-text').textContent(),
        'Answer: truth clockwise, chosen counter-clockwise',
      );
      from = p.host.mark();
      await p.page.locator('#clear-labels').click();
      const cleared = await lastQuery(p, from, (x) => !x.truthLabel && !x.chosenLabel, 'a query without labels');
      assert.deepEqual(cleared.query.motion, ['rotational']);
      assert.equal(await p.page.locator('#filter-labels').isHidden(), true);
    });
  });

  describe('failures panel: untrusted text and CSP', function () {
    const hostile = () =>
      new SyntheticSource(200, {
        outcomeOf: () => 'failed',
        patch: (i) =>
          i < 3
            ? {
                question: '<img src=x onerror=window.__xss=1> Which way?',
                groundTruthLetter: 'A',
                chosen: 'B',
                chosenText: '<script>window.__xss=2</script>',
                groundTruth: '<img src=y onerror="window.__xss=3">',
                model: '<b onmouseover=window.__xss=4>bold</b>',
                response: '<script>window.__xss=5</script>',
              }
            : {},
      });
    const check = async (p: Panel) => {
      await p.page.waitForTimeout(200);
      const r = await p.page.evaluate(() => {
        const row = document.querySelector('.row[data-index="0"]') as HTMLElement;
        return {
          xss: (window as unknown as { __xss?: unknown }).__xss,
          elements: document.querySelectorAll('#app img, #app script, #app b').length,
          question: row.querySelector('.row-question')?.textContent,
          chosen: row.querySelector('.row-chosen')?.textContent,
          truth: row.querySelector('.row-truth')?.textContent,
          model: row.querySelector('.row-model')?.textContent,
          label: row.getAttribute('aria-label'),
        };
      });
      assert.equal(r.xss, undefined, 'no payload ran');
      assert.equal(r.elements, 0, 'no element was made from row text');
      assert.equal(r.question, '<img src=x onerror=window.__xss=1> Which way?');
      assert.equal(r.chosen, 'B <script>window.__xss=2</script>');
      assert.equal(r.truth, 'A <img src=y onerror="window.__xss=3">');
      assert.equal(r.model, '<b onmouseover=window.__xss=4>bold</b>');
      assert.ok(r.label?.includes('<script>window.__xss=2</script>'));
    };

    // Without a CSP an innerHTML slip would run the payload, so this shows the text is escaped, not blocked.
    panelTest(
      'HTML in a question, answer or model name shows as text (page without CSP)',
      hostile,
      { csp: false },
      async (p) => {
        await check(p);
        // Model names reach the multi-select's options too.
        await p.page.locator('#filter-model').click();
        await p.page.locator('#filter-model li.option').first().waitFor();
        const inShadow = await p.page.evaluate(() => {
          const root = document.querySelector('#filter-model')?.shadowRoot;
          return {
            elements: root?.querySelectorAll('img, script, b').length,
            text: [...(root?.querySelectorAll('li.option') ?? [])].map((li) => li.textContent?.trim()),
          };
        });
        assert.equal(inShadow.elements, 0);
        // The option shows the name as text, cut in its middle (it is long); its title holds the whole of it.
        assert.ok(
          inShadow.text.some((t) => t?.startsWith('<b onmouseover=') && t.includes('…')),
          JSON.stringify(inShadow.text),
        );
        assert.ok(
          await p.page.$$eval('#filter-model vscode-option', (os) =>
            os.some((o) => (o as HTMLElement).title === '<b onmouseover=window.__xss=4>bold</b>'),
          ),
        );
        await p.page.keyboard.press('Escape');
        // Search text is echoed in the empty state as text.
        await p.page.locator('#filter-text input').fill('<img src=z onerror=window.__xss=6>');
        await until(p.page, () => !!document.querySelector('#empty:not([hidden])'));
        assert.match((await p.page.locator('#empty').textContent()) ?? '', /<img src=z onerror=window.__xss=6>/);
        assert.equal(await p.page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss), undefined);
      },
    );

    panelTest('the same rows under the strict CSP: shown as text, no violation', hostile, {}, async (p) => {
      await check(p);
    });

    panelTest(
      'the CSP is in force and violations are seen (so "no violations" means something)',
      failedOnly(50),
      {},
      async (p) => {
        const r = await p.page.evaluate(() => {
          const w = window as unknown as { __cspViolations: unknown[]; __inline?: unknown };
          const s = document.createElement('script');
          s.textContent = 'window.__inline = 1';
          document.body.append(s);
          return new Promise<{ ran: unknown; violations: number }>((resolve) =>
            setTimeout(() => {
              const violations = w.__cspViolations.length;
              w.__cspViolations.length = 0;
              resolve({ ran: w.__inline, violations });
            }, 100),
          );
        });
        assert.equal(r.ran, undefined);
        assert.equal(r.violations, 1);
        // Chromium also logs the blocked script; that one was ours.
        await p.page.waitForTimeout(50);
        p.errors.splice(
          0,
          p.errors.length,
          ...p.errors.filter((e) => !/violates the following Content Security Policy/.test(e)),
        );
        // The panel itself (lit's adopted stylesheets, vscode-elements, codicons) used nothing the CSP forbids.
      },
    );
  });

  describe('failures panel: empty states', function () {
    panelTest(
      'nothing indexed: says so and offers to open a folder',
      failedOnly(0),
      { waitForRows: false },
      async (p) => {
        await p.host.send({
          type: 'empty',
          reason: 'no-results',
          detail: 'No result files were found in /work/results.',
        });
        await until(p.page, () => !!document.querySelector('#empty:not([hidden])'));
        const text = (await p.page.locator('#empty').textContent()) ?? '';
        assert.match(text, /No VLM4D results are indexed/);
        assert.match(text, /No result files were found in \/work\/results\./);
        assert.ok(await p.page.locator('.list').isHidden());
        const from = p.host.mark();
        await p.page.locator('#empty vscode-button', { hasText: 'Open Results Folder' }).click();
        assert.deepEqual(await p.host.waitFor((m) => m.type === 'runCommand', from), {
          type: 'runCommand',
          command: 'vlm4d.openResultsFolder',
        });
        // A refresh (something got indexed) brings the list back, with the rows now in the index.
        p.host.source = failedOnly(5)();
        await p.host.send({ type: 'refresh' });
        await p.page.waitForSelector('.row[data-id]', { timeout: 10_000 });
        assert.ok(await p.page.locator('#empty').isHidden());
      },
    );

    panelTest(
      'filters that exclude everything: names them, says what dropping one brings back, clears them',
      () => new SyntheticSource(3000),
      {},
      async (p) => {
        await chip(p.page, 'split', 'synthetic').click();
        await chip(p.page, 'perspective', 'egocentric').click();
        await until(p.page, () => !!document.querySelector('#empty:not([hidden])'));
        let text = (await p.page.locator('#empty').textContent()) ?? '';
        assert.match(text, /No predictions match these filters/);
        assert.match(text, /Outcome: Failed/);
        assert.match(text, /Split: Synthetic/);
        assert.match(text, /Perspective: Egocentric/);
        assert.match(text, /Without “Split: Synthetic” there would be [\d,]+\./);
        assert.equal(await p.page.locator('#summary').textContent(), '0 failed predictions');

        let from = p.host.mark();
        await p.page.locator('#empty button[aria-label="Remove the filter Split: Synthetic"]').click();
        let q = await lastQuery(p, from, () => true, 'a query');
        assert.deepEqual(q.query, { outcome: ['failed'], perspective: ['egocentric'], offset: 0, limit: 100 });

        await p.page.locator('#filter-text input').fill('zebra');
        await until(p.page, () => /Text: “zebra”/.test(document.querySelector('#empty')?.textContent ?? ''));
        text = (await p.page.locator('#empty').textContent()) ?? '';
        assert.match(text, /Perspective: Egocentric/);
        from = p.host.mark();
        await p.page.locator('#empty vscode-button', { hasText: 'Clear Filters' }).click();
        q = await lastQuery(p, from, () => true, 'a query');
        assert.deepEqual(q.query, { outcome: ['failed'], offset: 0, limit: 100 });
        assert.equal(await p.page.locator('#filter-text input').inputValue(), '');
        await until(p.page, () => !!document.querySelector('#empty[hidden]'));
      },
    );

    panelTest(
      'a failed query and indexing progress are shown',
      failedOnly(10),
      { autoReply: false, waitForRows: false },
      async (p) => {
        const q = await p.host.waitFor<QueryMessage>(isQuery);
        await p.host.send({ type: 'queryError', requestId: q.requestId, message: 'database is locked' });
        await until(p.page, () =>
          /The query failed\.database is locked/.test(document.querySelector('#empty')?.textContent ?? ''),
        );
        await p.host.send({ type: 'indexing', done: 3, total: 10 });
        await until(p.page, () => /indexing 3 of 10 files/.test(document.querySelector('#summary')?.textContent ?? ''));
        assert.ok(await p.page.locator('vscode-progress-bar').isVisible());
        await p.host.send({ type: 'indexing', done: 10, total: 10 });
        await until(p.page, () => (document.querySelector('vscode-progress-bar') as HTMLElement).hidden);
      },
    );
  });

  describe('failures panel: state across reloads', function () {
    panelTest(
      'filters, scroll position, selection and the collapsed section survive a reload; the first query says so',
      failedOnly(80_000),
      {},
      async (p) => {
        await chip(p.page, 'perspective', 'egocentric').click();
        let from = p.host.mark();
        await p.page.locator('#filter-text input').fill('turning');
        await lastQuery(p, from, (q) => q.text === 'turning', 'a query with text');
        await until(p.page, () =>
          (document.querySelector('.row[data-id] .row-question')?.textContent ?? '').includes('turning'),
        );
        const total = Number(((await p.page.locator('#summary').textContent()) ?? '').replace(/[^\d]/g, ''));
        assert.ok(total > 2500, `${total} rows`);
        await p.page.$eval('.list', (l) => (l.scrollTop = 2000 * 44));
        await until(
          p.page,
          () => document.querySelector('.row[aria-posinset="2004"]')?.hasAttribute('data-id') ?? false,
        );
        await p.page.locator('.row[aria-posinset="2004"]').click();
        await waitSelected(p.page, 2003);
        await p.page.locator('#filters-toggle').click();
        assert.equal(await p.page.locator('#filters-toggle').getAttribute('aria-expanded'), 'false');
        await p.page.waitForTimeout(300);

        from = p.host.mark();
        await p.reload();
        assert.equal(p.host.received[from]?.type, 'ready');
        const first = p.host.received[from + 1];
        assert.deepEqual(first && isQuery(first) ? first.query : first, {
          perspective: ['egocentric'],
          outcome: ['failed'],
          text: 'turning',
          offset: 2000,
          limit: 100,
        });
        const s = await waitSelected(p.page, 2003);
        assert.ok(s.inView);
        assert.equal(await p.page.locator('#filter-text input').inputValue(), 'turning');
        assert.equal(await chip(p.page, 'perspective', 'egocentric').getAttribute('aria-pressed'), 'true');
        assert.equal(await p.page.locator('#filters-toggle').getAttribute('aria-expanded'), 'false');
        const top = await p.page.evaluate(() => {
          const l = document.querySelector('.list') as HTMLElement;
          const y = l.getBoundingClientRect().top;
          const rows = [...document.querySelectorAll<HTMLElement>('.row')].filter(
            (r) => r.getBoundingClientRect().bottom > y + 1,
          );
          return Math.min(...rows.map((r) => Number(r.dataset.index)));
        });
        assert.ok(Math.abs(top - 2000) <= 1, `top row after reload: ${top}`);
      },
    );
  });

  describe('failures panel on the bundled samples (real index)', function () {
    let source: IndexSource;
    before(async () => {
      source = await IndexSource.open(env.root, path.join(env.root, 'samples'));
    });
    after(() => source.close());

    it('choosing Rotational lists the index’s rotational failures, with its counts', async () => {
      const p = await openPanel(source, { height: 900 });
      try {
        await chip(p.page, 'motion', 'rotational').click();
        const expected = source.query({ outcome: ['failed'], motion: ['rotational'], limit: 0 });
        await until(
          p.page,
          new Function(
            `return document.querySelector('#summary')?.textContent === '${expected.total.toLocaleString('en-US')} failed predictions'`,
          ) as () => boolean,
        );
        const badges = await p.page.$$eval('.row[data-id]', (rows) =>
          rows.map((r) => r.querySelector('.badge')?.textContent),
        );
        assert.ok(badges.length > 5 && badges.every((b) => b === 'Rotation'), badges.join(','));
        const counts = await p.page.$$eval('#filter-perspective .chip', (cs) =>
          cs.map((c) => c.querySelector('.chip-count')?.textContent),
        );
        assert.deepEqual(
          counts,
          Object.values(expected.facets.perspective).map((n) => n.toLocaleString('en-US')),
        );
        await p.assertClean();
      } finally {
        await p.close();
      }
    });

    it('Group by Question lists each question once with "k of n failed" as the index counts it', async () => {
      const p = await openPanel(source, { height: 900 });
      try {
        await chip(p.page, 'motion', 'rotational').click();
        const from = p.host.mark();
        await p.page.locator('#group').click();
        const q = await lastQuery(p, from, (x) => x.group === 'question', 'a grouped query');
        assert.deepEqual(
          { ...q.query, offset: undefined, limit: undefined },
          { outcome: ['failed'], motion: ['rotational'], group: 'question', offset: undefined, limit: undefined },
        );
        const expected = source.query({ outcome: ['failed'], motion: ['rotational'], group: 'question', limit: 1000 });
        const want = `${expected.total} questions with failed predictions`;
        await until(
          p.page,
          new Function(
            `return document.querySelector('#summary')?.textContent === ${JSON.stringify(want)}`,
          ) as () => boolean,
        );
        const shown = await p.page.$$eval('.row[data-id]', (rows) =>
          rows
            .sort((a, b) => Number((a as HTMLElement).dataset.index) - Number((b as HTMLElement).dataset.index))
            .map((r) => [r.querySelector('.row-question')?.textContent, r.querySelector('.row-model')?.textContent]),
        );
        // The rows in view (the list is virtualized), in the index's order.
        assert.ok(shown.length > 5);
        assert.deepEqual(
          shown,
          expected.rows.slice(0, shown.length).map((r) => [r.question, `${r.group?.failed} of ${r.group?.of} failed`]),
        );
        // Each question once.
        assert.equal(new Set(expected.rows.map((r) => `${r.split}/${r.qid}`)).size, expected.rows.length);
        assert.equal(
          (await p.page.locator('#group').getAttribute('aria-pressed')) ??
            String(await p.page.locator('#group').evaluate((b) => (b as HTMLElement & { checked: boolean }).checked)),
          'true',
        );
        await p.assertClean();
      } finally {
        await p.close();
      }
    });

    for (const theme of ['dark', 'light', 'hc'] as const) {
      it(`screenshot: ${theme} theme (test-results/failures-panel-${theme}.png)`, async () => {
        const p = await openPanel(source, { theme, width: 360, height: 820 });
        try {
          await chip(p.page, 'perspective', 'exocentric').click();
          await until(
            p.page,
            () =>
              document.querySelector('#filter-perspective .chip.on') !== null &&
              !!document.querySelector('.row[data-id]'),
          );
          await p.page.waitForTimeout(150);
          await p.page.locator('.list').focus();
          await p.page.keyboard.press('j');
          await p.page.keyboard.press('j');
          await p.page.locator('.row[data-index="4"]').hover();
          await p.page.waitForTimeout(150);
          await p.page.screenshot({ path: path.join(env.results, `failures-panel-${theme}.png`) });
          if (theme === 'dark') {
            await p.page.locator('#filter-model').click();
            await p.page.locator('#filter-model li.option').first().waitFor();
            await p.page.screenshot({ path: path.join(env.results, 'failures-panel-dark-models.png') });
            await p.page.keyboard.press('Escape');
            await p.page.locator('#filter-text input').fill('qqqzzz');
            await until(p.page, () => !!document.querySelector('#empty:not([hidden])'));
            await p.page.screenshot({ path: path.join(env.results, 'failures-panel-dark-empty.png') });
            await p.host.send({ type: 'indexing', done: 12, total: 46 });
            await p.host.send({
              type: 'empty',
              reason: 'no-results',
              detail:
                'No result files (…/{real,synthetic}_mc_{cot,direct-output}/<model>_<frames>.json) were found in ~/vlm4d.',
            });
            await until(p.page, () => /No VLM4D results/.test(document.querySelector('#empty')?.textContent ?? ''));
            await p.page.screenshot({ path: path.join(env.results, 'failures-panel-dark-no-results.png') });
          }
          await p.assertClean();
        } finally {
          await p.close();
        }
      });
    }
  });

  // Keep the model list in the synthetic data honest (tests above pick models by name).
  it('the synthetic data has the models the tests pick', () => {
    assert.ok(SYNTHETIC_MODELS.includes('gpt-4o') && SYNTHETIC_MODELS.includes('o4-mini'));
  });
}

// The accuracy dashboard's bundle (dist/webview/dashboard.js) in headless Chromium under the host's CSP, fed
// what the host sends (src/host/dashboardPanel.ts) built from a real index over the dashboard fixture. Numbers
// on the page are checked against the index's own counts (its query API), clicks against the filters they post,
// and every message the page sends goes through the host's validator.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { ACCURACY_COLUMNS, accuracyTableCsv, accuracyTables } from '../../src/core/accuracyTable';
import type { DashboardFilters } from '../../src/core/dashboard/aggregate';
import type { FailureQuery } from '../../src/core/index/query';
import { ResultIndex } from '../../src/core/index/resultIndex';
import { loadSqlJs } from '../../src/core/index/sqlite';
import type { DashboardToHost, HostToDashboard } from '../../src/protocol/dashboard';
import { parseDashboardMessage } from '../../src/protocol/dashboardValidate';
import type { DashboardFixture } from '../support/dashboardFixture';
import { annotate, dashboardFixture } from '../support/dashboardFixture';
import type { ViewPage } from './harness';
import { env, openView } from './harness';
import type { ThemeName } from './themes';

/** The `data` message as the host builds it (DashboardPanel.refresh). */
export function dataMessage(index: ResultIndex): HostToDashboard {
  const judge = accuracyTables(index, { verdict: 'judge' });
  const data = index.dashboardData();
  const effective = data.overridden ? accuracyTables(index, { verdict: 'effective' }) : null;
  return {
    type: 'data',
    data,
    tables: {
      columns: [...ACCURACY_COLUMNS],
      judge,
      judgeCsv: judge.map(accuracyTableCsv),
      effective,
      effectiveCsv: effective ? effective.map(accuracyTableCsv) : null,
    },
  };
}

export type Dash = ViewPage<HostToDashboard, DashboardToHost>;

export function openDashboard(opts: { theme?: ThemeName; width?: number } = {}): Promise<Dash> {
  return openView<HostToDashboard, DashboardToHost>({
    page: 'dashboard',
    parse: parseDashboardMessage,
    theme: opts.theme,
    width: opts.width ?? 1300,
    height: 900,
    waitMs: 10_000,
  });
}

interface ChartValues {
  labels: (string | string[])[];
  datasets: { label: string; data: (number | null)[] }[];
}
const chartValues = async (page: Page, id: string): Promise<ChartValues> =>
  JSON.parse((await page.locator(`canvas#${id}`).getAttribute('data-values')) ?? 'null') as ChartValues;
const bars = async (page: Page, id: string): Promise<{ dataset: number; index: number; x: number; y: number }[]> =>
  JSON.parse((await page.locator(`canvas#${id}`).getAttribute('data-bars')) ?? '[]') as {
    dataset: number;
    index: number;
    x: number;
    y: number;
  }[];

/** Picks the option labelled exactly `label` in a vscode-single-select the way a user does: open it, click. */
async function choose(page: Page, selectId: string, label: string): Promise<void> {
  await page.locator(`#${selectId}`).click();
  const exact = new RegExp(`^\\s*${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`);
  await page.locator(`#${selectId} li.option`).filter({ hasText: exact }).first().click({ timeout: 5_000 });
}

const count = (index: ResultIndex, f: FailureQuery) => index.query({ ...f, limit: 0 });

export function registerDashboardTests(): void {
  describe('accuracy dashboard', function () {
    let f: DashboardFixture;
    let message: HostToDashboard;
    before(async () => {
      f = await dashboardFixture(path.join(env.root, 'node_modules', 'sql.js', 'dist', 'sql-wasm.wasm'));
      annotate(f);
      message = dataMessage(f.index);
    });
    after(() => f?.index.close());

    async function loaded(opts: { theme?: ThemeName } = {}): Promise<Dash> {
      const d = await openDashboard(opts);
      const from = d.received.length;
      await d.send(message);
      await d.waitFor((m) => m.type === 'rendered', from);
      return d;
    }

    it('renders every section under the CSP, the paper’s table with the CLI’s numbers and one-split rows, sortable', async () => {
      const d = await loaded();
      try {
        for (const id of ['paper', 'slices', 'confusion', 'agreement', 'cot-direct', 'tags'])
          assert.equal(await d.page.locator(`section#${id}`).count(), 1, id);
        for (const id of ['slices-chart', 'agreement-chart', 'cot-direct-chart', 'tags-chart'])
          assert.equal(await d.page.locator(`canvas#${id}`).count(), 1, id);
        // The cot table of the judged runs: the CLI's rows, digit for digit, then solo (synthetic only) with blanks.
        const cli = accuracyTables(f.index, { verdict: 'judge' }).find(
          (t) => t.promptMode === 'cot' && t.grader === 'judge',
        );
        assert.ok(cli);
        const table = d.page.locator('table.paper-table[data-prompt="cot"][data-grader="judge"]');
        const rows = await table
          .locator('tbody tr')
          .evaluateAll((trs) =>
            trs.map((tr) => [
              tr.getAttribute('data-file'),
              tr.getAttribute('data-only'),
              ...[...tr.querySelectorAll('td')].map((td) => td.textContent),
            ]),
          );
        const csvLines = accuracyTableCsv(cli)
          .trim()
          .split('\n')
          .slice(1)
          .map((l) => l.split(','));
        assert.deepEqual(
          rows.slice(0, cli.rows.length).map((r) => [r[0], ...r.slice(2)]),
          csvLines,
          'the same cells as the CLI prints',
        );
        const solo = rows.find((r) => r[0] === 'solo_4frame.json');
        assert.ok(solo && solo[1] === 'synthetic', 'the synthetic-only run has its row');
        assert.deepEqual([solo[2], solo[3], solo[4], solo[8]], ['', '', '', ''], 'real and overall columns blank');
        assert.match(String(solo[5]), /^\d+(\.\d+)?$/);
        // Rule-graded tables are headed as such.
        assert.match((await d.page.locator('#paper').textContent()) ?? '', /rule-graded \(raw outputs, no judge\)/);
        // Sorting: by overall, descending first, then ascending; blanks last either way.
        const overall = async () =>
          (await table.locator('tbody tr td[data-key="overall"]').allTextContents()).map((t) =>
            t === '' ? null : Number(t),
          );
        await table.locator('button[data-sort="overall"]').click();
        let got = await overall();
        const filled = (xs: (number | null)[]) => xs.filter((x): x is number => x !== null);
        assert.deepEqual(
          filled(got),
          [...filled(got)].sort((a, b) => b - a),
        );
        assert.equal(got[got.length - 1], null);
        assert.equal(
          await table.locator('th:has(button[data-sort="overall"])').getAttribute('aria-sort'),
          'descending',
        );
        await table.locator('button[data-sort="overall"]').press('Enter');
        got = await overall();
        assert.deepEqual(
          filled(got),
          [...filled(got)].sort((a, b) => a - b),
        );
        assert.equal(got[got.length - 1], null);
        // The overrides switch shows the tables with the verdicts in force.
        await d.page.locator('#use-overrides').click();
        assert.match((await d.page.locator('#paper').textContent()) ?? '', /with your overrides/);
        await d.clean();
      } finally {
        await d.close();
      }
    });

    it('shows accuracy per slice with the index’s counts; a bar click posts its failures; switching the breakdown redraws', async () => {
      const d = await loaded();
      try {
        const check = async (dims: ('perspective' | 'motion' | 'split')[]) => {
          const v = await chartValues(d.page, 'slices-chart');
          assert.ok(v.datasets.length >= 4, 'a dataset per model');
          const labels = v.labels.map((l) => (Array.isArray(l) ? l[0] : l) as string);
          for (const ds of v.datasets) {
            const rule = ds.label.endsWith(' (rule-graded)');
            const model = ds.label.replace(' (rule-graded)', '');
            labels.forEach((label, x) => {
              const values = label.split(' · ');
              const slice: FailureQuery = {};
              dims.forEach((dim, i) => ((slice as Record<string, string[]>)[dim] = [values[i] as string]));
              const facets = count(f.index, {
                model: [model],
                grader: [rule ? 'rule' : 'judge'],
                promptMode: ['cot'],
                ...slice,
              }).facets.outcome;
              const graded = (facets.correct ?? 0) + (facets.failed ?? 0);
              const want = graded ? ((facets.correct ?? 0) / graded) * 100 : null;
              const have = ds.data[x] ?? null;
              assert.ok(
                want === null ? have === null : Math.abs((have as number) - want) < 1e-9,
                `${ds.label} ${label}: ${have} vs ${want}`,
              );
            });
          }
          return v;
        };
        const v = await check(['perspective']);
        assert.ok(
          v.datasets.some((x) => x.label === 'delta (rule-graded)'),
          'rule-graded models are marked',
        );
        assert.match((await d.page.locator('#slices .note.rule-graded').textContent()) ?? '', /answer-reading rule/);
        // Click the first bar with failures: the side panel's filters for exactly its failures.
        const hit = (await bars(d.page, 'slices-chart')).find(
          (b) => (v.datasets[b.dataset]?.data[b.index] ?? 100) < 100,
        );
        assert.ok(hit, 'a bar below 100%');
        const from = d.received.length;
        await d.page.locator('canvas#slices-chart').click({ position: { x: hit.x, y: hit.y } });
        const m = await d.waitFor<Extract<DashboardToHost, { type: 'showFailures' }>>(
          (x) => x.type === 'showFailures',
          from,
        );
        const label = v.datasets[hit.dataset]?.label as string;
        const slice = (v.labels[hit.index] as string[])[0] as string;
        assert.deepEqual(m.filters, {
          outcome: ['failed'],
          model: [label.replace(' (rule-graded)', '')],
          grader: [label.endsWith('(rule-graded)') ? 'rule' : 'judge'],
          promptMode: ['cot'],
          perspective: [slice],
        });
        // The numbers table says how many failures that is, and the index agrees.
        const failed = count(f.index, m.filters as DashboardFilters).total;
        assert.ok(failed > 0);
        // Breakdown: perspective × motion type, then split.
        await choose(d.page, 'breakdown', 'Perspective × motion type');
        await d.page.waitForFunction(() =>
          (document.querySelector('canvas#slices-chart') as HTMLElement | null)?.dataset.values?.includes(' · '),
        );
        await check(['perspective', 'motion']);
        await choose(d.page, 'breakdown', 'Split');
        await d.page.waitForFunction(
          () =>
            (
              JSON.parse(
                (document.querySelector('canvas#slices-chart') as HTMLElement).dataset.values ?? '{}',
              ) as ChartValues
            ).labels.length === 2,
        );
        await check(['split']);
        // The choice is kept in the page's state.
        assert.equal(
          (
            await d.page.evaluate(
              () => JSON.parse(sessionStorage.getItem('vscode-webview-state') ?? '{}') as { breakdown?: string },
            )
          ).breakdown,
          'split',
        );
        await d.clean();
      } finally {
        await d.close();
      }
    });

    it('a confusion cell posts the filters of exactly its failures (click and keyboard); its number is the index’s count', async () => {
      const d = await loaded();
      try {
        const cells = d.page.locator('table.confusion button.cell');
        const n = await cells.count();
        assert.ok(n > 5, `cells with failures (${n})`);
        for (const i of [0, Math.floor(n / 2), n - 1]) {
          const cell = cells.nth(i);
          const [truth, chosen, shown] = await Promise.all(
            ['data-truth', 'data-chosen', 'data-count'].map((a) => cell.getAttribute(a)),
          );
          const [motion, perspective] = await cell.evaluate((b) => {
            const t = b.closest('table') as HTMLTableElement;
            return [t.dataset.motion, t.dataset.perspective];
          });
          const from = d.received.length;
          if (i === 0) {
            await cell.focus();
            await d.page.keyboard.press('Enter');
          } else await cell.click();
          const m = await d.waitFor<Extract<DashboardToHost, { type: 'showFailures' }>>(
            (x) => x.type === 'showFailures',
            from,
          );
          assert.deepEqual(m.filters, {
            outcome: ['failed'],
            motion: [motion],
            perspective: [perspective],
            grader: ['judge'],
            promptMode: ['cot'],
            truthLabel: [truth],
            chosenLabel: [chosen],
          });
          assert.equal(
            count(f.index, m.filters as DashboardFilters).total,
            Number(shown),
            'the side panel will count the cell’s number',
          );
        }
        // One model: the filters name it.
        await choose(d.page, 'confusion-scope', 'alpha-vl');
        await d.page.waitForFunction(
          () =>
            (document.querySelector('#confusion-scope') as (HTMLElement & { value?: string }) | null)?.value ===
            'series:judge:alpha-vl',
        );
        const cell = d.page.locator('table.confusion button.cell').first();
        const from = d.received.length;
        await cell.click();
        const m = await d.waitFor<Extract<DashboardToHost, { type: 'showFailures' }>>(
          (x) => x.type === 'showFailures',
          from,
        );
        assert.deepEqual(m.filters.model, ['alpha-vl']);
        assert.equal(
          count(f.index, m.filters as DashboardFilters).total,
          Number(await cell.getAttribute('data-count')),
        );
        await d.clean();
      } finally {
        await d.close();
      }
    });

    it('agreement: the histogram counts questions by models failing, and list entries open their prediction', async () => {
      const d = await loaded();
      try {
        const v = await chartValues(d.page, 'agreement-chart');
        // Brute force from the index's rows: per question, the (model, grader) pairs that failed it.
        const rows = f.index
          .query({ promptMode: ['cot'], limit: 10_000 })
          .rows.filter((r) => r.grader !== 'none' && r.outcome !== 'ungraded');
        const series = new Set(rows.map((r) => `${r.grader}:${r.model}`));
        const failing = new Map<string, Set<string>>();
        for (const r of rows) {
          const s = failing.get(`${r.split}/${r.qid}`) ?? new Set();
          if (r.outcome === 'failed') s.add(`${r.grader}:${r.model}`);
          failing.set(`${r.split}/${r.qid}`, s);
        }
        const histogram = new Array(series.size + 1).fill(0);
        for (const s of failing.values()) histogram[s.size]++;
        assert.deepEqual(v.datasets[0]?.data, histogram);
        const entry = d.page.locator('#one-fails button[data-id]').first();
        const id = Number(await entry.getAttribute('data-id'));
        const from = d.received.length;
        await entry.click();
        assert.deepEqual(await d.waitFor((x) => x.type === 'openPrediction', from), {
          type: 'openPrediction',
          id,
          version: (message as Extract<HostToDashboard, { type: 'data' }>).data.version,
        });
        const opened = f.index.prediction(id);
        assert.equal(opened?.outcome, 'failed');
        assert.equal(
          (await d.page.locator('#all-fail button[data-id]').count()) +
            (await d.page.locator('#all-fail .empty').count()) >
            0,
          true,
        );
        await d.clean();
      } finally {
        await d.close();
      }
    });

    it('exports each chart as a PNG data URL and each table as CSV', async () => {
      const d = await loaded();
      try {
        let from = d.received.length;
        await d.page.locator('vscode-button[data-export="png"][data-target="slices-chart"]').click();
        const png = await d.waitFor<Extract<DashboardToHost, { type: 'exportPng' }>>(
          (x) => x.type === 'exportPng',
          from,
        );
        assert.equal(png.name, 'slices-chart');
        const bytes = Buffer.from(png.dataUrl.replace(/^data:image\/png;base64,/, ''), 'base64');
        assert.deepEqual([...bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'a PNG');
        assert.ok(bytes.length > 2000, 'with something drawn in it');
        // The paper's table: the CLI's CSV, then the one-split rows.
        from = d.received.length;
        await d.page
          .locator('table.paper-table[data-prompt="cot"][data-grader="judge"]')
          .locator('xpath=ancestor::div[contains(@class,"paper-table-box")]')
          .locator('vscode-button[data-export="csv"]')
          .click();
        const csv = await d.waitFor<Extract<DashboardToHost, { type: 'exportCsv' }>>(
          (x) => x.type === 'exportCsv',
          from,
        );
        const cli = accuracyTableCsv(
          accuracyTables(f.index, { verdict: 'judge' }).find(
            (t) => t.promptMode === 'cot' && t.grader === 'judge',
          ) as never,
        );
        assert.ok(csv.csv.startsWith(cli), 'the CLI CSV first');
        assert.match(csv.csv.slice(cli.length), /^solo_4frame\.json,,,,\d/);
        // A confusion matrix.
        from = d.received.length;
        await d.page.locator('table.confusion vscode-button[data-export="csv"]').first().click();
        const m = await d.waitFor<Extract<DashboardToHost, { type: 'exportCsv' }>>((x) => x.type === 'exportCsv', from);
        assert.match(m.name, /^confusion-cot-/);
        assert.match(m.csv, /^truth \\ chosen,/);
        await d.clean();
      } finally {
        await d.close();
      }
    });

    for (const theme of ['light', 'hc'] as ThemeName[]) {
      it(`reads its colours from the theme (${theme}) and again when the theme changes`, async () => {
        const d = await loaded({ theme });
        try {
          const colors = async () =>
            JSON.parse((await d.page.locator('canvas#slices-chart').getAttribute('data-colors')) ?? '[]') as string[];
          const before = await colors();
          const blue = theme === 'light' ? '#1a85ff' : '#3794ff';
          const rgb = (hex: string) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)).join(', ');
          assert.ok(before[0]?.includes(rgb(blue)), `the first series is the theme's blue: ${before[0]}`);
          // VS Code swaps the variables and the body class together.
          await d.page.evaluate(() => {
            document.documentElement.style.setProperty('--vscode-charts-blue', '#123456');
            document.body.className = 'vscode-dark';
          });
          await d.page.waitForFunction(() =>
            (document.querySelector('canvas#slices-chart') as HTMLElement | null)?.dataset.colors?.includes(
              '18, 52, 86',
            ),
          );
          await d.clean();
        } finally {
          await d.close();
        }
      });
    }

    it('screenshot: the bundled published samples in the dark theme (test-results/dashboard-dark.png)', async () => {
      const index = new ResultIndex(
        await loadSqlJs(path.join(env.root, 'node_modules', 'sql.js', 'dist', 'sql-wasm.wasm')),
      );
      index.setRoots([path.join(env.root, 'samples', 'vlm4d-published')]);
      await index.sync();
      const d = await openDashboard({ theme: 'dark' });
      try {
        const from = d.received.length;
        await d.send(dataMessage(index));
        await d.waitFor((m) => m.type === 'rendered', from);
        await d.page.waitForTimeout(300);
        await d.page.screenshot({ path: path.join(env.results, 'dashboard-dark.png'), fullPage: true });
        await d.clean();
      } finally {
        await d.close();
        index.close();
      }
    });

    it('says why there is nothing to draw, and draws the new data when it comes', async () => {
      const d = await openDashboard();
      try {
        await d.send({ type: 'status', state: 'indexing', message: 'Indexing results: 3 of 9 files…' });
        await d.page.waitForFunction(() => document.querySelector('#status')?.textContent?.includes('3 of 9'));
        assert.equal(await d.page.locator('#dashboard').isHidden(), true);
        const from = d.received.length;
        await d.send(message);
        await d.waitFor((m) => m.type === 'rendered', from);
        assert.equal(await d.page.locator('#dashboard').isVisible(), true);
        await d.clean();
      } finally {
        await d.close();
      }
    });
  });
}

// The dashboard at a normal editor width (800 px) with the 23 published models (publishedFixture.ts): every
// table's right edge is reachable (it fits, or its box scrolls sideways with its scroll bar in view) with its
// first column kept in view, every chart and its legend within the view, the charts limited to the models
// picked (by default the 8 most accurate, as the index counts them), and no two charted series alike.
import * as assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import type { ResultIndex } from '../../src/core/index/resultIndex';
import type { Dash } from './dashboard.test';
import { dataMessage, openDashboard } from './dashboard.test';
import { env } from './harness';
import { PUBLISHED_MODEL_COUNT, publishedIndex } from './publishedFixture';
import type { ThemeName } from './themes';

const WIDTH = 800;

interface Fit {
  pageOverflow: number;
  tables: {
    what: string;
    fits: boolean;
    scrolls: boolean;
    boxRight: number;
    boxHeight: number;
    lastRight: number;
    boxInnerRight: number;
    firstLeftShift: number;
  }[];
  charts: {
    id: string;
    right: number;
    width: number;
    datasets: number;
    legend: { left: number; top: number; right: number; bottom: number }[];
    canvasWidth: number;
    canvasHeight: number;
  }[];
}

/** Measures, in the page, what the user can reach: each table scrolled fully right, each chart and its legend. */
function measureFit(page: Page): Promise<Fit> {
  return page.evaluate(() => {
    const view = document.documentElement.clientWidth;
    const tables = [...document.querySelectorAll('table')].map((t, i) => {
      const box = t.closest('.table-scroll') as HTMLElement | null;
      const what = `${t.className || t.id || 'table'} #${i}`;
      if (!box)
        return {
          what,
          fits: false,
          scrolls: false,
          boxRight: Infinity,
          boxHeight: 0,
          lastRight: Infinity,
          boxInnerRight: 0,
          firstLeftShift: Infinity,
        };
      box.scrollLeft = 0;
      const first = (t.querySelector('tbody tr > :first-child') ?? t.querySelector('tr > :first-child')) as HTMLElement;
      const before = first.getBoundingClientRect().left;
      const fits = t.scrollWidth <= box.clientWidth;
      const overflowX = getComputedStyle(box).overflowX;
      const scrolls = !fits && (overflowX === 'auto' || overflowX === 'scroll');
      box.scrollLeft = box.scrollWidth;
      const r = box.getBoundingClientRect();
      const row = t.querySelector('tr') as HTMLTableRowElement;
      const last = row.cells[row.cells.length - 1] as HTMLElement;
      const out = {
        what,
        fits,
        scrolls,
        boxRight: r.right,
        boxHeight: r.height,
        lastRight: last.getBoundingClientRect().right,
        boxInnerRight: r.left + box.clientLeft + box.clientWidth,
        firstLeftShift: Math.abs(first.getBoundingClientRect().left - before),
      };
      box.scrollLeft = 0;
      return out;
    });
    const charts = [...document.querySelectorAll('canvas')].map((c) => {
      const r = c.getBoundingClientRect();
      return {
        id: c.id,
        right: r.right,
        width: view,
        datasets: (JSON.parse(c.dataset.values ?? '{"datasets":[]}') as { datasets: unknown[] }).datasets.length,
        legend: JSON.parse(c.dataset.legend ?? '[]') as { left: number; top: number; right: number; bottom: number }[],
        canvasWidth: c.clientWidth,
        canvasHeight: c.clientHeight,
      };
    });
    return { pageOverflow: document.documentElement.scrollWidth - view, tables, charts };
  });
}

function assertFits(fit: Fit, viewHeight: number): void {
  assert.ok(fit.pageOverflow <= 0, `the page is ${fit.pageOverflow}px wider than the view`);
  assert.ok(fit.tables.length > 5, `tables measured: ${fit.tables.length}`);
  for (const t of fit.tables) {
    assert.ok(t.boxRight <= WIDTH, `${t.what}: its box ends at ${t.boxRight}px, past the view`);
    assert.ok(t.fits || t.scrolls, `${t.what}: wider than its box, which does not scroll`);
    if (t.scrolls) {
      assert.ok(t.boxHeight <= viewHeight, `${t.what}: its box is ${t.boxHeight}px tall, its scroll bar out of view`);
      assert.ok(
        t.lastRight <= t.boxInnerRight + 1,
        `${t.what}: scrolled fully right, its last column ends at ${t.lastRight}px, past ${t.boxInnerRight}px`,
      );
      assert.ok(
        t.firstLeftShift <= 1,
        `${t.what}: the first column moved ${t.firstLeftShift}px when scrolled (not kept in view)`,
      );
    }
  }
  assert.ok(fit.charts.length >= 2, `charts measured: ${fit.charts.length}`);
  for (const c of fit.charts) {
    assert.ok(c.right <= c.width, `${c.id}: the chart ends at ${c.right}px, past the view (${c.width}px)`);
    if (c.datasets < 2) continue;
    assert.equal(c.legend.length, c.datasets, `${c.id}: ${c.legend.length} legend items for ${c.datasets} series`);
    for (const b of c.legend)
      assert.ok(
        b.left >= 0 && b.top >= 0 && b.right <= c.canvasWidth && b.bottom <= c.canvasHeight,
        `${c.id}: a legend item at ${JSON.stringify(b)} is outside the ${c.canvasWidth}×${c.canvasHeight} canvas`,
      );
  }
}

/** Colours as [r, g, b] from `rgba(r, g, b, a)`. */
const rgb = (c: string): number[] => (/rgba?\(([^)]+)\)/.exec(c)?.[1] ?? '').split(',').slice(0, 3).map(Number);

/** Each pair of colours apart by at least `min` (Euclidean, 0-255 channels). */
function assertDistinct(colors: string[], min: number): void {
  for (let i = 0; i < colors.length; i++)
    for (let j = i + 1; j < colors.length; j++) {
      const [a, b] = [rgb(colors[i] as string), rgb(colors[j] as string)];
      const d = Math.hypot(...a.map((x, k) => x - (b[k] as number)));
      assert.ok(d >= min, `series ${i} and ${j} look alike: ${colors[i]} and ${colors[j]} (distance ${d.toFixed(1)})`);
    }
}

const chartValues = async (page: Page, id: string) =>
  JSON.parse((await page.locator(`canvas#${id}`).getAttribute('data-values')) ?? 'null') as {
    datasets: { label: string }[];
  };
const chartColors = async (page: Page, id: string) =>
  JSON.parse((await page.locator(`canvas#${id}`).getAttribute('data-colors')) ?? '[]') as string[];

export function registerDashboardFitTests(): void {
  describe('dashboard at 800 px with the 23 published models', function () {
    let index: ResultIndex;
    let best: string[];
    before(async function () {
      this.timeout(120_000);
      ({ index } = await publishedIndex(env.root));
      // The 8 most accurate overall, as the index counts them (correct of the graded, both splits).
      const models = Object.keys(index.query({ promptMode: ['cot'], limit: 0 }).facets.model);
      assert.equal(models.length, PUBLISHED_MODEL_COUNT);
      const acc = (m: string) => {
        const o = index.query({ model: [m], promptMode: ['cot'], limit: 0 }).facets.outcome;
        return (o.correct ?? 0) / ((o.correct ?? 0) + (o.failed ?? 0));
      };
      best = models.sort((a, b) => acc(b) - acc(a)).slice(0, 8);
    });
    after(() => index?.close());

    async function loaded(theme: ThemeName = 'dark'): Promise<Dash> {
      const d = await openDashboard({ theme, width: WIDTH });
      const from = d.received.length;
      await d.send(dataMessage(index));
      await d.waitFor((m) => m.type === 'rendered', from);
      await d.page.evaluate(() =>
        document.querySelectorAll('details.numbers').forEach((x) => ((x as HTMLDetailsElement).open = true)),
      );
      return d;
    }

    it('nothing is cut: tables scroll sideways with their first column kept, charts and legends within the view', async () => {
      const d = await loaded();
      try {
        assertFits(await measureFit(d.page), 900);
        // With the confusion matrices of one model and every breakdown's slices too.
        await d.page.locator('#breakdown').click();
        await d.page
          .locator('#breakdown li.option')
          .filter({ hasText: /Perspective × motion type/ })
          .first()
          .click();
        await d.page.waitForFunction(() =>
          (document.querySelector('canvas#slices-chart') as HTMLElement | null)?.dataset.values?.includes(' · '),
        );
        assertFits(await measureFit(d.page), 900);
        await d.page.screenshot({ path: `${env.results}/dashboard-800-23-models.png`, fullPage: true });
        await d.clean();
      } finally {
        await d.close();
      }
    });

    it('the charts show the 8 most accurate models by default, say so, and draw each in its own colour', async () => {
      const d = await loaded();
      try {
        const v = await chartValues(d.page, 'slices-chart');
        assert.deepEqual(v.datasets.map((x) => x.label).sort(), [...best].sort());
        assert.match(
          (await d.page.locator('#model-picker-summary').textContent()) ?? '',
          /8 most accurate of 23 models/,
        );
        assertDistinct(await chartColors(d.page, 'slices-chart'), 40);
        // The tables keep every model.
        assert.equal(await d.page.locator('#slices-table tbody tr').count(), PUBLISHED_MODEL_COUNT);
        await d.clean();
      } finally {
        await d.close();
      }
    });

    for (const theme of ['dark', 'light', 'hc', 'hcLight'] as ThemeName[]) {
      it(`picking models redraws the charts; all 23 fit, each its own colour, legend whole (${theme})`, async () => {
        const d = await loaded(theme);
        try {
          await d.page.locator('#model-picker-summary').click();
          await d.page.locator('#chart-all-models').click();
          await d.page.waitForFunction(
            (n) =>
              (
                JSON.parse((document.querySelector('canvas#slices-chart') as HTMLElement).dataset.values ?? '{}') as {
                  datasets: unknown[];
                }
              ).datasets.length === n,
            PUBLISHED_MODEL_COUNT,
          );
          assertDistinct(await chartColors(d.page, 'slices-chart'), 40);
          assertFits(await measureFit(d.page), 900);
          assert.match((await d.page.locator('#model-picker-summary').textContent()) ?? '', /all 23 models/);
          // Untick one: 22 charted, and the choice is the page's state.
          const gone = best[0] as string;
          await d.page.locator(`#model-picker vscode-checkbox[data-series="judge:${gone}"]`).click();
          await d.page.waitForFunction(
            (n) =>
              (
                JSON.parse((document.querySelector('canvas#slices-chart') as HTMLElement).dataset.values ?? '{}') as {
                  datasets: unknown[];
                }
              ).datasets.length === n,
            PUBLISHED_MODEL_COUNT - 1,
          );
          assert.ok(!(await chartValues(d.page, 'slices-chart')).datasets.some((x) => x.label === gone));
          const state = await d.page.evaluate(
            () => JSON.parse(sessionStorage.getItem('vscode-webview-state') ?? '{}') as { charted?: string[] },
          );
          assert.equal(state.charted?.length, PUBLISHED_MODEL_COUNT - 1);
          assert.ok(!state.charted?.includes(`judge:${gone}`));
          // Back to the default.
          await d.page.locator('#chart-default-models').click();
          await d.page.waitForFunction(
            () =>
              (
                JSON.parse((document.querySelector('canvas#slices-chart') as HTMLElement).dataset.values ?? '{}') as {
                  datasets: unknown[];
                }
              ).datasets.length === 8,
          );
          await d.clean();
        } finally {
          await d.close();
        }
      });
    }
  });
}

// Every view readable in VS Code's four default themes: each visible piece of text (the final-answer highlight,
// selected rows, chips and selected filters, badges, links, buttons included) has a WCAG contrast ratio of at
// least 4.5 against what is behind it (3 for large text and icon glyphs), measured from computed colours
// (contrast.ts). Each view is also photographed per theme into test-results/<view>-<theme>.png.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import type { DashboardFixture } from '../support/dashboardFixture';
import { annotate, dashboardFixture } from '../support/dashboardFixture';
import type { TextContrast } from './contrast';
import { failures, measureContrast } from './contrast';
import { dataMessage, openDashboard } from './dashboard.test';
import { IndexSource } from './data';
import { data, openDetail } from './detail.test';
import { env, openPanel, openView, until } from './harness';
import { THEME_NAMES } from './themes';

/** Asserts every text is readable, and that the states the test means to cover were on the page. */
function assertReadable(all: TextContrast[], mustCover: string[], what: string): void {
  assert.ok(all.length > 20, `${what}: only ${all.length} texts measured`);
  for (const cls of mustCover)
    assert.ok(
      all.some((t) => t.classes.includes(cls)),
      `${what}: no text inside .${cls} was measured`,
    );
  // One line per distinct failure (the same colours on the same kind of element count once).
  const bad = [...new Set(failures(all).map((l) => l.replace(/: "[^"]*"/, ':')))];
  assert.ok(bad.length === 0, `${what}: texts below their contrast ratio:\n  ${bad.join('\n  ')}`);
}

/** A small picture of the view (docs/screenshots takes these): 900×700, the side panel at a side bar's width. */
async function shot(page: Page, name: string, width = 900): Promise<void> {
  await page.setViewportSize({ width, height: 700 });
  await page.waitForTimeout(150);
  await page.screenshot({ path: path.join(env.results, `${name}.png`) });
}

export function registerReadableTests(): void {
  describe('readable in every theme', function () {
    it('the contrast measure flags white on white and passes black on white (21:1)', async () => {
      const v = await openView({
        page: 'dashboard',
        parse: (raw) => raw as { type: string },
        width: 400,
        height: 300,
        waitMs: 5_000,
        theme: 'light',
      });
      try {
        // Styled through the CSSOM: the page's CSP refuses style attributes.
        await v.page.evaluate(() => {
          const put = (parent: HTMLElement, tag: string, text: string, color: string, background: string, cls = '') => {
            const e = document.createElement(tag);
            e.textContent = text;
            e.className = cls;
            e.style.color = color;
            e.style.backgroundColor = background;
            parent.append(e);
            return e;
          };
          document.body.replaceChildren();
          put(document.body, 'p', 'black on white', '#000', '#fff');
          const p = put(document.body, 'p', '', '#fff', '#fff');
          put(p, 'mark', 'white on white', 'inherit', '#ffffff', 'bad');
          put(document.body, 'p', 'grey 4.54', '#767676', '#fff');
          put(document.body, 'p', 'grey 4.48', '#777777', '#fff');
          const half = put(document.body, 'div', '', '#000', 'rgba(0, 0, 0, 0.5)');
          put(half, 'span', 'white on half black over white', '#fff', 'transparent');
        });
        const all = await measureContrast(v.page);
        const by = (t: string) => all.find((x) => x.text === t);
        assert.equal(by('black on white')?.ratio, 21);
        assert.equal(by('white on white')?.ratio, 1);
        assert.ok((by('grey 4.54')?.ratio ?? 0) >= 4.5 && (by('grey 4.48')?.ratio ?? 9) < 4.5);
        // Half black over white is grey 127.5 (sRGB channels averaged); WCAG's formula for it against white:
        const l = ((127.5 / 255 + 0.055) / 1.055) ** 2.4;
        const half = Math.round((1.05 / (l + 0.05)) * 100) / 100;
        assert.ok(
          Math.abs((by('white on half black over white')?.ratio ?? 0) - half) <= 0.01,
          `${by('white on half black over white')?.ratio} vs ${half}`,
        );
        assert.deepEqual(
          failures(all).map((x) => x.replace(/ rgba.*/, '')),
          [
            '1 < 4.5: "white on white"',
            '4.48 < 4.5: "grey 4.48"',
            `${by('white on half black over white')?.ratio} < 4.5: "white on half black over white"`,
          ],
        );
      } finally {
        await v.close();
      }
    });

    describe('side panel', function () {
      let source: IndexSource;
      before(async () => {
        source = await IndexSource.open(env.root, path.join(env.root, 'samples'));
      });
      after(() => source.close());

      for (const theme of THEME_NAMES) {
        it(`side panel, ${theme}: selected row, chips on and off, badges, counts`, async () => {
          const p = await openPanel(source, { theme, width: 300, height: 820 });
          try {
            await p.page.locator('#filter-perspective .chip[data-value="exocentric"]').click();
            await until(
              p.page,
              () =>
                document.querySelector('#filter-perspective .chip.on') !== null &&
                !!document.querySelector('.row[data-id]'),
            );
            // Search matches marked in the rows, the selected one included.
            await p.page.locator('#filter-text input').fill('direction');
            await p.page.locator('#filter-text input').press('Enter');
            await until(p.page, () => !!document.querySelector('.row[data-id] mark.search-hit'));
            await p.page.locator('.list').focus();
            await p.page.keyboard.press('j');
            await p.page.keyboard.press('j');
            await until(p.page, () => !!document.querySelector('.row.selected[data-id]'));
            await p.page.locator('.row[data-index="4"]').hover();
            await shot(p.page, `failures-panel-${theme}`, 300);
            assertReadable(
              await measureContrast(p.page),
              ['selected', 'on', 'badge', 'chip-count', 'search-hit'],
              `side panel (${theme})`,
            );
            await p.assertClean();
          } finally {
            await p.close();
          }
        });
      }
    });

    for (const theme of THEME_NAMES) {
      it(`detail view, ${theme}: the final-answer highlight, tags on and off, badges, links, buttons`, async () => {
        const d = await openDetail({ theme });
        try {
          const shown = data(
            {},
            'The bar turns **clockwise**: its red end moves down on the right.\n\n1. Frame 0: red end at the right.\n2. Frame 6: lower.\n\nTherefore, the final answer is: A',
          );
          // A verdict override and a rule that disagrees with the judge: both badges in the warning colour.
          shown.annotation.verdict = 'correct';
          shown.prediction.ruleReading = { letter: 'B', rule: 'final-answer-sentence', correct: true };
          // Search matches, one inside the final-answer sentence.
          shown.search = 'red "final answer"';
          await d.send({ type: 'show', data: shown });
          await d.page.locator('#response mark.final-answer mark.search-hit').waitFor();
          await d.page.waitForFunction(
            () => (document.querySelector('video') as HTMLVideoElement).readyState >= 2,
            undefined,
            { timeout: 10_000 },
          );
          // The filmstrip's pictures drawn, a frame the response names marked on it (a link clicked).
          await d.page.waitForFunction(() => document.querySelector('#filmstrip')?.getAttribute('data-drawn') === '8');
          await d.page.locator('#response button.frame-ref', { hasText: 'Frame 6' }).click();
          await d.page.locator('#filmstrip .thumb.referenced').waitFor();
          await d.page.evaluate(() => window.scrollTo(0, 0));
          await shot(d.page, `detail-view-${theme}`);
          assertReadable(
            await measureContrast(d.page),
            [
              'final-answer',
              'search-hit',
              'badge',
              'overridden',
              'disagree',
              'link',
              'tag',
              'current',
              'frame-ref',
              'thumb-label',
              'referenced',
              'prediction-key',
              'copy',
              'section-toggle',
              'frame-time',
            ],
            `detail view (${theme})`,
          );
          await d.clean();
        } finally {
          await d.close();
        }
      });
    }

    describe('dashboard', function () {
      let f: DashboardFixture;
      before(async () => {
        f = await dashboardFixture(path.join(env.root, 'node_modules', 'sql.js', 'dist', 'sql-wasm.wasm'));
        annotate(f);
      });
      after(() => f?.index.close());

      for (const theme of THEME_NAMES) {
        it(`dashboard, ${theme}: tables, one-split badges, confusion cells on their heat colour, links, buttons`, async () => {
          const d = await openDashboard({ theme });
          try {
            const from = d.received.length;
            await d.send(dataMessage(f.index));
            await d.waitFor((m) => m.type === 'rendered', from);
            // The tables behind the charts too.
            await d.page.evaluate(() => document.querySelectorAll('details').forEach((x) => (x.open = true)));
            assertReadable(
              await measureContrast(d.page),
              ['badge', 'link', 'cell', 'paper-table', 'model-picker'],
              `dashboard (${theme})`,
            );
            // The picture: the chart and its numbers.
            await d.page.evaluate(() => {
              (document.querySelector('#model-picker') as HTMLDetailsElement).open = false;
              document.querySelector('#slices')?.scrollIntoView();
            });
            await shot(d.page, `dashboard-${theme}`);
            await d.clean();
          } finally {
            await d.close();
          }
        });
      }
    });
  });
}

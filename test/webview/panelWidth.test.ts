// The side panel at the side bar's default width (300 px): model names keep their start and end with the
// whole name in the title, the filter section collapses to one line naming what is chosen (by mouse and by
// keyboard, remembered), and a chosen filter carries a check mark readable in every theme.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { measureContrast } from './contrast';
import { IndexSource } from './data';
import { env, openPanel, until } from './harness';
import { THEME_NAMES } from './themes';

const WIDTH = 300;

const chip = (page: Page, facet: string, value: string) =>
  page.locator(`#filter-${facet} .chip[data-value="${value}"]`);

export function registerPanelWidthTests(): void {
  describe('side panel at the default side bar width', function () {
    let source: IndexSource;
    before(async () => {
      source = await IndexSource.open(env.root, path.join(env.root, 'samples'));
    });
    after(() => source.close());

    it('model names: start and end shown, the middle cut, the whole name in the text and the title', async () => {
      const p = await openPanel(source, { width: WIDTH, height: 700 });
      try {
        // Every model of the samples, long names among them.
        const models = Object.keys(source.query({ limit: 0 }).facets.model);
        await p.page.locator('#filters-toggle').click();
        const rows = await p.page.$$eval('.row[data-id]', (rs) =>
          rs.map((r) => {
            const model = r.querySelector('.row-model') as HTMLElement;
            const head = model.querySelector('.model-head') as HTMLElement;
            const tail = model.querySelector('.model-tail') as HTMLElement | null;
            const box = model.getBoundingClientRect();
            const row = r.getBoundingClientRect();
            return {
              text: model.textContent ?? '',
              title: model.title,
              head: head.textContent ?? '',
              headCut: head.scrollWidth > head.clientWidth,
              tail: tail?.textContent ?? '',
              tailWhole:
                !tail ||
                (tail.scrollWidth <= tail.clientWidth && tail.getBoundingClientRect().right <= box.right + 0.5),
              inRow: box.right <= row.right + 0.5,
            };
          }),
        );
        assert.ok(rows.length > 5);
        for (const r of rows) {
          assert.ok(models.includes(r.text), `the row holds a whole model name: ${r.text}`);
          assert.ok(r.title.startsWith(`${r.text}_`), `the title names the model and its sampling: ${r.title}`);
          assert.equal(r.head + r.tail, r.text);
          assert.ok(r.tailWhole, `the end of ${r.text} is shown whole`);
          assert.ok(r.inRow, `${r.text} stays inside its row`);
        }
        // At this width some names are cut, in their middle.
        const cut = rows.filter((r) => r.headCut);
        assert.ok(cut.length > 0, 'some name is long enough to be cut at 300 px');
        assert.ok(cut.every((r) => r.tail.length > 0));
        await p.assertClean();
      } finally {
        await p.close();
      }
    });

    it('the model dropdown: long names cut in their middle to fit, start and end kept, the whole name on hover', async () => {
      const p = await openPanel(source, { width: WIDTH, height: 700 });
      try {
        const models = Object.keys(source.query({ limit: 0 }).facets.model);
        const toggle = p.page.locator('#filters-toggle');
        if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
        await p.page.locator('#filter-model').click();
        await p.page.locator('#filter-model li.option').first().waitFor();
        const options = await p.page.$$eval('#filter-model', ([select]) => {
          const names = [...(select as HTMLElement).querySelectorAll('vscode-option')].map(
            (o) => (o as HTMLElement).title,
          );
          return [...((select as HTMLElement).shadowRoot?.querySelectorAll('li.option') ?? [])].map((li) => {
            const label = li.querySelector('.option-label') ?? li;
            return {
              name: names[Number((li as HTMLElement).dataset.index)] ?? '',
              label: (label.textContent ?? '').trim(),
              fits: label.getBoundingClientRect().right <= li.getBoundingClientRect().right + 0.5,
            };
          });
        });
        assert.equal(options.length, models.length);
        for (const o of options) {
          assert.ok(models.includes(o.name), `the option's title is a whole model name: ${o.name}`);
          assert.ok(o.fits, `"${o.label}" fits its option at ${WIDTH} px`);
          const shown = /^(.*) \(\d[\d,]*\)$/.exec(o.label)?.[1];
          assert.ok(shown, `the option ends with its count: ${o.label}`);
          if (shown === o.name) continue;
          // Cut once, in the middle: what is shown before and after the ellipsis is the name's start and end.
          const [head, tail] = shown.split('…');
          assert.ok(head && tail, `cut in the middle: ${shown}`);
          assert.ok(o.name.startsWith(head) && o.name.endsWith(tail), `${shown} keeps the start and end of ${o.name}`);
        }
        const cut = options.filter((o) => o.label.includes('…'));
        assert.ok(cut.length > 0, 'some model name is long enough to be cut in the dropdown');
        // The pointer on a cut option: its tooltip is the whole name.
        const li = p.page.locator('#filter-model li.option', { hasText: cut[0]?.label.split('…')[0] ?? '' }).first();
        // The event the pointer sends on entering an option (headless, the pointer may rest on it already).
        await li.dispatchEvent('mouseover');
        assert.equal(await li.getAttribute('title'), cut[0]?.name);
        await p.assertClean();
      } finally {
        await p.close();
      }
    });

    it('filters collapse to one summary line by mouse and keyboard, the list gets the room, and it is remembered', async () => {
      const p = await openPanel(source, { width: WIDTH, height: 700 });
      try {
        const toggle = p.page.locator('#filters-toggle');
        const listHeight = () => p.page.$eval('.list', (l) => l.getBoundingClientRect().height);
        if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
        await chip(p.page, 'perspective', 'exocentric').click();
        await chip(p.page, 'motion', 'rotational').click();
        await until(p.page, () => document.querySelectorAll('.chip.on').length >= 3);
        const open = await listHeight();

        // Mouse: collapsed to one line naming the chosen values.
        await toggle.click();
        assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
        assert.equal(await p.page.locator('#filter-section').isHidden(), true);
        const summary = '2 filters: Exocentric, Rotational';
        assert.equal(await p.page.locator('#filters-summary').textContent(), summary);
        assert.equal(await toggle.getAttribute('title'), summary);
        assert.match((await toggle.getAttribute('aria-label')) ?? '', /Exocentric, Rotational/);
        const line = await toggle.evaluate((t) => {
          const r = t.getBoundingClientRect();
          return { height: r.height, right: r.right, width: document.documentElement.clientWidth };
        });
        assert.ok(line.height < 24, `one line (${line.height} px)`);
        assert.ok(line.right <= line.width, 'inside the panel');
        const collapsed = await listHeight();
        assert.ok(collapsed > open + 100, `the list grows: ${open} -> ${collapsed} px`);

        // Keyboard: Enter opens, Space closes.
        await toggle.focus();
        await p.page.keyboard.press('Enter');
        assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
        assert.equal(await p.page.locator('#filter-section').isVisible(), true);
        assert.equal(await p.page.locator('#filters-summary').textContent(), 'Filters');
        await p.page.keyboard.press('Space');
        assert.equal(await toggle.getAttribute('aria-expanded'), 'false');

        // A long summary stays one line, cut with an ellipsis; the title holds it all.
        await toggle.click();
        for (const s of ['davis', 'ego4d', 'youtube-vos', 'unknown']) await chip(p.page, 'source', s).click();
        await toggle.click();
        const long = await p.page.$eval('#filters-summary', (s) => ({
          text: s.textContent ?? '',
          cut: s.scrollWidth > s.clientWidth,
          height: s.getBoundingClientRect().height,
        }));
        assert.ok(long.text.startsWith('6 filters: Exocentric, Rotational, DAVIS'), long.text);
        assert.ok(long.cut && long.height < 24, 'one line, cut');
        assert.equal(await toggle.getAttribute('title'), long.text);

        // Remembered across a reload of the view.
        await p.page.waitForTimeout(300);
        await p.reload();
        assert.equal(await p.page.locator('#filters-toggle').getAttribute('aria-expanded'), 'false');
        assert.equal(await p.page.locator('#filters-summary').textContent(), long.text);
        await p.assertClean();
      } finally {
        await p.close();
      }
    });

    for (const theme of THEME_NAMES) {
      it(`a chosen filter is marked by a check and a border, not colour alone, readable (${theme})`, async () => {
        const p = await openPanel(source, { theme, width: WIDTH, height: 700 });
        try {
          if ((await p.page.locator('#filters-toggle').getAttribute('aria-expanded')) !== 'true')
            await p.page.locator('#filters-toggle').click();
          await chip(p.page, 'perspective', 'exocentric').click();
          await until(p.page, () => !!document.querySelector('#filter-perspective .chip.on'));
          const state = await p.page.$$eval('#filter-perspective .chip, #filter-outcome .chip', (chips) =>
            chips.map((c) => {
              const check = c.querySelector('.chip-check') as HTMLElement;
              const r = check.getBoundingClientRect();
              const s = getComputedStyle(c);
              return {
                on: c.classList.contains('on'),
                check: r.width > 4 && r.height > 4 && getComputedStyle(check).display !== 'none',
                glyph: getComputedStyle(check, '::before').content,
                border: `${s.borderTopStyle} ${s.borderTopWidth}`,
              };
            }),
          );
          assert.ok(state.filter((s) => s.on).length === 2, 'exocentric and the outcome "failed"');
          for (const s of state) assert.equal(s.check, s.on, 'a check mark exactly on the chosen chips');
          assert.ok(
            state.filter((s) => s.on).every((s) => s.glyph !== 'none' && s.glyph !== ''),
            'the glyph is drawn',
          );
          assert.ok(state.every((s) => s.border.startsWith('solid') || s.border.startsWith('dashed')));
          // The check's own contrast: a text in its colour put in its place is measured like any text (3:1, a glyph).
          await p.page.$eval('#filter-perspective .chip.on .chip-check', (c) => {
            const probe = document.createElement('span');
            probe.textContent = 'check-probe';
            probe.className = 'check-probe';
            c.append(probe);
          });
          const all = await measureContrast(p.page);
          const probe = all.find((t) => t.text === 'check-probe');
          assert.ok(probe, 'the probe was measured');
          assert.ok(probe.ratio >= 3, `the check: ${probe.ratio} (${probe.color} on ${probe.background})`);
          const name = all.find((t) => t.text === 'Exocentric' && t.classes.includes('on'));
          assert.ok(name && name.ratio >= 4.5, `the chosen chip's name: ${name?.ratio}`);
          await p.assertClean();
        } finally {
          await p.close();
        }
      });
    }
  });
}

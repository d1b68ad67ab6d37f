// The detail view's rows built ahead (webview/detail/main.ts, `prefetch`): j/k draws the held row at once and
// tells the host which one it drew; a number key pressed meanwhile waits for the host to confirm the list's
// selection, so a tag never lands on a row the list does not select; `showHeld` draws a held row, and one the
// page does not hold is asked for in full. Headless Chromium, the host played by the test.
import * as assert from 'node:assert/strict';
import type { DetailData, DetailToHost } from '../../src/protocol/detailView';
import { data, openDetail } from './detail.test';

/** The demo prediction at `index` of a list of 10, as its own prediction (id 100 + index). */
function row(index: number): DetailData {
  const d = data({ position: { index, total: 10 } });
  d.prediction = { ...d.prediction, id: 100 + index, key: `real/cot/m_8frame/validation_${index}` };
  return d;
}

const shownId = (d: Awaited<ReturnType<typeof openDetail>>): Promise<string | null> =>
  d.page.evaluate(() => document.body.dataset.shownId ?? null);

export function registerDetailAheadTests(): void {
  describe('detail view: rows built ahead', function () {
    it('j and k draw the held rows before the host answers, name them and their sending in the step, and hold number keys until it does', async () => {
      const d = await openDetail();
      try {
        await d.send({ type: 'show', data: row(4) });
        await d.send({ type: 'prefetch', entries: [row(5), row(3)], round: 4 });
        await d.page.waitForFunction(() => document.body.dataset.held === '2');
        await d.page.locator('#response').click();
        let from = d.received.length;
        await d.page.keyboard.press('j');
        // Drawn by the page itself: the host has not answered.
        await d.page.waitForFunction(() => document.body.dataset.shownId === '105');
        assert.equal(await d.page.evaluate(() => document.body.dataset.drawnFrom), 'ahead');
        assert.deepEqual(await d.waitFor((m) => m.type === 'step', from), {
          type: 'step',
          delta: 1,
          drawn: { id: 105, round: 4 },
        });
        assert.match((await d.page.locator('#decision').textContent()) ?? '', /6 of 10/);
        // A number key before the host confirmed: sent only after it did, for the row it confirmed.
        from = d.received.length;
        await d.page.keyboard.press('1');
        await new Promise((r) => setTimeout(r, 150));
        assert.equal(d.received.slice(from).filter((m) => m.type === 'toggleTag').length, 0);
        await d.send({ type: 'select', id: 105 });
        const tag = await d.waitFor<Extract<DetailToHost, { type: 'toggleTag' }>>((m) => m.type === 'toggleTag', from);
        assert.equal(tag.id, 105);
        // k from row 5: row 4 is not held (only 5 and 3 were), so the host is asked.
        from = d.received.length;
        await d.page.keyboard.press('k');
        assert.deepEqual(await d.waitFor((m) => m.type === 'step', from), { type: 'step', delta: -1 });
        assert.equal(await shownId(d), '105');
        await d.clean();
      } finally {
        await d.close();
      }
    });

    it('the host answering with another row wins over the row drawn ahead, and the keys then act on it', async () => {
      const d = await openDetail();
      try {
        await d.send({ type: 'show', data: row(4) });
        await d.send({ type: 'prefetch', entries: [row(5)], round: 1 });
        await d.page.waitForFunction(() => document.body.dataset.held === '1');
        await d.page.locator('#response').click();
        let from = d.received.length;
        await d.page.keyboard.press('j');
        await d.waitFor((m) => m.type === 'step', from);
        from = d.received.length;
        await d.page.keyboard.press('2');
        // The list changed meanwhile: the host selects row 9 and sends it.
        const other = row(9);
        await d.send({ type: 'select', id: 109 });
        const tag = await d.waitFor<Extract<DetailToHost, { type: 'toggleTag' }>>((m) => m.type === 'toggleTag', from);
        assert.equal(tag.id, 109, 'the key acts on the list’s selection');
        await d.send({ type: 'show', data: other });
        await d.page.waitForFunction(() => document.body.dataset.shownId === '109');
        assert.equal(await d.page.evaluate(() => document.body.dataset.drawnFrom), 'sent');
        await d.clean();
      } finally {
        await d.close();
      }
    });

    it('showHeld draws a held row; a row the page does not hold is asked for in full; an empty prefetch drops them', async () => {
      const d = await openDetail();
      try {
        await d.send({ type: 'show', data: row(4) });
        await d.send({ type: 'prefetch', entries: [row(5), row(3)], round: 1 });
        await d.send({ type: 'showHeld', id: 103, position: { index: 3, total: 12 } });
        await d.page.waitForFunction(() => document.body.dataset.shownId === '103');
        assert.equal(await d.page.evaluate(() => document.body.dataset.drawnFrom), 'held');
        assert.match((await d.page.locator('#decision').textContent()) ?? '', /4 of 12/);
        let from = d.received.length;
        await d.send({ type: 'prefetch', entries: [], round: 2 });
        await d.send({ type: 'showHeld', id: 105, position: { index: 5, total: 12 } });
        await d.waitFor((m) => m.type === 'resend', from);
        assert.equal(await shownId(d), '103');
        // Nothing held: j asks the host.
        await d.page.locator('#response').click();
        from = d.received.length;
        await d.page.keyboard.press('j');
        assert.deepEqual(await d.waitFor((m) => m.type === 'step', from), { type: 'step', delta: 1 });
        await d.clean();
      } finally {
        await d.close();
      }
    });
  });
}

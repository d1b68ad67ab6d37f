// The detail view built around the decision (webview/detail/decisionBar.ts, answers.ts, filmstrip.ts,
// frameLinks.ts): the verdict, tags and notes at the top and kept there; the answers table sorted failed first,
// collapsible, its state kept; the filmstrip of exactly the frames the model was given; the response's frame
// and time references as links; Copy Key and Copy as Markdown. Headless Chromium with the motion demo's clip
// (15 fps, 45 frames, 3 s), as detail.test.ts.
import * as assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { frameReferences } from '../../src/core/frameRefs';
import type { MarkdownPrediction } from '../../src/core/predictionMarkdown';
import { predictionMarkdown } from '../../src/core/predictionMarkdown';
import { sampledFrames } from '../../src/core/sampling';
import type { DetailData, DetailToHost, OtherAnswer } from '../../src/protocol/detailView';
import { MAX_LINKS } from '../../webview/detail/frameLinks';
import { data, openDetail } from './detail.test';

const FPS = 15;
const FRAMES = 45;
const DURATION = 3;

/** The frames the demo run was given, replayed independently of what the host sent the view. */
const sampled = (): number[] => sampledFrames({ kind: 'frames', count: 8 }, FRAMES, DURATION) as number[];

/** mm:ss.s of when frame `f` starts, written out here rather than taken from the view's code. */
function time(f: number): string {
  const tenths = Math.floor((f / FPS) * 10 + 1e-6);
  const s = (tenths % 600) / 10;
  return `${String(Math.floor(tenths / 600)).padStart(2, '0')}:${s < 10 ? '0' : ''}${s.toFixed(1)}`;
}

async function waitFrame(page: Page, frame: number): Promise<void> {
  await page.waitForFunction(
    (f) => new RegExp(`^Frame ${f} /`).test(document.querySelector('#frame-number')?.textContent ?? ''),
    frame,
  );
}

const referenced = (page: Page): Promise<number[]> =>
  page.locator('#filmstrip .thumb.referenced').evaluateAll((bs) => bs.map((b) => Number(b.getAttribute('data-index'))));

const REF_RESPONSE =
  'In the second image the red end is at the top. By frame 5 it <img src=x onerror="window.__xss=1"> has moved right, ' +
  'and between 00:02-00:03 it keeps turning.\n\nFrom 12:00 to 3:00 on a clock face: clockwise.\n\nTherefore, the final answer is: A';

export function registerDetailDecisionTests(): void {
  describe('detail view: built around the decision', function () {
    for (const [width, height] of [
      [1500, 950],
      [800, 950],
    ] as const) {
      it(`the verdict, tags and notes are at the top in the first viewport and stay there while the page scrolls (${width}x${height})`, async () => {
        const d = await openDetail({ width, height });
        try {
          await d.send({ type: 'show', data: data() });
          await d.page.locator('#tags .tag').first().waitFor();
          const inView = async (selector: string) => {
            const box = await d.page.locator(selector).first().boundingBox();
            assert.ok(box, `${selector} is drawn`);
            assert.ok(box.y >= 0 && box.y + box.height <= height, `${selector} within the viewport: ${box.y}`);
          };
          const decision = ['#outcome', '#readings', '#override', '#tags .tag', '#question-tags', '#note-prediction'];
          for (const s of decision) await inView(s);
          const bar = await d.page.locator('#decision').boundingBox();
          assert.ok(bar && bar.y === 0, 'the bar is at the very top');
          // The page is taller than the viewport (a long judge's rationale, the answers table): scrolled to its
          // end, the bar is still at the top and the number keys' buttons still on screen.
          const scrolled = await d.page.evaluate(() => {
            window.scrollTo(0, document.documentElement.scrollHeight);
            return window.scrollY;
          });
          assert.ok(scrolled > 300, `the page scrolls (${scrolled}px)`);
          await d.page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
          for (const s of decision) await inView(s);
          assert.equal((await d.page.locator('#decision').boundingBox())?.y, 0, 'the bar stays at the top');
          // Clicked there, a tag button tags the prediction shown.
          const from = d.received.length;
          await d.page.locator('#tags .tag[data-tag="perspective-confusion"]').click();
          assert.deepEqual(await d.waitFor((m) => m.type === 'toggleTag', from), {
            type: 'toggleTag',
            id: 7,
            tag: 'perspective-confusion',
            on: 'prediction',
          });
          assert.ok(
            await d.page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth),
            'no horizontal scroll',
          );
          await d.clean();
        } finally {
          await d.close();
        }
      });
    }

    it('every loaded answer: failed first, each with the chosen option’s text; collapsed stays collapsed (next prediction, reload)', async () => {
      const d = await openDetail();
      try {
        const base = data();
        const row = (id: number, outcome: OtherAnswer['outcome'], chosen: 'A' | 'B' | 'C' | null): OtherAnswer => ({
          id,
          model: `model-${id}`,
          samplingLabel: '8frame',
          promptMode: 'cot',
          stage: 'judged',
          chosen,
          chosenText: chosen ? String(base.prediction.choices[chosen]) : 'I cannot tell',
          outcome,
          current: id === 7,
        });
        const others = [
          row(12, 'correct', 'B'),
          row(7, 'failed', 'A'),
          row(13, 'ungraded', null),
          row(14, 'correct', 'B'),
          row(15, 'failed', 'C'),
        ];
        const shown: DetailData = { ...base, others };
        await d.send({ type: 'show', data: shown });
        await d.page.locator('#others tbody tr').first().waitFor();
        const order = await d.page
          .locator('#others tbody tr')
          .evaluateAll((trs) => trs.map((tr) => Number(tr.getAttribute('data-id'))));
        const rank = (o: OtherAnswer) => (o.outcome === 'failed' ? 0 : o.outcome === 'ungraded' ? 1 : 2);
        const expected = [0, 1, 2].flatMap((r) => others.filter((o) => rank(o) === r).map((o) => o.id));
        assert.deepEqual(order, expected, 'failed first, then ungraded, then correct, each in the host’s order');
        for (const o of others) {
          const chose = (await d.page.locator(`#others tr[data-id="${o.id}"] td.chose`).textContent()) ?? '';
          assert.equal(chose, o.chosen ? `${o.chosen}: ${o.chosenText}` : o.chosenText, `row ${o.id}`);
        }
        // Collapsed: the table is gone from view, the heading says so, and the state is kept.
        assert.equal(await d.page.locator('#answers-toggle').getAttribute('aria-expanded'), 'true');
        await d.page.locator('#answers-toggle').click();
        assert.equal(await d.page.locator('#answers-toggle').getAttribute('aria-expanded'), 'false');
        assert.equal(await d.page.locator('#others').isVisible(), false);
        await d.send({ type: 'show', data: { ...shown, prediction: { ...shown.prediction, id: 15 } } });
        await d.page.waitForFunction(() => document.querySelector('#others tr[data-id="15"][aria-current]') === null);
        assert.equal(await d.page.locator('#others').isVisible(), false, 'still collapsed on the next prediction');
        const from = d.received.length;
        await d.page.reload();
        const again = await d.waitFor((m) => m.type === 'ready', from);
        // The reloaded page says `ready` again, as a new page does: clean() counts the first page's.
        d.received.splice(d.received.indexOf(again), 1);
        await d.send({ type: 'show', data: shown });
        await d.page.locator('#answers-toggle').waitFor();
        assert.equal(await d.page.locator('#others').isVisible(), false, 'still collapsed after a reload');
        // Opened again from the keyboard.
        await d.page.locator('#answers-toggle').focus();
        await d.page.keyboard.press('Enter');
        assert.equal(await d.page.locator('#others').isVisible(), true);
        assert.equal(
          await d.page.evaluate(
            () =>
              (JSON.parse(sessionStorage.getItem('vscode-webview-state') ?? '{}') as Record<string, unknown>)
                .answersCollapsed,
          ),
          undefined,
        );
        await d.clean();
      } finally {
        await d.close();
      }
    });

    it('the filmstrip holds exactly the sampled frames, labelled with frame and time; a click seeks there; pictures drawn after', async () => {
      const d = await openDetail();
      try {
        const frames = sampled();
        await d.send({ type: 'show', data: data() });
        await d.page.locator('#filmstrip .thumb').first().waitFor();
        const thumbs = await d.page
          .locator('#filmstrip .thumb')
          .evaluateAll((bs) => bs.map((b) => ({ frame: Number(b.getAttribute('data-frame')), label: b.textContent })));
        assert.deepEqual(
          thumbs.map((t) => t.frame),
          frames,
        );
        thumbs.forEach((t, k) => assert.equal(t.label, `${k + 1} f${frames[k]} ${time(frames[k] as number)}`));
        // The pictures come from the clip, one per sampled frame and no more, after the view is drawn.
        await d.page.waitForFunction(
          (n) => document.querySelector('#filmstrip')?.getAttribute('data-drawn') === String(n),
          frames.length,
          {
            timeout: 15_000,
          },
        );
        assert.equal(await d.page.locator('#filmstrip .thumb.drawn').count(), frames.length);
        const painted = await d.page
          .locator('#filmstrip canvas')
          .first()
          .evaluate((c: HTMLCanvasElement) => {
            const px = (c.getContext('2d') as CanvasRenderingContext2D).getImageData(0, 0, c.width, c.height).data;
            let lit = 0;
            for (let i = 0; i < px.length; i += 4) if (px[i]! + px[i + 1]! + px[i + 2]! > 60) lit++;
            return lit;
          });
        assert.ok(painted > 100, `the first thumbnail shows the clip (${painted} lit pixels)`);
        assert.ok(
          await d.page.evaluate(
            () =>
              Number(document.body.dataset.shownAt) > 0 &&
              Number(document.body.dataset.filmstripAt) >= Number(document.body.dataset.shownAt),
          ),
          'the prediction was drawn before the pictures were begun',
        );
        // A click seeks the player to that frame; the time beside the frame number is that frame's.
        for (const k of [5, 2]) {
          await d.page.locator(`#filmstrip .thumb[data-index="${k}"]`).click();
          await waitFrame(d.page, frames[k] as number);
          assert.equal(await d.page.locator('#frame-time').textContent(), time(frames[k] as number));
          const t = await d.page.evaluate(() => (document.querySelector('video') as HTMLVideoElement).currentTime);
          assert.ok(Math.abs(t - ((frames[k] as number) + 0.5) / FPS) < 1e-3, `seeked to the frame's middle: ${t}`);
          assert.equal(await d.page.locator('#filmstrip .thumb.current').getAttribute('data-index'), String(k));
        }
        // One tab stop; the arrow keys move along it and Enter shows the frame.
        await d.page.locator('#filmstrip .thumb[data-index="2"]').focus();
        await d.page.keyboard.press('ArrowRight');
        await d.page.keyboard.press('Enter');
        await waitFrame(d.page, frames[3] as number);
        assert.equal(await d.page.locator('#filmstrip .thumb[tabindex="0"]').count(), 1);
        await d.clean();
      } finally {
        await d.close();
      }
    });

    it('frame, image and time references in the response are links: they seek the player and mark the filmstrip', async () => {
      const d = await openDetail();
      try {
        const frames = sampled();
        const shown = data({}, REF_RESPONSE);
        await d.send({ type: 'show', data: shown });
        await d.page.locator('#response button.frame-ref').first().waitFor();
        // Exactly the references the core reads in the response (the clock face at 12:00 is past the clip).
        const refs = frameReferences(REF_RESPONSE, { sampledCount: frames.length, durationSeconds: DURATION });
        assert.deepEqual(
          await d.page.locator('#response button.frame-ref').allTextContents(),
          refs.map((r) => REF_RESPONSE.slice(r.start, r.end)),
        );
        assert.deepEqual(
          refs.map((r) => REF_RESPONSE.slice(r.start, r.end)),
          ['second image', 'frame 5', '00:02-00:03'],
        );
        // "the second image" is the second frame the model was given.
        await d.page.locator('#response button.frame-ref', { hasText: 'second image' }).click();
        await waitFrame(d.page, frames[1] as number);
        assert.deepEqual(await referenced(d.page), [1]);
        // "frame 5", from the keyboard.
        await d.page.locator('#response button.frame-ref', { hasText: 'frame 5' }).focus();
        await d.page.keyboard.press('Enter');
        await waitFrame(d.page, frames[4] as number);
        assert.deepEqual(await referenced(d.page), [4]);
        // A time range: the frame at its start, and every given frame on screen during it marked.
        await d.page.locator('#response button.frame-ref', { hasText: '00:02-00:03' }).click();
        await waitFrame(d.page, Math.floor(2 * FPS));
        const during = frames
          .map((f, k) => (f / FPS < 3 + 1 / FPS && (f + 1) / FPS > 2 ? k : -1))
          .filter((k) => k >= 0);
        assert.ok(during.length > 0);
        assert.deepEqual(await referenced(d.page), during);
        assert.match((await d.page.locator('#frame-time').textContent()) ?? '', /^00:02\.0$/);
        // The model's text stays text: no element from it but the links the view made.
        assert.equal(await d.page.locator('#response img, #response a[href], [onerror]').count(), 0);
        assert.ok(
          ((await d.page.locator('#response').textContent()) ?? '').includes('<img src=x onerror="window.__xss=1">'),
        );
        assert.equal(await d.page.evaluate(() => (window as unknown as { __xss?: number }).__xss), undefined);
        // Without a clip there is nothing to seek: no links.
        await d.send({
          type: 'show',
          data: { ...shown, clip: { kind: 'missing', video: 'x.mp4', tried: [], remotePossible: false } },
        });
        await d.page.waitForFunction(() => !document.querySelector('video')?.getAttribute('src'));
        await d.page.locator('#response').waitFor();
        assert.equal(await d.page.locator('#response button.frame-ref').count(), 0);
        await d.clean();
      } finally {
        await d.close();
      }
    });

    it('a response naming frames in every line gets at most MAX_LINKS links, the first ones, and stays whole', async () => {
      const d = await openDetail();
      try {
        const lines = Array.from({ length: MAX_LINKS + 50 }, (_, i) => `Line ${i}: in frame ${(i % 8) + 1} it turns.`);
        const text = `${lines.join('\n\n')}\n\nTherefore, the final answer is: A`;
        await d.send({ type: 'show', data: data({}, text) });
        await d.page.waitForFunction(() => document.querySelector('#response')?.getAttribute('data-frame-refs'));
        assert.equal(await d.page.locator('#response button.frame-ref').count(), MAX_LINKS);
        assert.equal(await d.page.locator('#response').getAttribute('data-frame-refs'), String(MAX_LINKS));
        assert.equal(await d.page.locator('#response button.frame-ref').first().textContent(), 'frame 1');
        const shown = ((await d.page.locator('#response').textContent()) ?? '').replace(/\s+/g, ' ');
        for (const line of [lines[0], lines[MAX_LINKS + 49]]) assert.ok(shown.includes(line as string), line);
        await d.clean();
      } finally {
        await d.close();
      }
    });

    it('the prediction’s key is shown; Copy Key and Copy as Markdown send the host exactly the key and predictionMarkdown’s text', async () => {
      const d = await openDetail();
      try {
        const shown = data();
        await d.send({ type: 'show', data: shown });
        await d.page.locator('#copy-key').waitFor();
        assert.equal(await d.page.locator('#prediction-key').textContent(), shown.prediction.key);
        let from = d.received.length;
        await d.page.locator('#copy-key').click();
        assert.deepEqual(await d.waitFor((m) => m.type === 'copy', from), {
          type: 'copy',
          id: 7,
          what: 'key',
          text: shown.prediction.key,
        });
        // The Markdown carries the annotation in force when the button is clicked (here: a tag just added).
        const annotation = {
          ...shown.annotation,
          tags: ['perspective-confusion'],
          questionTags: ['ambiguous-question'],
        };
        await d.send({ type: 'annotation', id: 7, annotation, outcome: 'failed' });
        await d.page.waitForFunction(
          () =>
            document.querySelector('#tags .tag[data-tag="perspective-confusion"]')?.getAttribute('aria-pressed') ===
            'true',
        );
        const p = shown.prediction;
        const expected: MarkdownPrediction = {
          key: p.key,
          split: p.split,
          qid: p.qid,
          model: p.model,
          samplingLabel: p.samplingLabel,
          promptMode: p.promptMode,
          question: p.question,
          choices: p.choices,
          groundTruth: p.groundTruth,
          groundTruthLetter: p.groundTruthLetter,
          chosen: p.chosen,
          chosenText: p.chosenText,
          outcome: 'failed',
          judgeCorrect: p.judgeCorrect,
          grader: p.grader,
          ruleReading: p.ruleReading,
          response: p.response,
          annotation: { tags: ['perspective-confusion'], questionTags: ['ambiguous-question'] },
        };
        from = d.received.length;
        await d.page.locator('#copy-markdown').click();
        const copied = await d.waitFor<Extract<DetailToHost, { type: 'copy' }>>((m) => m.type === 'copy', from);
        assert.equal(copied.what, 'markdown');
        assert.equal(copied.id, 7);
        assert.equal(copied.text, predictionMarkdown(expected));
        assert.ok(
          copied.text.includes('**Tags:** perspective\\-confusion, ambiguous\\-question \\(question\\)'),
          copied.text,
        );
        await d.clean();
      } finally {
        await d.close();
      }
    });
  });
}

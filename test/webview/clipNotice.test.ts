// What the detail view says about a clip it cannot show (webview/detail/clipNotice.ts), in headless Chromium:
// a clip not found (the record's whole URL, the path a clip root must hold, Set Clip Root… beside it), a codec
// the editor cannot decode (named before anything is played, with Convert to H.264), and a clip whose
// <video> fails after all. The codec clips are the tiny fixtures of test/fixtures/codecs/.
import * as assert from 'node:assert/strict';
import type { DetailData } from '../../src/protocol/detailView';
import { data, openDetail } from './detail.test';

type VideoClip = Extract<DetailData['clip'], { kind: 'video' }>;

function videoClip(over: Partial<VideoClip>): VideoClip {
  const clip = data().clip;
  assert.equal(clip.kind, 'video');
  return { ...(clip as VideoClip), ...over };
}

export function registerClipNoticeTests(): void {
  describe('detail view: clips it cannot show', function () {
    this.timeout(30_000);

    it('a missing clip shows the whole URL wrapped, the path a clip root must hold, and Set Clip Root… beside it', async () => {
      const d = await openDetail({ width: 700 });
      try {
        const url = `https://huggingface.co/datasets/shijiezhou/VLM4D/resolve/main/videos_real/davis/${'long-name-'.repeat(12)}bear.mp4`;
        await d.send({
          type: 'show',
          data: data({
            clip: {
              kind: 'missing',
              video: url,
              tried: [{ path: '/clips/videos_real/davis/bear.mp4', result: 'missing', reason: 'no such file' }],
              remotePossible: true,
              datasetPath: `videos_real/davis/${'long-name-'.repeat(12)}bear.mp4`,
            },
          }),
        });
        await d.page.locator('.missing').waitFor();
        // The whole URL, as text, not cut: and wrapped inside the box (nothing sticks out of it).
        assert.equal(await d.page.locator('.missing .record-video').textContent(), url);
        const fits = await d.page.evaluate(() => {
          const box = document.querySelector('.missing') as HTMLElement;
          const u = document.querySelector('.missing .record-video') as HTMLElement;
          const b = box.getBoundingClientRect();
          const r = u.getBoundingClientRect();
          return { inside: r.right <= b.right + 0.5, lines: u.getClientRects().length };
        });
        assert.ok(fits.inside, JSON.stringify(fits));
        assert.ok(fits.lines > 1, `wrapped over lines: ${JSON.stringify(fits)}`);
        // The relative path, with the button in the same line of the box.
        assert.equal(
          await d.page.locator('#dataset-path').textContent(),
          `videos_real/davis/${'long-name-'.repeat(12)}bear.mp4`,
        );
        assert.equal(await d.page.locator('.clip-root-needed #set-clip-root').count(), 1);
        assert.match((await d.page.locator('.clip-root-needed').textContent()) ?? '', /A clip root must contain/);
        const from = d.received.length;
        await d.page.locator('#set-clip-root').click();
        await d.waitFor((m) => m.type === 'runCommand', from);
        assert.deepEqual(d.received.slice(from), [{ type: 'runCommand', command: 'vlm4d.setClipRoot' }]);
        // The host finds it once the setting changed and shows the prediction again: the clip plays in place.
        await d.send({ type: 'show', data: data() });
        await d.page.locator('.player').waitFor({ state: 'visible' });
        assert.ok(await d.page.locator('.missing').isHidden());
        await d.page.waitForFunction(() => (document.querySelector('video') as HTMLVideoElement).readyState >= 1);
        await d.clean();
      } finally {
        await d.close();
      }
    });

    it('a clip in a codec VS Code cannot decode is named before playing, and Convert asks the host', async () => {
      const d = await openDetail();
      try {
        const clip = videoClip({
          src: '/clips/codecs/hvc1.mp4',
          codec: { fourcc: 'hvc1', codecs: 'hvc1.1.6.L30.90' },
          decodes: false,
        });
        await d.send({ type: 'show', data: data({ clip }) });
        await d.page.locator('#codec-notice').waitFor({ state: 'visible' });
        assert.equal(
          await d.page.locator('#codec-notice .codec-message').textContent(),
          'This clip is HEVC (hvc1); VS Code’s webviews cannot decode HEVC.',
        );
        // Not even tried: the player has no source.
        assert.ok(await d.page.locator('.player').isHidden());
        assert.equal(await d.page.locator('video').getAttribute('src'), null);
        const from = d.received.length;
        await d.page.locator('#convert-clip').click();
        await d.waitFor((m) => m.type === 'convertClip', from);
        assert.deepEqual(d.received.slice(from), [{ type: 'convertClip', id: 7 }]);
        await d.send({ type: 'conversion', id: 7, state: 'running', message: 'Converting to H.264 with ffmpeg…' });
        await d.page.waitForFunction(() => (document.querySelector('#convert-clip') as HTMLButtonElement).disabled);
        // A failure shows ffmpeg's last lines, as text.
        await d.send({
          type: 'conversion',
          id: 7,
          state: 'failed',
          message: 'ffmpeg failed (exit code 1).',
          detail: 'Unknown encoder <b>libx264</b>',
        });
        await d.page.locator('#conversion-state .stderr').waitFor();
        assert.equal(await d.page.locator('#conversion-state .stderr').textContent(), 'Unknown encoder <b>libx264</b>');
        assert.equal(await d.page.locator('#conversion-state').getAttribute('data-state'), 'failed');
        assert.equal(await d.page.locator('#convert-clip').isDisabled(), false);
        // A conversion of another prediction is not this one's.
        await d.send({ type: 'conversion', id: 8, state: 'running', message: 'x' });
        assert.equal(await d.page.locator('#conversion-state').getAttribute('data-state'), 'failed');
        // The converted copy comes: it plays, and the notice goes.
        await d.send({
          type: 'show',
          data: data({
            clip: videoClip({
              codec: { fourcc: 'avc1', codecs: 'avc1.64000a' },
              decodes: true,
              convertedFrom: '/r/clips/hevc.mp4',
            }),
          }),
        });
        await d.page.locator('.player').waitFor({ state: 'visible' });
        assert.ok(await d.page.locator('#codec-notice').isHidden());
        assert.match((await d.page.locator('.clip-info').textContent()) ?? '', /\/r\/clips\/hevc\.mp4.*H\.264 copy/);
        await d.clean();
      } finally {
        await d.close();
      }
    });

    it('in a browser the browser is asked: MPEG-4 Part 2 is refused by name, VP9 plays', async () => {
      const d = await openDetail();
      try {
        await d.send({
          type: 'show',
          data: data({
            clip: videoClip({
              src: '/clips/codecs/mp4v.mp4',
              codec: { fourcc: 'mp4v', codecs: 'mp4v' },
              decodes: null,
            }),
          }),
        });
        await d.page.locator('#codec-notice').waitFor({ state: 'visible' });
        assert.equal(
          await d.page.locator('#codec-notice .codec-message').textContent(),
          'This clip is MPEG-4 Part 2 (mp4v); this browser cannot decode MPEG-4 Part 2.',
        );
        await d.send({
          type: 'show',
          data: data({
            clip: videoClip({
              src: '/clips/codecs/vp09.mp4',
              codec: { fourcc: 'vp09', codecs: 'vp09.01.10.08' },
              decodes: null,
              frameCount: 15,
              durationSeconds: 1,
            }),
          }),
        });
        await d.page.waitForFunction(() => (document.querySelector('video') as HTMLVideoElement).readyState >= 2);
        assert.ok(await d.page.locator('#codec-notice').isHidden());
        await d.clean();
      } finally {
        await d.close();
      }
    });

    it('a clip that fails to decode after all is said to, with its codec named, and Convert offered', async () => {
      const d = await openDetail();
      try {
        // Claimed to play (as a browser might claim), but the file is MPEG-4 Part 2.
        await d.send({
          type: 'show',
          data: data({
            clip: videoClip({
              src: '/clips/codecs/mp4v.mp4',
              codec: { fourcc: 'mp4v', codecs: 'mp4v' },
              decodes: true,
            }),
          }),
        });
        await d.page.locator('#codec-notice').waitFor({ state: 'visible' });
        assert.equal(
          await d.page.locator('#codec-notice .codec-message').textContent(),
          'This clip is MPEG-4 Part 2 (mp4v) and could not be decoded here.',
        );
        assert.match((await d.page.locator('#clip-error').textContent()) ?? '', /Its codec: mp4v\./);
        assert.equal(await d.page.locator('#convert-clip').count(), 1);
        // A remote clip that fails is named the same way, but not offered a conversion (it is not downloaded).
        await d.send({
          type: 'show',
          data: data({
            clip: videoClip({ src: '/clips/codecs/mp4v.mp4', where: 'remote', codec: undefined, decodes: undefined }),
          }),
        });
        await d.page.waitForFunction(() =>
          /of an unknown codec/.test(document.querySelector('#codec-notice .codec-message')?.textContent ?? ''),
        );
        assert.equal(await d.page.locator('#convert-clip').count(), 0);
        await d.clean();
      } finally {
        await d.close();
      }
    });
  });
}

// A clip the editor cannot decode, in the real workbench: the fixture's clip_1 made MPEG-4 Part 2 (`mp4v`, what
// OpenCV writes by default) in a folder that is not a clip root yet. The detail view first says where a clip
// root must hold it; Set Clip Root… (the workbench's folder picker) makes that folder one and the clip is found
// in the open view. The view names the codec before playing anything; a click on Convert to H.264 runs the
// ffmpeg on PATH, and the converted copy plays in its place, as long as the original (same frame count and
// duration, read from both files' headers).
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { probeMp4 } from '../../src/core/videoProbe';
import { bridgeAvailable, ui } from '../support/bridge';
import { api, DETAIL, until } from '../support/extension';

const config = (): string[] => vscode.workspace.getConfiguration('vlm4d').get<string[]>('clipRoots', []);

describe('a clip in a codec the editor cannot decode', () => {
  it('says where a clip root must hold the clip, Set Clip Root… finds it, names its codec, and Convert to H.264 (ffmpeg on PATH) leads to a playing copy as long as the original', async function () {
    this.timeout(180_000);
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    const hasFfmpeg = spawnSync('ffmpeg', ['-version']).status === 0;
    if (!folder || !bridgeAvailable() || !hasFfmpeg || !fs.existsSync(path.join(folder, 'data', 'real_mc.json')))
      this.skip();
    const a = await api();
    await until('the index', () => a.index.state.kind === 'ready', 30_000);
    const root = path.join(folder, 'codec-clips');
    const clip = path.join(root, 'videos_real', 'davis', 'clip_1.mp4');
    fs.mkdirSync(path.dirname(clip), { recursive: true });
    const made = spawnSync('ffmpeg', [
      '-v',
      'error',
      '-y',
      '-f',
      'lavfi',
      '-i',
      'testsrc=size=160x120:rate=15:duration=2',
      '-c:v',
      'mpeg4',
      clip,
    ]);
    assert.equal(made.status, 0, made.stderr.toString());
    const original = await probeMp4(clip);
    assert.equal(original?.codec?.fourcc, 'mp4v');
    const settings = vscode.workspace.getConfiguration('vlm4d');
    try {
      const rows = (await a.index.call('query', { outcome: ['failed', 'correct'], split: ['real'], limit: 1000 })).rows;
      const row = rows.find((r) => r.qid === 'validation_1');
      assert.ok(row, 'a prediction of validation_1');
      await a.detail.show({ id: row.id, preserveFocus: true, position: null });
      await ui.waitFor({ selector: '#dataset-path', webview: DETAIL }, 'visible', 20_000);
      assert.equal(await ui.text({ selector: '#dataset-path', webview: DETAIL }), 'videos_real/davis/clip_1.mp4');
      assert.match(
        await ui.text({ selector: '.missing .record-video', webview: DETAIL }),
        /^https:\/\/huggingface\.co\/.*\/videos_real\/davis\/clip_1\.mp4$/,
      );
      // Set Clip Root…: code-server's folder picker is a quick input holding a path.
      await ui.click({ selector: '#set-clip-root', webview: DETAIL });
      const pathBox = '.quick-input-widget .quick-input-box input';
      await ui.waitFor(pathBox, 'visible', 10_000);
      // The picker fills in its own folder first: typed over once it has, then accepted with its button.
      const value = async (): Promise<string> => String(await ui.evaluate('el => el.value', pathBox));
      await until('the picker ready', async () => (await value()).length > 0, 10_000);
      // The picker may fill in its folder again after a first fill: typed again until the path stays.
      await until(
        'the path typed',
        async () => {
          if ((await value()) !== `${root}/`) await ui.fill(pathBox, `${root}/`);
          return (await value()) === `${root}/`;
        },
        20_000,
      );
      await ui.click('.quick-input-widget .monaco-button:has-text("Use as Clip Root")');
      await until('the clip root chosen', () => config().includes(root), 20_000);
      await until('the clip found', () => {
        const c = a.detail.current?.clip;
        return c?.kind === 'video' && c.codec?.fourcc === 'mp4v';
      });
      // Said before anything is played: code-server's browser is asked, and Chromium has no MPEG-4 Part 2. (The
      // page is loaded again as the clip root joins its resource roots: polled, since a frame waited in can go.)
      const message = await until(
        'the codec named',
        async () =>
          (await ui.count({ selector: '#codec-notice:visible', webview: DETAIL }))
            ? ui.text({ selector: '#codec-notice .codec-message', webview: DETAIL })
            : false,
        20_000,
      );
      assert.equal(message, 'This clip is MPEG-4 Part 2 (mp4v); this browser cannot decode MPEG-4 Part 2.');
      await ui.click({ selector: '#convert-clip', webview: DETAIL });
      const converted = await until(
        'the converted copy shown',
        () => {
          const c = a.detail.current?.clip;
          return c?.kind === 'video' && c.convertedFrom === clip ? c : false;
        },
        120_000,
      );
      assert.equal(converted.codec?.fourcc, 'avc1');
      assert.equal(converted.frameCount, original?.frameCount);
      // The copy is outside the workspace.
      assert.ok(!converted.location.startsWith(folder + path.sep), converted.location);
      // The page is loaded again (the cache folder joins its resource roots): polled, not waited on, since the
      // frame being waited in can go away.
      const duration = await until(
        'the copy loaded in the player',
        async () => {
          const d = (await ui.evaluate('v => v.readyState >= 1 ? v.duration : 0', {
            selector: 'video',
            webview: DETAIL,
          })) as number;
          return d > 0 ? d : 0;
        },
        20_000,
      );
      // The player's duration is the original's (within half a frame: the browser reads the movie's duration).
      const want = original?.durationSeconds ?? 0;
      assert.ok(Math.abs(duration - want) < 0.5 / 15, `the copy lasts ${duration} s, the original ${want} s`);
      assert.equal(await ui.count({ selector: '#codec-notice:visible', webview: DETAIL }), 0);
      await ui.click({ selector: '#play', webview: DETAIL });
      await until(
        'the copy playing',
        async () =>
          (await ui.evaluate('v => !v.paused && v.currentTime > 0 && !v.error', {
            selector: 'video',
            webview: DETAIL,
          })) === true,
        20_000,
      );
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await settings.update('clipRoots', undefined, vscode.ConfigurationTarget.Workspace);
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});

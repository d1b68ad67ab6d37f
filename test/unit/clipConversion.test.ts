// Converting a clip the editor cannot decode to H.264 with the user's ffmpeg: the real ffmpeg on a real
// MPEG-4 Part 2 clip (same frame count and duration after), and a fake ffmpeg (a shell script) that counts
// its spawns and records its arguments, for the cache, hostile file names, failures and cancelling.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import {
  cachedCopy,
  ConversionCancelled,
  ConversionError,
  convertToH264,
  findFfmpeg,
  userLevelString,
} from '../../src/core/clipConversion';
import { probeMp4 } from '../../src/core/videoProbe';
import { parseDetailMessage } from '../../src/protocol/detailValidate';
import { tempDir } from '../support/fixtures';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'codecs');
const ROOT = path.join(__dirname, '..', '..');
const realFfmpeg = spawnSync('ffmpeg', ['-version']).status === 0 ? 'ffmpeg' : null;

/** A fake ffmpeg: appends a line to `spawns` per run, writes its arguments (one a line) to `args`, then `body`. */
function fakeFfmpeg(dir: string, body: string): { exe: string; spawns: () => number; args: () => string[] } {
  const exe = path.join(dir, 'fake-ffmpeg');
  const spawns = path.join(dir, 'spawns');
  const args = path.join(dir, 'args');
  fs.writeFileSync(
    exe,
    `#!/bin/sh\necho run >> '${spawns}'\nprintf '%s\\n' "$@" > '${args}'\nfor a; do out="$a"; done\nout="\${out#file:}"\n${body}\n`,
    { mode: 0o755 },
  );
  return {
    exe,
    spawns: () => (fs.existsSync(spawns) ? fs.readFileSync(spawns, 'utf8').split('\n').filter(Boolean).length : 0),
    args: () => fs.readFileSync(args, 'utf8').split('\n').slice(0, -1),
  };
}

const COPY_AVC1 = `cp '${path.join(FIXTURES, 'avc1.mp4')}' "$out"`;

describe('converting a clip to H.264', () => {
  it('makes an H.264 copy of an MPEG-4 Part 2 clip with the same frame count and duration (real ffmpeg)', async function () {
    if (!realFfmpeg || process.platform === 'win32') this.skip();
    const dir = tempDir();
    const clip = path.join(dir, 'clip.mp4');
    fs.copyFileSync(path.join(FIXTURES, 'mp4v.mp4'), clip);
    const ffmpeg = await findFfmpeg(undefined);
    assert.ok(ffmpeg);
    const before = await probeMp4(clip);
    assert.equal(before?.codec?.fourcc, 'mp4v');
    const fractions: number[] = [];
    const { output, reused } = await convertToH264({
      input: clip,
      cacheDir: path.join(dir, 'cache'),
      ffmpeg,
      durationSeconds: before?.durationSeconds ?? null,
      onProgress: (f) => fractions.push(f),
    });
    assert.equal(reused, false);
    assert.ok(output.startsWith(path.join(dir, 'cache') + path.sep));
    const after = await probeMp4(output);
    assert.equal(after?.codec?.fourcc, 'avc1');
    assert.equal(after?.frameCount, before?.frameCount);
    assert.ok(
      Math.abs((after?.durationSeconds ?? 0) - (before?.durationSeconds ?? -1)) < 1e-6,
      JSON.stringify({ before, after }),
    );
    assert.ok(fractions.every((f) => f >= 0 && f <= 1));
    // No partial file is left beside the copy.
    assert.deepEqual(fs.readdirSync(path.join(dir, 'cache')), [path.basename(output)]);
  });

  it('reuses the cached copy: a second conversion of the same clip does not run ffmpeg, a changed clip does', async () => {
    const dir = tempDir();
    const fake = fakeFfmpeg(dir, COPY_AVC1);
    const clip = path.join(dir, 'clip.mp4');
    fs.copyFileSync(path.join(FIXTURES, 'mp4v.mp4'), clip);
    const cacheDir = path.join(dir, 'cache');
    assert.equal(await cachedCopy(clip, cacheDir), null);
    const first = await convertToH264({ input: clip, cacheDir, ffmpeg: fake.exe });
    assert.equal(fake.spawns(), 1);
    assert.equal(await cachedCopy(clip, cacheDir), first.output);
    const second = await convertToH264({ input: clip, cacheDir, ffmpeg: fake.exe });
    assert.deepEqual(second, { output: first.output, reused: true });
    assert.equal(fake.spawns(), 1);
    // Two clicks at once: one ffmpeg.
    fs.rmSync(first.output);
    const both = await Promise.all([1, 2].map(() => convertToH264({ input: clip, cacheDir, ffmpeg: fake.exe })));
    assert.equal(fake.spawns(), 2);
    assert.equal(both[0]?.output, both[1]?.output);
    // The clip changed (new mtime): its old copy is not used.
    const later = new Date(Date.now() + 5000);
    fs.utimesSync(clip, later, later);
    assert.equal(await cachedCopy(clip, cacheDir), null);
    const third = await convertToH264({ input: clip, cacheDir, ffmpeg: fake.exe });
    assert.notEqual(third.output, first.output);
    assert.equal(fake.spawns(), 3);
  });

  it('gives ffmpeg a clip named like an option (or a shell command) as a file: -nostdin, file: prefix, no shell', async () => {
    const dir = tempDir();
    const fake = fakeFfmpeg(dir, COPY_AVC1);
    const name = '-y $(touch PWNED); -f null.mp4';
    fs.copyFileSync(path.join(FIXTURES, 'mp4v.mp4'), path.join(dir, name));
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      await convertToH264({ input: name, cacheDir: path.join(dir, 'cache'), ffmpeg: fake.exe });
    } finally {
      process.chdir(cwd);
    }
    const args = fake.args();
    assert.equal(args[0], '-nostdin');
    const input = args[args.indexOf('-i') + 1];
    assert.equal(input, `file:${path.join(fs.realpathSync(dir), name)}`);
    assert.ok(!args.includes(name), 'the bare name is never an argument');
    assert.ok(args.at(-1)?.startsWith('file:/'), args.at(-1));
    assert.ok(!fs.existsSync(path.join(dir, 'PWNED')), 'no shell ran the name');
  });

  it('converts a clip whose name starts with "-" with the real ffmpeg', async function () {
    if (!realFfmpeg || process.platform === 'win32') this.skip();
    const dir = tempDir();
    fs.copyFileSync(path.join(FIXTURES, 'mp4v.mp4'), path.join(dir, '-i.mp4'));
    const ffmpeg = await findFfmpeg(undefined);
    assert.ok(ffmpeg);
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      const { output } = await convertToH264({ input: '-i.mp4', cacheDir: path.join(dir, 'cache'), ffmpeg });
      assert.equal((await probeMp4(output))?.codec?.fourcc, 'avc1');
    } finally {
      process.chdir(cwd);
    }
  });

  it("a failure says so with ffmpeg's last stderr lines, control characters escaped, and caches nothing", async () => {
    const dir = tempDir();
    const lines = Array.from({ length: 30 }, (_, i) => `line ${i}`);
    const fake = fakeFfmpeg(
      dir,
      `${lines.map((l) => `echo '${l}' >&2`).join('\n')}\nprintf 'bad \\033]0;title\\007 end\\n' >&2\nexit 3`,
    );
    const clip = path.join(dir, 'clip.mp4');
    fs.copyFileSync(path.join(FIXTURES, 'mp4v.mp4'), clip);
    const cacheDir = path.join(dir, 'cache');
    const err = await convertToH264({ input: clip, cacheDir, ffmpeg: fake.exe }).then(
      () => null,
      (e: unknown) => e,
    );
    assert.ok(err instanceof ConversionError, String(err));
    assert.match(err.message, /exit code 3/);
    const tail = err.stderrTail.split('\n');
    assert.equal(tail.length, 12);
    assert.equal(tail[0], 'line 19');
    assert.equal(tail.at(-1), 'bad \\x1b]0;title\\x07 end');
    // eslint-disable-next-line no-control-regex
    assert.ok(!/[\u0000-\u0008\u000b-\u001f]/.test(err.stderrTail));
    assert.deepEqual(fs.readdirSync(cacheDir), []);
    assert.equal(await cachedCopy(clip, cacheDir), null);
  });

  it('an ffmpeg that cannot be started is named in the error', async () => {
    const dir = tempDir();
    const clip = path.join(dir, 'clip.mp4');
    fs.copyFileSync(path.join(FIXTURES, 'mp4v.mp4'), clip);
    const missing = path.join(dir, 'no-such-ffmpeg');
    await assert.rejects(
      convertToH264({ input: clip, cacheDir: path.join(dir, 'cache'), ffmpeg: missing }),
      (e: unknown) => e instanceof ConversionError && e.message.includes('ENOENT') && e.message.includes(missing),
    );
  });

  it('cancelling stops ffmpeg and leaves nothing in the cache', async () => {
    const dir = tempDir();
    const fake = fakeFfmpeg(dir, `echo started > '${path.join(dir, 'started')}'\n: > "$out"\nexec sleep 30`);
    const clip = path.join(dir, 'clip.mp4');
    fs.copyFileSync(path.join(FIXTURES, 'mp4v.mp4'), clip);
    const cacheDir = path.join(dir, 'cache');
    const abort = new AbortController();
    const job = convertToH264({ input: clip, cacheDir, ffmpeg: fake.exe, signal: abort.signal });
    while (!fs.existsSync(path.join(dir, 'started'))) await new Promise((r) => setTimeout(r, 20));
    abort.abort();
    await assert.rejects(job, (e: unknown) => e instanceof ConversionCancelled);
    assert.equal(fake.spawns(), 1);
    assert.deepEqual(fs.readdirSync(cacheDir), []);
  });

  it('takes vlm4d.ffmpegPath from the user settings only: a workspace or folder value is ignored', async () => {
    assert.equal(userLevelString({ workspaceValue: '/tmp/evil' }), undefined);
    assert.equal(userLevelString({ workspaceFolderValue: '/tmp/evil' }), undefined);
    assert.equal(
      userLevelString({ workspaceLanguageValue: '/tmp/evil', workspaceFolderLanguageValue: '/x' }),
      undefined,
    );
    assert.equal(userLevelString({ globalValue: '/usr/bin/ffmpeg', workspaceValue: '/tmp/evil' }), '/usr/bin/ffmpeg');
    assert.equal(userLevelString({ globalValue: '  ' }), undefined);
    // The manifest also keeps it out of workspace settings.
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
      contributes: { configuration: { properties: Record<string, { scope?: string }> } };
    };
    assert.ok(
      ['machine', 'application'].includes(pkg.contributes.configuration.properties['vlm4d.ffmpegPath']?.scope ?? ''),
    );
  });

  it('finds ffmpeg from the setting or on PATH, never in a relative PATH entry', async () => {
    const dir = tempDir();
    const fake = fakeFfmpeg(dir, 'exit 0');
    assert.equal(await findFfmpeg(fake.exe, ''), fake.exe);
    assert.equal(await findFfmpeg(path.join(dir, 'absent'), ''), null);
    const bin = path.join(dir, 'bin');
    fs.mkdirSync(bin);
    fs.copyFileSync(fake.exe, path.join(bin, 'ffmpeg'));
    fs.chmodSync(path.join(bin, 'ffmpeg'), 0o755);
    assert.equal(await findFfmpeg(undefined, `/nonexistent${path.delimiter}${bin}`), path.join(bin, 'ffmpeg'));
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      assert.equal(await findFfmpeg(undefined, 'bin'), null);
      assert.equal(await findFfmpeg('bin/ffmpeg', ''), null);
    } finally {
      process.chdir(cwd);
    }
    // A file that is not executable is not an ffmpeg.
    fs.chmodSync(path.join(bin, 'ffmpeg'), 0o644);
    assert.equal(await findFfmpeg(undefined, bin), null);
  });

  it('the detail view may ask for a conversion by prediction id only, never name a file or a program', () => {
    assert.deepEqual(parseDetailMessage({ type: 'convertClip', id: 7, path: '/etc/passwd', ffmpeg: '/bin/sh' }), {
      type: 'convertClip',
      id: 7,
    });
    assert.equal(parseDetailMessage({ type: 'convertClip', id: -1 }), null);
    assert.equal(parseDetailMessage({ type: 'convertClip', id: '7' }), null);
    assert.equal(parseDetailMessage({ type: 'convertClip' }), null);
  });
});

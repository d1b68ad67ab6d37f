// The converted-clip cache under its size bound: which copies go (least recently used first, until the rest
// fits), which never do (a file being written, the copy just made, anything that is not a copy), on a fake
// listing; then through a real conversion with a fake ffmpeg in a temporary folder.
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import type { CacheFile, CacheFs } from '../../src/core/clipCache';
import { evictionPlan, pruneCache } from '../../src/core/clipCache';
import { cachedCopy, cachePathOf, convertToH264 } from '../../src/core/clipConversion';
import { prng, tempDir } from '../support/fixtures';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'codecs');
const MB = 1024 ** 2;
const copyName = (i: number) => `${i.toString(16).padStart(40, '0')}.mp4`;

describe('the converted-clip cache bound', () => {
  it('removes the least recently used copies until the rest fits, never a partial file, the kept copy or a stranger', () => {
    const files: CacheFile[] = [
      { name: copyName(1), size: 400 * MB, mtimeMs: 1000, isFile: true },
      { name: copyName(2), size: 300 * MB, mtimeMs: 3000, isFile: true },
      { name: copyName(3), size: 500 * MB, mtimeMs: 2000, isFile: true },
      { name: copyName(4), size: 600 * MB, mtimeMs: 500, isFile: true }, // oldest, but the one just made
      { name: '.partial-12-abcdef.mp4', size: 700 * MB, mtimeMs: 100, isFile: true }, // being written
      { name: 'notes.txt', size: 1, mtimeMs: 1, isFile: true },
      { name: 'sub', size: 4096, mtimeMs: 1, isFile: false },
    ];
    // 2,500 MB + 1 byte in files; bound 1,700 MB: 1 (oldest) then 3 go (1,600 MB + 1 byte left), 2 stays.
    assert.deepEqual(evictionPlan(files, 1700 * MB, new Set([copyName(4)])), [copyName(1), copyName(3)]);
    // Under the bound: nothing.
    assert.deepEqual(evictionPlan(files, 3000 * MB, new Set()), []);
    // What may not go exceeds the bound alone: every copy that may go goes, and no more.
    assert.deepEqual(evictionPlan(files, 100 * MB, new Set([copyName(4)])), [copyName(1), copyName(3), copyName(2)]);
  });

  it('on random listings: what remains fits or only untouchables remain, and every removed copy is older than every kept one', () => {
    const r = prng(7);
    for (let trial = 0; trial < 200; trial++) {
      const files: CacheFile[] = Array.from({ length: 1 + Math.floor(r() * 12) }, (_, i) => ({
        name: r() < 0.15 ? `.partial-${i}.mp4` : copyName(i),
        size: Math.floor(r() * 500 * MB),
        mtimeMs: Math.floor(r() * 1e6),
        isFile: true,
      }));
      const keep = new Set(files.filter(() => r() < 0.1).map((f) => f.name));
      const limit = Math.floor(r() * 2000 * MB);
      const gone = new Set(evictionPlan(files, limit, keep));
      const left = files.filter((f) => !gone.has(f.name));
      const removable = (f: CacheFile) => !keep.has(f.name) && !f.name.startsWith('.partial-');
      for (const g of gone) assert.ok(removable(files.find((f) => f.name === g) as CacheFile), `${g} may go`);
      const total = left.reduce((n, f) => n + f.size, 0);
      assert.ok(total <= limit || left.every((f) => !removable(f)), `trial ${trial}: fits, or nothing more may go`);
      const newestGone = Math.max(...files.filter((f) => gone.has(f.name)).map((f) => f.mtimeMs));
      for (const f of left.filter(removable)) assert.ok(f.mtimeMs >= newestGone, `trial ${trial}: LRU order`);
      // Minimal: keeping the last one removed would not have fitted.
      const lastGone = [...gone].at(-1);
      if (lastGone) {
        const size = files.find((f) => f.name === lastGone)?.size ?? 0;
        assert.ok(total + size > limit, `trial ${trial}: no copy removed that did not need to go`);
      }
    }
  });

  it('prunes through the file system it is given; a copy that cannot be removed is skipped', async () => {
    const removed: string[] = [];
    const cfs: CacheFs = {
      list: async () => [
        { name: copyName(1), size: 10, mtimeMs: 1, isFile: true },
        { name: copyName(2), size: 10, mtimeMs: 2, isFile: true },
        { name: copyName(3), size: 10, mtimeMs: 3, isFile: true },
      ],
      remove: async (f) => {
        if (f.endsWith(copyName(1))) throw new Error('EBUSY');
        removed.push(f);
      },
    };
    assert.deepEqual(await pruneCache('/cache', ['/cache/' + copyName(3)], 15, cfs), [copyName(2)]);
    assert.deepEqual(removed, [path.join('/cache', copyName(2))]);
    // A cache folder that cannot be listed (not made yet): nothing happens.
    const none: CacheFs = {
      list: () => Promise.reject(new Error('ENOENT')),
      remove: () => Promise.reject(new Error('no')),
    };
    assert.deepEqual(await pruneCache('/cache', [], 0, none), []);
  });

  it('a conversion keeps the cache under its bound: the older copy goes, the new one and a partial file stay; reuse counts as use', async () => {
    const dir = tempDir();
    const exe = path.join(dir, 'fake-ffmpeg');
    fs.writeFileSync(
      exe,
      `#!/bin/sh\nfor a; do out="$a"; done\nout="\${out#file:}"\ncp '${path.join(FIXTURES, 'avc1.mp4')}' "$out"\n`,
      { mode: 0o755 },
    );
    const size = fs.statSync(path.join(FIXTURES, 'avc1.mp4')).size;
    const cacheDir = path.join(dir, 'cache');
    const clips = [1, 2, 3].map((i) => {
      const c = path.join(dir, `clip${i}.mp4`);
      fs.copyFileSync(path.join(FIXTURES, 'mp4v.mp4'), c);
      return c;
    });
    // Room for two copies (and a partial file of another window, which is never removed).
    const cacheLimit = 2 * size + 10;
    const a = await convertToH264({ input: clips[0] as string, cacheDir, ffmpeg: exe, cacheLimit });
    const b = await convertToH264({ input: clips[1] as string, cacheDir, ffmpeg: exe, cacheLimit });
    const partial = path.join(cacheDir, '.partial-999-000000000000.mp4');
    fs.writeFileSync(partial, 'x');
    // a used long ago, b a little less long ago; then a is reused: b becomes the least recently used.
    const old = (s: number) => new Date(Date.now() - s * 1000);
    fs.utimesSync(a.output, old(7200), old(7200));
    fs.utimesSync(b.output, old(3600), old(3600));
    assert.equal(await cachedCopy(clips[0] as string, cacheDir), a.output);
    await new Promise((r) => setTimeout(r, 50)); // the reuse's time is written in the background
    const c = await convertToH264({ input: clips[2] as string, cacheDir, ffmpeg: exe, cacheLimit });
    assert.ok(fs.existsSync(c.output), 'the copy just made stays');
    assert.ok(fs.existsSync(a.output), 'the copy reused just now stays');
    assert.ok(!fs.existsSync(b.output), 'the least recently used copy went');
    assert.ok(fs.existsSync(partial), 'a file being written stays');
    assert.equal(await cachedCopy(clips[1] as string, cacheDir), null);
    assert.equal(b.output, await cachePathOf(clips[1] as string, cacheDir));
  });
});

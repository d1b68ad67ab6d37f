// The codec of a clip, read from its MP4 header, and what the detail view says about one the editor cannot
// decode. The fixtures are 1 s, 64x48 test patterns made with ffmpeg (test/fixtures/codecs/, a few KB each):
//   ffmpeg -f lavfi -i testsrc=size=64x48:rate=15:duration=1 -c:v <encoder> -an <fourcc>.mp4
// with libx264 (avc1), libx265 -tag:v hvc1 (hvc1), mpeg4 (mp4v), libvpx-vp9 (vp09), libaom-av1 (av01), and
// libx264 with an AAC sine tone (avc1-aac).
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { browserDecodes, codecName, decodes, undecodableMessage } from '../../src/core/codecs';
import { probeMp4 } from '../../src/core/videoProbe';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'codecs');

/** The sample entry types in the file's bytes (stsd's children), found independently of mp4box. */
function sampleEntryTypes(file: string): string[] {
  const bytes = fs.readFileSync(file);
  const at = bytes.indexOf('stsd', 0, 'latin1');
  const found: string[] = [];
  if (at < 0) return found;
  // stsd: size, 'stsd', version+flags (4), entry count (4), then entries (size, type, ...).
  const count = bytes.readUInt32BE(at + 8);
  let p = at + 12;
  for (let i = 0; i < count; i++) {
    found.push(bytes.toString('latin1', p + 4, p + 8));
    p += bytes.readUInt32BE(p);
  }
  return found;
}

describe('clip codecs', () => {
  it('reads the video codec of each fixture from its header, as its sample entry names it', async () => {
    for (const [file, fourcc] of [
      ['avc1.mp4', 'avc1'],
      ['hvc1.mp4', 'hvc1'],
      ['mp4v.mp4', 'mp4v'],
      ['vp09.mp4', 'vp09'],
      ['av01.mp4', 'av01'],
      ['avc1-aac.mp4', 'avc1'],
    ] as const) {
      const full = path.join(FIXTURES, file);
      assert.ok(fs.statSync(full).size < 50_000, `${file} is a small fixture`);
      const info = await probeMp4(full);
      assert.ok(info?.codec, file);
      assert.equal(info.codec.fourcc, fourcc, file);
      // The fourcc is the one in the file's stsd box, and the codecs string starts with it.
      assert.ok(sampleEntryTypes(full).includes(info.codec.fourcc), `${file}: ${sampleEntryTypes(full).join(',')}`);
      assert.ok(info.codec.codecs.startsWith(fourcc), info.codec.codecs);
      // Frame count and duration still come with it (15 fps, 1 s).
      assert.equal(info.frameCount, 15, file);
    }
    assert.deepEqual((await probeMp4(path.join(FIXTURES, 'avc1-aac.mp4')))?.audioCodecs, ['mp4a.40.2']);
    assert.equal((await probeMp4(path.join(FIXTURES, 'avc1.mp4')))?.audioCodecs, undefined);
  });

  it('says which codec a clip is and that VS Code cannot decode it, for each codec it cannot', async () => {
    const expected: Record<string, string> = {
      'hvc1.mp4': 'This clip is HEVC (hvc1); VS Code’s webviews cannot decode HEVC.',
      'mp4v.mp4': 'This clip is MPEG-4 Part 2 (mp4v); VS Code’s webviews cannot decode MPEG-4 Part 2.',
      'vp09.mp4': 'This clip is VP9 (vp09); VS Code’s webviews cannot decode VP9.',
      'av01.mp4': 'This clip is AV1 (av01); VS Code’s webviews cannot decode AV1.',
    };
    for (const [file, message] of Object.entries(expected)) {
      const codec = (await probeMp4(path.join(FIXTURES, file)))?.codec;
      assert.ok(codec, file);
      assert.equal(decodes(codec, 'desktop'), false, file);
      assert.equal(undecodableMessage(codec, 'desktop'), message);
    }
    for (const file of ['avc1.mp4', 'avc1-aac.mp4']) {
      const codec = (await probeMp4(path.join(FIXTURES, file)))?.codec;
      assert.ok(codec);
      assert.equal(decodes(codec, 'desktop'), true, file);
    }
    assert.equal(decodes({ fourcc: 'vp08', codecs: 'vp08.00.10.08' }, 'desktop'), true);
    // In a browser only the browser knows: it is asked with the exact codecs string.
    const hevc = { fourcc: 'hvc1', codecs: 'hvc1.1.6.L30.90' };
    assert.equal(decodes(hevc, 'browser'), null);
    const asked: string[] = [];
    assert.equal(
      browserDecodes(hevc, (t) => (asked.push(t), '')),
      false,
    );
    assert.deepEqual(asked, ['video/mp4; codecs="hvc1.1.6.L30.90"']);
    assert.equal(
      browserDecodes(hevc, () => 'maybe'),
      true,
    );
    assert.equal(undecodableMessage(hevc, 'browser'), 'This clip is HEVC (hvc1); this browser cannot decode HEVC.');
    // An unknown fourcc is named as it is.
    assert.equal(codecName('xyz1'), 'the “xyz1” codec');
    assert.equal(
      undecodableMessage({ fourcc: 'xyz1', codecs: 'xyz1' }, 'desktop'),
      'This clip is the “xyz1” codec (xyz1); VS Code’s webviews cannot decode it.',
    );
  });
});

import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';
import {
  listingProblems,
  pngSize,
  readmeImages,
  vsceListing,
  vsixProblems,
  zipEntries,
  zipRead,
} from '../../scripts/check-package-contents';

// The README is the installed extension's page: its images must travel inside the .vsix at the paths it
// gives (its links stay relative: the project has no public repository). `npm run package` runs the same
// checks on the real package; these hold the checks themselves and the project's packaging rules.
const root = path.resolve(__dirname, '..', '..');

/** A zip as vsce writes one (deflated entries unless `stored`), from names and contents. */
function zip(files: Record<string, string | Buffer>, stored = false): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, content] of Object.entries(files)) {
    const data = Buffer.from(content);
    const packed = stored ? data : zlib.deflateRawSync(data);
    const nameBytes = Buffer.from(name, 'utf8');
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(stored ? 0 : 8, 8);
    local.writeUInt32LE(zlib.crc32(data), 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(stored ? 0 : 8, 10);
    central.writeUInt32LE(zlib.crc32(data), 16);
    central.writeUInt32LE(packed.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, packed);
    centrals.push(central, nameBytes);
    offset += local.length + nameBytes.length + packed.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(files).length, 8);
  end.writeUInt16LE(Object.keys(files).length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/** The first bytes of a PNG of the given size (all the checks read). */
function pngHeader(width: number, height: number): Buffer {
  const b = Buffer.alloc(33);
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(b, 0);
  b.writeUInt32BE(13, 8);
  b.write('IHDR', 12, 'latin1');
  b.writeUInt32BE(width, 16);
  b.writeUInt32BE(height, 20);
  return b;
}

const vsixManifest = `<?xml version="1.0" encoding="utf-8"?>
<PackageManifest><Metadata><Icon>extension/media/icon.png</Icon></Metadata><Assets>
  <Asset Type="Microsoft.VisualStudio.Code.Manifest" Path="extension/package.json" Addressable="true" />
  <Asset Type="Microsoft.VisualStudio.Services.Content.Details" Path="extension/readme.md" Addressable="true" />
<Asset Type="Microsoft.VisualStudio.Services.Content.Changelog" Path="extension/changelog.md" Addressable="true" />
<Asset Type="Microsoft.VisualStudio.Services.Icons.Default" Path="extension/media/icon.png" Addressable="true" />
</Assets></PackageManifest>`;

const readme = '# X\n\n![The panel](docs/screenshots/panel.png)\n\n<img alt="logo" src="./media/logo.png">\n';

/** A package as vsce lays it out, with `drop` left out and `replace` swapped in. */
function vsix(drop: string[] = [], replace: Record<string, string | Buffer> = {}): Buffer {
  const files: Record<string, string | Buffer> = {
    'extension.vsixmanifest': vsixManifest,
    'extension/package.json': '{"name":"x","icon":"media/icon.png"}',
    'extension/readme.md': readme,
    'extension/changelog.md': '# Changelog\n',
    'extension/media/icon.png': pngHeader(128, 128),
    'extension/docs/screenshots/panel.png': pngHeader(800, 600),
    'extension/media/logo.png': pngHeader(32, 32),
    ...replace,
  };
  for (const d of drop) delete files[d];
  return zip(files);
}

describe('the package check', () => {
  it('finds the relative images a README shows, in both Markdown and HTML, and skips URLs', () => {
    const md = [
      '![a](docs/a.png)',
      '![b](./media/b.png "title")',
      '<img src="c%20d.png" width="10">',
      '![remote](https://example.org/e.png)',
      '![inline](data:image/png;base64,AAAA)',
      '[a link, not an image](docs/f.png)',
      '![again](docs/a.png#top)',
    ].join('\n');
    assert.deepEqual(readmeImages(md), ['docs/a.png', 'media/b.png', 'c d.png']);
  });

  it('reads a zip as written, stored or deflated', () => {
    const body = 'x'.repeat(5000) + 'end';
    for (const stored of [false, true]) {
      const z = zip({ 'a/b.txt': body, 'c.txt': 'c' }, stored);
      const entries = zipEntries(z);
      assert.deepEqual([...entries.keys()], ['a/b.txt', 'c.txt']);
      assert.equal(zipRead(z, entries, 'a/b.txt')?.toString('utf8'), body);
      assert.equal(zipRead(z, entries, 'missing'), null);
    }
    assert.throws(() => zipEntries(Buffer.from('not a zip at all, and long enough to search')), /not a zip/);
  });

  it('reads the size of a PNG and refuses what is not one', () => {
    assert.deepEqual(pngSize(pngHeader(128, 96)), { width: 128, height: 96 });
    assert.equal(pngSize(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>')), null);
  });

  it('passes a package holding every README image, the icon and the changelog', () => {
    assert.deepEqual(vsixProblems(vsix()), []);
  });

  it('fails a package that lacks an image the README shows, naming it and its place in the package', () => {
    const problems = vsixProblems(vsix(['extension/docs/screenshots/panel.png']));
    assert.equal(problems.length, 1, problems.join('\n'));
    assert.match(problems[0] ?? '', /docs\/screenshots\/panel\.png.*extension\/docs\/screenshots\/panel\.png/);
    assert.match(vsixProblems(vsix(['extension/media/logo.png'])).join('\n'), /media\/logo\.png/);
  });

  it('fails a package without a 128x128 PNG icon or without a changelog', () => {
    assert.match(
      vsixProblems(vsix([], { 'extension/media/icon.png': pngHeader(256, 256) })).join('\n'),
      /256x256, not 128x128/,
    );
    assert.match(vsixProblems(vsix([], { 'extension/media/icon.png': '<svg/>' })).join('\n'), /not a PNG/);
    assert.match(vsixProblems(vsix(['extension/media/icon.png'])).join('\n'), /no icon/);
    assert.match(vsixProblems(vsix(['extension/changelog.md'])).join('\n'), /no changelog/);
  });

  it('allows from docs/ exactly the images the README shows, and requires them', () => {
    const images = ['docs/screenshots/panel.png'];
    const listed = [
      'package.json',
      'README.md',
      'docs/screenshots/panel.png',
      'docs/screenshots/other.png',
      'docs/user-guide.md',
    ];
    const problems = listingProblems(listed, images).join('\n');
    assert.match(problems, /other\.png/);
    assert.match(problems, /user-guide\.md/);
    assert.doesNotMatch(problems, /carry[^]*panel\.png/);
    assert.match(listingProblems(['package.json'], images).join('\n'), /lack:[^]*docs\/screenshots\/panel\.png/);
  });
});

describe('the project package', function () {
  this.timeout(30_000);
  const projectReadme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
  const images = readmeImages(projectReadme);

  it('shows at least one image in its README, each a file of the checkout', () => {
    assert.ok(images.length >= 1, 'the README shows a screenshot');
    for (const image of images) assert.ok(fs.statSync(path.join(root, image)).isFile(), `${image} exists`);
  });

  it('packs every image the README shows at the same path, and nothing else from docs/ (vsce ls)', () => {
    const listed = vsceListing(root);
    for (const image of images) assert.ok(listed.includes(image), `${image} is in the package: ${listed.join(', ')}`);
    assert.deepEqual(
      listed.filter((f) => f.startsWith('docs/')).sort(),
      images.filter((f) => f.startsWith('docs/')).sort(),
    );
    for (const f of ['CHANGELOG.md', 'media/icon.png']) assert.ok(listed.includes(f), `${f} is in the package`);
  });

  it('names a 128x128 PNG icon in the manifest', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { icon?: string };
    assert.ok(manifest.icon, 'package.json has an icon');
    assert.deepEqual(pngSize(fs.readFileSync(path.join(root, manifest.icon))), { width: 128, height: 128 });
  });
});

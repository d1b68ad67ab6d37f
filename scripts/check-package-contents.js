// Checks the extension's package, twice in `npm run package`:
// - before packing (no argument): what `vsce ls` says the .vsix would hold must be only what runs (no sources,
//   tests, samples, source maps, node_modules), and nothing needed may be missing;
// - after packing (`--vsix FILE`): the .vsix itself (a zip) must hold every image its README shows, at the
//   path the README gives, plus the icon the manifest names (a 128x128 PNG) and the changelog. The README's
//   relative links are left as they are (no public repository to point them at), so the package is the one
//   place they resolve; VS Code's own extension page shows only http(s) images (docs/development.md).
'use strict';
const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');
const zlib = require('zlib');

/** Relative image paths a Markdown text shows (`![alt](path "title")` and `<img src="path">`), in order. */
function readmeImages(markdown) {
  const found = [];
  for (const m of markdown.matchAll(/!\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) found.push(m[1]);
  for (const m of markdown.matchAll(/<img\b[^>]*\bsrc\s*=\s*["']([^"']+)["']/gi)) found.push(m[1]);
  return [
    ...new Set(
      found
        .filter((p) => !/^[a-z][a-z0-9+.-]*:|^\/\//i.test(p))
        .map((p) => decodeURI(p.replace(/[?#].*$/, '').replace(/^\.\//, ''))),
    ),
  ];
}

/** The entries of a zip file, from its central directory: name → where its local header is, and how it is stored. */
function zipEntries(zip) {
  let eocd = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 0xffff); i--) {
    if (zip.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error('not a zip file (no end of central directory)');
  const count = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  const entries = new Map();
  for (let n = 0; n < count; n++) {
    if (zip.readUInt32LE(at) !== 0x02014b50) throw new Error(`broken central directory at byte ${at}`);
    const method = zip.readUInt16LE(at + 10);
    const compressedSize = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const offset = zip.readUInt32LE(at + 42);
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength);
    entries.set(name, { method, compressedSize, offset });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** One entry's bytes (stored or deflated), or null when the zip has no such entry. */
function zipRead(zip, entries, name) {
  const e = entries.get(name);
  if (!e) return null;
  const start = e.offset + 30 + zip.readUInt16LE(e.offset + 26) + zip.readUInt16LE(e.offset + 28);
  const data = zip.subarray(start, start + e.compressedSize);
  if (e.method === 0) return data;
  if (e.method === 8) return zlib.inflateRawSync(data);
  throw new Error(`${name}: unsupported zip compression method ${e.method}`);
}

/** Width and height of a PNG, or null when the bytes are not a PNG. */
function pngSize(bytes) {
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  if (bytes.length < 24 || !bytes.subarray(0, 8).equals(signature) || bytes.toString('latin1', 12, 16) !== 'IHDR')
    return null;
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

/** The path of a .vsix asset of the given type, from the package's extension.vsixmanifest (null when none). */
function vsixAsset(manifest, type) {
  for (const m of manifest.matchAll(/<Asset\b[^>]*>/g)) {
    if (m[0].includes(`Type="${type}"`)) return /\bPath="([^"]+)"/.exec(m[0])?.[1] ?? null;
  }
  return null;
}

/**
 * What is wrong with a packed .vsix for the marketplaces and the installed extension's page (empty when
 * nothing). vsce renames the README and the changelog (extension/readme.md, extension/changelog.md) and says
 * where in extension.vsixmanifest; the README's images are relative to its folder.
 */
function vsixProblems(zip) {
  const entries = zipEntries(zip);
  const text = (name) => zipRead(zip, entries, name)?.toString('utf8') ?? null;
  const manifest = text('extension.vsixmanifest');
  if (manifest === null) return ['no extension.vsixmanifest: not a VS Code extension package'];
  const problems = [];
  const readmePath = vsixAsset(manifest, 'Microsoft.VisualStudio.Services.Content.Details');
  const readme = readmePath && text(readmePath);
  if (!readme) problems.push('no README in the package');
  for (const image of readme ? readmeImages(readme) : []) {
    const at = path.posix.join(path.posix.dirname(readmePath), image);
    if (!entries.has(at)) problems.push(`the README shows ${image}, which is not in the package (${at})`);
  }
  const iconPath = vsixAsset(manifest, 'Microsoft.VisualStudio.Services.Icons.Default');
  const icon = iconPath && zipRead(zip, entries, iconPath);
  const size = icon && pngSize(icon);
  if (!icon) problems.push('no icon in the package (the manifest names none, or it is missing)');
  else if (!size) problems.push(`the icon ${iconPath} is not a PNG`);
  else if (size.width !== 128 || size.height !== 128)
    problems.push(`the icon ${iconPath} is ${size.width}x${size.height}, not 128x128`);
  const changelog = vsixAsset(manifest, 'Microsoft.VisualStudio.Services.Content.Changelog');
  if (!changelog || !entries.has(changelog)) problems.push('no changelog in the package');
  return problems;
}

/** What is wrong with the list of files `vsce ls` gives, for a README that shows `images` (empty when nothing). */
function listingProblems(files, images) {
  // Anchored at the package root: dist/webview/ holds the webview bundles, which do run. The README's own
  // images are the one thing allowed from docs/.
  const forbidden =
    /^(src|test|samples|bench|scripts|docs|webview|node_modules)\/|\/node_modules\/|\.map$|\.ts$|^\.|\/\./;
  const bad = files.filter((f) => forbidden.test(f) && !images.includes(f));
  const required = [
    'package.json',
    'README.md',
    'CHANGELOG.md',
    'LICENSE',
    'media/icon.png',
    'dist/extension.js',
    'dist/indexWorker.js',
    'dist/parserWorker.js',
    'dist/sql-wasm.wasm',
    'media/vlm4d.svg',
    'dist/webview/failures.js',
    'dist/webview/detail.js',
    'dist/webview/detail-markdown.js',
    'dist/webview/dashboard.js',
    'dist/codicons/codicon.css',
    'dist/codicons/codicon.ttf',
    ...images,
  ];
  const missing = required.filter((f) => !files.includes(f));
  return [
    ...(bad.length ? [`the package would carry files that do not run:\n  ${bad.join('\n  ')}`] : []),
    ...(missing.length ? [`the package would lack:\n  ${missing.join('\n  ')}`] : []),
  ];
}

/** The files `vsce ls` says the package would hold (after .vscodeignore). */
function vsceListing(root = path.join(__dirname, '..')) {
  const vsce = path.join(root, 'node_modules', '.bin', 'vsce');
  return execFileSync(vsce, ['ls', '--no-dependencies'], { cwd: root, encoding: 'utf8' }).split('\n').filter(Boolean);
}

module.exports = { readmeImages, zipEntries, zipRead, pngSize, vsixProblems, listingProblems, vsceListing };

if (require.main === module) {
  const at = process.argv.indexOf('--vsix');
  if (at >= 0) {
    const file = process.argv[at + 1];
    if (!file) {
      console.error('--vsix needs the .vsix file');
      process.exit(2);
    }
    const problems = vsixProblems(fs.readFileSync(file));
    if (problems.length) {
      console.error(`${file}:\n  ${problems.join('\n  ')}`);
      process.exit(1);
    }
    console.log(`${file}: the README's images, the icon and the changelog are in the package`);
  } else {
    const root = path.join(__dirname, '..');
    const files = vsceListing(root);
    const problems = listingProblems(files, readmeImages(fs.readFileSync(path.join(root, 'README.md'), 'utf8')));
    if (problems.length) {
      console.error(problems.join('\n'));
      process.exit(1);
    }
    console.log(`package contents: ${files.length} files, all needed at run time`);
  }
}

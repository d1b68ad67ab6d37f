import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';

// The README is the product page (and the installed extension's page): short, with the two commands that
// are true, and links that lead somewhere in the checkout. The manual and the rest live under docs/.
const root = path.resolve(__dirname, '..', '..');
const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
const scripts = (
  JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
).scripts;

describe('the README', () => {
  it('stays a product page of at most 6 KB', () => {
    assert.ok(Buffer.byteLength(readme) <= 6 * 1024, `README.md is ${Buffer.byteLength(readme)} bytes`);
  });

  it('gives the two commands, and both are npm scripts of the project', () => {
    for (const [command, script] of [
      ['npm run demo', 'demo'],
      ['npm test', 'test'],
    ] as const) {
      assert.ok(readme.includes(command), `the README says ${command}`);
      assert.ok(scripts[script], `package.json has a "${script}" script`);
    }
  });

  it('links only to files of the checkout (or to the web)', () => {
    const targets = [...readme.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1] ?? '').filter((t) => !/^[a-z]+:/i.test(t));
    assert.ok(targets.length >= 5, targets.join(', '));
    for (const t of targets) assert.ok(fs.existsSync(path.join(root, t.replace(/#.*$/, ''))), `${t} exists`);
  });
});

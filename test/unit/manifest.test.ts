import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';

// What VS Code reads from the manifest before any code runs: in an untrusted workspace the extension still
// loads (reading results runs nothing), and every setting that names a place on disk or allows the network is
// taken from the user's settings only.
const manifest = JSON.parse(fs.readFileSync(path.resolve(__dirname, '..', '..', 'package.json'), 'utf8')) as {
  capabilities?: {
    untrustedWorkspaces?: { supported: boolean | 'limited'; description?: string; restrictedConfigurations?: string[] };
  };
  contributes: { configuration: { properties: Record<string, { type: string; markdownDescription?: string }> } };
};

describe('the manifest in an untrusted workspace', () => {
  const untrusted = manifest.capabilities?.untrustedWorkspaces;

  it('loads with limited support and says what is limited', () => {
    assert.equal(untrusted?.supported, 'limited');
    assert.match(untrusted?.description ?? '', /Restricted Mode/);
  });

  it('restricts every setting that names a path or allows the network, and only settings that exist', () => {
    const settings = manifest.contributes.configuration.properties;
    const restricted = new Set(untrusted?.restrictedConfigurations ?? []);
    for (const name of restricted) assert.ok(name in settings, `${name} is a setting`);
    // A setting names a place when its description speaks of folders, files or paths; the network when of URLs.
    const placesOrNetwork = Object.entries(settings)
      .filter(([, s]) => /folder|file|path|URL|network/i.test(s.markdownDescription ?? '') && s.type !== 'number')
      .map(([name]) => name)
      .filter((name) => name !== 'vlm4d.tags');
    assert.ok(placesOrNetwork.length >= 4, placesOrNetwork.join(', '));
    for (const name of placesOrNetwork) assert.ok(restricted.has(name), `${name} is restricted`);
  });
});

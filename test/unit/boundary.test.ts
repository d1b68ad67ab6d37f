import * as assert from 'node:assert/strict';
import * as path from 'path';
import { ESLint } from 'eslint';

// The architecture's one hard rule: core, protocol and webview code never import vscode at runtime.
describe('the vscode import boundary (lint)', function () {
  this.timeout(60_000);
  const eslint = new ESLint({ cwd: path.resolve(__dirname, '..', '..') });
  const lint = async (file: string, code: string) =>
    (await eslint.lintText(code, { filePath: file }))[0]?.messages.map((m) => m.ruleId) ?? [];

  for (const file of ['src/core/probe.ts', 'src/protocol/probe.ts', 'src/cli/probe.ts', 'webview/panel/probe.ts']) {
    it(`rejects a runtime vscode import in ${file} and allows a type import`, async () => {
      assert.ok(
        (await lint(file, "import * as vscode from 'vscode';\nexport const x = vscode.version;\n")).includes(
          '@typescript-eslint/no-restricted-imports',
        ),
      );
      assert.deepEqual(await lint(file, "import type * as vscode from 'vscode';\nexport type X = vscode.Uri;\n"), []);
    });
  }

  it('keeps the views apart: no view imports another, nor does the shared kit import a view', async () => {
    const rule = 'no-restricted-imports';
    assert.ok(
      (
        await lint(
          'webview/detail/probe.ts',
          "import { valueName } from '../failures/labels';\nexport const x = valueName;\n",
        )
      ).includes(rule),
    );
    assert.ok(
      (
        await lint('webview/failures/probe.ts', "import type { X } from '../dashboard/dom';\nexport type Y = X;\n")
      ).includes(rule),
    );
    assert.ok(
      (
        await lint(
          'webview/dashboard/probe.ts',
          "import { a } from '../../webview/detail/main';\nexport const x = a;\n",
        )
      ).includes(rule),
    );
    assert.ok(
      (await lint('webview/shared/probe.ts', "import { a } from '../failures/main';\nexport const x = a;\n")).includes(
        rule,
      ),
    );
    assert.deepEqual(
      await lint(
        'webview/detail/probe.ts',
        "import { valueName } from '../shared/names';\nimport { Player } from './player';\nexport const x = [valueName, Player];\n",
      ),
      [],
    );
  });

  it('allows the host layer to import vscode', async () => {
    assert.deepEqual(
      await lint('src/host/probe.ts', "import * as vscode from 'vscode';\nexport const x = vscode.version;\n"),
      [],
    );
  });
});

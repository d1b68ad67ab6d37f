// Lint rules. The one that matters most: core, protocol and webview code never import `vscode` at
// runtime (type-only imports are fine), so the core stays testable in plain Node and the webviews stay
// browser code.
import { readdirSync } from 'node:fs';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// The webviews, each a folder of webview/ (webview/shared/ is the kit they all use, not a view).
const VIEWS = readdirSync(new URL('./webview/', import.meta.url), { withFileTypes: true })
  .filter((e) => e.isDirectory() && e.name !== 'shared')
  .map((e) => e.name);

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'out/**', '.vscode-test/**', 'samples/**', '**/*.js', '**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-restricted-syntax': ['error', { selector: 'ExportDefaultDeclaration', message: 'Use named exports.' }],
    },
  },
  {
    files: ['src/core/**/*.ts', 'src/protocol/**/*.ts', 'src/cli.ts', 'src/cli/**/*.ts', 'webview/**/*.ts', 'bench/**/*.ts', 'test/unit/**/*.ts', 'test/webview/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'vscode',
              message: 'Core, protocol, CLI and webview code must not import vscode at runtime; use `import type` or move the code to src/host/.',
              allowTypeImports: true,
            },
          ],
        },
      ],
    },
  },
  // Views never import each other: what two views share goes to webview/shared/, which imports no view.
  ...[...VIEWS, 'shared'].map((view) => ({
    files: [`webview/${view}/**/*.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: VIEWS.filter((other) => other !== view).map((other) => ({
            group: [`../${other}`, `../${other}/*`, `**/webview/${other}`, `**/webview/${other}/*`],
            message: `A view never imports another (webview/${other}/); move what both need to webview/shared/.`,
          })),
        },
      ],
    },
  })),
);

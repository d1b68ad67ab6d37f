// Lint rules. The one that matters most: core, protocol and webview code never import `vscode` at
// runtime (type-only imports are fine), so the core stays testable in plain Node and the webviews stay
// browser code.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

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
);

// Lint rules. The one that matters most: core, protocol and webview code never import `vscode` at
// runtime (type-only imports are fine), so the core stays testable in plain Node and the webviews stay
// browser code. And the core modules the webviews bundle import no Node built-ins (they run in the browser).
import { builtinModules } from 'node:module';
import { readdirSync } from 'node:fs';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier/flat';

const noVscode = {
  name: 'vscode',
  message:
    'Core, protocol, CLI and webview code must not import vscode at runtime; use `import type` or move the code to src/host/.',
  allowTypeImports: true,
};

/**
 * The src/ modules the webview bundles take in, directly or through one another (test/unit/browserModules.test.ts
 * checks this list against what esbuild bundles), and the browser-safe ones meant for them.
 */
const BROWSER_MODULES = [
  'src/protocol/**/*.ts',
  'src/core/model.ts',
  'src/core/answerLabels.ts',
  'src/core/words.ts',
  'src/core/searchTerms.ts',
  'src/core/modelName.ts',
  'src/core/frameRefs.ts',
  'src/core/predictionMarkdown.ts',
  'src/core/csv.ts',
  'src/core/accuracyTypes.ts',
  'src/core/dashboard/aggregate.ts',
  'src/core/dashboard/data.ts',
  'src/core/dashboard/unspecifiedPrompt.ts',
  'src/core/slices/sliceFeatures.ts',
  'src/core/index/query.ts',
  'src/core/index/schema.ts',
  'src/core/index/predictionKey.ts',
  'src/core/codecs.ts',
  'src/core/failureModes.ts',
  'src/core/answers.ts',
];
const nodeMessage =
  'Browser code (bundled into a webview) cannot use Node built-ins; keep this module pure or move the Node part out.';

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
    files: [
      'src/core/**/*.ts',
      'src/protocol/**/*.ts',
      'src/cli.ts',
      'src/cli/**/*.ts',
      'webview/**/*.ts',
      'bench/**/*.ts',
      'test/unit/**/*.ts',
      'test/webview/**/*.ts',
    ],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [noVscode],
        },
      ],
    },
  },
  {
    files: BROWSER_MODULES,
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            noVscode,
            ...builtinModules.filter((m) => !m.startsWith('_')).map((name) => ({ name, message: nodeMessage })),
          ],
          patterns: [{ group: ['node:*'], message: nodeMessage }],
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
  // Formatting is Prettier's (npm run format; checked by npm run lint): rules that would disagree with it are off.
  prettier,
);

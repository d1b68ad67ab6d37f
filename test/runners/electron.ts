// Runs the integration suite (dist/test/integration/index.js) in VS Code desktop via @vscode/test-electron,
// for a desktop machine with internet: it downloads VS Code into .vscode-test/ on first use. Same suite as the
// code-server runner; there is no UI bridge here, so the tests' UI steps are skipped.
//
// Usage: node dist/test/runners/electron.js [--workspace <dir>] [--grep <pattern>] [--vscode <version>]
// Env:   VLM4D_TEST_WORKSPACE, VLM4D_TEST_GREP, VLM4D_VSCODE_VERSION (default 'stable': Mocha 12 needs the
//        Node >= 22.12 of a current VS Code). On a Linux machine without a display, run it under xvfb-run.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runTests, TestRunFailedError } from '@vscode/test-electron';

function findRepoRoot(from: string): string {
  for (let d = from; ; d = path.dirname(d)) {
    const pkg = path.join(d, 'package.json');
    if (
      fs.existsSync(pkg) &&
      (JSON.parse(fs.readFileSync(pkg, 'utf8')) as { name?: string }).name === 'vlm4d-error-analysis'
    )
      return d;
    if (path.dirname(d) === d) throw new Error(`no vlm4d-error-analysis package.json above ${from}`);
  }
}

function arg(argv: string[], name: string): string | undefined {
  const i = argv.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (i < 0) return undefined;
  const a = argv[i]!;
  return a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[i + 1];
}

async function main(): Promise<void> {
  const root = findRepoRoot(__dirname);
  const argv = process.argv.slice(2);
  const source = path.resolve(
    arg(argv, 'workspace') ?? process.env.VLM4D_TEST_WORKSPACE ?? path.join(root, 'test', 'fixtures', 'workspace'),
  );
  const grep = arg(argv, 'grep') ?? process.env.VLM4D_TEST_GREP ?? '';
  const version = arg(argv, 'vscode') ?? process.env.VLM4D_VSCODE_VERSION ?? 'stable';
  const extensionTestsPath = path.join(root, 'dist', 'test', 'integration', 'index.js');
  if (!fs.existsSync(extensionTestsPath))
    throw new Error(`${extensionTestsPath} is missing: run node esbuild.js first`);
  if (!fs.existsSync(source)) throw new Error(`workspace folder ${source} does not exist`);
  // Tests edit, add and delete result files: they get a copy of the workspace, never the checkout's own.
  const workspace = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'vlm4d-electron-test-')), path.basename(source));
  fs.cpSync(source, workspace, { recursive: true });

  // test-electron adds --no-sandbox, --skip-welcome, --disable-workspace-trust and a profile under .vscode-test/.
  const code = await runTests({
    version,
    extensionDevelopmentPath: root,
    extensionTestsPath,
    launchArgs: [workspace, '--disable-extensions'],
    // No VLM4D_UI_BRIDGE here: UI steps skip themselves.
    extensionTestsEnv: { VLM4D_TEST_GREP: grep, VLM4D_TEST_RUNNER: 'electron' },
  });
  process.exitCode = code;
}

main().catch((e: unknown) => {
  console.error(`[electron runner] ${e instanceof Error ? e.message : String(e)}`);
  // runTests rejects when VS Code exits non-zero (a failing suite): keep that exit code.
  process.exit(e instanceof TestRunFailedError && e.code ? e.code : 1);
});

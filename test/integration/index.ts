// The integration suite's entry: VS Code loads this module in the extension host (extensionTestsPath) and calls
// run(). The same module runs under code-server (test/runners/codeServer.ts) and @vscode/test-electron
// (test/runners/electron.ts).
//
// This file is bundled by esbuild into dist/test/integration/index.js (`mocha` and `vscode` stay external), so
// test files cannot be found by a glob at run time: each one is required explicitly below, after Mocha has put
// its globals (describe, it, ...) in place. Add new test files to TEST_FILES.
//
// Env: VLM4D_TEST_GREP (a Mocha grep pattern, `/re/flags` allowed), VLM4D_TEST_TIMEOUT (per test, ms), CI (forbid .only).

// Mocha is loaded at run time from node_modules (external to the bundle). Mocha 12 is an ES module: the
// extension host's Node must support require() of ES modules (Node >= 20.19 / 22.12: code-server 4.139's
// Node 24, or a current VS Code desktop).
import Mocha from 'mocha';

const TEST_FILES: Array<() => Promise<unknown>> = [
  // esbuild bundles each of these and evaluates it on import(): its describe() calls then register its tests.
  () => import('./smoke.test'),
  () => import('./extension.test'),
  () => import('./multiRoot.test'),
];

/** Mocha's spec reporter, plus one closing line CI can read: "integration: N passed, N failed, N skipped". */
class IntegrationReporter extends Mocha.reporters.Spec {
  constructor(runner: Mocha.Runner, options?: Mocha.MochaOptions) {
    super(runner, options);
    // Registered after Spec's own end listener, so printed after its epilogue.
    runner.once(Mocha.Runner.constants.EVENT_RUN_END, () => {
      const s = runner.stats;
      console.log(`integration: ${s?.passes ?? 0} passed, ${s?.failures ?? 0} failed, ${s?.pending ?? 0} skipped`);
    });
  }
}

export async function run(): Promise<void> {
  const mocha = new Mocha({
    ui: 'bdd',
    color: false,
    timeout: Number(process.env.VLM4D_TEST_TIMEOUT) || 60_000,
    slow: 5_000,
    forbidOnly: !!process.env.CI,
    reporter: IntegrationReporter,
  });
  const grep = process.env.VLM4D_TEST_GREP;
  if (grep) mocha.grep(grep);

  // What mocha.addFile() + loadFiles() would do for each file: set the bdd globals, then load the tests.
  mocha.suite.emit(Mocha.Suite.constants.EVENT_FILE_PRE_REQUIRE, globalThis, 'bundle', mocha);
  for (const load of TEST_FILES) await load();
  mocha.suite.emit(Mocha.Suite.constants.EVENT_FILE_POST_REQUIRE, globalThis, 'bundle', mocha);

  const failures = await new Promise<number>((resolve) => mocha.run(resolve));
  if (failures > 0) throw new Error(`${failures} integration test(s) failed`);
}

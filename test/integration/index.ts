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
import type { Carried } from '../support/reload';
import { progress, takeResume } from '../support/reload';

/** Counts from before a window reload (test/support/reload.ts), added to this run's. */
let carried: Carried = { grep: '', passed: 0, failed: 0, skipped: 0 };

const TEST_FILES: Array<() => Promise<unknown>> = [
  // esbuild bundles each of these and evaluates it on import(): its describe() calls then register its tests.
  // First: it watches the extension start on its own in a fresh window.
  () => import('./startup.test'),
  () => import('./smoke.test'),
  () => import('./extension.test'),
  () => import('./multiRoot.test'),
  // Before the explorer's tests: their last one reloads the window.
  () => import('./search.test'),
  () => import('./triage.test'),
  () => import('./latency.test'),
  () => import('./detailDecision.test'),
  () => import('./suggestions.test'),
  () => import('./acceptAll.test'),
  () => import('./reviewers.test'),
  () => import('./compare.test'),
  () => import('./explorer.test'),
  () => import('./restricted.test'),
  () => import('./annotationsFile.test'),
  () => import('./clipStall.test'),
  () => import('./clipCodec.test'),
];

/** Mocha's spec reporter, plus one closing line CI can read: "integration: N passed, N failed, N skipped". */
class IntegrationReporter extends Mocha.reporters.Spec {
  constructor(runner: Mocha.Runner, options?: Mocha.MochaOptions) {
    super(runner, options);
    runner.on(Mocha.Runner.constants.EVENT_TEST_PASS, () => progress.passed++);
    // Printed at once too: the spec reporter's list of failures comes at the end, which a window reload
    // (test/support/reload.ts) never reaches for the tests before it.
    runner.on(Mocha.Runner.constants.EVENT_TEST_FAIL, (test: Mocha.Test, err: Error) => {
      progress.failed++;
      console.log(
        `  failed: ${test.fullTitle()}\n    ${String(err?.stack ?? err)
          .split('\n')
          .slice(0, 8)
          .join('\n    ')}`,
      );
    });
    runner.on(Mocha.Runner.constants.EVENT_TEST_PENDING, () => progress.skipped++);
    // Registered after Spec's own end listener, so printed after its epilogue.
    runner.once(Mocha.Runner.constants.EVENT_RUN_END, () => {
      const s = runner.stats;
      const before =
        carried.passed + carried.failed
          ? ` (including ${carried.passed} passed and ${carried.failed} failed before a window reload)`
          : '';
      console.log(
        `integration: ${(s?.passes ?? 0) + carried.passed} passed, ${(s?.failures ?? 0) + carried.failed} failed, ${(s?.pending ?? 0) + carried.skipped} skipped${before}`,
      );
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
  // A test that reloaded the window (test/support/reload.ts) continues here with the tests it named.
  const resumed = takeResume();
  if (resumed) carried = resumed;
  const grep = resumed?.grep ?? process.env.VLM4D_TEST_GREP;
  if (resumed) console.log(`[integration] after a window reload: running tests matching ${resumed.grep}`);
  if (grep) mocha.grep(grep);

  // What mocha.addFile() + loadFiles() would do for each file: set the bdd globals, then load the tests.
  mocha.suite.emit(Mocha.Suite.constants.EVENT_FILE_PRE_REQUIRE, globalThis, 'bundle', mocha);
  for (const load of TEST_FILES) await load();
  mocha.suite.emit(Mocha.Suite.constants.EVENT_FILE_POST_REQUIRE, globalThis, 'bundle', mocha);

  const failures = (await new Promise<number>((resolve) => mocha.run(resolve))) + carried.failed;
  if (failures > 0) throw new Error(`${failures} integration test(s) failed`);
}

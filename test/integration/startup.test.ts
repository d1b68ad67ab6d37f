// Opening a folder of results, to the counts in the status bar: where the time goes. The extension logs
// each step of its start (src/host/startupTimes.ts); this prints them beside the page's own clock and writes
// them to test-results/timings.json. Nothing is asserted on the times (the machine is shared): only that every
// step happened, in order, and that the status bar shows the counts. Run alone, first, on a fresh window:
//   node dist/test/runners/codeServer.js --workspace /work/shared/vlm4d --grep "open folder to counts"
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { Vlm4dApi } from '../../src/extension';
import type { StartupPhase } from '../../src/host/startupTimes';
import { bridgeAvailable, ui } from '../support/bridge';
import { EXTENSION_ID, report, until } from '../support/extension';

const ORDER: StartupPhase[] = [
  'results found',
  'index worker created',
  'index worker answered',
  'indexed',
  'counts shown',
];

describe('open folder to counts', () => {
  it('logs each step from the extension host start to the counts in the status bar, in order', async function () {
    this.timeout(120_000);
    const ext = vscode.extensions.getExtension<Vlm4dApi>(EXTENSION_ID);
    assert.ok(ext);
    // Not activated here: the workbench activates it on its own, as for a user opening the folder.
    await until('the extension to activate on its own', () => ext.isActive, 60_000);
    const a = ext.exports;
    await until('the counts', () => a.startup.marks.some((m) => m.phase === 'counts shown'), 60_000);
    assert.equal(a.index.state.kind, 'ready');
    const phases = a.startup.marks.map((m) => m.phase);
    assert.equal(phases[0], 'activated', phases.join(', '));
    assert.deepEqual(
      phases.filter((p) => ORDER.includes(p)),
      ORDER,
      `every step once, in order: ${phases.join(', ')}`,
    );
    for (const m of a.startup.marks) {
      report(`startup: ${m.phase}, ms after the extension host was ready`, m.sinceHostReady);
      report(`startup: ${m.phase}, ms after activation`, m.sinceActivation);
    }
    if (!bridgeAvailable()) return;
    const counts = a.index.state.kind === 'ready' ? a.index.state.counts : null;
    assert.ok(counts);
    const text = `${counts.predictions.toLocaleString('en-US')} predictions`;
    await ui.waitFor(`.part.statusbar :text("${text}")`, 'visible', 10_000);
    // The page's clock starts at its navigation: the counts on that clock, read a bridge round trip after
    // they were drawn (a few ms).
    const pageMs = (await ui.evaluate('() => performance.timeOrigin + performance.now()')) as number;
    const page = (await ui.evaluate('() => performance.timeOrigin')) as number;
    report('startup: counts in the status bar seen, ms after the page was opened', pageMs - page);
  });
});

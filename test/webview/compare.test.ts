// The dashboard's comparison of two runs in headless Chromium: the table's counts against a brute force over
// the index's plain lists, and a count's click against the side panel's own count for the filters it posts.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import type { RunComparisonResult } from '../../src/core/compare/slices';
import { comparisonRunName } from '../../src/core/index/predictionKey';
import type { PredictionRow } from '../../src/core/index/query';
import type { ResultIndex } from '../../src/core/index/resultIndex';
import type { DashboardToHost } from '../../src/protocol/dashboard';
import type { DashboardFixture } from '../support/dashboardFixture';
import { dashboardFixture } from '../support/dashboardFixture';
import { env } from './harness';
import { dataMessage, openDashboard } from './dashboard.test';

/** Every graded prediction of a run, by question, from the plain list: the independent side. */
function runRows(index: ResultIndex, run: string): Map<string, PredictionRow> {
  const rows = index
    .query({ outcome: ['correct', 'failed'], limit: 10_000 })
    .rows.filter((r) => comparisonRunName(r.promptMode, r.model, r.samplingLabel) === run);
  return new Map(rows.map((r) => [`${r.split}/${r.qid}`, r]));
}

export function registerCompareTests(): void {
  describe('comparing two runs in the dashboard', function () {
    let f: DashboardFixture;
    before(async () => {
      f = await dashboardFixture(path.join(env.root, 'node_modules', 'sql.js', 'dist', 'sql-wasm.wasm'));
    });
    after(() => f?.index.close());

    it("shows every slice's counts as a brute force counts them, and a count opens exactly that many in the side panel", async () => {
      const runs = f.index.comparisonRuns();
      // The pair of runs with the most questions fixed and broken, so that the table has something to show.
      let result: RunComparisonResult | null = null;
      for (const a of runs.slice(0, 4))
        for (const b of runs.slice(0, 4)) {
          if (a === b) continue;
          const r = f.index.compare(a, b);
          const s = r.slices[0];
          if (
            s &&
            (!result ||
              s.onlyAFailed + s.onlyBFailed >
                (result.slices[0]?.onlyAFailed ?? 0) + (result.slices[0]?.onlyBFailed ?? 0))
          )
            result = r;
        }
      assert.ok(result && result.n > 0, 'two runs with questions in common');
      const d = await openDashboard();
      try {
        let from = d.received.length;
        await d.send(dataMessage(f.index));
        await d.waitFor((m) => m.type === 'rendered', from);
        await d.send({ type: 'comparison', result });
        await d.page.waitForSelector('#compare-table tbody tr');
        const a = runRows(f.index, result.a);
        const b = runRows(f.index, result.b);
        const ok = (m: Map<string, PredictionRow>, k: string) => m.get(k)?.outcome === 'correct';
        const rows = d.page.locator('#compare-table tbody tr');
        assert.equal(await rows.count(), result.slices.length);
        for (let i = 0; i < result.slices.length; i++) {
          const row = rows.nth(i);
          const slice = JSON.parse((await row.getAttribute('data-slice')) ?? '{}') as Record<string, string>;
          const keys = [...b.keys()].filter(
            (k) =>
              a.has(k) &&
              Object.entries(slice).every(([field, v]) => (b.get(k) as unknown as Record<string, string>)[field] === v),
          );
          const cell = async (cls: string) => Number((await row.locator(`td.${cls}`).innerText()).replace(/,/g, ''));
          const label = JSON.stringify(slice);
          assert.equal(await cell('n'), keys.length, `n of ${label}`);
          assert.equal(await cell('a-correct'), keys.filter((k) => ok(a, k)).length, `A correct of ${label}`);
          assert.equal(await cell('b-correct'), keys.filter((k) => ok(b, k)).length, `B correct of ${label}`);
          assert.equal(await cell('fixed'), keys.filter((k) => !ok(a, k) && ok(b, k)).length, `fixed of ${label}`);
          assert.equal(await cell('broken'), keys.filter((k) => ok(a, k) && !ok(b, k)).length, `broken of ${label}`);
          assert.equal(
            await cell('both-failed'),
            keys.filter((k) => !ok(a, k) && !ok(b, k)).length,
            `both of ${label}`,
          );
        }
        // A click on a count posts the side panel's filters; the panel's count for them is the table's.
        for (const kind of ['n', 'a-correct', 'b-correct', 'fixed', 'broken', 'both-failed']) {
          const target = rows.nth(1).locator(`td.${kind} button`);
          const shown = Number((await target.innerText()).replace(/,/g, ''));
          from = d.received.length;
          await target.click();
          const posted = await d.waitFor<Extract<DashboardToHost, { type: 'showFailures' }>>(
            (m) => m.type === 'showFailures',
            from,
          );
          assert.equal(f.index.query({ ...posted.filters, limit: 0 }).total, shown, `${kind}: the side panel's count`);
        }
      } finally {
        await d.close();
      }
    });
  });
}

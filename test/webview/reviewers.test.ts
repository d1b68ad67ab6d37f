// The dashboard's agreement between reviewers: two seeded annotations files compared as the host does it
// (core/reviewers.ts), drawn; every kappa and count on the page is checked against a direct computation
// here (observed and chance agreement counted pair by pair), not the product's; a disagreement posts its key,
// "Show all in the side panel" posts every openable key; text from the files stays text.
import * as assert from 'node:assert/strict';
import type { Annotations } from '../../src/core/annotations/format';
import { emptyAnnotations, serializeAnnotations } from '../../src/core/annotations/format';
import { compareReviewers } from '../../src/core/reviewers';
import type { DashboardToHost } from '../../src/protocol/dashboard';
import { parseDashboardMessage } from '../../src/protocol/dashboardValidate';
import { prng } from '../support/fixtures';
import { openDashboard } from './dashboard.test';

const TAGS = ['direction-reversal', 'missed-motion', 'judge-error', '<img src=x onerror=window.__xss=1>'];

function reviewers(seed: number): { a: Annotations; b: Annotations } {
  const rnd = prng(seed);
  const a = emptyAnnotations();
  const b = emptyAnnotations();
  for (let i = 0; i < 120; i++) {
    const key = `real/cot/m_8frame/validation_${i}`;
    const tagsA = TAGS.filter(() => rnd() < 0.3);
    const tagsB = TAGS.filter((t) => (rnd() < 0.75 ? tagsA.includes(t) : rnd() < 0.3));
    const verdict = (x: number) => (x < 0.2 ? 'correct' : x < 0.4 ? 'wrong' : undefined);
    const va = verdict(rnd());
    const vb = rnd() < 0.7 ? va : verdict(rnd());
    const note = rnd() < 0.5 ? 'n' : '';
    if (rnd() > 0.1 || !tagsA.length)
      a.predictions[key] = { tags: tagsA, note: note || 'a', updated: '', ...(va ? { verdict: va } : {}) };
    if (rnd() > 0.1) b.predictions[key] = { tags: tagsB, note: 'b', updated: '', ...(vb ? { verdict: vb } : {}) };
  }
  return { a, b };
}

/** Kappa from its definition over paired labels; null when chance agreement is 1. */
function directKappa(pairs: [string, string][]): number | null {
  const n = pairs.length;
  const po = pairs.filter(([x, y]) => x === y).length / n;
  const cats = [...new Set(pairs.flat())];
  let pe = 0;
  for (const c of cats)
    pe += (pairs.filter(([x]) => x === c).length / n) * (pairs.filter(([, y]) => y === c).length / n);
  return pe === 1 ? null : (po - pe) / (1 - pe);
}
const k3 = (k: number | null) => (k === null ? '–' : k.toFixed(3));

export function registerReviewerTests(): void {
  describe('accuracy dashboard: agreement between reviewers', function () {
    it('shows kappa and counts per tag and for verdicts as a direct count gives them; rows open their key', async () => {
      const { a, b } = reviewers(23);
      const check = compareReviewers(a, serializeAnnotations(b));
      assert.ok(check.ok);
      const result = check.result;
      const missingKey = result.disagreements[1]?.key as string;
      const d = await openDashboard();
      try {
        await d.send({
          type: 'reviewers',
          comparison: {
            fileA: '/ws/.vlm4d/annotations.json',
            fileB: '/tmp/<b>other</b>.json',
            result,
            missing: [missingKey],
          },
        });
        await d.page.locator('#reviewers-table').waitFor({ state: 'visible', timeout: 5_000 });
        // Direct: the keys both annotated, and per tag / for verdicts the paired answers.
        const both = Object.keys(a.predictions).filter((k) => k in b.predictions);
        const tagsOn = (x: Annotations, k: string) => x.predictions[k]?.tags ?? [];
        const used = [...new Set(both.flatMap((k) => [...tagsOn(a, k), ...tagsOn(b, k)]))].sort();
        assert.ok(used.length >= 3, 'several tags in use');
        const shown = await d.page.$$eval('#reviewers-table tbody tr', (trs) =>
          trs.map((tr) => [...tr.querySelectorAll('th, td')].map((c) => c.textContent ?? '')),
        );
        const expected = used.map((tag) => {
          const pairs = both.map((k) => [String(tagsOn(a, k).includes(tag)), String(tagsOn(b, k).includes(tag))]) as [
            string,
            string,
          ][];
          const n = (x: string, y: string) => String(pairs.filter(([p, q]) => p === x && q === y).length);
          return [
            tag,
            k3(directKappa(pairs)),
            n('true', 'true'),
            n('true', 'false'),
            n('false', 'true'),
            n('false', 'false'),
          ];
        });
        const verdictPairs = both.map((k) => [
          a.predictions[k]?.verdict ?? 'none',
          b.predictions[k]?.verdict ?? 'none',
        ]) as [string, string][];
        const same = verdictPairs.filter(([x, y]) => x === y).length;
        assert.deepEqual(shown, [
          ...expected,
          ['Verdict overrides', k3(directKappa(verdictPairs)), `same verdict (or none) on ${same} of ${both.length}`],
        ]);
        assert.match(
          (await d.page.locator('#reviewers-n').textContent()) ?? '',
          new RegExp(`^${both.length} predictions`),
        );
        // Where they differ: every key both annotated whose tags or verdicts are not the same.
        const differ = both
          .filter((k) => {
            const ta = [...tagsOn(a, k)].sort().join();
            const tb = [...tagsOn(b, k)].sort().join();
            return ta !== tb || a.predictions[k]?.verdict !== b.predictions[k]?.verdict;
          })
          .sort();
        assert.deepEqual(
          await d.page.$$eval('#reviewers-list li', (lis) => lis.map((li) => (li as HTMLElement).dataset.key)),
          differ,
        );
        assert.equal(await d.page.locator(`#reviewers-list li[data-key="${missingKey}"] button`).count(), 0);
        // Text from the files is text.
        assert.equal(await d.page.evaluate(() => (window as unknown as { __xss?: number }).__xss), undefined);
        assert.match((await d.page.locator('#reviewers-files').textContent()) ?? '', /<b>other<\/b>\.json/);

        const target = differ.find((k) => k !== missingKey) as string;
        let at = d.received.length;
        await d.page.locator(`#reviewers-list li[data-key="${target}"] button.disagreement`).click();
        const open = await d.waitFor<Extract<DashboardToHost, { type: 'openKey' }>>((m) => m.type === 'openKey', at);
        assert.equal(open.key, target);
        at = d.received.length;
        await d.page.locator('#reviewers-show-all').click();
        const all = await d.waitFor<Extract<DashboardToHost, { type: 'showFailures' }>>(
          (m) => m.type === 'showFailures',
          at,
        );
        assert.deepEqual(all.filters, { keys: differ.filter((k) => k !== missingKey) });
      } finally {
        await d.close();
      }
    });

    it('the host takes an openKey only with a short key', () => {
      assert.deepEqual(parseDashboardMessage({ type: 'openKey', key: 'real/cot/m/q', x: 1 }), {
        type: 'openKey',
        key: 'real/cot/m/q',
      });
      assert.equal(parseDashboardMessage({ type: 'openKey', key: '' }), null);
      assert.equal(parseDashboardMessage({ type: 'openKey', key: 'k'.repeat(1001) }), null);
      assert.equal(parseDashboardMessage({ type: 'openKey', key: 3 }), null);
    });
  });
}

// Failure-mode suggestions in the views: the side panel's Suggested filter (its counts, the detectors still
// reading, the detectors chosen posted with the query and kept across a reload) and the detail view's open
// suggestions (drawn with their evidence as text, `a` / `x` and the buttons posting the decision for the
// prediction drawn, and nothing for a prediction being replaced).
import * as assert from 'node:assert/strict';
import type { FailureQuery, QueryResult } from '../../src/core/index/query';
import { DETECTORS } from '../../src/core/failureModes';
import type { DetailSuggestion, DetailToHost } from '../../src/protocol/detailView';
import type { HostToDashboard } from '../../src/protocol/dashboard';
import { parseDetailMessage } from '../../src/protocol/detailValidate';
import { parseFilters } from '../../src/protocol/failuresValidate';
import type { ViewToHost } from '../../src/protocol/failuresView';
import { SyntheticSource } from './data';
import type { QueryMessage } from './fakeHost';
import { openPanel, until } from './harness';
import { data, openDetail } from './detail.test';
import * as path from 'node:path';
import type { DashboardToHost } from '../../src/protocol/dashboard';
import { dashboardFixture } from '../support/dashboardFixture';
import { dataMessage, openDashboard } from './dashboard.test';
import { env } from './harness';

const isQuery = (m: ViewToHost): m is QueryMessage => m.type === 'query';

/** Per-detector counts a host would send, different for each so a count cannot land beside the wrong chip. */
const COUNTS: Record<string, number> = Object.fromEntries(DETECTORS.map((d, i) => [d, 1000 * (i + 1) + i]));

class SuggestedSource extends SyntheticSource {
  pending = 2500;
  override query(q: FailureQuery): QueryResult {
    return { ...super.query(q), suggestions: { counts: COUNTS, pending: this.pending } };
  }
}

const EVIDENCE = 'chose <img src=x onerror="window.__xss=1"> left, the truth is <b>right</b>';
const SUGGESTIONS: DetailSuggestion[] = [
  { detector: 'direction-reversal', tag: 'direction-reversal', evidence: EVIDENCE },
  { detector: 'reasoning-contradicts-answer', tag: 'reasoning-contradicts-answer', evidence: 'concludes B, answers A' },
];

export function registerSuggestionTests(): void {
  describe('failures panel: the Suggested filter', function () {
    it('shows each detector with its count and the detectors still reading, posts the detectors chosen and keeps them', async () => {
      const source = new SuggestedSource(300, { outcomeOf: () => 'failed' });
      const p = await openPanel(source);
      try {
        await until(p.page, () => !!document.querySelector('#filter-suggested .chip .chip-count')?.textContent);
        const shown = await p.page.$$eval('#filter-suggested .chip', (chips) =>
          chips.map((c) => [(c as HTMLElement).dataset.value, c.querySelector('.chip-count')?.textContent ?? '']),
        );
        assert.deepEqual(
          shown.map(([d]) => d),
          [...DETECTORS],
        );
        for (const [d, text] of shown)
          assert.equal(text, (COUNTS[d as string] ?? -1).toLocaleString('en-US'), `count beside ${d}`);
        assert.equal(await p.page.locator('#suggested-progress').textContent(), '2,500 still being read');
        const from = p.host.mark();
        await p.page.locator('#filter-suggested .chip[data-value="missed-motion"]').click();
        await p.page.locator('#filter-suggested .chip[data-value="counting-error"]').click();
        const q = await p.host.waitFor<QueryMessage>(
          (m) => isQuery(m) && (m.query.suggested?.length ?? 0) === 2,
          from,
          5_000,
          'a query with two detectors',
        );
        assert.deepEqual(q.query.suggested, ['missed-motion', 'counting-error']);
        // Combined with the other filters: the outcome stays in the same query.
        assert.deepEqual(q.query.outcome, ['failed']);
        // The detectors finished: no progress line.
        source.pending = 0;
        await p.page.locator('#filter-suggested .chip[data-value="counting-error"]').click();
        await until(p.page, () => (document.querySelector('#suggested-progress') as HTMLElement).hidden);
        // Kept like the other filters: after a reload the chosen detector is still on and queried.
        const before = p.host.mark();
        await p.reload();
        const again = await p.host.waitFor<QueryMessage>((m) => isQuery(m), before, 5_000, 'the first query');
        assert.deepEqual(again.query.suggested, ['missed-motion']);
        await until(
          p.page,
          () =>
            document
              .querySelector('#filter-suggested .chip[data-value="missed-motion"]')
              ?.getAttribute('aria-pressed') === 'true',
        );
        await p.assertClean();
      } finally {
        await p.close();
      }
    });

    it('the host refuses a query with an unknown detector', () => {
      assert.equal(parseFilters({ suggested: ['no-such-detector'] }), null);
      assert.deepEqual(parseFilters({ suggested: ['missed-motion'] }), { suggested: ['missed-motion'] });
    });
  });

  describe('detail view: suggestions', function () {
    it('draws the open suggestions with their evidence as text; a and x decide the first for the prediction drawn', async () => {
      const d = await openDetail();
      try {
        const shown = data();
        shown.annotation.suggestions = SUGGESTIONS;
        await d.send({ type: 'show', data: shown });
        await d.page.locator('#suggestions .suggestion').first().waitFor();
        const rows = await d.page.$$eval('#suggestions .suggestion', (rs) =>
          rs.map((r) => ({
            detector: (r as HTMLElement).dataset.detector,
            tag: r.querySelector('.suggestion-tag')?.textContent,
            evidence: r.querySelector('.suggestion-evidence')?.textContent,
            markup: r.querySelectorAll('.suggestion-evidence *').length,
          })),
        );
        assert.deepEqual(
          rows,
          SUGGESTIONS.map((s) => ({ detector: s.detector, tag: s.tag, evidence: s.evidence, markup: 0 })),
        );
        assert.equal(await d.page.evaluate(() => (window as unknown as { __xss?: number }).__xss), undefined);
        // Suggestions are not tags: the tag button of the suggested tag is not pressed.
        assert.equal(
          await d.page.locator('#tags .tag[data-tag="rotation-sense-reversed"]').getAttribute('aria-pressed'),
          'false',
        );
        let from = d.received.length;
        await d.page.locator('body').press('a');
        assert.deepEqual(await d.waitFor((m) => m.type === 'decideSuggestion', from), {
          type: 'decideSuggestion',
          id: shown.prediction.id,
          detector: 'direction-reversal',
          accept: true,
        });
        from = d.received.length;
        await d.page.locator('body').press('x');
        assert.deepEqual(await d.waitFor((m) => m.type === 'decideSuggestion', from), {
          type: 'decideSuggestion',
          id: shown.prediction.id,
          detector: 'direction-reversal',
          accept: false,
        });
        // The buttons decide their own row.
        from = d.received.length;
        await d.page.locator('#suggestions .suggestion[data-detector="reasoning-contradicts-answer"] .accept').click();
        assert.deepEqual(await d.waitFor((m) => m.type === 'decideSuggestion', from), {
          type: 'decideSuggestion',
          id: shown.prediction.id,
          detector: 'reasoning-contradicts-answer',
          accept: true,
        });
        // Accepted: the host sends the annotations again without it; the view draws the rest.
        await d.send({
          type: 'annotation',
          id: shown.prediction.id,
          outcome: 'failed',
          annotation: { ...shown.annotation, tags: [...shown.annotation.tags], suggestions: SUGGESTIONS.slice(1) },
        });
        await until(d.page, () => document.querySelectorAll('#suggestions .suggestion').length === 1);
        // The list selected another prediction, not drawn yet: `a` must not decide for either.
        await d.send({ type: 'select', id: shown.prediction.id + 1 });
        const before = d.received.length;
        await d.page.locator('body').press('a');
        await d.page.locator('body').press('1');
        await d.waitFor((m) => m.type === 'toggleTag', before);
        assert.deepEqual(
          d.received.slice(before).filter((m) => m.type === 'decideSuggestion'),
          [],
          'no decision while another prediction is being drawn',
        );
        await d.clean();
      } finally {
        await d.close();
      }
    });

    it('the host refuses a decision for an unknown detector or without a verdict', () => {
      const ok: DetailToHost = { type: 'decideSuggestion', id: 3, detector: 'missed-motion', accept: false };
      assert.deepEqual(parseDetailMessage({ ...ok, extra: '<b>' }), ok);
      assert.equal(parseDetailMessage({ ...ok, detector: 'rm -rf' }), null);
      assert.equal(parseDetailMessage({ ...ok, accept: 'yes' }), null);
      assert.equal(parseDetailMessage({ ...ok, id: -1 }), null);
    });
  });

  describe('accuracy dashboard: where it fails most', function () {
    it("lists the worker's top slices, and a click lists exactly that slice's failures in the side panel", async () => {
      const f = await dashboardFixture(path.join(env.root, 'node_modules', 'sql.js', 'dist', 'sql-wasm.wasm'));
      const d = await openDashboard();
      try {
        const slices = f.index.slices({}, { top: 10 }).slices;
        assert.ok(slices.length >= 2, `the fixture has slices (${slices.length})`);
        const from = d.received.length;
        await d.send({ ...(dataMessage(f.index) as Extract<HostToDashboard, { type: 'data' }>), slices });
        await d.waitFor((m) => m.type === 'rendered', from);
        const rows = await d.page.$$eval('#fails-most tbody tr', (trs) =>
          trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)),
        );
        assert.deepEqual(
          rows.map((r) => [r[0], r[1], r[2]]),
          slices.map((s) => [
            Object.entries(s.where)
              .map(([k, v]) => `${k} = ${v}`)
              .join(', '),
            s.n.toLocaleString('en-US'),
            s.failed.toLocaleString('en-US'),
          ]),
        );
        // Every slice, frame sampling included, opens exactly its failures: the ones a brute-force pass over all
        // failed rows finds by the slice's fields (the answer labels are not row fields: counted only).
        assert.ok(
          slices.some((s) => 'samplingLabel' in s.where),
          'a slice with a sampling predicate',
        );
        const failedRows = f.index.query({ outcome: ['failed'], limit: 10_000 }).rows;
        for (let i = 0; i < slices.length; i++) {
          const s = slices[i] as (typeof slices)[number];
          const at = d.received.length;
          await d.page.locator('#fails-most .slice-link').nth(i).click();
          const m = await d.waitFor<Extract<DashboardToHost, { type: 'showFailures' }>>(
            (x) => x.type === 'showFailures',
            at,
          );
          const filters = parseFilters(m.filters);
          assert.ok(filters, 'the host accepts the slice filters');
          const listed = f.index.query({ ...filters, limit: 10_000 });
          assert.equal(listed.total, s.failed, `failures of ${JSON.stringify(s.where)}`);
          if (Object.keys(s.where).some((k) => k === 'truthLabel' || k === 'chosenLabel')) continue;
          const expected = failedRows
            .filter((r) => Object.entries(s.where).every(([k, v]) => String(r[k as keyof typeof r]) === v))
            .map((r) => r.key)
            .sort();
          assert.deepEqual(listed.rows.map((r) => r.key).sort(), expected, `rows of ${JSON.stringify(s.where)}`);
        }
        await d.clean();
      } finally {
        await d.close();
        f.index.close();
      }
    });
  });
}

// The accuracy dashboard's numbers (src/core/dashboard/): every aggregate against a brute-force count made
// here from the index's own rows (its query API: SQL, not the dashboard's columns), over a fixture with judged
// runs in both prompt modes, runs in one split only, rule-graded raw outputs, a raw copy of a judged run (which
// must not count), verdict overrides, prediction and question tags, and a labels file. Every bar and cell is
// also checked the way the side panel will count it: its filters, queried, give its number.
import * as assert from 'node:assert/strict';
import * as path from 'path';
import { accuracyTables, pythonRound2 } from '../../src/core/accuracyTable';
import { answerLabel, answerLabelOfChoice } from '../../src/core/answerLabels';
import type { Agreement, DashboardFilters, Series } from '../../src/core/dashboard/aggregate';
import {
  BREAKDOWNS,
  agreement,
  barFilters,
  confusion,
  confusionFilters,
  confusionScopes,
  cotVsDirect,
  cotVsDirectFilters,
  paperTables,
  promptModes,
  sliceAccuracy,
  tagCounts,
  tagFilters,
  toCsv,
} from '../../src/core/dashboard/aggregate';
import type { DashboardData } from '../../src/core/dashboard/data';
import { DASHBOARD_LABELS } from '../../src/core/dashboard/data';
import type { PredictionRow } from '../../src/core/index/query';
import { ResultIndex } from '../../src/core/index/resultIndex';
import { parseDashboardMessage } from '../../src/protocol/dashboardValidate';
import { loadSqlJs } from '../../src/core/index/sqlite';
import type { MotionType, PromptMode } from '../../src/core/model';
import { MOTION_TYPES, PERSPECTIVES } from '../../src/core/model';
import type { DashboardFixture } from '../support/dashboardFixture';
import { annotate, dashboardFixture } from '../support/dashboardFixture';
import type { FixtureJudged } from '../support/fixtures';
import { makeResultsFolder } from '../support/fixtures';

/** Every graded prediction as the side panel lists it (the raw copy of a judged run is graded by nobody). */
function gradedRows(index: ResultIndex): PredictionRow[] {
  return index.query({ limit: 10_000 }).rows.filter((r) => r.grader !== 'none');
}

const seriesKey = (r: Pick<PredictionRow, 'grader' | 'model'>) => `${r.grader}:${r.model}`;
const total = (index: ResultIndex, f: DashboardFilters) => index.query({ ...f, limit: 0 }).total;

describe('dashboard data', () => {
  let f: DashboardFixture;
  let data: DashboardData;
  before(async () => {
    f = await dashboardFixture();
    annotate(f);
    data = f.index.dashboardData();
  });
  after(() => f.index.close());

  it('holds every graded prediction once, with its run, question, verdict in force and chosen label', () => {
    const rows = gradedRows(f.index);
    assert.equal(data.predictions.id.length, rows.length);
    const byId = new Map(rows.map((r) => [r.id, r]));
    for (let i = 0; i < data.predictions.id.length; i++) {
      const r = byId.get(data.predictions.id[i] as number);
      assert.ok(r, 'a graded prediction');
      const run = data.runs[data.predictions.run[i] as number];
      const q = data.questions[data.predictions.question[i] as number];
      assert.equal(run?.model, r.model);
      assert.equal(run?.promptMode, r.promptMode);
      assert.equal(run?.grader, r.grader);
      assert.equal(q?.qid, r.qid);
      assert.equal(q?.motion, r.motion);
      assert.equal(q?.perspective, r.perspective);
      assert.equal(['failed', 'correct', 'ungraded'][data.predictions.outcome[i] as number], r.outcome);
      const detail = f.index.prediction(r.id);
      assert.ok(detail);
      assert.equal(
        DASHBOARD_LABELS[data.predictions.chosen[i] as number],
        answerLabelOfChoice(detail.choices, r.chosen, detail.groundTruth),
      );
      assert.equal(
        DASHBOARD_LABELS[q?.truth as number],
        answerLabel(detail.choices[r.groundTruthLetter ?? 'A'] ?? r.groundTruth),
      );
    }
    // The labels file reached the data.
    assert.equal(data.questions.find((q) => q.split === 'real' && q.qid === 'validation_2')?.motion, 'rotational');
    // The raw copy of alpha's judged run is listed, counts nothing, and is marked as graded by nobody.
    const copy = data.runs.find((r) => r.stage === 'raw' && r.model === 'alpha-vl');
    assert.equal(copy?.grader, 'none');
    assert.equal(copy?.predictions, 0);
    assert.equal(
      data.runs.filter((r) => r.model === 'delta').every((r) => r.grader === 'rule'),
      true,
    );
    assert.equal(data.overridden, 3);
    assert.deepEqual(promptModes(data), ['cot', 'direct-output']);
  });

  it('accuracy per slice equals a brute-force count for every prompt mode and breakdown, and each bar opens exactly its failures', () => {
    const rows = gradedRows(f.index);
    for (const mode of ['cot', 'direct-output'] as PromptMode[]) {
      for (const b of BREAKDOWNS) {
        const chart = sliceAccuracy(data, mode, b.id);
        const inMode = rows.filter((r) => r.promptMode === mode);
        const sliceOf = (r: PredictionRow) => b.dims.map((d) => r[d]).join(' · ');
        // Slices: every combination that occurs, with its distinct questions.
        const want = new Map<string, Set<string>>();
        for (const r of inMode) {
          const s = want.get(sliceOf(r)) ?? new Set();
          s.add(`${r.split}/${r.qid}`);
          want.set(sliceOf(r), s);
        }
        assert.deepEqual(new Set(chart.slices.map((s) => s.label)), new Set(want.keys()), `${mode} ${b.id}: slices`);
        for (const s of chart.slices)
          assert.equal(s.questions, want.get(s.label)?.size, `${mode} ${b.id} ${s.label}: questions`);
        assert.deepEqual(
          chart.series.map((s) => s.key).sort(),
          [...new Set(inMode.map(seriesKey))].sort(),
          `${mode}: series`,
        );
        chart.series.forEach((s, si) =>
          chart.slices.forEach((sl, x) => {
            const mine = inMode.filter((r) => seriesKey(r) === s.key && sliceOf(r) === sl.label);
            const cell = chart.cells[si]?.[x];
            assert.deepEqual(
              cell,
              {
                correct: mine.filter((r) => r.outcome === 'correct').length,
                failed: mine.filter((r) => r.outcome === 'failed').length,
                ungraded: mine.filter((r) => r.outcome === 'ungraded').length,
              },
              `${mode} ${b.id} ${s.key} ${sl.label}`,
            );
            assert.equal(
              total(f.index, barFilters(chart, si, x) as DashboardFilters),
              cell?.failed,
              `${mode} ${b.id} ${s.key} ${sl.label}: the side panel's count`,
            );
          }),
        );
      }
    }
    // Rule-graded series are marked, never merged into the judged ones.
    const cot = sliceAccuracy(data, 'cot', 'split');
    assert.ok(cot.series.some((s) => s.key === 'rule:delta' && s.label === 'delta (rule-graded)'));
    assert.ok(!cot.series.some((s) => s.key === 'judge:delta'));
  });

  it('answer confusion counts exactly the failures of each cell, per perspective, for every scope and motion type', () => {
    const rows = gradedRows(f.index).filter((r) => r.outcome === 'failed');
    const labels = new Map(
      rows.map((r) => {
        const d = f.index.prediction(r.id);
        assert.ok(d);
        return [
          r.id,
          { truth: answerLabel(d.groundTruth), chosen: answerLabelOfChoice(d.choices, d.chosen, d.groundTruth) },
        ];
      }),
    );
    let cells = 0;
    for (const mode of ['cot', 'direct-output'] as PromptMode[]) {
      const scopes = confusionScopes(data, mode);
      assert.ok(
        scopes.some((s) => s.scope.kind === 'all' && s.scope.grader === 'rule' && s.label.endsWith('(rule-graded)')),
        'rule-graded models are their own scope',
      );
      for (const { scope } of scopes) {
        const inScope = rows.filter(
          (r) =>
            r.promptMode === mode && (scope.kind === 'all' ? r.grader === scope.grader : seriesKey(r) === scope.key),
        );
        for (const motion of MOTION_TYPES as MotionType[]) {
          const c = confusion(data, mode, scope, motion);
          for (const perspective of PERSPECTIVES) {
            const mine = inScope.filter((r) => r.motion === motion && r.perspective === perspective);
            const m = c.matrices.find((x) => x.perspective === perspective);
            if (!mine.length) {
              assert.equal(m, undefined);
              continue;
            }
            assert.ok(m, `${mode} ${motion} ${perspective}`);
            assert.equal(m.total, mine.length);
            // Every brute-force pair is a cell with its count; the counts add up, so nothing else is.
            const want = new Map<string, number>();
            for (const r of mine) {
              const l = labels.get(r.id) as { truth: string; chosen: string };
              want.set(`${l.truth}\0${l.chosen}`, (want.get(`${l.truth}\0${l.chosen}`) ?? 0) + 1);
            }
            m.truth.forEach((t, ti) =>
              m.chosen.forEach((ch, ci) => {
                const n = m.counts[ti]?.[ci] ?? 0;
                assert.equal(n, want.get(`${DASHBOARD_LABELS[t]}\0${DASHBOARD_LABELS[ch]}`) ?? 0);
                if (!n) return;
                cells++;
                // What the integration test checks in the real side panel: the cell's filters give its number.
                const filters = confusionFilters(data, c, perspective, t, ch);
                assert.deepEqual(filters.outcome, ['failed']);
                assert.equal(
                  total(f.index, filters),
                  n,
                  `${mode} ${motion} ${perspective} ${DASHBOARD_LABELS[t]}→${DASHBOARD_LABELS[ch]}`,
                );
              }),
            );
          }
        }
      }
    }
    assert.ok(cells > 20, `enough cells were checked (${cells})`);
  });

  it('agreement across models equals a brute-force count of the models failing each question', () => {
    for (const mode of ['cot', 'direct-output'] as PromptMode[]) {
      const a: Agreement = agreement(data, mode);
      const rows = gradedRows(f.index).filter((r) => r.promptMode === mode && r.outcome !== 'ungraded');
      const series = [...new Set(rows.map(seriesKey))];
      assert.deepEqual(a.series.map((s) => s.key).sort(), series.sort());
      const byQuestion = new Map<string, { answered: Set<string>; failed: Set<string> }>();
      for (const r of rows) {
        const k = `${r.split}/${r.qid}`;
        const e = byQuestion.get(k) ?? { answered: new Set(), failed: new Set() };
        e.answered.add(seriesKey(r));
        if (r.outcome === 'failed') e.failed.add(seriesKey(r));
        byQuestion.set(k, e);
      }
      const histogram = new Array(series.length + 1).fill(0);
      for (const e of byQuestion.values()) histogram[e.failed.size]++;
      assert.deepEqual(a.histogram, histogram, mode);
      const name = (e: Agreement['allFail'][number]) =>
        `${data.questions[e.question]?.split}/${data.questions[e.question]?.qid}`;
      const minAnswered = Math.min(2, series.length);
      const allFail = [...byQuestion]
        .filter(([, e]) => e.failed.size === e.answered.size && e.answered.size >= minAnswered)
        .map(([k]) => k);
      const oneFails = [...byQuestion].filter(([, e]) => e.failed.size === 1 && e.answered.size >= 2);
      assert.deepEqual(a.allFail.map(name).sort(), allFail.sort(), `${mode}: every model fails`);
      assert.deepEqual(a.oneFails.map(name).sort(), oneFails.map(([k]) => k).sort(), `${mode}: one model fails`);
      // Each entry opens a failed prediction of the model named.
      for (const e of [...a.allFail, ...a.oneFails]) {
        for (const fl of e.failing) {
          const row = f.index.query({ limit: 10_000 }).rows.find((r) => r.id === fl.prediction);
          assert.equal(row?.outcome, 'failed');
          assert.equal(row && seriesKey(row), (a.series[fl.series] as Series).key);
          assert.equal(`${row?.split}/${row?.qid}`, name(e));
        }
      }
      for (const [k, e] of oneFails)
        assert.equal(
          a.oneFails.find((x) => name(x) === k)?.failing.map((x) => a.series[x.series]?.key)[0],
          [...e.failed][0],
        );
    }
  });

  it('chain of thought vs direct output pairs the models with both, per slice; absent with a reason otherwise', async () => {
    for (const b of BREAKDOWNS) {
      const c = cotVsDirect(data, b.id);
      assert.ok(!('reason' in c));
      const rows = gradedRows(f.index);
      const keys = (m: PromptMode) => new Set(rows.filter((r) => r.promptMode === m).map(seriesKey));
      const both = [...keys('cot')].filter((k) => keys('direct-output').has(k)).sort();
      assert.deepEqual(c.pairs.map((p) => p.key).sort(), both);
      assert.ok(both.includes('rule:delta') && both.includes('judge:alpha-vl') && both.includes('judge:beta-vl'));
      assert.equal(c.slices[0]?.label, 'all');
      c.pairs.forEach((p, pi) =>
        c.slices.forEach((s, si) => {
          for (const [mode, cells] of [
            ['cot', c.cot],
            ['direct-output', c.direct],
          ] as const) {
            const mine = rows.filter(
              (r) =>
                r.promptMode === mode &&
                seriesKey(r) === p.key &&
                (si === 0 || b.dims.map((d) => r[d]).join(' · ') === s.label),
            );
            const cell = cells[pi]?.[si];
            assert.deepEqual(cell, {
              correct: mine.filter((r) => r.outcome === 'correct').length,
              failed: mine.filter((r) => r.outcome === 'failed').length,
              ungraded: mine.filter((r) => r.outcome === 'ungraded').length,
            });
            assert.equal(total(f.index, cotVsDirectFilters(c, pi, mode, si) as DashboardFilters), cell?.failed);
          }
        }),
      );
    }
    const only = makeResultsFolder();
    const index = new ResultIndex(await loadSqlJs());
    index.setRoots([only.dir]);
    await index.sync();
    const c = cotVsDirect(index.dashboardData(), 'perspective');
    assert.ok('reason' in c && /only chain-of-thought/.test(c.reason));
    assert.equal(tagCounts(index.dashboardData(), 'cot', 'perspective'), null, 'no tags, no tag chart');
    index.close();
  });

  it('tag counts equal a brute-force count per tag, model and slice, and each opens exactly its predictions', () => {
    for (const mode of ['cot', 'direct-output'] as PromptMode[]) {
      for (const b of [BREAKDOWNS[0], BREAKDOWNS[4]]) {
        const t = tagCounts(data, mode, b?.id as string);
        assert.ok(t);
        const tags = [
          ...new Set(
            gradedRows(f.index)
              .filter((r) => r.promptMode === mode)
              .flatMap((r) => [...(r.annotation?.tags ?? []), ...(r.annotation?.questionTags ?? [])]),
          ),
        ].sort();
        assert.deepEqual(t.tags, tags);
        t.tags.forEach((tag, ti) => {
          t.series.forEach((s, si) => {
            t.slices.forEach((sl, x) => {
              const want = gradedRows(f.index).filter(
                (r) =>
                  r.promptMode === mode &&
                  seriesKey(r) === s.key &&
                  (b?.dims ?? []).map((d) => r[d]).join(' · ') === sl.label &&
                  [...(r.annotation?.tags ?? []), ...(r.annotation?.questionTags ?? [])].includes(tag),
              ).length;
              assert.equal(t.counts[ti]?.[si]?.[x], want, `${mode} ${tag} ${s.key} ${sl.label}`);
              assert.equal(total(f.index, tagFilters(t, ti, si, x) as DashboardFilters), want);
            });
            const all = (t.counts[ti]?.[si] ?? []).reduce((a, n) => a + n, 0);
            assert.equal(total(f.index, tagFilters(t, ti, si, null) as DashboardFilters), all);
          });
        });
      }
    }
    // The question's tag reaches every prediction of that question.
    const t = tagCounts(data, 'cot', 'split') as NonNullable<ReturnType<typeof tagCounts>>;
    const ti = t.tags.indexOf('ambiguous-question');
    const n = t.counts[ti]?.reduce((a, row) => a + row.reduce((x, y) => x + y, 0), 0);
    assert.equal(
      n,
      gradedRows(f.index).filter((r) => r.promptMode === 'cot' && r.split === 'real' && r.qid === 'validation_3')
        .length,
    );
  });

  it('the paper’s tables: the CLI’s rows, plus one-split rows computed by the authors’ rules, with the judges’ verdicts or the ones in force', () => {
    const judgeTables = paperTables(accuracyTables(f.index, { verdict: 'judge' }), data.singleSplit.judge);
    const cot = judgeTables.find((t) => t.promptMode === 'cot' && t.grader === 'judge');
    assert.ok(cot);
    assert.deepEqual(
      cot.rows.map((r) => r.file),
      ['alpha-vl_8frame.json', 'beta-vl_1fps.json', 'gamma_32frame.json'],
    );
    assert.deepEqual(
      cot.single.map((s) => [s.row.file, s.split]),
      [['solo_4frame.json', 'synthetic']],
    );
    const direct = judgeTables.find((t) => t.promptMode === 'direct-output' && t.grader === 'judge');
    assert.deepEqual(
      direct?.rows.map((r) => r.file),
      ['alpha-vl_8frame.json'],
    );
    assert.deepEqual(
      direct?.single.map((s) => [s.row.file, s.split]),
      [['beta-vl_1fps.json', 'real']],
    );
    // Raw outputs: rule-graded tables of their own (delta is in the real split only).
    const rule = judgeTables.filter((t) => t.grader === 'rule');
    assert.deepEqual(
      rule.map((t) => [t.promptMode, t.rows.length, t.single.map((s) => s.row.file)]),
      [
        ['cot', 0, ['delta_16frame.json']],
        ['direct-output', 0, ['delta_16frame.json']],
      ],
    );
    assert.ok(
      judgeTables.findIndex((t) => t.grader === 'rule') > judgeTables.findIndex((t) => t.grader === 'judge'),
      'judged tables first',
    );

    // The one-split rows by the authors' rules, from the fixture's records (judge's verdicts).
    const pct = (xs: { correct: boolean }[]) =>
      xs.length ? pythonRound2((xs.filter((x) => x.correct).length / xs.length) * 100) : null;
    const solo = f.judged.get(
      path.join(f.dir, 'processed_outputs', 'synthetic_mc_cot', 'solo_4frame.json'),
    ) as FixtureJudged[];
    const isFp = (x: FixtureJudged) => /^no( |$)/.test(String(x.ground_truth_answer).trim().toLowerCase());
    const soloRow = cot.single[0]?.row;
    assert.deepEqual(
      [
        soloRow?.realEgo,
        soloRow?.realExo,
        soloRow?.realOverall,
        soloRow?.synthDirectional,
        soloRow?.synthFalsePositive,
        soloRow?.synthOverall,
        soloRow?.overall,
      ],
      [null, null, null, pct(solo.filter((x) => !isFp(x))), pct(solo.filter(isFp)), pct(solo), null],
    );
    const beta = f.judged.get(
      path.join(f.dir, 'processed_outputs', 'real_mc_direct-output', 'beta-vl_1fps.json'),
    ) as FixtureJudged[];
    const num = (x: FixtureJudged) => Number(x.id.split('_').pop());
    const betaRow = direct?.single[0]?.row;
    assert.deepEqual(
      [betaRow?.realEgo, betaRow?.realExo, betaRow?.realOverall, betaRow?.synthDirectional, betaRow?.overall],
      [pct(beta.filter((x) => num(x) > 922)), pct(beta.filter((x) => num(x) <= 922)), pct(beta), null, null],
    );
    // delta's rule-graded row: the rule's verdicts from the index rows; with its override, one more correct.
    const deltaRows = gradedRows(f.index).filter((r) => r.model === 'delta' && r.promptMode === 'cot');
    const ruleCorrect = deltaRows.filter((r) =>
      r.annotation?.verdict ? r.annotation.verdict === 'wrong' : r.outcome === 'correct',
    ).length;
    const judgeDelta = rule[0]?.single[0]?.row;
    assert.equal(judgeDelta?.realOverall, pythonRound2((ruleCorrect / deltaRows.length) * 100));
    const effective = paperTables(accuracyTables(f.index, { verdict: 'effective' }), data.singleSplit.effective);
    const effDelta = effective.find((t) => t.grader === 'rule' && t.promptMode === 'cot')?.single[0]?.row;
    assert.equal(
      effDelta?.realOverall,
      pythonRound2(((ruleCorrect + 1) / deltaRows.length) * 100),
      'the override counts with the verdicts in force',
    );
    // The effective paired table moved with the judged runs' overrides; the judges' did not.
    const effCot = effective.find((t) => t.promptMode === 'cot' && t.grader === 'judge');
    assert.notDeepEqual(
      effCot?.rows.map((r) => r.overall),
      cot.rows.map((r) => r.overall),
    );
  });

  it('re-reads verdict overrides and tags: the data follows the annotations', () => {
    const before = sliceAccuracy(data, 'cot', 'split');
    f.index.setAnnotations([]);
    const plain = f.index.dashboardData();
    assert.ok(plain.version > data.version);
    assert.equal(plain.overridden, 0);
    assert.equal(plain.tags.names.length, 0);
    const after = sliceAccuracy(plain, 'cot', 'split');
    const sum = (c: typeof before) => c.cells.flat().reduce((a, x) => a + x.correct, 0);
    // Overrides in cot: alpha failed→correct (+1), another model correct→failed (-1), delta failed→correct (+1).
    assert.equal(sum(before) - sum(after), 1);
    annotate(f);
    data = f.index.dashboardData();
  });

  it('writes CSV with quoting', () => {
    assert.equal(toCsv([['a', 'b,c', 'say "hi"', null, 3]]), 'a,"b,c","say ""hi""",,3\n');
  });
});

describe('dashboard messages, as the host checks them', () => {
  it('accepts what the page sends, rebuilt from known fields, and refuses anything else', () => {
    const filters = {
      outcome: ['failed'],
      motion: ['rotational'],
      perspective: ['egocentric'],
      grader: ['judge'],
      promptMode: ['cot'],
      truthLabel: ['clockwise'],
      chosenLabel: ['no answer'],
    };
    assert.deepEqual(parseDashboardMessage({ type: 'showFailures', filters, extra: 1 }), {
      type: 'showFailures',
      filters,
    });
    assert.deepEqual(parseDashboardMessage({ type: 'openPrediction', id: 7, version: 3 }), {
      type: 'openPrediction',
      id: 7,
      version: 3,
    });
    assert.deepEqual(
      parseDashboardMessage({ type: 'exportPng', name: 'slices-chart', dataUrl: 'data:image/png;base64,iVBORw0KGgo=' }),
      { type: 'exportPng', name: 'slices-chart', dataUrl: 'data:image/png;base64,iVBORw0KGgo=' },
    );
    assert.deepEqual(
      parseDashboardMessage({ type: 'exportCsv', name: 'confusion-cot-counting-egocentric', csv: 'a,b\n' }),
      { type: 'exportCsv', name: 'confusion-cot-counting-egocentric', csv: 'a,b\n' },
    );
    assert.deepEqual(parseDashboardMessage({ type: 'rendered', version: 0 }), { type: 'rendered', version: 0 });
    for (const bad of [
      null,
      'ready',
      { type: 'nope' },
      { type: 'showFailures', filters: { ...filters, truthLabel: ['sideways'] } },
      { type: 'showFailures', filters: { motion: 'rotational' } },
      { type: 'openPrediction', id: -1, version: 3 },
      { type: 'openPrediction', id: 1.5, version: 3 },
      { type: 'exportPng', name: '../../etc/passwd', dataUrl: 'data:image/png;base64,AAAA' },
      { type: 'exportPng', name: '.hidden', dataUrl: 'data:image/png;base64,AAAA' },
      { type: 'exportPng', name: 'x', dataUrl: 'data:text/html;base64,AAAA' },
      { type: 'exportPng', name: 'x', dataUrl: 'data:image/png;base64,<script>' },
      { type: 'exportCsv', name: 'a/b', csv: '' },
      { type: 'exportCsv', name: 'x', csv: 42 },
      { type: 'rendered', version: 'new' },
    ]) {
      assert.equal(parseDashboardMessage(bad), null, JSON.stringify(bad));
    }
  });
});

// The dashboard's lower sections: answer confusion, agreement across models, chain of thought vs direct
// output, and tags. Each draws into its box of the Dashboard (main.ts) from the data it holds.
import type { Agreement, CotVsDirect, Series, TagCounts } from '../../src/core/dashboard/aggregate';
import { unspecifiedPrompt, unspecifiedPromptNote } from '../../src/core/dashboard/unspecifiedPrompt';
import {
  accuracy,
  agreement,
  confusion,
  confusionFilters,
  confusionScopes,
  cotVsDirect,
  cotVsDirectFilters,
  scopeId,
  seriesOf,
  tagCounts,
  tagFilters,
} from '../../src/core/dashboard/aggregate';
import type { DashboardData } from '../../src/core/dashboard/data';
import { DASHBOARD_LABELS } from '../../src/core/dashboard/data';
import type { PromptMode } from '../../src/core/model';
import { MOTION_TYPES } from '../../src/core/model';
import { barChart, withAlpha } from './charts';
import { readableAlpha } from './colors';
import { formatCount, formatPercent } from '../shared/format';
import { valueName } from '../shared/names';
import { el } from '../shared/dom';
import { heading, linkButton, select } from './dom';
import type { Dashboard } from './main';
import { PROMPT_LABEL, RULE_NOTE } from './labels';

export function renderConfusion(ui: Dashboard): void {
  const d = ui.data as DashboardData;
  const mode = ui.state.promptMode as PromptMode;
  const scopes = confusionScopes(d, mode);
  const current = scopes.find((s) => scopeId(s.scope) === ui.state.scope) ?? scopes[0];
  ui.sectionHead(ui.confusionBox, 'confusion', 'Answer confusion');
  if (!current) {
    ui.confusionBox.append(el('p', { class: 'empty' }, 'No graded predictions in this prompt mode.'));
    return;
  }
  ui.state.scope = scopeId(current.scope);
  ui.confusionBox.append(
    el(
      'p',
      { class: 'note' },
      `${PROMPT_LABEL[mode]}: the failed predictions of each motion type, by the ground truth’s answer (rows) and the chosen answer (columns), options mapped to canonical labels. Each number opens exactly those failures in the side panel.`,
    ),
    el(
      'div',
      { class: 'controls' },
      select(
        'confusion-scope',
        'Models',
        scopes.map((s) => ({ value: scopeId(s.scope), label: s.label })),
        ui.state.scope,
        (v) => {
          ui.state.scope = v;
          ui.save();
          renderConfusion(ui);
        },
      ),
    ),
  );
  const scope = current.scope;
  const ruleGraded =
    scope.kind === 'all'
      ? scope.grader === 'rule'
      : seriesOf(d, mode).find((s) => s.key === scope.key)?.grader === 'rule';
  if (ruleGraded) ui.confusionBox.append(el('p', { class: 'note rule-graded' }, RULE_NOTE));
  for (const motion of MOTION_TYPES) {
    const c = confusion(d, mode, current.scope, motion);
    const part = el('div', { class: 'confusion-motion', 'data-motion': motion });
    part.append(heading(3, valueName(motion)));
    if (!c.matrices.length) {
      part.append(el('p', { class: 'empty' }, 'No failures.'));
      ui.confusionBox.append(part);
      continue;
    }
    const row = el('div', { class: 'matrices' });
    for (const mx of c.matrices) {
      const max = Math.max(1, ...mx.counts.flat());
      // The strongest heat under which the cell's number (in the text colour) stays readable in this theme
      // (4.6 for 4.5: the browser rounds the alpha to 1/255).
      const heat = readableAlpha(ui.theme.text, ui.theme.background, ui.theme.palette[4] as string, 0.67, 4.6);
      const table = el('table', { class: 'confusion', 'data-motion': motion, 'data-perspective': mx.perspective });
      const caption = el(
        'caption',
        {},
        `${mx.perspective} · ${formatCount(mx.total)} ${mx.total === 1 ? 'failure' : 'failures'} `,
      );
      const csvName = `confusion-${mode}-${motion}-${mx.perspective}`;
      caption.append(
        ui.csvButton(csvName, () => [
          ['truth \\ chosen', ...mx.chosen.map((l) => DASHBOARD_LABELS[l] as string)],
          ...mx.truth.map((t, ti) => [DASHBOARD_LABELS[t] as string, ...(mx.counts[ti] ?? [])]),
        ]),
      );
      table.append(caption);
      table.append(
        el(
          'thead',
          {},
          el(
            'tr',
            {},
            el('th', { scope: 'col', class: 'corner' }, 'truth ╲ chosen'),
            ...mx.chosen.map((l) => el('th', { scope: 'col' }, DASHBOARD_LABELS[l] as string)),
          ),
        ),
      );
      const body = el('tbody');
      mx.truth.forEach((t, ti) => {
        const tr = el('tr', {}, el('th', { scope: 'row' }, DASHBOARD_LABELS[t] as string));
        mx.chosen.forEach((ch, ci) => {
          const n = mx.counts[ti]?.[ci] ?? 0;
          const truth = DASHBOARD_LABELS[t] as string;
          const chosen = DASHBOARD_LABELS[ch] as string;
          const td = el('td', { 'data-truth': truth, 'data-chosen': chosen, 'data-count': String(n) });
          if (n) {
            // Heat through the CSSOM (the CSP allows it; an inline style attribute would not be).
            td.style.backgroundColor = withAlpha(ui.theme.palette[4] as string, heat * (0.18 + 0.82 * (n / max)));
            td.append(
              linkButton(formatCount(n), () => ui.showFailures(confusionFilters(d, c, mx.perspective, t, ch)), {
                class: 'cell',
                'data-truth': truth,
                'data-chosen': chosen,
                'data-count': String(n),
                'aria-label': `${n} ${mx.perspective} ${motion} failures: truth ${truth}, chosen ${chosen}; list them`,
              }),
            );
          }
          tr.append(td);
        });
        body.append(tr);
      });
      table.append(body);
      row.append(el('div', { class: 'table-scroll' }, table));
    }
    part.append(row);
    ui.confusionBox.append(part);
  }
}

// ---- agreement across models ---------------------------------------------------------------------

export function renderAgreement(ui: Dashboard): void {
  const d = ui.data as DashboardData;
  const a = agreement(d, ui.state.promptMode as PromptMode);
  ui.sectionHead(
    ui.agreementBox,
    'agreement',
    'Agreement across models',
    ui.pngButton('agreement-chart'),
    ui.csvButton(`agreement-${a.promptMode}`, () => [
      ['models failing', 'questions'],
      ...a.histogram.map((n, k) => [k, n]),
    ]),
  );
  ui.agreementBox.append(
    el(
      'p',
      { class: 'note' },
      `${PROMPT_LABEL[a.promptMode]}: how many of the ${a.series.length} models fail each question (a question counts once per model, whichever runs of it are loaded).`,
    ),
  );
  ui.ruleNote(a.series, ui.agreementBox);
  const host = el('div', { class: 'chart-scroll' });
  ui.agreementBox.append(host);
  const total = a.histogram.reduce((x, y) => x + y, 0);
  ui.charts.set(
    'agreement-chart',
    barChart(
      host,
      {
        id: 'agreement-chart',
        ariaLabel: `Questions by the number of models that fail them, of ${total} questions`,
        labels: a.histogram.map((_, k) => String(k)),
        datasets: [{ label: 'questions', data: a.histogram, color: 0 }],
        xTitle: `models failing the question (of ${a.series.length})`,
        yTitle: 'questions',
        tooltip: (_s, k) => [
          `${formatCount(a.histogram[k] ?? 0)} questions failed by ${k} of ${a.series.length} models`,
        ],
      },
      ui.theme,
    ),
  );
  ui.agreementBox.append(
    questionList(
      ui,
      'all-fail',
      `Failed by every model that answered them (${formatCount(a.allFail.length)})`,
      a,
      a.allFail,
      false,
    ),
    questionList(ui, 'one-fails', `Failed by one model only (${formatCount(a.oneFails.length)})`, a, a.oneFails, true),
  );
}

export function questionList(
  ui: Dashboard,
  id: string,
  title: string,
  a: Agreement,
  entries: Agreement['allFail'],
  withModel: boolean,
): HTMLElement {
  const d = ui.data as DashboardData;
  const box = el('div', { class: 'question-list' });
  const csv = () => [
    ['split', 'question id', 'question', 'models failing', 'models answering'],
    ...entries.map((e) => {
      const q = d.questions[e.question];
      return [
        q?.split ?? '',
        q?.qid ?? '',
        q?.text ?? '',
        e.failing.map((f) => a.series[f.series]?.label ?? '').join('; '),
        e.answered,
      ];
    }),
  ];
  box.append(
    el(
      'div',
      { class: 'section-head' },
      heading(3, title),
      el('span', { class: 'exports' }, ui.csvButton(`${id}-${a.promptMode}`, csv)),
    ),
  );
  if (!entries.length) {
    box.append(el('p', { class: 'empty' }, 'None.'));
    return box;
  }
  const list = el('ol', { id, class: 'questions' });
  for (const e of entries) {
    const q = d.questions[e.question];
    const first = e.failing[0];
    if (!q || !first) continue;
    const who = withModel ? ` — ${a.series[first.series]?.label ?? ''}` : '';
    const li = el('li');
    li.append(
      linkButton(
        `${q.split} ${q.qid}${who}`,
        () => ui.post({ type: 'openPrediction', id: first.prediction, version: d.version }),
        {
          'data-id': String(first.prediction),
          'aria-label': `Open ${q.split} ${q.qid}${who} in the detail view`,
        },
      ),
      el('span', { class: 'question-text' }, ` ${q.text}`),
    );
    list.append(li);
  }
  box.append(el('div', { class: 'list-scroll' }, list));
  return box;
}

// ---- chain of thought vs direct output -----------------------------------------------------------

/** Runs whose prompt mode is unspecified fit neither side of the comparison: said with their count. */
function appendUnspecifiedNote(ui: Dashboard, d: DashboardData): void {
  const u = unspecifiedPrompt(d);
  if (u) ui.cotBox.append(el('p', { class: 'note', id: 'cot-unspecified' }, unspecifiedPromptNote(u)));
}

export function renderCotDirect(ui: Dashboard): void {
  const d = ui.data as DashboardData;
  const c = cotVsDirect(d, ui.state.breakdown);
  if ('reason' in c) {
    ui.sectionHead(ui.cotBox, 'cot-direct', 'Chain of thought vs direct output');
    ui.cotBox.append(el('p', { class: 'empty reason' }, c.reason));
    appendUnspecifiedNote(ui, d);
    return;
  }
  const slice = Math.min(ui.state.cotSlice, c.slices.length - 1);
  ui.sectionHead(
    ui.cotBox,
    'cot-direct',
    'Chain of thought vs direct output',
    ui.pngButton('cot-direct-chart'),
    ui.csvButton('cot-vs-direct', () => cotCsv(c)),
  );
  ui.cotBox.append(
    el(
      'p',
      { class: 'note' },
      `Accuracy of each model with both prompt modes loaded, by ${c.breakdown.label.toLowerCase()}.`,
    ),
    el(
      'div',
      { class: 'controls' },
      select(
        'cot-slice',
        'Slice',
        c.slices.map((s, i) => ({ value: String(i), label: `${s.label} (n=${formatCount(s.questions)})` })),
        String(slice),
        (v) => {
          ui.state.cotSlice = Number(v);
          ui.save();
          ui.destroyCharts('cot-direct-chart');
          renderCotDirect(ui);
        },
      ),
    ),
  );
  ui.ruleNote(c.pairs, ui.cotBox);
  appendUnspecifiedNote(ui, d);
  const host = el('div', { class: 'chart-scroll' });
  ui.cotBox.append(host);
  const modes: PromptMode[] = ['cot', 'direct-output'];
  // The charted models (picker.ts) among the pairs, by their index in c.pairs.
  const charted = ui.charted();
  const shown = c.pairs.map((p, i) => (charted.has(p.key) ? i : -1)).filter((i) => i >= 0);
  const cells = (m: PromptMode) => shown.map((i) => (m === 'cot' ? c.cot : c.direct)[i] ?? []);
  ui.charts.set(
    'cot-direct-chart',
    barChart(
      host,
      {
        id: 'cot-direct-chart',
        ariaLabel: `Chain of thought against direct output, ${c.slices[slice]?.label}, for ${shown.length} of ${c.pairs.length} models`,
        labels: shown.map((i) => (c.pairs[i] as Series).label),
        datasets: modes.map((m, i) => ({
          label: PROMPT_LABEL[m],
          data: cells(m).map((row) => accuracy(row[slice] ?? { correct: 0, failed: 0, ungraded: 0 })),
          color: i,
        })),
        yTitle: 'accuracy (%)',
        yMax: 100,
        tooltip: (mi, pi) => {
          const cell = cells(modes[mi] as PromptMode)[pi]?.[slice];
          return cell
            ? [
                `${PROMPT_LABEL[modes[mi] as PromptMode]}: ${formatPercent(accuracy(cell))}`,
                `${formatCount(cell.correct)} correct, ${formatCount(cell.failed)} failed`,
                'Click: list the failures',
              ]
            : [];
        },
        onClick: (mi, pi) =>
          ui.showFailures(cotVsDirectFilters(c, shown[pi] as number, modes[mi] as PromptMode, slice)),
      },
      ui.theme,
    ),
  );
  const table = el('table', { id: 'cot-direct-table', class: 'numbers-table' });
  table.append(
    el(
      'thead',
      {},
      el(
        'tr',
        {},
        ...['Model', 'Slice', 'Questions', 'Chain of thought', 'Direct output', 'Difference (points)'].map((h) =>
          el('th', { scope: 'col' }, h),
        ),
      ),
    ),
  );
  const body = el('tbody');
  c.pairs.forEach((p, pi) =>
    c.slices.forEach((s, si) => {
      const a = accuracy(c.cot[pi]?.[si] ?? { correct: 0, failed: 0, ungraded: 0 });
      const b = accuracy(c.direct[pi]?.[si] ?? { correct: 0, failed: 0, ungraded: 0 });
      body.append(
        el(
          'tr',
          { 'data-series': p.key, 'data-slice': s.label },
          el('th', { scope: 'row' }, p.label),
          el('td', {}, s.label),
          el('td', {}, formatCount(s.questions)),
          el('td', {}, formatPercent(a)),
          el('td', {}, formatPercent(b)),
          el('td', {}, a === null || b === null ? '–' : `${a - b >= 0 ? '+' : ''}${(a - b).toFixed(1)}`),
        ),
      );
    }),
  );
  table.append(body);
  ui.cotBox.append(ui.numbersDetails('Numbers per model and slice', table));
}

export function cotCsv(c: CotVsDirect): (string | number | null)[][] {
  const rows: (string | number | null)[][] = [
    [
      'model',
      'graded by',
      'slice',
      'questions',
      'cot correct',
      'cot failed',
      'cot accuracy (%)',
      'direct correct',
      'direct failed',
      'direct accuracy (%)',
    ],
  ];
  c.pairs.forEach((p, pi) =>
    c.slices.forEach((s, si) => {
      const a = c.cot[pi]?.[si] ?? { correct: 0, failed: 0, ungraded: 0 };
      const b = c.direct[pi]?.[si] ?? { correct: 0, failed: 0, ungraded: 0 };
      const pa = accuracy(a);
      const pb = accuracy(b);
      rows.push([
        p.model,
        p.grader,
        s.label,
        s.questions,
        a.correct,
        a.failed,
        pa === null ? null : Number(pa.toFixed(4)),
        b.correct,
        b.failed,
        pb === null ? null : Number(pb.toFixed(4)),
      ]);
    }),
  );
  return rows;
}

// ---- tags ----------------------------------------------------------------------------------------

export function renderTags(ui: Dashboard): void {
  const d = ui.data as DashboardData;
  const t = tagCounts(d, ui.state.promptMode as PromptMode, ui.state.breakdown);
  if (!t) {
    ui.sectionHead(ui.tagsBox, 'tags', 'Tags');
    ui.tagsBox.append(
      el(
        'p',
        { class: 'empty' },
        d.tags.names.length
          ? 'No prediction of this prompt mode is tagged.'
          : 'No tags yet: tag failures in the side panel (keys 1-9) or the detail view, and their counts appear here.',
      ),
    );
    return;
  }
  ui.sectionHead(
    ui.tagsBox,
    'tags',
    'Tags',
    ui.pngButton('tags-chart'),
    ui.csvButton(`tags-${t.promptMode}`, () => tagsCsv(t)),
  );
  ui.tagsBox.append(
    el(
      'p',
      { class: 'note' },
      `${PROMPT_LABEL[t.promptMode]}: tagged predictions (any verdict; a question’s tags count for each of its predictions).`,
    ),
  );
  ui.ruleNote(t.series, ui.tagsBox);
  // Tag × model totals.
  const table = el('table', { id: 'tags-table', class: 'numbers-table' });
  table.append(
    el(
      'thead',
      {},
      el(
        'tr',
        {},
        el('th', { scope: 'col' }, 'Tag'),
        ...t.series.map((s) => el('th', { scope: 'col' }, s.label)),
        el('th', { scope: 'col' }, 'All'),
      ),
    ),
  );
  const body = el('tbody');
  t.tags.forEach((tag, ti) => {
    const tr = el('tr', { 'data-tag': tag }, el('th', { scope: 'row' }, tag));
    let all = 0;
    t.series.forEach((s, si) => {
      const n = (t.counts[ti]?.[si] ?? []).reduce((x, y) => x + y, 0);
      all += n;
      const td = el('td', { 'data-series': s.key, 'data-count': String(n) });
      if (n)
        td.append(
          linkButton(formatCount(n), () => ui.showFailures(tagFilters(t, ti, si, null)), {
            'aria-label': `${n} ${s.label} predictions tagged ${tag}; list them`,
          }),
        );
      tr.append(td);
    });
    const td = el('td', { 'data-series': 'all', 'data-count': String(all) });
    if (all)
      td.append(
        linkButton(formatCount(all), () => ui.showFailures(tagFilters(t, ti, null, null)), {
          'aria-label': `${all} predictions tagged ${tag}; list them`,
        }),
      );
    tr.append(td);
    body.append(tr);
  });
  table.append(body);
  ui.tagsBox.append(el('div', { class: 'table-scroll' }, table));
  // Tags per slice, stacked, for every model or one.
  const scopes = [{ value: 'all', label: 'All models' }, ...t.series.map((s) => ({ value: s.key, label: s.label }))];
  if (!scopes.some((s) => s.value === ui.state.tagScope)) ui.state.tagScope = 'all';
  const si = t.series.findIndex((s) => s.key === ui.state.tagScope);
  ui.tagsBox.append(
    el(
      'div',
      { class: 'controls' },
      select('tags-scope', 'Models', scopes, ui.state.tagScope, (v) => {
        ui.state.tagScope = v;
        ui.save();
        ui.destroyCharts('tags-chart');
        renderTags(ui);
      }),
    ),
  );
  const host = el('div', { class: 'chart-scroll' });
  ui.tagsBox.append(host);
  const per = (ti: number, x: number) =>
    si >= 0 ? (t.counts[ti]?.[si]?.[x] ?? 0) : (t.counts[ti] ?? []).reduce((a, row) => a + (row[x] ?? 0), 0);
  ui.charts.set(
    'tags-chart',
    barChart(
      host,
      {
        id: 'tags-chart',
        ariaLabel: `Tagged predictions per ${t.breakdown.label.toLowerCase()}, stacked by tag; the totals per model are in the table above.`,
        labels: t.slices.map((s) => s.label),
        datasets: t.tags.map((tag, ti) => ({
          label: tag,
          data: t.slices.map((_, x) => per(ti, x)),
          color: ti,
          stack: 'tags',
        })),
        stacked: true,
        yTitle: 'tagged predictions',
        tooltip: (ti, x) => [`${t.tags[ti]}: ${formatCount(per(ti, x))}`, 'Click: list them'],
        onClick: (ti, x) => ui.showFailures(tagFilters(t, ti, si >= 0 ? si : null, x)),
      },
      ui.theme,
    ),
  );
}

export function tagsCsv(t: TagCounts): (string | number | null)[][] {
  const rows: (string | number | null)[][] = [
    ['prompt mode', 'tag', 'model', 'graded by', ...t.breakdown.dims, 'tagged predictions'],
  ];
  t.tags.forEach((tag, ti) =>
    t.series.forEach((s, si) =>
      t.slices.forEach((sl, x) => {
        const n = t.counts[ti]?.[si]?.[x] ?? 0;
        if (n)
          rows.push([t.promptMode, tag, s.model, s.grader, ...t.breakdown.dims.map((dim) => sl.values[dim] ?? ''), n]);
      }),
    ),
  );
  return rows;
}

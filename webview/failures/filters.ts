// The filters above the list: text search (debounced), outcome, and a collapsible section with split,
// perspective, motion, source, prompt mode (chips) and models (a multi-select). Every option shows its
// count under the other filters, from the last result's facets.
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import '@vscode-elements/elements/dist/vscode-icon/index.js';
import '@vscode-elements/elements/dist/vscode-badge/index.js';
import type { VscodeTextfield } from '@vscode-elements/elements/dist/vscode-textfield/vscode-textfield.js';
import type { VscodeBadge } from '@vscode-elements/elements/dist/vscode-badge/vscode-badge.js';
import type { AuditCounts, AuditFlag, ComparisonCounts, FacetCounts } from '../../src/core/index/query';
import { AUDIT_FLAGS } from '../../src/core/index/query';
import type { Outcome } from '../../src/core/model';
import { ChipGroup } from './chips';
import { formatCount } from '../shared/format';
import { valueName } from '../shared/names';
import { AUDIT_DESCRIPTIONS, AUDIT_NAMES, FACET_TITLES, FIXED_FACETS, OUTCOMES } from './labels';
import type { FixedFacet } from './labels';
import { filterSummary } from './filterSummary';
import { ModelSelect } from './models';
import { ComparisonBar } from './comparisonBar';
import { SuggestedFilter } from './suggestedFilter';
import { dashboardFilterParts, withoutDashboardFilters } from './dashboardFilters';
import type { SuggestionCounts } from '../../src/core/index/query';
import type { Filters } from './state';
import { cloneFilters } from './state';

export const TEXT_DEBOUNCE_MS = 200;
const ALL = 'all';

export interface FilterPanelOptions {
  filters: Filters;
  open: boolean;
  onChange: (filters: Filters) => void;
  onToggle: (open: boolean) => void;
  /** Escape in an empty search box: the keyboard goes back to the list. */
  onLeave?: () => void;
}

export class FilterPanel {
  readonly el: HTMLElement;
  private filters: Filters;
  private readonly search: VscodeTextfield;
  private readonly outcome: ChipGroup;
  private readonly groups = new Map<FixedFacet, ChipGroup>();
  private readonly models: ModelSelect;
  private tagGroup: ChipGroup | null = null;
  private readonly marks: ChipGroup;
  private readonly audit: ChipGroup;
  private readonly auditProgress: HTMLElement;
  private readonly suggested = new SuggestedFilter((values) => this.change({ suggested: values }));
  private readonly labels: HTMLElement;
  private readonly labelsText: HTMLElement;
  private readonly tagCell: HTMLElement;
  private vocabulary: string[] = [];
  private readonly toggle: HTMLButtonElement;
  private readonly toggleText: HTMLElement;
  private readonly badge: VscodeBadge;
  private readonly section: HTMLElement;
  private textTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly comparison = new ComparisonBar((comparison, patch) => this.change({ ...patch, comparison }));

  /** Puts the keyboard in the search box (the `/` key). */
  focusSearch(): void {
    this.search.focus();
  }

  constructor(private readonly opts: FilterPanelOptions) {
    this.filters = cloneFilters(opts.filters);
    this.el = document.createElement('div');
    this.el.className = 'filters';

    this.search = document.createElement('vscode-textfield');
    this.search.className = 'search';
    this.search.id = 'filter-text';
    this.search.placeholder = 'Search questions and responses';
    this.search.label = 'Search questions and responses';
    const icon = document.createElement('vscode-icon');
    icon.slot = 'content-before';
    icon.setAttribute('name', 'search');
    this.search.append(icon);
    this.search.addEventListener('input', () => this.onText());
    this.search.addEventListener('keydown', (e) => {
      if (e.key === 'Escape' && !this.search.value) {
        // Nothing to clear: back to the list.
        e.preventDefault();
        opts.onLeave?.();
      } else if (e.key === 'Escape' && this.search.value) {
        e.preventDefault();
        this.search.value = '';
        this.onText(true);
      } else if (e.key === 'Enter') this.onText(true);
    });

    this.outcome = new ChipGroup({
      id: 'filter-outcome',
      label: 'Outcome',
      values: [...OUTCOMES, ALL],
      name: (v) => (v === ALL ? 'All' : valueName(v)),
      exclusive: true,
      onChange: ([v]) => this.change({ outcome: v === ALL || !v ? [] : [v as Outcome] }),
    });
    this.outcome.el.classList.add('outcome');

    this.toggle = document.createElement('button');
    this.toggle.type = 'button';
    this.toggle.className = 'section-toggle';
    this.toggle.id = 'filters-toggle';
    this.toggle.setAttribute('aria-controls', 'filter-section');
    const chevron = document.createElement('span');
    chevron.className = 'codicon codicon-chevron-right';
    chevron.setAttribute('aria-hidden', 'true');
    const title = document.createElement('span');
    title.className = 'section-toggle-text';
    title.id = 'filters-summary';
    title.textContent = 'Filters';
    this.toggleText = title;
    this.badge = document.createElement('vscode-badge');
    this.badge.variant = 'counter';
    this.toggle.append(chevron, title, this.badge);
    this.toggle.addEventListener('click', () =>
      this.setOpen(this.toggle.getAttribute('aria-expanded') !== 'true', true),
    );

    this.section = document.createElement('div');
    this.section.className = 'filter-grid';
    this.section.id = 'filter-section';
    for (const facet of Object.keys(FIXED_FACETS) as FixedFacet[]) {
      const group = new ChipGroup({
        id: `filter-${facet}`,
        label: FACET_TITLES[facet],
        values: FIXED_FACETS[facet],
        name: valueName,
        onChange: (values) => this.change({ [facet]: values } as Partial<Filters>),
      });
      this.groups.set(facet, group);
      this.section.append(this.facetTitle(facet, group.el.id), group.el);
    }
    this.models = new ModelSelect((models) => this.change({ model: models }));
    const modelCell = document.createElement('div');
    modelCell.className = 'model-cell';
    modelCell.append(this.models.el, this.models.summary);
    this.section.append(this.facetTitle('model', this.models.el.id), modelCell);

    // Annotations: tags (the vocabulary, which the host sends) and has-note / overridden.
    this.tagCell = document.createElement('div');
    this.tagCell.className = 'tag-cell';
    this.tagCell.id = 'filter-tags-cell';
    this.marks = new ChipGroup({
      id: 'filter-marks',
      label: 'Notes and overrides',
      values: ['note', 'overridden'],
      name: (v) => (v === 'note' ? 'Has note' : 'Verdict overridden'),
      onChange: (values) =>
        this.change({ hasNote: values.includes('note'), overridden: values.includes('overridden') }),
    });
    this.section.append(
      this.title('Tags', 'filter-tags-cell'),
      this.tagCell,
      this.title('Marks', 'filter-marks'),
      this.marks.el,
    );

    // The judge audit: where the answer-reading rule and the judge part ways (counts come with each result).
    this.audit = new ChipGroup({
      id: 'filter-audit',
      label: 'Judge audit',
      values: AUDIT_FLAGS,
      name: (v) => AUDIT_NAMES[v as AuditFlag],
      describe: (v) => AUDIT_DESCRIPTIONS[v as AuditFlag],
      onChange: (values) => this.change({ audit: values as AuditFlag[] }),
    });
    // Short title: the grid's first column is as wide as its longest title.
    this.auditProgress = document.createElement('span');
    this.auditProgress.className = 'audit-progress';
    this.auditProgress.id = 'audit-progress';
    const auditCell = document.createElement('div');
    auditCell.append(this.audit.el, this.auditProgress);
    this.section.append(this.title('Audit', 'filter-audit'), auditCell);
    this.section.append(this.title('Suggested', 'filter-suggested'), this.suggested.el);

    // Answer labels come from a dashboard cell: shown while set, with a way to drop them.
    this.labels = document.createElement('div');
    this.labels.className = 'label-filter';
    this.labels.id = 'filter-labels';
    this.labelsText = document.createElement('span');
    this.labelsText.className = 'label-filter-text';
    const clear = document.createElement('button');
    clear.type = 'button';
    clear.className = 'chip';
    clear.id = 'clear-labels';
    clear.textContent = 'Clear';
    clear.setAttribute('aria-label', 'Clear the answer filter');
    clear.addEventListener('click', () => this.change(withoutDashboardFilters()));
    this.labels.append(this.labelsText, clear);

    this.el.append(this.search, this.comparison.el, this.outcome.el, this.labels, this.toggle, this.section);
    this.set(this.filters);
    this.setOpen(opts.open, false);
  }

  get value(): Filters {
    return cloneFilters(this.filters);
  }

  /** Shows `filters` without reporting a change. */
  set(filters: Readonly<Filters>): void {
    clearTimeout(this.textTimer);
    this.filters = cloneFilters(filters);
    if (this.search.value !== filters.text) this.search.value = filters.text;
    this.outcome.setSelected(filters.outcome.length === 1 ? filters.outcome : [ALL]);
    for (const [facet, group] of this.groups) group.setSelected(filters[facet]);
    this.models.setSelected(filters.model);
    this.tagGroup?.setSelected(filters.tags);
    this.marks.setSelected([...(filters.hasNote ? ['note'] : []), ...(filters.overridden ? ['overridden'] : [])]);
    this.audit.setSelected(filters.audit);
    this.suggested.setSelected(filters.suggested);
    this.showLabels();
    this.comparison.set(filters.comparison);
    this.updateBadge();
  }

  /** Counts beside the comparison filter's kinds. */
  setComparisonCounts(c: ComparisonCounts | undefined): void {
    this.comparison.setCounts(c);
  }

  /** "Answer: truth clockwise, chosen counter-clockwise", while a dashboard cell's filter is on. */
  private showLabels(): void {
    const parts = dashboardFilterParts(this.filters);
    this.labels.hidden = !parts.length;
    this.labelsText.textContent = `Answer: ${parts.join(', ')}`;
  }

  /** Counts beside the audit chips, and whether the audit is still reading responses. */
  setAuditCounts(a: AuditCounts | undefined): void {
    this.audit.setCounts(a?.counts);
    this.auditProgress.textContent = a?.pending ? `Reading ${formatCount(a.pending)} more answers…` : '';
    this.auditProgress.hidden = !a?.pending;
  }

  /** Counts beside the suggested filter's detectors. */
  setSuggestionCounts(s: SuggestionCounts | undefined): void {
    this.suggested.setCounts(s);
  }

  /** The tags to offer (the vocabulary and tags made on the fly), plus any the filters hold. */
  setVocabulary(tags: readonly string[]): void {
    const values = [...new Set([...tags, ...this.filters.tags])];
    if (values.join('\0') === this.vocabulary.join('\0')) return;
    this.vocabulary = values;
    const counts = this.tagCounts;
    this.tagGroup = new ChipGroup({
      id: 'filter-tags',
      label: 'Tags',
      values,
      name: (v) => v,
      onChange: (t) => this.change({ tags: t }),
    });
    this.tagGroup.setSelected(this.filters.tags);
    if (counts) this.tagGroup.setCounts(counts);
    this.tagCell.replaceChildren(this.tagGroup.el);
  }

  private tagCounts: Record<string, number> | undefined;

  /** Counts beside the tag and mark chips (absent when nothing is annotated: all zero). */
  setAnnotationCounts(a: { tags: Record<string, number>; hasNote: number; overridden: number } | undefined): void {
    const tags: Record<string, number> = {};
    for (const t of this.vocabulary) tags[t] = a?.tags[t] ?? 0;
    this.tagCounts = tags;
    this.tagGroup?.setCounts(tags);
    this.marks.setCounts({ note: a?.hasNote ?? 0, overridden: a?.overridden ?? 0 });
  }

  private title(text: string, forId: string): HTMLElement {
    const t = document.createElement('span');
    t.className = 'facet-title';
    t.id = `${forId}-title`;
    t.textContent = text;
    return t;
  }

  setCounts(facets: FacetCounts | undefined): void {
    if (!facets) return;
    const outcomes: Record<string, number> = { ...facets.outcome };
    outcomes[ALL] = Object.values(facets.outcome).reduce((a, b) => a + b, 0);
    this.outcome.setCounts(outcomes);
    for (const [facet, group] of this.groups) group.setCounts(facets[facet]);
    this.models.setCounts(facets.model);
  }

  private facetTitle(facet: keyof typeof FACET_TITLES, forId: string): HTMLElement {
    const t = document.createElement('span');
    t.className = 'facet-title';
    t.id = `${forId}-title`;
    t.textContent = FACET_TITLES[facet];
    return t;
  }

  private setOpen(open: boolean, report: boolean): void {
    this.toggle.setAttribute('aria-expanded', String(open));
    this.toggle.firstElementChild?.classList.toggle('codicon-chevron-down', open);
    this.toggle.firstElementChild?.classList.toggle('codicon-chevron-right', !open);
    this.section.hidden = !open;
    this.updateBadge();
    if (report) this.opts.onToggle(open);
  }

  private updateBadge(): void {
    const n =
      (
        [
          'split',
          'perspective',
          'motion',
          'source',
          'promptMode',
          'grader',
          'model',
          'tags',
          'audit',
          'suggested',
        ] as const
      ).filter((k) => this.filters[k].length).length +
      Number(this.filters.hasNote) +
      Number(this.filters.overridden);
    // Collapsed, the line says which values are chosen (the list gets the room the section took).
    const open = this.toggle.getAttribute('aria-expanded') === 'true';
    const summary = filterSummary(this.filters);
    this.toggleText.textContent = open ? 'Filters' : summary;
    this.toggle.classList.toggle('summarized', !open && n > 0);
    this.toggle.title = open || !n ? '' : summary;
    this.badge.textContent = String(n);
    this.badge.hidden = n === 0 || !open;
    this.toggle.setAttribute('aria-label', n ? `Filters, ${n} active${open ? '' : `: ${summary}`}` : 'Filters');
  }

  private onText(now = false): void {
    clearTimeout(this.textTimer);
    const apply = () => {
      if (this.search.value !== this.filters.text) this.change({ text: this.search.value });
    };
    if (now) apply();
    else this.textTimer = setTimeout(apply, TEXT_DEBOUNCE_MS);
  }

  private change(patch: Partial<Filters>): void {
    this.filters = { ...this.filters, ...patch };
    this.showLabels();
    this.comparison.set(this.filters.comparison);
    if (patch.outcome) this.outcome.setSelected(this.filters.outcome.length === 1 ? this.filters.outcome : [ALL]);
    this.updateBadge();
    this.opts.onChange(cloneFilters(this.filters));
  }
}

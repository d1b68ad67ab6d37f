// Why the list is empty, in words: which filters are on, and what dropping each one would bring back
// (a facet's counts are taken under all the other filters, so their sum is the total without it).
import type { FacetCounts } from '../../src/core/index/query';
import { formatCount } from '../shared/format';
import { valueName } from '../shared/names';
import { AUDIT_NAMES, FACET_TITLES } from './labels';
import { detectorName } from './suggestedFilter';
import type { Filters } from './state';
import { LIST_FACETS } from './state';
import { dashboardFilterParts } from './dashboardFilters';

export type ClearableFilter = (typeof LIST_FACETS)[number] | 'outcome' | 'text' | 'audit' | 'suggested' | 'labels';

export interface ActiveFilter {
  filter: ClearableFilter;
  /** e.g. `Motion: Rotational or Counting`, `Text: "left"`. */
  label: string;
  /** How many rows there would be without this filter (unknown for text). */
  without: number | null;
}

export function activeFilters(f: Readonly<Filters>, facets?: FacetCounts): ActiveFilter[] {
  const out: ActiveFilter[] = [];
  const sum = (facet: keyof FacetCounts): number | null =>
    facets ? Object.values(facets[facet] ?? {}).reduce((a, b) => a + b, 0) : null;
  if (f.outcome.length)
    out.push({
      filter: 'outcome',
      label: `${FACET_TITLES.outcome}: ${f.outcome.map(valueName).join(' or ')}`,
      without: sum('outcome'),
    });
  for (const k of LIST_FACETS) {
    if (!f[k].length) continue;
    const names = k === 'model' ? f[k] : f[k].map(valueName);
    out.push({ filter: k, label: `${FACET_TITLES[k]}: ${names.join(' or ')}`, without: sum(k) });
  }
  if (f.text.trim()) out.push({ filter: 'text', label: `Text: “${f.text.trim()}”`, without: null });
  if (f.audit.length)
    out.push({ filter: 'audit', label: `Audit: ${f.audit.map((a) => AUDIT_NAMES[a]).join(' and ')}`, without: null });
  if (f.suggested.length)
    out.push({ filter: 'suggested', label: `Suggested: ${f.suggested.map(detectorName).join(' or ')}`, without: null });
  const parts = dashboardFilterParts(f);
  if (parts.length) {
    out.push({ filter: 'labels', label: `Answer: ${parts.join(', ')}`, without: null });
  }
  return out;
}

/** The sentence under "No predictions match": the filters, and which one to drop to see rows again. */
export function noMatchExplanation(
  f: Readonly<Filters>,
  facets?: FacetCounts,
): { filters: ActiveFilter[]; hint: string | null } {
  const filters = activeFilters(f, facets);
  const best = filters.filter((a) => a.without).sort((a, b) => (b.without ?? 0) - (a.without ?? 0))[0];
  const hint = best ? `Without “${best.label}” there would be ${formatCount(best.without ?? 0)}.` : null;
  return { filters, hint };
}

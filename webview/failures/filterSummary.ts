// The collapsed filter section in one line: how many values are chosen and which, e.g.
// "3 filters: Egocentric, Rotational, gpt-4o". Only what the section holds: the search, the outcome and the
// answer labels stay on screen above it.
import { valueName } from '../shared/names';
import { AUDIT_NAMES } from './labels';
import { detectorName } from './suggestedFilter';
import type { Filters } from './state';
import { LIST_FACETS } from './state';

/** The names of the values chosen in the filter section, in the section's order. */
export function sectionValues(f: Readonly<Filters>): string[] {
  const out: string[] = [];
  for (const k of LIST_FACETS) out.push(...(k === 'model' ? f.model : f[k].map(valueName)));
  out.push(...f.tags.map((t) => `#${t}`));
  if (f.hasNote) out.push('Has note');
  if (f.overridden) out.push('Verdict overridden');
  out.push(...f.audit.map((a) => AUDIT_NAMES[a]));
  out.push(...f.suggested.map((d) => `Suggested: ${detectorName(d)}`));
  return out;
}

/** "Filters" when none is chosen, else "N filter(s): a, b, c". */
export function filterSummary(f: Readonly<Filters>): string {
  const values = sectionValues(f);
  if (!values.length) return 'Filters';
  return `${values.length} filter${values.length === 1 ? '' : 's'}: ${values.join(', ')}`;
}

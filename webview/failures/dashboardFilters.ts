// The filters set from elsewhere (a dashboard cell or slice, the reviewers' agreement) that the panel has no
// chips for: answer labels, frame sampling and prediction keys. Shown in one line while set, cleared together.
import type { Filters } from './state';

/** "truth left, chosen right, sampling 32frame, 12 chosen predictions"; empty when none is set. */
export function dashboardFilterParts(f: Readonly<Filters>): string[] {
  return [
    ...(f.truthLabel.length ? [`truth ${f.truthLabel.join(' or ')}`] : []),
    ...(f.chosenLabel.length ? [`chosen ${f.chosenLabel.join(' or ')}`] : []),
    ...(f.samplingLabel.length ? [`sampling ${f.samplingLabel.map((s) => s || '(none)').join(' or ')}`] : []),
    ...(f.keys.length ? [`${f.keys.length} chosen prediction${f.keys.length === 1 ? '' : 's'}`] : []),
  ];
}

/** The filters with every one of these cleared. */
export const withoutDashboardFilters = (): Pick<Filters, 'truthLabel' | 'chosenLabel' | 'samplingLabel' | 'keys'> => ({
  truthLabel: [],
  chosenLabel: [],
  samplingLabel: [],
  keys: [],
});

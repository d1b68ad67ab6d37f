// The "Suggested" filter: one chip per failure-mode detector with its open suggestions under every other
// filter, and how many predictions the detectors still have to read (they run in the background).
import type { SuggestionCounts } from '../../src/core/index/query';
import { DETECTOR_DEFINITIONS, DETECTORS } from '../../src/core/failureModes';
import type { Detector } from '../../src/core/failureModes';
import { formatCount } from '../shared/format';
import { ChipGroup } from './chips';

/** A detector's name as a chip shows it: its tag in words ("direction reversal"). */
export const detectorName = (d: string): string => d.replace(/-/g, ' ');

export class SuggestedFilter {
  readonly el: HTMLElement;
  private readonly chips: ChipGroup;
  private readonly progress: HTMLElement;

  constructor(onChange: (detectors: string[]) => void) {
    this.chips = new ChipGroup({
      id: 'filter-suggested',
      label: 'Suggested failure modes',
      values: DETECTORS,
      name: detectorName,
      describe: (v) => DETECTOR_DEFINITIONS[v as Detector],
      onChange,
    });
    this.progress = document.createElement('span');
    this.progress.className = 'audit-progress';
    this.progress.id = 'suggested-progress';
    this.progress.hidden = true;
    this.el = document.createElement('div');
    this.el.append(this.chips.el, this.progress);
  }

  setSelected(detectors: readonly string[]): void {
    this.chips.setSelected([...detectors]);
  }

  /** Counts beside the chips, and "n still being read" while the detectors run. */
  setCounts(s: SuggestionCounts | undefined): void {
    this.chips.setCounts(s?.counts);
    this.progress.textContent = s?.pending ? `${formatCount(s.pending)} still being read` : '';
    this.progress.hidden = !s?.pending;
  }
}

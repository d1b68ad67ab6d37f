// The side panel's comparison filter, shown while two runs are compared (from the dashboard's comparison):
// B's predictions fixed by B (A failed, B correct), broken by B (A correct, B failed), both failed, or every
// question both answered, each with its count under the other filters; and a way to leave the comparison.
import type { ComparisonCounts, ComparisonKind } from '../../src/core/index/query';
import { formatCount } from '../shared/format';
import { ChipGroup } from './chips';
import type { Filters } from './state';

const NAMES: Record<ComparisonKind, string> = {
  fixed: 'Fixed by B',
  broken: 'Broken by B',
  bothFailed: 'Both failed',
};

export class ComparisonBar {
  readonly el = document.createElement('div');
  private readonly runs = document.createElement('p');
  private readonly kinds: ChipGroup;
  private current: Filters['comparison'] = null;

  constructor(private readonly onChange: (c: Filters['comparison'], patch?: Partial<Filters>) => void) {
    this.el.className = 'comparison';
    this.el.id = 'comparison';
    this.runs.className = 'comparison-runs';
    this.kinds = new ChipGroup({
      id: 'filter-comparison',
      label: 'Comparison',
      values: ['fixed', 'broken', 'bothFailed'],
      name: (v) => NAMES[v as ComparisonKind],
      exclusive: true,
      // The kinds fix B's verdict: the outcome filter goes to all with them.
      onChange: ([v]) => {
        const c = this.current;
        if (!c) return;
        const { a, b } = c;
        // None chosen: every question both answered.
        this.onChange(v ? { a, b, kind: v as ComparisonKind } : { a, b }, { outcome: [] });
      },
    });
    const end = document.createElement('button');
    end.type = 'button';
    end.className = 'chip';
    end.id = 'comparison-end';
    end.textContent = 'End comparison';
    // Back to what the side panel is for: the failures (a kind had set the outcome filter to all).
    end.addEventListener('click', () => this.onChange(null, { outcome: ['failed'] }));
    this.el.append(this.runs, this.kinds.el, end);
    this.el.hidden = true;
  }

  set(c: Filters['comparison']): void {
    this.current = c;
    this.el.hidden = !c;
    if (!c) return;
    this.runs.textContent = `B = ${c.b} against A = ${c.a}: B's answers`;
    this.kinds.setSelected(c.kind ? [c.kind] : []);
  }

  setCounts(counts: ComparisonCounts | undefined): void {
    if (!counts) return;
    this.kinds.setCounts({ fixed: counts.fixed, broken: counts.broken, bothFailed: counts.bothFailed });
    this.el.title = `${formatCount(counts.fixed)} fixed, ${formatCount(counts.broken)} broken, ${formatCount(counts.bothFailed)} both failed`;
  }
}

// The model filter: a multi-select (with type-to-filter) whose options carry their counts. Options are
// rebuilt only while the dropdown is closed, so counts arriving after each toggle do not reset the open list.
import '@vscode-elements/elements/dist/vscode-multi-select/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import type { VscodeMultiSelect } from '@vscode-elements/elements/dist/vscode-multi-select/vscode-multi-select.js';
import type { VscodeOption } from '@vscode-elements/elements/dist/vscode-option/vscode-option.js';
import { formatCount } from '../shared/format';
import { elideModelName, optionLabel, showWholeNameOnHover } from '../shared/modelName';

export class ModelSelect {
  readonly el: VscodeMultiSelect;
  /** Says what the select's own face cannot: which models are chosen, or that none means all. */
  readonly summary: HTMLElement;
  private selected: string[] = [];
  private counts: Record<string, number> = {};
  private stale = false;
  /** The names the options stand for, in their order (an option's label may be elided). */
  private listed: string[] = [];

  constructor(onChange: (models: string[]) => void) {
    this.el = document.createElement('vscode-multi-select');
    this.el.id = 'filter-model';
    this.el.combobox = true;
    this.el.label = 'Model';
    this.summary = document.createElement('span');
    this.summary.className = 'model-summary';
    this.summary.id = 'model-summary';
    this.el.addEventListener('change', () => {
      this.selected = [...this.el.value];
      onChange([...this.selected]);
    });
    showWholeNameOnHover(this.el, (i) => this.listed[i]);
    new MutationObserver(() => {
      if (!this.el.open && this.stale) this.render();
    }).observe(this.el, { attributes: true, attributeFilter: ['open'] });
  }

  get value(): string[] {
    return [...this.selected];
  }

  setSelected(models: readonly string[]): void {
    this.selected = [...models];
    this.render();
  }

  setCounts(counts: Record<string, number>): void {
    this.counts = counts;
    this.render();
  }

  /** Model names to list: every model the index knows, plus selected ones it does not (shown with 0). */
  private names(): string[] {
    const names = new Set(Object.keys(this.counts));
    for (const m of this.selected) names.add(m);
    return [...names].sort((a, b) => a.localeCompare(b));
  }

  private render(): void {
    const known = Object.keys(this.counts).length;
    this.summary.textContent = this.selected.length
      ? this.selected.map((m) => elideModelName(m, 24)).join(', ')
      : known
        ? `all ${known} models`
        : 'all models';
    this.summary.title = this.selected.length ? this.selected.join(', ') : this.summary.textContent;
    if (this.el.open) {
      this.stale = true;
      return;
    }
    this.stale = false;
    const names = this.names();
    this.listed = names;
    const options = [...this.el.querySelectorAll('vscode-option')];
    const same = options.length === names.length && options.every((o, i) => o.value === names[i]);
    if (!same) {
      const fresh = names.map(() => document.createElement('vscode-option'));
      this.el.replaceChildren(...fresh);
      options.length = 0;
      options.push(...fresh);
    }
    names.forEach((name, i) => {
      const o = options[i] as VscodeOption;
      o.value = name;
      const text = optionLabel(name, formatCount(this.counts[name] ?? 0));
      if (o.textContent !== text) o.textContent = text;
      // The whole name: said by screen readers, and shown under the list for the option the keys are on.
      o.title = name;
      o.description = name === text.slice(0, name.length) ? '' : name;
      o.selected = this.selected.includes(name);
    });
  }
}

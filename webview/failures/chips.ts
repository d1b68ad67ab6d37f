// A row of filter chips with their counts: toggles (any number on, none = no filter) or, with `exclusive`,
// a radio group. One tab stop per group; arrow keys, Home and End move between chips.
import { formatCount } from '../shared/format';

export interface ChipGroupOptions {
  /** Accessible name of the group (and `id` stem). */
  label: string;
  id: string;
  values: readonly string[];
  name: (value: string) => string;
  /** A tooltip per value, when the name alone says too little. */
  describe?: (value: string) => string;
  exclusive?: boolean;
  onChange: (selected: string[]) => void;
}

export class ChipGroup {
  readonly el: HTMLElement;
  private readonly chips = new Map<string, { button: HTMLButtonElement; count: HTMLElement }>();
  private selected: string[] = [];
  private counts: Record<string, number> | undefined;
  /** The chip that holds the group's tab stop (the last one focused). */
  private focusValue: string | undefined;

  constructor(private readonly opts: ChipGroupOptions) {
    this.el = document.createElement('div');
    this.el.className = 'chips';
    this.el.id = opts.id;
    this.el.setAttribute('role', opts.exclusive ? 'radiogroup' : 'group');
    this.el.setAttribute('aria-label', opts.label);
    for (const value of opts.values) {
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'chip';
      button.dataset.value = value;
      if (opts.describe) button.title = opts.describe(value);
      if (opts.exclusive) button.setAttribute('role', 'radio');
      // Chosen is told by a check mark and a border, not by colour alone.
      const check = document.createElement('span');
      check.className = 'chip-check codicon codicon-check';
      check.setAttribute('aria-hidden', 'true');
      button.append(check);
      const name = document.createElement('span');
      name.className = 'chip-name';
      name.textContent = opts.name(value);
      const count = document.createElement('span');
      count.className = 'chip-count';
      button.append(name, count);
      button.addEventListener('click', () => this.toggle(value));
      this.chips.set(value, { button, count });
      this.el.append(button);
    }
    this.el.addEventListener('keydown', (e) => this.onKeyDown(e));
    this.el.addEventListener('focusin', (e) => {
      const value = (e.target as HTMLElement).dataset.value;
      if (value !== undefined) this.focusValue = value;
    });
    this.render();
  }

  get value(): string[] {
    return [...this.selected];
  }

  setSelected(values: readonly string[]): void {
    this.selected = this.opts.values.filter((v) => values.includes(v));
    this.render();
  }

  /** Counts per value under the other filters; a value missing from `counts` shows 0. */
  setCounts(counts: Record<string, number> | undefined): void {
    this.counts = counts;
    this.render();
  }

  private toggle(value: string): void {
    if (this.opts.exclusive) {
      if (this.selected.length === 1 && this.selected[0] === value) return;
      this.selected = [value];
    } else {
      this.selected = this.selected.includes(value)
        ? this.selected.filter((v) => v !== value)
        : this.opts.values.filter((v) => v === value || this.selected.includes(v));
    }
    this.render();
    this.opts.onChange(this.value);
  }

  private render(): void {
    const focusable = this.focusValue ?? this.selected[0] ?? this.opts.values[0];
    for (const [value, { button, count }] of this.chips) {
      const on = this.selected.includes(value);
      button.setAttribute(this.opts.exclusive ? 'aria-checked' : 'aria-pressed', String(on));
      button.classList.toggle('on', on);
      button.tabIndex = value === focusable ? 0 : -1;
      const n = this.counts ? (this.counts[value] ?? 0) : undefined;
      count.textContent = n === undefined ? '' : formatCount(n);
      button.classList.toggle('zero', n === 0 && !on);
      button.setAttribute(
        'aria-label',
        n === undefined ? this.opts.name(value) : `${this.opts.name(value)}, ${formatCount(n)}`,
      );
    }
  }

  private onKeyDown(e: KeyboardEvent): void {
    const buttons = [...this.chips.values()].map((c) => c.button);
    const i = buttons.indexOf(e.target as HTMLButtonElement);
    if (i < 0 || e.altKey || e.ctrlKey || e.metaKey) return;
    let next: number;
    switch (e.key) {
      case 'ArrowRight':
      case 'ArrowDown':
        next = (i + 1) % buttons.length;
        break;
      case 'ArrowLeft':
      case 'ArrowUp':
        next = (i - 1 + buttons.length) % buttons.length;
        break;
      case 'Home':
        next = 0;
        break;
      case 'End':
        next = buttons.length - 1;
        break;
      default:
        return;
    }
    e.preventDefault();
    const target = buttons[next] as HTMLButtonElement;
    this.focusValue = target.dataset.value;
    for (const b of buttons) b.tabIndex = b === target ? 0 : -1;
    target.focus();
    // Radio groups check what gets focus, as native radio buttons do.
    if (this.opts.exclusive) this.toggle(target.dataset.value as string);
  }
}

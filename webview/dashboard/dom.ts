// The dashboard's controls (vscode-elements), built with the views' shared el() (../shared/dom.ts).
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import type { VscodeSingleSelect } from '@vscode-elements/elements/dist/vscode-single-select/vscode-single-select.js';
import { el } from '../shared/dom';

export function heading(level: 2 | 3, text: string, id?: string): HTMLElement {
  return el(level === 2 ? 'h2' : 'h3', id ? { id } : {}, text);
}

/** A labelled single select (vscode-elements) whose value is one of `options`. */
export function select(
  id: string,
  label: string,
  options: { value: string; label: string }[],
  value: string,
  onChange: (v: string) => void,
): HTMLElement {
  const s = document.createElement('vscode-single-select') as VscodeSingleSelect;
  s.id = id;
  // The select's own accessible name (it labels the combobox inside its shadow root).
  s.label = label;
  for (const o of options) {
    const opt = document.createElement('vscode-option');
    opt.value = o.value;
    opt.textContent = o.label;
    if (o.value === value) opt.selected = true;
    s.append(opt);
  }
  s.addEventListener('change', () => onChange(s.value));
  const wrap = el('label', { class: 'control' }, el('span', { class: 'control-label' }, label));
  wrap.htmlFor = id;
  wrap.append(s);
  return wrap;
}

/** A small secondary button (vscode-elements). */
export function button(label: string, onClick: () => void, attrs: Record<string, string> = {}): HTMLElement {
  const b = document.createElement('vscode-button');
  b.secondary = true;
  b.textContent = label;
  for (const [k, v] of Object.entries(attrs)) b.setAttribute(k, v);
  b.addEventListener('click', onClick);
  return b;
}

/** A native button styled as a link (keyboard: Tab and Enter/Space, as any button). */
export function linkButton(text: string, onClick: () => void, attrs: Record<string, string> = {}): HTMLButtonElement {
  const b = el('button', { type: 'button', ...attrs, class: `link ${attrs.class ?? ''}`.trim() }, text);
  b.addEventListener('click', onClick);
  return b;
}

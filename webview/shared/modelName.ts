// Model names at a side bar's width (src/core/modelName.ts): a head the browser cuts with an ellipsis and a
// tail it never cuts; the whole name stays in the text (screen readers, copy) and in the element's title.
import { elideModelName, splitModelName } from '../../src/core/modelName';

export { elideModelName } from '../../src/core/modelName';

/** The name as a head that ellipsizes and a tail that does not (`.model-head`, `.model-tail` in failures.css). */
export function modelNameNodes(name: string): HTMLElement[] {
  const { head, tail } = splitModelName(name);
  const h = document.createElement('span');
  h.className = 'model-head';
  h.textContent = head;
  if (!tail) return [h];
  const t = document.createElement('span');
  t.className = 'model-tail';
  t.textContent = tail;
  return [h, t];
}

/** The most of a model name a dropdown option shows at a side bar's default width (its count after it). */
export const OPTION_NAME_CHARS = 24;

/** A dropdown option's text: the name elided in its middle as the chips are, then the count. */
export function optionLabel(name: string, count: string): string {
  return `${elideModelName(name, OPTION_NAME_CHARS)} (${count})`;
}

/**
 * A select whose options draw their labels in its own (open) shadow tree: the option under the pointer gets
 * the whole name `nameAt(index)` as its tooltip, as a chip has.
 */
export function showWholeNameOnHover(select: HTMLElement, nameAt: (index: number) => string | undefined): void {
  select.addEventListener('mouseover', (e) => {
    for (const t of e.composedPath()) {
      if (!(t instanceof HTMLElement) || t === select) continue;
      if (t.matches('li[data-index]')) {
        const name = nameAt(Number(t.dataset.index));
        if (name !== undefined && t.title !== name) t.title = name;
        return;
      }
    }
  });
}

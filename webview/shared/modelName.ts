// Model names at a side bar's width (src/core/modelName.ts): a head the browser cuts with an ellipsis and a
// tail it never cuts; the whole name stays in the text (screen readers, copy) and in the element's title.
import { splitModelName } from '../../src/core/modelName';

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

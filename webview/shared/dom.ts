// The one way the views build DOM. Text is only ever set as text (model names, questions and responses come
// from result files), never parsed as markup.

/** Attributes by name (`class` sets the class list); a string stands for the class alone. */
export type Attrs = Record<string, string> | string;

/** A new element with `attrs`, and `children` appended (strings as text). */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (typeof attrs === 'string') {
    if (attrs) e.className = attrs;
  } else {
    for (const [k, v] of Object.entries(attrs)) {
      if (k === 'class') e.className = v;
      else e.setAttribute(k, v);
    }
  }
  e.append(...children);
  return e;
}

/** el(), appended to `parent`: what a view builds row by row. */
export function add<K extends keyof HTMLElementTagNameMap>(
  parent: ParentNode,
  tag: K,
  attrs: Attrs = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const e = el(tag, attrs, ...children);
  parent.append(e);
  return e;
}

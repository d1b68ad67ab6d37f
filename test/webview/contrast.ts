// WCAG 2.x contrast of every visible piece of text on a page, from computed styles: each text node's colour
// against its effective background (the background colours of its ancestors in the flat tree, shadow roots and
// slots included, composited from the first opaque one up; element opacity applied to both). Text drawn on a
// canvas is not in the DOM and is not checked here (the charts' colours are checked apart).
import type { Page } from 'playwright-core';

export interface TextContrast {
  /** A short path to the element, e.g. `mark.final-answer` < `div#response`. */
  where: string;
  text: string;
  color: string;
  background: string;
  ratio: number;
  /** 4.5, or 3 for large text (>= 24px, or >= 18.66px bold) and icon glyphs (WCAG 1.4.11, non-text). */
  required: number;
  /** Classes of the element and its ancestors, to find what was covered (e.g. `final-answer`, `selected`). */
  classes: string[];
}

/** Runs in the page: no closure over Node values. */
function measure(): TextContrast[] {
  type Rgba = [number, number, number, number];
  const parse = (c: string): Rgba | null => {
    const m = /^rgba?\(([^)]+)\)$/.exec(c.trim());
    if (!m) return c === 'transparent' ? [0, 0, 0, 0] : null;
    const p = (m[1] as string)
      .split(/[\s,/]+/)
      .filter(Boolean)
      .map(Number);
    return [p[0] ?? 0, p[1] ?? 0, p[2] ?? 0, p[3] ?? 1];
  };
  const over = (top: Rgba, under: Rgba): Rgba => {
    const a = top[3] + under[3] * (1 - top[3]);
    if (a === 0) return [0, 0, 0, 0];
    const ch = (i: number) => (top[i]! * top[3] + under[i]! * under[3] * (1 - top[3])) / a;
    return [ch(0), ch(1), ch(2), a];
  };
  const lum = (c: Rgba) => {
    const f = (v: number) => {
      const s = v / 255;
      return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    };
    return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]);
  };
  const parent = (n: Node): Element | null => {
    const slot = (n as Element | Text).assignedSlot;
    if (slot) return slot;
    const p = n.parentNode;
    if (!p) return null;
    if (p instanceof ShadowRoot) return p.host;
    return p instanceof Element ? p : null;
  };
  const fmt = (c: Rgba) =>
    `rgba(${c
      .slice(0, 3)
      .map((v) => Math.round(v))
      .join(', ')}, ${Math.round(c[3] * 100) / 100})`;
  const name = (e: Element) =>
    `${e.localName}${e.id ? `#${e.id}` : ''}${[...e.classList].map((c) => `.${c}`).join('')}`;
  const out: TextContrast[] = [];
  const visit = (root: Document | ShadowRoot) => {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      if (n instanceof Element) {
        if (n.shadowRoot) visit(n.shadowRoot);
        continue;
      }
      const text = (n.textContent ?? '').trim();
      if (!text) continue;
      // The element whose style the text takes: its slot when slotted, else its parent.
      const owner = parent(n);
      if (!owner || ['SCRIPT', 'STYLE', 'TITLE', 'NOSCRIPT', 'OPTION'].includes(owner.tagName)) continue;
      const range = document.createRange();
      range.selectNodeContents(n);
      const rects = [...range.getClientRects()].filter((r) => r.width >= 2 && r.height >= 2);
      if (!rects.length) continue;
      const cs = getComputedStyle(owner);
      if (cs.visibility !== 'visible') continue;
      // Collect backgrounds (topmost first) and opacity on the way up.
      let fg = parse(cs.color) ?? [0, 0, 0, 1];
      const layers: Rgba[] = [];
      let opacity = 1;
      let hidden = false;
      for (let e: Element | null = owner; e; e = parent(e)) {
        const s = getComputedStyle(e);
        if (s.display === 'none' || (e.getClientRects().length === 0 && s.display !== 'contents')) {
          hidden = true;
          break;
        }
        opacity *= Number(s.opacity);
        const bg = parse(s.backgroundColor) ?? [0, 0, 0, 0];
        if (bg[3] > 0) layers.push([bg[0], bg[1], bg[2], bg[3]]);
        if (bg[3] >= 1) break;
      }
      if (hidden || opacity < 0.05) continue;
      // The root is opaque in a webview (the workbench behind it); if nothing was, assume white.
      let back: Rgba = [255, 255, 255, 1];
      for (const l of layers.reverse()) back = over(l, back);
      // Opacity fades the text into what is behind its element: near enough, into the effective background.
      fg = [fg[0], fg[1], fg[2], fg[3] * opacity];
      const seen = over(fg, back);
      const [a, b] = [lum(seen), lum(back)];
      const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
      const size = parseFloat(cs.fontSize);
      const bold = Number(cs.fontWeight) >= 700;
      const icon = /codicon/.test(cs.fontFamily);
      const required = icon || size >= 24 || (bold && size >= 18.66) ? 3 : 4.5;
      const classes: string[] = [];
      let where = name(owner);
      for (let e: Element | null = owner, k = 0; e; e = parent(e), k++) {
        classes.push(...e.classList, e.localName);
        if (k > 0 && k < 3) where += ` < ${name(e)}`;
      }
      out.push({
        where,
        text: text.slice(0, 60),
        color: fmt(seen),
        background: fmt(back),
        ratio: Math.round(ratio * 100) / 100,
        required,
        classes,
      });
    }
  };
  visit(document);
  return out;
}

export const measureContrast = (page: Page): Promise<TextContrast[]> => page.evaluate(measure);

/** The ones below their required ratio, one line each (for an assertion message). */
export function failures(all: TextContrast[]): string[] {
  return all
    .filter((t) => t.ratio < t.required)
    .map((t) => `${t.ratio} < ${t.required}: "${t.text}" ${t.color} on ${t.background} (${t.where})`);
}

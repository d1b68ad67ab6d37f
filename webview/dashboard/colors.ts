// Colours the dashboard computes: a distinct colour per charted series, and the strongest heat fill under which
// a cell's number stays readable (WCAG contrast 4.5:1) in the current theme.

type Rgb = [number, number, number];

/** `#rgb`, `#rrggbb` or `#rrggbbaa` (alpha dropped) as 0-255 channels; null for anything else. */
export function parseHex(color: string): Rgb | null {
  let hex = /^#([0-9a-f]{3}|[0-9a-f]{6}|[0-9a-f]{8})$/i.exec(color.trim())?.[1];
  if (!hex) return null;
  if (hex.length === 3) hex = [...hex].map((c) => c + c).join('');
  return [0, 2, 4].map((i) => parseInt((hex as string).slice(i, i + 2), 16)) as Rgb;
}

function luminance([r, g, b]: Rgb): number {
  const f = (v: number) => {
    const s = v / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
}

export function contrast(a: Rgb, b: Rgb): number {
  const [x, y] = [luminance(a), luminance(b)];
  return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05);
}

const mix = (top: Rgb, under: Rgb, alpha: number): Rgb => top.map((c, i) => c * alpha + (under[i] as number) * (1 - alpha)) as Rgb;

/**
 * The largest alpha (at most `max`) of `fill` over `background` under which `text` keeps `ratio`; `max` when a
 * colour is not in hex (nothing to compute with).
 */
export function readableAlpha(text: string, background: string, fill: string, max: number, ratio = 4.5): number {
  const [t, b, f] = [parseHex(text), parseHex(background), parseHex(fill)];
  if (!t || !b || !f) return max;
  if (contrast(t, mix(f, b, max)) >= ratio) return max;
  let lo = 0;
  let hi = max;
  for (let i = 0; i < 20; i++) {
    const mid = (lo + hi) / 2;
    if (contrast(t, mix(f, b, mid)) >= ratio) lo = mid;
    else hi = mid;
  }
  return lo;
}

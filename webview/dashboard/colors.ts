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

const mix = (top: Rgb, under: Rgb, alpha: number): Rgb =>
  top.map((c, i) => c * alpha + (under[i] as number) * (1 - alpha)) as Rgb;

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

function hslToHex(h: number, s: number, l: number): string {
  const a = (s / 100) * Math.min(l / 100, 1 - l / 100);
  const f = (n: number) => {
    const k = (n + h / 30) % 12;
    const c = l / 100 - a * Math.max(-1, Math.min(k - 3, 9 - k, 1));
    return Math.round(c * 255)
      .toString(16)
      .padStart(2, '0');
  };
  return `#${f(0)}${f(8)}${f(4)}`;
}

/**
 * `n` colours no two alike: the theme's chart colours while they are enough, else three bands of lightness
 * (light to dark on a dark background, dark to light on a light one), each band's hues evenly spaced around the
 * wheel from the theme's blue and offset from the other bands'. Up to 30 series, any two differ by at least 50
 * in RGB distance.
 */
export function distinctColors(themePalette: string[], background: string, n: number): string[] {
  if (n <= themePalette.length) return themePalette.slice(0, n);
  const bg = parseHex(background);
  const dark = bg ? luminance(bg) < 0.4 : true;
  const bands = dark ? [68, 52, 38] : [30, 45, 60];
  const per = Math.ceil(n / bands.length);
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const band = i % bands.length;
    const hue = (210 + (Math.floor(i / bands.length) * 360) / per + (band * 360) / per / bands.length) % 360;
    out.push(hslToHex(hue, dark ? 85 : 80, bands[band] as number));
  }
  return out;
}

// Bar charts (chart.js) in the theme's colours, as wide as their box (never wider: nothing scrolls out of view). chart.js styles its canvas through the CSSOM only, which the
// webview's CSP allows (no inline style attributes, no injected <style>). Every chart also writes what it
// shows into data attributes of its canvas (data-values: labels and numbers; data-bars: each bar's centre in
// canvas pixels; data-colors: each dataset's fill; data-legend: the legend items' boxes), so tests can check the
// numbers and click a bar without reading pixels.
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip } from 'chart.js';
import type { ChartConfiguration, ChartType, Plugin } from 'chart.js';
import { distinctColors } from './colors';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Tooltip, Legend);

declare module 'chart.js' {
  // The options of this file's background plugin (the type parameter must match chart.js's declaration).
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  interface PluginOptionsByType<TType extends ChartType> {
    vlm4dBackground?: { color?: string };
  }
}

export interface Theme {
  foreground: string;
  /** The page's text colour (tables, cells). */
  text: string;
  muted: string;
  grid: string;
  background: string;
  /** Series colours, in order. */
  palette: string[];
  /** High contrast themes draw a border around every bar. */
  border: string | null;
  font: string;
}

/** The theme's colours, read from the CSS variables VS Code sets (read again when the theme changes). */
export function readTheme(): Theme {
  const cs = getComputedStyle(document.body);
  const v = (name: string, fallback: string) => cs.getPropertyValue(name).trim() || fallback;
  const foreground = v('--vscode-charts-foreground', v('--vscode-foreground', '#888888'));
  return {
    foreground,
    text: v('--vscode-foreground', foreground),
    muted: v('--vscode-descriptionForeground', foreground),
    grid: v('--vscode-charts-lines', withAlpha(foreground, 0.25)),
    background: v('--vscode-editor-background', cs.backgroundColor || '#ffffff'),
    palette: [
      v('--vscode-charts-blue', '#3794ff'),
      v('--vscode-charts-orange', '#d18616'),
      v('--vscode-charts-green', '#89d185'),
      v('--vscode-charts-purple', '#b180d7'),
      v('--vscode-charts-red', '#f14c4c'),
      v('--vscode-charts-yellow', '#cca700'),
    ],
    border: cs.getPropertyValue('--vscode-contrastBorder').trim() || null,
    font: v('--vscode-font-family', 'sans-serif'),
  };
}

/** `#rgb` / `#rrggbb` / `#rrggbbaa` with alpha `a`; other notations are returned as they are. */
export function withAlpha(color: string, a: number): string {
  let hex = /^#([0-9a-f]{3,8})$/i.exec(color.trim())?.[1];
  if (!hex) return color;
  if (hex.length === 3) hex = [...hex].map((c) => c + c).join('');
  const [r, g, b] = [0, 2, 4].map((i) => parseInt((hex as string).slice(i, i + 2), 16));
  return `rgba(${r}, ${g}, ${b}, ${a})`;
}

/** The fill of series `i` of `n`: each its own colour (colors.ts distinctColors), bordered in high contrast. */
export function seriesColor(theme: Theme, i: number, n: number): { fill: string; border: string } {
  const base = distinctColors(theme.palette, theme.background, Math.max(n, i + 1))[i] as string;
  return { fill: withAlpha(base, 0.85), border: theme.border ?? base };
}

export interface BarDataset {
  label: string;
  data: (number | null)[];
  /** Palette position (same series, same colour across charts). */
  color: number;
  /** Stacked charts: datasets with the same stack are piled up. */
  stack?: string;
}

export interface BarSpec {
  /** The canvas id (also the exported file's name). */
  id: string;
  /** What the chart shows, for screen readers (the numbers are in the table beside it). */
  ariaLabel: string;
  labels: (string | string[])[];
  datasets: BarDataset[];
  stacked?: boolean;
  xTitle?: string;
  yTitle: string;
  /** 100 for percentages. */
  yMax?: number;
  /** Tooltip lines for one bar. */
  tooltip?: (dataset: number, index: number) => string[];
  onClick?: (dataset: number, index: number) => void;
}

/** Paints the chart's background: exported PNGs are readable outside the editor too. */
const background: Plugin<'bar'> = {
  id: 'vlm4dBackground',
  beforeDraw(chart, _args, opts: { color?: string }) {
    const ctx = chart.ctx;
    ctx.save();
    ctx.fillStyle = opts.color ?? 'transparent';
    ctx.fillRect(0, 0, chart.width, chart.height);
    ctx.restore();
  },
};

/** Writes each bar's centre into the canvas's data-bars attribute after every layout. */
const positions: Plugin<'bar'> = {
  id: 'vlm4dPositions',
  afterUpdate(chart) {
    const bars: { dataset: number; index: number; x: number; y: number }[] = [];
    chart.data.datasets.forEach((_, d) => {
      const meta = chart.getDatasetMeta(d);
      if (meta.hidden) return;
      meta.data.forEach((el, index) => {
        const { x, y, base } = el.getProps(['x', 'y', 'base'], true) as { x: number; y: number; base: number };
        if (Number.isFinite(x) && Number.isFinite(y))
          bars.push({ dataset: d, index, x: Math.round(x), y: Math.round((y + base) / 2) });
      });
    });
    chart.canvas.dataset.bars = JSON.stringify(bars);
    // The legend's items as laid out (canvas pixels): all of them, inside the canvas, or some are cut.
    const legend = chart.legend as unknown as
      { legendHitBoxes?: { left: number; top: number; width: number; height: number }[] } | undefined;
    chart.canvas.dataset.legend = JSON.stringify(
      (legend?.legendHitBoxes ?? []).map((b) => ({
        left: Math.round(b.left),
        top: Math.round(b.top),
        right: Math.round(b.left + b.width),
        bottom: Math.round(b.top + b.height),
      })),
    );
  },
};

/** A bar chart in `host` (which it empties); returns the chart (destroy it before drawing another there). */
export function barChart(host: HTMLElement, spec: BarSpec, theme: Theme): Chart<'bar'> {
  host.replaceChildren();
  const box = document.createElement('div');
  box.className = 'chart-box';
  const canvas = document.createElement('canvas');
  canvas.id = spec.id;
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label', spec.ariaLabel);
  const n = Math.max(0, ...spec.datasets.map((d) => d.color + 1));
  const colors = spec.datasets.map((d) => seriesColor(theme, d.color, n));
  canvas.dataset.values = JSON.stringify({
    labels: spec.labels,
    datasets: spec.datasets.map((d) => ({ label: d.label, data: d.data })),
  });
  canvas.dataset.colors = JSON.stringify(colors.map((c) => c.fill));
  box.append(canvas);
  host.append(box);
  const config: ChartConfiguration<'bar'> = {
    type: 'bar',
    data: {
      labels: spec.labels,
      datasets: spec.datasets.map((d, i) => ({
        label: d.label,
        data: d.data,
        backgroundColor: (colors[i] as { fill: string }).fill,
        borderColor: (colors[i] as { border: string }).border,
        borderWidth: theme.border ? 1 : 0,
        // A 0% bar stays visible (and clickable); a missing value (null) draws nothing.
        minBarLength: 2,
        ...(d.stack ? { stack: d.stack } : {}),
      })),
    },
    options: {
      // Drawn at once: nothing to wait for before reading numbers or exporting, and less work on a busy machine.
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      color: theme.foreground,
      font: { family: theme.font },
      scales: {
        x: {
          stacked: !!spec.stacked,
          ticks: { color: theme.foreground, autoSkip: false, maxRotation: 60 },
          grid: { color: theme.grid },
          ...(spec.xTitle ? { title: { display: true, text: spec.xTitle, color: theme.foreground } } : {}),
        },
        y: {
          stacked: !!spec.stacked,
          beginAtZero: true,
          ...(spec.yMax !== undefined ? { max: spec.yMax } : {}),
          ticks: { color: theme.foreground, precision: 0 },
          grid: { color: theme.grid },
          title: { display: true, text: spec.yTitle, color: theme.foreground },
        },
      },
      plugins: {
        // Left-aligned: a chart wider than the editor scrolls sideways, and its legend starts in view.
        legend: {
          display: spec.datasets.length > 1,
          align: 'start',
          labels: { color: theme.foreground, boxWidth: 14 },
        },
        tooltip: {
          callbacks: {
            label: (item) =>
              spec.tooltip
                ? spec.tooltip(item.datasetIndex, item.dataIndex)
                : [`${item.dataset.label}: ${item.formattedValue}`],
          },
        },
        vlm4dBackground: { color: theme.background },
      },
      onClick: (_event, elements) => {
        const hit = elements[0];
        if (hit && spec.onClick) spec.onClick(hit.datasetIndex, hit.index);
      },
      onHover: (event, elements) => {
        const target = event.native?.target;
        if (target instanceof HTMLElement)
          target.style.cursor = elements.length && spec.onClick ? 'pointer' : 'default';
      },
    },
    plugins: [background, positions],
  };
  return new Chart(canvas, config);
}

/** The chart as a PNG data URL (with its background painted). */
export function chartPng(chart: Chart): string {
  return chart.toBase64Image('image/png', 1);
}

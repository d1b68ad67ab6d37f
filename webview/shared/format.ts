// Numbers as every view writes them.

const numberFormat = new Intl.NumberFormat('en-US');

/** A count with thousands separators: 12,345. */
export const formatCount = (n: number): string => numberFormat.format(n);

/** A percentage with one decimal, or an en dash when there is nothing to divide. */
export function formatPercent(x: number | null): string {
  return x === null ? '–' : `${x.toFixed(1)}%`;
}

// CSV as every export writes it (RFC 4180), made safe to open in a spreadsheet.

/**
 * One field: quoted when it holds a comma, quote or line break, quotes doubled. Text that a spreadsheet would
 * read as a formula (starting with `=`, `+`, `-`, `@`, tab or carriage return) gets a leading `'`, as OWASP
 * recommends against CSV injection; numbers are written as they are, `null` as an empty field, lists joined
 * with `;`.
 */
export function csvField(v: unknown): string {
  if (typeof v === 'number') return String(v);
  if (v === null || v === undefined) return '';
  let s = Array.isArray(v) ? v.join(';') : String(v);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Rows of fields as CSV lines, each ended by `eol` (a final one included). */
export function csvLines(rows: readonly (readonly unknown[])[], eol: '\n' | '\r\n' = '\n'): string {
  return rows.map((r) => r.map(csvField).join(',')).join(eol) + eol;
}

// Tab- or comma-separated text as pandas writes it (`to_csv`, quoting every field or only those that need
// it, quotes doubled): rows of text cells, the first row being the header. Cells are text, never evaluated.
import type { Sheet } from './xlsxSheet';
import { MAX_SHEET_ROWS } from './xlsxSheet';

export function readDelimited(text: string, sep: '\t' | ','): Sheet {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const sepCode = sep.charCodeAt(0);
  const endRow = (): void => {
    row.push(cell);
    cell = '';
    if (row.length > 1 || row[0] !== '') rows.push(row);
    row = [];
  };
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (quoted) {
      if (c !== 34) cell += text[i];
      else if (text.charCodeAt(i + 1) === 34) {
        cell += '"';
        i++;
      } else quoted = false;
    } else if (c === 34 && cell === '') quoted = true;
    else if (c === sepCode) {
      row.push(cell);
      cell = '';
    } else if (c === 10 || c === 13) {
      if (c === 13 && text.charCodeAt(i + 1) === 10) i++;
      endRow();
      if (rows.length > MAX_SHEET_ROWS + 1)
        return { ok: false, reason: `the file has more than ${MAX_SHEET_ROWS} rows: not a VLM4D results table` };
    } else cell += text[i];
  }
  if (quoted) return { ok: false, reason: 'a quoted field is never closed: the file is truncated or not a table' };
  if (cell !== '' || row.length) endRow();
  const header = rows.shift() ?? [];
  return { ok: true, header, rows };
}

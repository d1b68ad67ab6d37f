// The first sheet of an .xlsx workbook as rows of text cells, the header row giving the column names.
// Cells are read as stored: a formula is returned as its text (`=...`), never evaluated (pandas' writer
// stores a prediction that starts with `=` as a formula, so its text is the prediction).
import { MAX_UNZIPPED_BYTES, unzipEntries } from './zipEntries';

/** Rows a sheet may hold before it is refused (the benchmark has under 2,000 questions). */
export const MAX_SHEET_ROWS = 200_000;

export type Sheet = { ok: true; header: string[]; rows: string[][] } | { ok: false; reason: string };

const ENTITY: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** XML text with its entities, and OOXML's `_xHHHH_` escapes of control characters, decoded. */
export function xmlText(s: string): string {
  return s
    .replace(/&(#x[0-9a-fA-F]+|#[0-9]+|lt|gt|amp|quot|apos);/g, (_, e: string) =>
      e[0] === '#' ? safeChar(e[1] === 'x' ? parseInt(e.slice(2), 16) : Number(e.slice(1))) : (ENTITY[e] as string),
    )
    .replace(/_x([0-9A-Fa-f]{4})_/g, (_, h: string) => safeChar(parseInt(h, 16)));
}

function safeChar(code: number): string {
  return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '\uFFFD';
}

/** The concatenated `<t>` texts of each `<si>` (rich text comes in several runs). */
function sharedStrings(xml: string): string[] {
  const out: string[] = [];
  for (const si of xml.matchAll(/<si\b[^>]*>([\s\S]*?)<\/si>/g)) {
    let s = '';
    for (const t of (si[1] as string).matchAll(/<t\b[^>]*>([\s\S]*?)<\/t>|<t\b[^>]*\/>/g)) s += xmlText(t[1] ?? '');
    out.push(s);
  }
  return out;
}

/** Column index of a cell reference (`C12` → 2). */
function columnOf(ref: string): number {
  let n = 0;
  for (let i = 0; i < ref.length; i++) {
    const c = ref.charCodeAt(i);
    if (c < 65 || c > 90) break;
    n = n * 26 + (c - 64);
  }
  return n - 1;
}

/** The path of the workbook's first sheet, from workbook.xml and its relationships. */
function firstSheetPath(workbook: string | undefined, rels: string | undefined): string {
  const rid = workbook && /<sheet\b[^>]*\br:id="([^"]+)"/.exec(workbook)?.[1];
  const target =
    rid && rels ? new RegExp(`<Relationship\\b[^>]*\\bId="${rid}"[^>]*\\bTarget="([^"]+)"`).exec(rels)?.[1] : null;
  if (!target) return 'xl/worksheets/sheet1.xml';
  return target.startsWith('/') ? target.slice(1) : `xl/${target}`;
}

/** The first sheet; `budget` bounds the bytes the workbook may unpack to (zip bombs). */
export function readXlsx(bytes: Buffer, budget = MAX_UNZIPPED_BYTES): Sheet {
  const meta = unzipEntries(bytes, (n) => n === 'xl/workbook.xml' || n === 'xl/_rels/workbook.xml.rels', budget);
  if (!meta.ok) return meta;
  const sheetPath = firstSheetPath(
    meta.entries.get('xl/workbook.xml')?.toString('utf8'),
    meta.entries.get('xl/_rels/workbook.xml.rels')?.toString('utf8'),
  );
  const z = unzipEntries(bytes, (n) => n === sheetPath || n === 'xl/sharedStrings.xml', budget);
  if (!z.ok) return z;
  const sheet = z.entries.get(sheetPath);
  if (!sheet) return { ok: false, reason: `the workbook has no sheet (${sheetPath} missing)` };
  const strings = sharedStrings(z.entries.get('xl/sharedStrings.xml')?.toString('utf8') ?? '');
  const rows: string[][] = [];
  for (const row of sheet.toString('utf8').matchAll(/<row\b[^>]*?(?:\/>|>([\s\S]*?)<\/row>)/g)) {
    if (rows.length > MAX_SHEET_ROWS)
      return { ok: false, reason: `the sheet has more than ${MAX_SHEET_ROWS} rows: not a VLM4D results sheet` };
    const cells: string[] = [];
    let next = 0;
    for (const c of (row[1] ?? '').matchAll(/<c\b([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)) {
      const attrs = c[1] as string;
      const ref = /\br="([A-Z]+)\d*"/.exec(attrs)?.[1];
      const col = ref ? columnOf(ref) : next;
      next = col + 1;
      if (col > 16_383) continue;
      cells[col] = cellText(attrs, c[2] ?? '', strings);
    }
    for (let i = 0; i < cells.length; i++) cells[i] ??= '';
    rows.push(cells);
  }
  const header = rows.shift() ?? [];
  return { ok: true, header, rows };
}

function cellText(attrs: string, body: string, strings: string[]): string {
  const type = /\bt="([a-zA-Z]+)"/.exec(attrs)?.[1] ?? 'n';
  const formula = /<f\b[^>]*>([\s\S]*?)<\/f>/.exec(body);
  if (formula) return `=${xmlText(formula[1] as string)}`;
  if (type === 'inlineStr') {
    let s = '';
    for (const t of body.matchAll(/<t\b[^>]*>([\s\S]*?)<\/t>/g)) s += xmlText(t[1] as string);
    return s;
  }
  const v = /<v>([\s\S]*?)<\/v>/.exec(body)?.[1];
  if (v === undefined) return '';
  if (type === 's') return strings[Number(v)] ?? '';
  if (type === 'b') return v === '1' ? 'True' : 'False';
  return xmlText(v);
}

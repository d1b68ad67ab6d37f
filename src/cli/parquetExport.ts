// `vlm4d export --format parquet`: the same flat records as NDJSON and CSV (EXPORT_COLUMNS), written with
// hyparquet-writer (pure JavaScript, no native code) as one row group per ROW_GROUP predictions, flushed to
// the file as it grows, so that memory stays bounded however large the folder. Engines such as DuckDB,
// Polars or Spark read the file as it is, locally or from object storage (docs/scale.md).
import * as fs from 'fs';
import { ByteWriter, ParquetWriter } from 'hyparquet-writer';
import type { SchemaElement } from 'hyparquet-writer';

export type ExportValue = string | boolean | null;

const ROW_GROUP = 50_000;
const FLUSH_BYTES = 1 << 20;
/** Columns that hold true/false (or null: no judge); every other column is text. */
const BOOLEAN_COLUMNS = new Set(['judge_correct', 'overridden']);

/** A byte writer that hands what it holds to `fd` past FLUSH_BYTES and at the end. */
function fdWriter(fd: number): ByteWriter {
  const w = new ByteWriter();
  const flush = (): void => {
    if (w.index) fs.writeSync(fd, new Uint8Array(w.buffer, 0, w.index));
    w.index = 0;
  };
  const grow = w.ensure.bind(w);
  w.ensure = (size: number) => {
    if (w.index > FLUSH_BYTES) flush();
    grow(size);
  };
  w.finish = flush;
  return w;
}

/** Writes the records of `pages` (each a list of rows by column name) to `fd` as Parquet; returns how many. */
export function writeParquet(
  fd: number,
  columns: readonly string[],
  pages: Iterable<Record<string, ExportValue>[]>,
  rowGroup = ROW_GROUP,
): number {
  const schema: SchemaElement[] = [
    { name: 'root', num_children: columns.length },
    ...columns.map((name): SchemaElement =>
      BOOLEAN_COLUMNS.has(name)
        ? { name, type: 'BOOLEAN', repetition_type: 'OPTIONAL' }
        : { name, type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
    ),
  ];
  const writer = new ParquetWriter({ writer: fdWriter(fd), schema, createdBy: 'vlm4d export' });
  let group: Record<string, ExportValue>[] = [];
  let n = 0;
  const flush = (): void => {
    if (!group.length) return;
    const rows = group;
    const columnData = columns.map((name) => ({ name, data: rows.map((r) => r[name] ?? null) }));
    void writer.write({ columnData, rowGroupSize: rows.length });
    n += rows.length;
    group = [];
  };
  for (const page of pages) {
    for (const r of page) group.push(r);
    while (group.length >= rowGroup) {
      const rest = group.slice(rowGroup);
      group = group.slice(0, rowGroup);
      flush();
      group = rest;
    }
  }
  flush();
  void writer.finish();
  return n;
}

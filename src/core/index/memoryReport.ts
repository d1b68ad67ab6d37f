// Where the index's memory goes, for the benchmark: SQLite's pages (sql.js keeps the database in its
// WebAssembly memory), the response texts and their search index kept beside it, and this thread's V8 heap.
import { getHeapStatistics } from 'v8';
import type { ResultIndex } from './resultIndex';
import { wasmMemoryBytes } from './sqlite';

export function memoryReport(index: ResultIndex): Record<string, number> {
  const page = Number(index.select('PRAGMA page_size')[0]?.[0] ?? 0);
  const pages = Number(index.select('PRAGMA page_count')[0]?.[0] ?? 0);
  const texts = index.textMemory();
  const heap = getHeapStatistics();
  const usage = process.memoryUsage();
  return {
    sqlitePages: page * pages,
    sqliteWasmMemory: wasmMemoryBytes(),
    responses: texts.responses,
    searchVocabulary: texts.vocabulary,
    searchPostings: texts.postings,
    searchPairs: texts.pairs,
    v8HeapUsed: heap.used_heap_size,
    v8HeapTotal: heap.total_heap_size,
    arrayBuffers: usage.arrayBuffers,
    processRss: usage.rss,
  };
}

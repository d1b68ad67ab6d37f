// The SQL a piece of work runs against an index's database, for tests that say what the index does not read.
import type { Database } from 'sql.js';
import type { ResultIndex } from '../../src/core/index/resultIndex';

/** The SQL text of every statement `work` runs against the index's database (awaited when it is async). */
export async function statementsDuring(index: ResultIndex, work: () => unknown): Promise<string[]> {
  const db = (index as unknown as { db: Database }).db;
  const seen: string[] = [];
  const { prepare, exec, run } = db;
  db.prepare = (sql, params) => (seen.push(sql), prepare.call(db, sql, params));
  db.exec = (sql, params) => (seen.push(sql), exec.call(db, sql, params));
  db.run = (sql, params) => (seen.push(sql), run.call(db, sql, params));
  try {
    await work();
  } finally {
    Object.assign(db, { prepare, exec, run });
  }
  return seen;
}

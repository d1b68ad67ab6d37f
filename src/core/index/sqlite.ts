// Loads sql.js, and reads a statement's rows. In the bundles the wasm file sits next to the script (esbuild.js copies it to dist/);
// under the unit tests it is found in node_modules.
import * as fs from 'fs';
import * as path from 'path';
import initSqlJs from 'sql.js';
import type { Database, SqlJsStatic } from 'sql.js';
import type { SqlValue } from './indexTypes';

let loading: Promise<SqlJsStatic> | null = null;

export function loadSqlJs(wasmPath?: string): Promise<SqlJsStatic> {
  if (!loading) {
    const candidates = [wasmPath, path.join(__dirname, 'sql-wasm.wasm'), path.join(__dirname, '..', 'sql-wasm.wasm')];
    const found = candidates.find((p): p is string => !!p && fs.existsSync(p));
    loading = initSqlJs(found ? { locateFile: () => found } : undefined);
  }
  return loading;
}

/** Every row of a statement, as arrays of column values. */
export function selectAll(db: Database, sql: string, params: SqlValue[] = []): SqlValue[][] {
  const stmt = db.prepare(sql);
  try {
    stmt.bind(params);
    const rows: SqlValue[][] = [];
    while (stmt.step()) rows.push(stmt.get() as SqlValue[]);
    return rows;
  } finally {
    stmt.free();
  }
}

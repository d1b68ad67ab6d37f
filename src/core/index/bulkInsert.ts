// The predictions' bulk insert through SQLite's own C functions, as sql.js exports them. sql.js's
// Statement.run binds each value through a JavaScript wrapper (a type switch, an error check, a
// bookkeeping array) before it reaches sqlite3_bind_*: for the ~9 values of each of 81,720 rows at 1x that
// wrapper cost more than the binding itself. Here a statement is prepared once per batch size and its values
// are bound with one call each into the WebAssembly module. When sql.js does not expose what this needs
// (another build, or its memory unknown), Statement.run does the same work.
import type { Database, SqlJsStatic, Statement } from 'sql.js';
import { wasmMemoryBuffer } from './sqlite';

interface SqliteExports {
  _sqlite3_prepare_v2(db: number, sql: number, bytes: number, stmtOut: number, tailOut: number): number;
  _sqlite3_bind_int(stmt: number, index: number, value: number): number;
  _sqlite3_bind_double(stmt: number, index: number, value: number): number;
  _sqlite3_bind_blob(stmt: number, index: number, data: number, bytes: number, destructor: number): number;
  _sqlite3_step(stmt: number): number;
  _sqlite3_reset(stmt: number): number;
  _sqlite3_finalize(stmt: number): number;
  _sqlite3_errmsg(db: number): number;
  _malloc(bytes: number): number;
  _free(ptr: number): void;
  stringToNewUTF8(s: string): number;
  UTF8ToString(ptr: number): string;
}

const SQLITE_OK = 0;
const SQLITE_DONE = 101;

/** One INSERT statement, run with a row of integers or NULLs at a time (a batch of rows in one statement). */
export interface BulkStatement {
  run(values: readonly (number | null)[]): void;
  free(): void;
}

/** Prepares `sql` for runs with integer and NULL values only. */
export function prepareBulk(SQL: SqlJsStatic, db: Database, sql: string): BulkStatement {
  const api = SQL as unknown as Partial<SqliteExports>;
  const dbPtr = (db as unknown as { db?: unknown }).db;
  const memory = wasmMemoryBuffer();
  if (
    typeof dbPtr !== 'number' ||
    !memory ||
    typeof api._sqlite3_prepare_v2 !== 'function' ||
    typeof api._sqlite3_bind_int !== 'function' ||
    typeof api._sqlite3_bind_double !== 'function' ||
    typeof api._sqlite3_bind_blob !== 'function' ||
    typeof api._sqlite3_step !== 'function' ||
    typeof api._sqlite3_reset !== 'function' ||
    typeof api._sqlite3_finalize !== 'function' ||
    typeof api._sqlite3_errmsg !== 'function' ||
    typeof api._malloc !== 'function' ||
    typeof api._free !== 'function' ||
    typeof api.stringToNewUTF8 !== 'function' ||
    typeof api.UTF8ToString !== 'function'
  )
    return viaStatement(db.prepare(sql));
  return raw(api as SqliteExports, dbPtr, sql);
}

function viaStatement(stmt: Statement): BulkStatement {
  return { run: (values) => void stmt.run(values as (number | null)[]), free: () => void stmt.free() };
}

function raw(api: SqliteExports, db: number, sql: string): BulkStatement {
  const text = api.stringToNewUTF8(sql);
  const out = api._malloc(4);
  let stmt = 0;
  try {
    const rc = api._sqlite3_prepare_v2(db, text, -1, out, 0);
    if (rc !== SQLITE_OK) throw new Error(api.UTF8ToString(api._sqlite3_errmsg(db)));
    // Read after the call: the memory may have grown (and its buffer been replaced) meanwhile.
    stmt = new Int32Array(wasmMemoryBuffer() as ArrayBuffer, out, 1)[0] as number;
  } finally {
    api._free(out);
    api._free(text);
  }
  const { _sqlite3_bind_int: bindInt, _sqlite3_bind_double: bindDouble, _sqlite3_bind_blob: bindBlob } = api;
  return {
    run(values) {
      let rc = SQLITE_OK;
      for (let i = 0; i < values.length && rc === SQLITE_OK; i++) {
        const v = values[i] as number | null;
        // A NULL blob binds NULL, and a number that is no 32-bit integer a double, as sql.js does.
        rc =
          v === null
            ? bindBlob(stmt, i + 1, 0, 0, 0)
            : v === (v | 0)
              ? bindInt(stmt, i + 1, v)
              : bindDouble(stmt, i + 1, v);
      }
      if (rc === SQLITE_OK) rc = api._sqlite3_step(stmt);
      const message = rc === SQLITE_DONE ? '' : api.UTF8ToString(api._sqlite3_errmsg(db));
      api._sqlite3_reset(stmt);
      if (rc !== SQLITE_DONE) throw new Error(message);
    },
    free() {
      if (stmt) api._sqlite3_finalize(stmt);
      stmt = 0;
    },
  };
}

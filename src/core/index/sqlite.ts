// Loads sql.js, and reads a statement's rows. In the bundles the wasm file sits next to the script (esbuild.js copies it to dist/);
// under the unit tests it is found in node_modules.
import * as fs from 'fs';
import * as path from 'path';
import initSqlJs from 'sql.js';
import type { Database, SqlJsStatic } from 'sql.js';
import type { SqlValue } from './indexTypes';

let loading: Promise<SqlJsStatic> | null = null;
// The WebAssembly API, typed here for what is used (the project's libs do not include it).
interface WasmMemory {
  buffer: ArrayBuffer;
}
const Wasm = (
  globalThis as unknown as {
    WebAssembly: {
      instantiate(bytes: Uint8Array, imports: unknown): Promise<{ instance: { exports: Record<string, unknown> } }>;
      Memory: abstract new () => WasmMemory;
    };
  }
).WebAssembly;
let wasmMemory: WasmMemory | undefined;

/** Bytes of sql.js's WebAssembly memory: SQLite's pages, caches and sorters live there, and it never shrinks. */
export function wasmMemoryBytes(): number {
  return wasmMemory?.buffer.byteLength ?? 0;
}

/** sql.js's WebAssembly memory as it is now (a new buffer after each growth), if loaded through loadSqlJs. */
export function wasmMemoryBuffer(): ArrayBuffer | undefined {
  return wasmMemory?.buffer;
}

/** sql.js's own copy of its WebAssembly file (the unit tests run from the sources, without a bundle beside them). */
function packagedWasm(): string | undefined {
  try {
    return require.resolve('sql.js/dist/sql-wasm.wasm');
  } catch {
    return undefined;
  }
}

export function loadSqlJs(wasmPath?: string): Promise<SqlJsStatic> {
  if (!loading) {
    const candidates = [wasmPath, path.join(__dirname, 'sql-wasm.wasm'), path.join(__dirname, '..', 'sql-wasm.wasm')];
    const found = candidates.find((p): p is string => !!p && fs.existsSync(p)) ?? packagedWasm();
    // A failed instantiation fails the load, as it would without the hook below.
    let fail: (e: unknown) => void = () => undefined;
    const failed = new Promise<never>((_, reject) => (fail = reject));
    loading = Promise.race([
      initSqlJs(
        found
          ? {
              locateFile: () => found,
              // Instantiated here, as sql.js would, to keep a handle on its memory for the memory report.
              instantiateWasm: (imports, receive) => {
                Wasm.instantiate(fs.readFileSync(found), imports).then(({ instance }) => {
                  wasmMemory = Object.values(instance.exports).find((x): x is WasmMemory => x instanceof Wasm.Memory);
                  receive(instance as never);
                }, fail);
                return {};
              },
            }
          : undefined,
      ),
      failed,
    ]);
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

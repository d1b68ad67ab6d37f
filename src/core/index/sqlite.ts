// Loads sql.js. In the bundles the wasm file sits next to the script (esbuild.js copies it to dist/);
// under the unit tests it is found in node_modules.
import * as fs from 'fs';
import * as path from 'path';
import initSqlJs from 'sql.js';
import type { SqlJsStatic } from 'sql.js';

let loading: Promise<SqlJsStatic> | null = null;

export function loadSqlJs(wasmPath?: string): Promise<SqlJsStatic> {
  if (!loading) {
    const candidates = [wasmPath, path.join(__dirname, 'sql-wasm.wasm'), path.join(__dirname, '..', 'sql-wasm.wasm')];
    const found = candidates.find((p): p is string => !!p && fs.existsSync(p));
    loading = initSqlJs(found ? { locateFile: () => found } : undefined);
  }
  return loading;
}

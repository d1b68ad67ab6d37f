import * as assert from 'node:assert/strict';
import { prepareBulk } from '../../src/core/index/bulkInsert';
import { loadSqlJs, wasmMemoryBuffer } from '../../src/core/index/sqlite';

describe('bulk inserts through SQLite’s own calls', () => {
  it('store integers, NULLs and other numbers as sql.js’s Statement.run does, and report a failed row', async () => {
    const SQL = await loadSqlJs();
    assert.ok(wasmMemoryBuffer(), 'sql.js is loaded with its memory known (the direct path is the one tested)');
    const db = new SQL.Database();
    db.run('CREATE TABLE t(id INTEGER PRIMARY KEY, a INTEGER, b INTEGER, c)');
    const rows: (number | null)[][] = [
      [1, 0, null, 7],
      [2, -1, 2 ** 31 - 1, null],
      [3, -(2 ** 31), 5, 2.5],
      [4, 3, null, 2 ** 40],
    ];
    const bulk = prepareBulk(SQL, db, 'INSERT INTO t(id, a, b, c) VALUES (?1, ?2, ?3, ?4), (?5, ?6, ?7, ?8)');
    bulk.run([...(rows[0] as number[]), ...(rows[1] as number[])]);
    bulk.run([...(rows[2] as number[]), ...(rows[3] as number[])]);
    const stored = () => db.exec('SELECT id, a, b, c, typeof(b), typeof(c) FROM t ORDER BY id')[0]?.values;
    const direct = stored();
    // The same rows through sql.js's Statement.
    db.run('DELETE FROM t');
    const stmt = db.prepare('INSERT INTO t(id, a, b, c) VALUES (?, ?, ?, ?)');
    for (const r of rows) stmt.run(r);
    stmt.free();
    assert.deepEqual(direct, stored());
    assert.deepEqual(
      direct?.map((r) => r.slice(0, 4)),
      rows,
    );
    // A failed row (a duplicate id) is an error with SQLite's message, and the statement can be run again.
    assert.throws(() => bulk.run([1, 0, 0, 0, 9, 0, 0, 0]), /UNIQUE constraint failed: t\.id/);
    bulk.run([10, 1, 1, 1, 11, 2, 2, 2]);
    assert.equal(db.exec('SELECT COUNT(*) FROM t')[0]?.values[0]?.[0], 6);
    bulk.free();
    db.close();
  });
});

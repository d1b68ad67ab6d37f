// The annotations file under real concurrency and real crashes: separate OS processes (test/support/
// annotationWriter.ts) write the same file through the store while this test checks, from the outside, that
// every edit a writer acknowledged is in the file.
import * as assert from 'node:assert/strict';
import type { ChildProcess } from 'child_process';
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { createInterface } from 'readline';
import { parseAnnotations } from '../../src/core/annotations/format';
import { LOCK_STALE_MS, LockTimeoutError } from '../../src/core/annotations/lock';
import { AnnotationStore, nodeIoWith } from '../../src/core/annotations/store';
import { CRASH_TAGS_KEY, crashNote, crashSlotKey } from '../support/annotationWriter';
import { prng, tempDir } from '../support/fixtures';

const ROOT = path.resolve(__dirname, '..', '..');
const WRITER = path.join(ROOT, 'test', 'support', 'annotationWriter.ts');

interface Writer {
  child: ChildProcess;
  lines: string[];
  /** Resolves on the first line equal to `line`. */
  waitFor(line: string): Promise<void>;
  exited: Promise<number | null>;
}

function startWriter(args: string[]): Writer {
  const child = spawn(process.execPath, ['-r', 'tsx/cjs', WRITER, ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const waiting = new Map<string, () => void>();
  createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (l) => {
    lines.push(l);
    waiting.get(l)?.();
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) =>
    child.on('close', (code) => {
      if (code) process.stderr.write(stderr);
      resolve(code);
    }),
  );
  return {
    child,
    lines,
    exited,
    waitFor: (line) =>
      new Promise<void>((resolve, reject) => {
        if (lines.includes(line)) return resolve();
        waiting.set(line, resolve);
        void exited.then(() => reject(new Error(`the writer exited before printing "${line}": ${stderr}`)));
      }),
  };
}

const readData = (file: string) => {
  const parsed = parseAnnotations(fs.readFileSync(file, 'utf8'));
  if (!parsed.ok) assert.fail(`${file} is not a whole annotations file after the writers: ${parsed.reason}`);
  return parsed.data;
};

describe('annotations under concurrent writers and crashes (separate processes)', function () {
  this.timeout(120_000);

  it('four processes saving 150 edits each at once: every acknowledged add and removal is in the file', async () => {
    const file = path.join(tempDir(), '.vlm4d', 'annotations.json');
    const EDITS = 150;
    const writers = [0, 1, 2, 3].map((w) => startWriter(['hammer', file, String(w), String(EDITS), String(7000 + w)]));
    const codes = await Promise.all(writers.map((w) => w.exited));
    assert.deepEqual(codes, [0, 0, 0, 0]);
    // What the file must say, from the acknowledgements alone: each writer's adds minus its own removals.
    const expected = new Map<string, Set<string>>();
    let removals = 0;
    for (const w of writers) {
      assert.equal(w.lines.length, EDITS, 'every edit was acknowledged');
      for (const line of w.lines) {
        const [, op, key, tag] = line.split(' ') as [string, string, string, string];
        const set = expected.get(key) ?? new Set<string>();
        if (op === 'add') set.add(tag);
        else {
          set.delete(tag);
          removals++;
        }
        expected.set(key, set);
      }
    }
    assert.ok(removals > 50, `the writers removed tags too (${removals})`);
    const data = readData(file);
    const lost: string[] = [];
    const resurrected: string[] = [];
    for (const [key, tags] of expected) {
      const inFile = new Set(data.predictions[key]?.tags ?? []);
      for (const t of tags) if (!inFile.has(t)) lost.push(`${key} ${t}`);
      for (const t of inFile) if (!tags.has(t)) resurrected.push(`${key} ${t}`);
    }
    assert.deepEqual(lost, [], `${lost.length} acknowledged tags are missing`);
    assert.deepEqual(resurrected, [], `${resurrected.length} removed tags came back`);
  });

  it('a writer killed at random moments (SIGKILL, 24 times) leaves the file whole with every acknowledged edit', async () => {
    const file = path.join(tempDir(), '.vlm4d', 'annotations.json');
    const SLOTS = 24;
    const KB = 100; // ~2.4 MB of notes: an in-place write would be caught half-written
    const rand = prng(20261128);
    let next = 0;
    let acked = 0;
    const lastAcked = new Map<number, number>(); // slot -> seq
    const ackedTags = new Set<string>();
    for (let round = 0; round < 24; round++) {
      const w = startWriter(['crash', file, String(next), String(SLOTS), String(KB)]);
      await w.waitFor('ready');
      await new Promise((r) => setTimeout(r, Math.floor(rand() * 250)));
      w.child.kill('SIGKILL');
      await w.exited;
      const seqs = w.lines.filter((l) => l.startsWith('ack ')).map((l) => Number(l.slice(4)));
      for (const seq of seqs) {
        lastAcked.set(seq % SLOTS, seq);
        ackedTags.add(`s${seq}`);
      }
      acked += seqs.length;
      const data = readData(file);
      // The one save that may have landed without its acknowledgement is the step after the last one acknowledged.
      const inFlight = (seqs.at(-1) ?? next - 1) + 1;
      for (const [slot, seq] of lastAcked) {
        const note = data.predictions[crashSlotKey(slot)]?.note ?? '';
        const ok = note === crashNote(seq, KB) || (inFlight % SLOTS === slot && note === crashNote(inFlight, KB));
        assert.ok(
          ok,
          `round ${round}: slot ${slot} should hold step ${seq} (or ${inFlight}), holds "${note.slice(0, 12)}…" of ${note.length} chars`,
        );
      }
      const tags = new Set(data.predictions[CRASH_TAGS_KEY]?.tags ?? []);
      const missing = [...ackedTags].filter((t) => !tags.has(t));
      assert.deepEqual(missing, [], `round ${round}: acknowledged steps missing from the file`);
      // A step that landed unacknowledged is in the file now: from here on it must stay like any other.
      if (tags.has(`s${inFlight}`)) {
        lastAcked.set(inFlight % SLOTS, inFlight);
        ackedTags.add(`s${inFlight}`);
        next = inFlight + 1;
      } else next = inFlight;
    }
    assert.ok(acked >= 10, `the writer got through a fair number of saves (${acked}) before the kills`);
    // The temporary files of the killed writers go with the next save; the lock of a killed writer is recovered.
    const store = new AnnotationStore(file, nodeIoWith({ waitMs: 1000 }));
    store.load();
    store.edit((d) => {
      d.tags = ['after-the-crashes'];
    });
    assert.deepEqual(
      fs.readdirSync(path.dirname(file)).filter((n) => n.endsWith('.tmp')),
      [],
    );
  });

  it('recovers the lock of a killed writer at once, and waits (without spinning) for a live one, then gives up naming it', async () => {
    const file = path.join(tempDir(), '.vlm4d', 'annotations.json');
    const holder = startWriter(['hold', file]);
    await holder.waitFor('locked');
    const store = new AnnotationStore(file, nodeIoWith({ waitMs: 1000 }));
    store.load();
    const cpu = process.cpuUsage();
    assert.throws(
      () => store.edit((d) => void (d.tags = ['x'])),
      (e: unknown) => e instanceof LockTimeoutError && e.message.includes(`process ${holder.child.pid}`),
    );
    const used = process.cpuUsage(cpu);
    // A second of waiting: a spinning wait would burn about a second of CPU; sleeping, a few ms.
    assert.ok(used.user + used.system < 400_000, `waiting used ${(used.user + used.system) / 1000} ms of CPU`);
    assert.ok(store.unsaved, 'the edit stays in memory');
    assert.ok(!fs.existsSync(file));
    holder.child.kill('SIGKILL');
    await holder.exited;
    assert.ok(fs.existsSync(`${file}.lock`), 'the killed writer left its lock');
    store.save();
    assert.ok(!store.unsaved);
    assert.deepEqual(readData(file).tags, ['x']);
    assert.ok(!fs.existsSync(`${file}.lock`), 'released after the save');
  });

  it('breaks a lock from another machine only once it is older than the stale age, and an empty lock after a moment', () => {
    const file = path.join(tempDir(), '.vlm4d', 'annotations.json');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const lock = `${file}.lock`;
    const foreign = JSON.stringify({
      pid: 1,
      host: `not-${os.hostname()}`,
      token: 'f00d',
      since: new Date().toISOString(),
    });
    fs.writeFileSync(lock, foreign);
    const store = new AnnotationStore(file, nodeIoWith({ waitMs: 200 }));
    store.load();
    assert.throws(
      () => store.edit((d) => void (d.tags = ['x'])),
      LockTimeoutError,
      'a fresh lock of another machine is respected',
    );
    const old = (Date.now() - LOCK_STALE_MS - 5000) / 1000;
    fs.utimesSync(lock, old, old);
    store.save();
    assert.deepEqual(readData(file).tags, ['x']);
    // A writer killed between creating the lock and writing into it leaves it empty.
    fs.writeFileSync(lock, '');
    assert.throws(
      () => store.edit((d) => void (d.tags = ['x', 'y'])),
      LockTimeoutError,
      'an empty lock may be one being written',
    );
    const aMomentAgo = (Date.now() - 3000) / 1000;
    fs.utimesSync(lock, aMomentAgo, aMomentAgo);
    store.save();
    assert.deepEqual(readData(file).tags, ['x', 'y']);
  });
});

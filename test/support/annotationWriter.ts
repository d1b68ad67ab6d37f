// A separate writer process for the annotations store's tests (run with `node -r tsx/cjs`): it edits one
// annotations file through the real store and prints one `ack …` line after each save returns, so that the
// parent knows which edits were acknowledged.
//   hammer FILE WRITER EDITS SEED   add tags of its own to a few shared predictions, remove some of them again
//   crash FILE FIRST SLOTS NOTE_KB  rewrite large notes (and add one tag) in a loop until killed
//   hold FILE                       take the file's lock, print `locked`, and keep it until killed
import type { Annotations } from '../../src/core/annotations/format';
import { acquireLock } from '../../src/core/annotations/lock';
import { AnnotationStore, nodeIoWith } from '../../src/core/annotations/store';
import { prng } from './fixtures';

export const HAMMER_KEYS = [
  'real/cot/alpha-vl_8frame/validation_1',
  'real/cot/alpha-vl_8frame/validation_2',
  'real/cot/beta-vl_1fps/validation_1',
  'synthetic/cot/gamma_32frame/validation_3',
];
export const CRASH_TAGS_KEY = 'real/cot/crash_8frame/tags';
export const crashSlotKey = (slot: number): string => `real/cot/crash_8frame/slot_${slot}`;

/** The note the crash writer writes at step `seq`: its number, then filler that depends on it (so a torn note shows). */
export function crashNote(seq: number, kb: number): string {
  const unit = `${seq.toString(36)}-abcdefghijklmnopqrstuvwxyz0123456789 `;
  return `${seq}:` + unit.repeat(Math.ceil((kb * 1024) / unit.length)).slice(0, kb * 1024);
}

function item(d: Annotations, key: string) {
  return (d.predictions[key] ??= { tags: [], note: '', updated: '' });
}

function hammer(file: string, writer: number, edits: number, seed: number): void {
  const rand = prng(seed);
  // A generous wait: four writers saving as fast as they can keep the lock busy.
  const store = new AnnotationStore(file, nodeIoWith({ waitMs: 60_000 }));
  store.load();
  const mine: { key: string; tag: string }[] = [];
  for (let i = 0; i < edits; i++) {
    const now = new Date().toISOString();
    if (mine.length && rand() < 0.25) {
      const [{ key, tag }] = mine.splice(Math.floor(rand() * mine.length), 1) as [{ key: string; tag: string }];
      store.edit((d) => {
        const it = item(d, key);
        it.tags = it.tags.filter((t) => t !== tag);
        it.updated = now;
      });
      process.stdout.write(`ack remove ${key} ${tag}\n`);
    } else {
      const key = HAMMER_KEYS[Math.floor(rand() * HAMMER_KEYS.length)] as string;
      const tag = `w${writer}-${i}`;
      store.edit((d) => {
        const it = item(d, key);
        it.tags = [...it.tags, tag];
        it.updated = now;
      });
      mine.push({ key, tag });
      process.stdout.write(`ack add ${key} ${tag}\n`);
    }
  }
}

function crash(file: string, first: number, slots: number, kb: number): void {
  const store = new AnnotationStore(file, nodeIoWith({ waitMs: 60_000 }));
  store.load();
  process.stdout.write('ready\n');
  for (let seq = first; ; seq++) {
    const now = new Date().toISOString();
    store.edit((d) => {
      const slot = item(d, crashSlotKey(seq % slots));
      slot.note = crashNote(seq, kb);
      slot.updated = now;
      const tags = item(d, CRASH_TAGS_KEY);
      tags.tags = [...tags.tags, `s${seq}`];
      tags.updated = now;
    });
    process.stdout.write(`ack ${seq}\n`);
  }
}

if (require.main === module) {
  const [mode, file, a, b, c] = process.argv.slice(2);
  if (mode === 'hammer') hammer(file as string, Number(a), Number(b), Number(c));
  else if (mode === 'crash') crash(file as string, Number(a), Number(b), Number(c));
  else if (mode === 'hold') {
    acquireLock(file as string);
    process.stdout.write('locked\n');
    setInterval(() => undefined, 60_000);
  } else {
    process.stderr.write(`unknown mode ${mode}\n`);
    process.exit(2);
  }
}

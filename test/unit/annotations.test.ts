import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import type { Annotations } from '../../src/core/annotations/format';
import {
  DEFAULT_TAGS,
  mergeAnnotations,
  orphans,
  parseAnnotations,
  serializeAnnotations,
} from '../../src/core/annotations/format';
import { History, applyChanges, setNote, setVerdict, toggleTag } from '../../src/core/annotations/edits';
import type { ExportRow } from '../../src/core/annotations/export';
import { exportRowsCsv, tagCountsCsv } from '../../src/core/annotations/export';
import type { StoreIo } from '../../src/core/annotations/store';
import { AnnotationStore, nodeIo } from '../../src/core/annotations/store';
import { tempDir } from '../support/fixtures';

const P1 = 'real/cot/gpt-4o_8frame/validation_12';
const P2 = 'real/cot/o4-mini_8frame/validation_12';
const Q1 = 'real/validation_12';

function storeIn(dir = tempDir()): { file: string; store: AnnotationStore } {
  const file = path.join(dir, '.vlm4d', 'annotations.json');
  const store = new AnnotationStore(file);
  store.load();
  return { file, store };
}

const tag =
  (key: string, t: string, at = '2026-11-28T10:00:00.000Z') =>
  (d: Annotations) => {
    const item = (d.predictions[key] ??= { tags: [], note: '', updated: at });
    item.tags = [...new Set([...item.tags, t])];
    item.updated = at;
  };

describe('annotations store', () => {
  it('round-trips tags, notes and overrides through a stable, human-readable file', () => {
    const { file, store } = storeIn();
    store.edit(tag(P2, 'direction-reversal'));
    store.edit(tag(P1, 'perspective-confusion'));
    store.edit((d) => {
      (d.predictions[P1] as NonNullable<(typeof d.predictions)[string]>).note =
        'camera pans left; the model reports the object moving right';
      (d.predictions[P1] as NonNullable<(typeof d.predictions)[string]>).verdict = 'correct';
      d.questions[Q1] = { tags: ['ground-truth-wrong'], note: 'ambiguous', updated: '2026-11-28T10:00:00.000Z' };
    });
    const text = fs.readFileSync(file, 'utf8');
    const parsed = parseAnnotations(text);
    assert.ok(parsed.ok);
    assert.deepEqual(parsed.data.predictions[P1]?.tags, ['perspective-confusion']);
    assert.equal(parsed.data.predictions[P1]?.verdict, 'correct');
    assert.equal(parsed.data.questions[Q1]?.note, 'ambiguous');
    // Sorted keys, so that the order of edits does not show in a diff.
    assert.ok(text.indexOf(P1) < text.indexOf(P2));
    assert.match(text, /^\{\n {2}"format": "vlm4d-annotations",\n {2}"version": 1,/);
    assert.equal(serializeAnnotations(parsed.data), text, 'writing what was read gives the same bytes');
    const again = new AnnotationStore(file);
    again.load();
    assert.deepEqual(again.data, parsed.data);
  });

  it('merges two writers: tags added on both sides stay, a removal on one side goes, nothing is lost', () => {
    const dir = tempDir();
    const a = storeIn(dir).store;
    a.edit(tag(P1, 'counting-error'));
    const b = storeIn(dir).store; // a second window, opened after the first tag
    b.edit((d) => {
      (d.predictions[P1] as { tags: string[] }).tags = [];
    });
    // a has not seen b's removal when it adds a tag to the same prediction.
    a.edit(tag(P1, 'perspective-confusion'));
    b.edit(tag(P2, 'missed-motion'));
    a.save();
    const final = storeIn(dir).store.data;
    // b removed counting-error; a added perspective-confusion without knowing: both edits hold.
    assert.deepEqual(final.predictions[P1]?.tags, ['perspective-confusion']);
    assert.deepEqual(final.predictions[P2]?.tags, ['missed-motion']);
  });

  it('keeps both notes when two writers changed the same note, and reports it; the later verdict wins', () => {
    const base: Annotations = {
      tags: [],
      predictions: { [P1]: { tags: [], note: 'n', verdict: 'wrong', updated: '2026-01-01T00:00:00Z' } },
      questions: {},
    };
    const local: Annotations = {
      tags: [],
      predictions: { [P1]: { tags: [], note: 'mine', verdict: 'correct', updated: '2026-01-03T00:00:00Z' } },
      questions: {},
    };
    const theirs: Annotations = {
      tags: [],
      predictions: { [P1]: { tags: [], note: 'theirs', updated: '2026-01-02T00:00:00Z' } },
      questions: {},
    };
    const { merged, conflicts } = mergeAnnotations(base, local, theirs);
    assert.match(merged.predictions[P1]?.note ?? '', /^mine\n\n--- also written elsewhere .*---\ntheirs$/);
    assert.equal(merged.predictions[P1]?.verdict, 'correct', 'this window edited later');
    assert.deepEqual(
      conflicts.map((c) => [c.key, c.field]),
      [
        [P1, 'note'],
        [P1, 'verdict'],
      ],
    );
  });

  it('takes in a hand edit of the file on the next save', () => {
    const { file, store } = storeIn();
    store.edit(tag(P1, 'counting-error'));
    const hand = JSON.parse(fs.readFileSync(file, 'utf8')) as {
      predictions: Record<string, { tags: string[]; note: string }>;
    };
    (hand.predictions[P1] as { note: string }).note = 'written by hand';
    fs.writeFileSync(file, JSON.stringify(hand, null, 4));
    const out = store.save();
    assert.ok(out.changed);
    assert.equal(store.data.predictions[P1]?.note, 'written by hand');
    store.edit(tag(P1, 'judge-error'));
    const disk = parseAnnotations(fs.readFileSync(file, 'utf8'));
    assert.ok(disk.ok);
    assert.deepEqual(disk.data.predictions[P1]?.tags, ['counting-error', 'judge-error']);
    assert.equal(disk.data.predictions[P1]?.note, 'written by hand');
  });

  it('never writes over a file it cannot read, refuses edits, and works again once the file is fixed', () => {
    const { file, store } = storeIn();
    store.edit(tag(P1, 'counting-error'));
    const good = fs.readFileSync(file, 'utf8');
    const broken = good.replace('"tags"', '"tags" oops');
    fs.writeFileSync(file, broken);
    store.save();
    assert.equal(store.state.kind, 'broken');
    assert.match(store.state.kind === 'broken' ? store.state.reason : '', /not valid JSON/);
    assert.throws(() => store.edit(tag(P1, 'judge-error')), /cannot be read [\s\S]*tagging is off/);
    assert.equal(fs.readFileSync(file, 'utf8'), broken, 'the broken file is untouched');
    const fresh = new AnnotationStore(file);
    assert.equal(fresh.load().kind, 'broken');
    assert.equal(fs.readFileSync(file, 'utf8'), broken);
    // Fixed by hand: the store reads it and edits go on.
    fs.writeFileSync(file, good);
    store.save();
    assert.equal(store.state.kind, 'ok');
    store.edit(tag(P1, 'judge-error'));
    assert.deepEqual(store.data.predictions[P1]?.tags, ['counting-error', 'judge-error']);
  });

  it('reset moves an unreadable file aside instead of deleting it', () => {
    const { file, store } = storeIn();
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, '{"format": "something-else"}');
    store.load();
    assert.equal(store.state.kind, 'broken');
    const aside = store.reset(new Date('2026-11-28T12:00:00Z'));
    assert.ok(aside && fs.existsSync(aside));
    assert.equal(fs.readFileSync(aside, 'utf8'), '{"format": "something-else"}');
    assert.equal(store.state.kind, 'ok');
    store.edit(tag(P1, 'counting-error'));
    assert.ok(parseAnnotations(fs.readFileSync(file, 'utf8')).ok);
  });

  it('a write interrupted midway leaves the old file whole and keeps the edit in memory for the next save', () => {
    const dir = tempDir();
    const file = path.join(dir, 'annotations.json');
    let crash = false;
    const io: StoreIo = {
      ...nodeIo,
      writeAtomic(f, text) {
        if (!crash) return nodeIo.writeAtomic(f, text);
        // What a crash between writing the temporary file and renaming it leaves behind.
        fs.writeFileSync(path.join(dir, '.annotations.json.999.dead.tmp'), text.slice(0, 20));
        throw new Error('ENOSPC: no space left on device');
      },
    };
    const store = new AnnotationStore(file, io);
    store.load();
    store.edit(tag(P1, 'counting-error'));
    const before = fs.readFileSync(file, 'utf8');
    crash = true;
    assert.throws(() => store.edit(tag(P1, 'judge-error')), /ENOSPC/);
    assert.equal(fs.readFileSync(file, 'utf8'), before);
    assert.ok(store.unsaved);
    assert.deepEqual(store.data.predictions[P1]?.tags, ['counting-error', 'judge-error']);
    crash = false;
    store.save();
    assert.ok(!store.unsaved);
    const disk = parseAnnotations(fs.readFileSync(file, 'utf8'));
    assert.ok(disk.ok);
    assert.deepEqual(disk.data.predictions[P1]?.tags, ['counting-error', 'judge-error']);
  });

  it('the real atomic write leaves no temporary file and replaces the file in one step', () => {
    const dir = tempDir();
    const file = path.join(dir, 'a.json');
    nodeIo.writeAtomic(file, 'one');
    nodeIo.writeAtomic(file, 'two');
    assert.equal(fs.readFileSync(file, 'utf8'), 'two');
    assert.deepEqual(fs.readdirSync(dir), ['a.json']);
  });

  it('keeps annotations of predictions no longer in the results, and reports them', () => {
    const { file, store } = storeIn();
    store.edit(tag(P1, 'counting-error'));
    store.edit(tag('real/cot/retired-model_8frame/validation_3', 'judge-error'));
    const gone = orphans(
      store.data,
      (k) => k === P1,
      () => true,
    );
    assert.deepEqual(gone.predictions, ['real/cot/retired-model_8frame/validation_3']);
    store.edit(tag(P1, 'judge-error'));
    const disk = parseAnnotations(fs.readFileSync(file, 'utf8'));
    assert.ok(disk.ok && disk.data.predictions['real/cot/retired-model_8frame/validation_3'], 'still in the file');
  });

  it('offers the same default vocabulary as the setting in package.json', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')) as {
      contributes: { configuration: { properties: Record<string, { default: unknown }> } };
    };
    assert.deepEqual(pkg.contributes.configuration.properties['vlm4d.tags']?.default, DEFAULT_TAGS);
  });

  it('explains why a file is refused', () => {
    assert.match((parseAnnotations('[]') as { reason: string }).reason, /top level is not an object/);
    assert.match(
      (parseAnnotations('{"format":"vlm4d-annotations","version":2}') as { reason: string }).reason,
      /version 2 is not 1/,
    );
    const badTags = '{"format":"vlm4d-annotations","version":1,"predictions":{"k":{"tags":"x"}}}';
    assert.match((parseAnnotations(badTags) as { reason: string }).reason, /predictions\["k"\]: "tags" is not a list/);
    const qVerdict = '{"format":"vlm4d-annotations","version":1,"questions":{"q":{"verdict":"wrong"}}}';
    assert.match((parseAnnotations(qVerdict) as { reason: string }).reason, /no verdict/);
  });
});

describe('annotation edits and their history', () => {
  const empty = (): Annotations => ({ tags: [], predictions: {}, questions: {} });

  it('toggles a tag like a checkbox over a mixed selection: adds to all lacking it, then removes from all', () => {
    const d = empty();
    applyChanges(d, toggleTag(d, 'predictions', [P1], 'counting-error'), 'after', 't1');
    const add = toggleTag(d, 'predictions', [P1, P2], 'counting-error');
    assert.deepEqual(
      add.map((c) => c.key),
      [P2],
      'only the one lacking it changes',
    );
    applyChanges(d, add, 'after', 't2');
    const remove = toggleTag(d, 'predictions', [P1, P2], 'counting-error');
    applyChanges(d, remove, 'after', 't3');
    assert.deepEqual(d.predictions, {}, 'an item with nothing left is dropped');
  });

  it('undoes and redoes whole actions, and a new action clears the redo list', () => {
    const d = empty();
    const h = new History();
    const act = (changes: ReturnType<typeof toggleTag>) => {
      applyChanges(d, changes, 'after', 'now');
      h.record(changes);
    };
    act(toggleTag(d, 'predictions', [P1, P2], 'judge-error'));
    act(setNote(d, 'questions', Q1, 'ambiguous'));
    act(setVerdict(d, P1, 'correct'));
    applyChanges(d, h.undo() ?? [], 'before', 'now');
    assert.equal(d.predictions[P1]?.verdict, undefined);
    applyChanges(d, h.undo() ?? [], 'before', 'now');
    const q1 = () => d.questions[Q1];
    assert.equal(q1(), undefined);
    applyChanges(d, h.redo() ?? [], 'after', 'now');
    assert.equal(q1()?.note, 'ambiguous');
    assert.ok(h.canRedo);
    act(toggleTag(d, 'predictions', [P2], 'counting-error'));
    assert.ok(!h.canRedo);
    applyChanges(d, h.undo() ?? [], 'before', 'now');
    applyChanges(d, h.undo() ?? [], 'before', 'now');
    applyChanges(d, h.undo() ?? [], 'before', 'now');
    assert.deepEqual(d, empty());
    assert.equal(h.undo(), undefined);
  });

  it('undo takes back only its own change: a tag added elsewhere in between stays', () => {
    const d = empty();
    const change = toggleTag(d, 'predictions', [P1], 'counting-error');
    applyChanges(d, change, 'after', 't1');
    (d.predictions[P1] as { tags: string[] }).tags.push('judge-error'); // merged in from another window
    d.predictions[P1] = { ...(d.predictions[P1] as NonNullable<Annotations['predictions'][string]>), note: 'theirs' };
    applyChanges(d, change, 'before', 't2');
    assert.deepEqual(d.predictions[P1]?.tags, ['judge-error']);
    assert.equal(d.predictions[P1]?.note, 'theirs');
  });
});

describe('exports of annotated lists', () => {
  const row = (model: string, motion: string, tags: string[], questionTags: string[] = []): ExportRow => ({
    key: `real/cot/${model}_8frame/q`,
    split: 'real',
    questionId: 'q',
    model,
    sampling: '8frame',
    promptMode: 'cot',
    question: 'Which way, "left" or right?',
    groundTruth: 'A: left',
    chosen: 'B: right',
    outcome: 'failed',
    judgeVerdict: 'wrong',
    gradedBy: 'judge',
    overridden: false,
    perspective: 'egocentric',
    motion,
    source: 'ego4d',
    tags,
    questionTags,
    note: 'line one\nline two',
    questionNote: '',
  });

  it('counts each tag per model and slice (a question tag counts for its predictions), with the slice size', () => {
    const rows = [
      row('a', 'rotational', ['x']),
      row('a', 'rotational', ['x', 'y']),
      row('a', 'rotational', [], ['y']),
      row('b', 'rotational', ['x']),
    ];
    const lines = tagCountsCsv(rows).trim().split('\r\n');
    assert.equal(lines[0], 'model,promptMode,split,perspective,motion,tag,count,predictionsInSlice,percent');
    assert.deepEqual(lines.slice(1), [
      'a,cot,real,egocentric,rotational,x,2,3,66.7',
      'a,cot,real,egocentric,rotational,y,2,3,66.7',
      'b,cot,real,egocentric,rotational,x,1,1,100.0',
    ]);
  });

  it('writes the list as CSV a spreadsheet reads back: quotes doubled, line breaks kept inside quotes', () => {
    const csv = exportRowsCsv([row('a', 'rotational', ['x', 'y'])]);
    assert.ok(csv.includes('"Which way, ""left"" or right?"'));
    assert.ok(csv.includes('"line one\nline two"'));
    assert.ok(csv.includes(',x;y,'));
    assert.equal(csv.split('\r\n').length, 3);
  });
});

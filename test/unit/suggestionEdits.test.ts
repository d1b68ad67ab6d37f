// Accepted and rejected suggestions in the annotations file: the new fields read and written, older files
// (without them) read as before, two writers' acceptances and rejections merged, and "accept all" undone as one.
import * as assert from 'node:assert/strict';
import { History, applyChanges, toggleTag } from '../../src/core/annotations/edits';
import type { Annotations } from '../../src/core/annotations/format';
import {
  emptyAnnotations,
  mergeAnnotations,
  parseAnnotations,
  serializeAnnotations,
} from '../../src/core/annotations/format';
import { acceptSuggestions, rejectSuggestion } from '../../src/core/annotations/suggestionEdits';

const K1 = 'real/cot/m_8frame/validation_1';
const K2 = 'real/cot/m_8frame/validation_2';
const K3 = 'synthetic/cot/m_8frame/validation_3';

const roundTrip = (d: Annotations): Annotations => {
  const p = parseAnnotations(serializeAnnotations(d));
  assert.ok(p.ok, p.ok ? '' : p.reason);
  return p.data;
};

describe('suggestions in the annotations file', () => {
  it('reads a file written before suggestions existed, unchanged', () => {
    const old = `{"format":"vlm4d-annotations","version":1,"tags":[],"predictions":{"${K1}":{"tags":["direction-reversal"],"note":"n","verdict":"wrong","updated":"t"}},"questions":{}}`;
    const p = parseAnnotations(old);
    assert.ok(p.ok);
    assert.deepEqual(p.data.predictions[K1], {
      tags: ['direction-reversal'],
      note: 'n',
      verdict: 'wrong',
      updated: 't',
    });
    assert.equal(serializeAnnotations(p.data), serializeAnnotations(roundTrip(p.data)));
  });

  it('records accepted tags with their source and rejected detectors, and keeps them through a round trip', () => {
    const data = emptyAnnotations();
    data.predictions[K1] = { tags: ['judge-error'], note: 'mine', updated: 't0' };
    applyChanges(data, acceptSuggestions(data, [{ key: K1, tag: 'direction-reversal' }]), 'after', 't1');
    applyChanges(data, rejectSuggestion(data, K2, 'missed-motion'), 'after', 't2');
    const back = roundTrip(data);
    assert.deepEqual(back.predictions[K1], {
      tags: ['direction-reversal', 'judge-error'],
      note: 'mine',
      sources: { 'direction-reversal': 'detector' },
      updated: 't1',
    });
    // A prediction with only a rejection is kept (it must not be suggested again).
    assert.deepEqual(back.predictions[K2], { tags: [], note: '', rejected: ['missed-motion'], updated: 't2' });
    // The hand-typed tag has no source; removing the accepted tag drops its source too.
    applyChanges(back, toggleTag(back, 'predictions', [K1], 'direction-reversal'), 'after', 't3');
    assert.equal(roundTrip(back).predictions[K1]?.sources, undefined);
  });

  it('refuses malformed fields with a reason', () => {
    const bad = (item: string) =>
      parseAnnotations(`{"format":"vlm4d-annotations","version":1,"predictions":{"${K1}":${item}}}`);
    const a = bad('{"tags":["x"],"sources":{"x":"typed"}}');
    assert.ok(!a.ok && /sources/.test(a.reason));
    const b = bad('{"rejected":"missed-motion"}');
    assert.ok(!b.ok && /rejected/.test(b.reason));
  });

  it('accepts all in one change that one undo reverts, keeping what another writer added meanwhile', () => {
    const data = emptyAnnotations();
    applyChanges(data, rejectSuggestion(data, K2, 'direction-reversal'), 'after', 't0');
    const history = new History();
    const refs = [
      { key: K1, tag: 'direction-reversal' },
      { key: K2, tag: 'direction-reversal' },
      { key: K3, tag: 'counting-error' },
    ];
    const changes = acceptSuggestions(data, refs);
    assert.equal(changes.length, 3);
    applyChanges(data, changes, 'after', 't1');
    history.record(changes);
    for (const r of refs) {
      assert.ok(data.predictions[r.key]?.tags.includes(r.tag));
      assert.equal(data.predictions[r.key]?.sources?.[r.tag], 'detector');
    }
    // Accepting lifts the earlier rejection of the same detector.
    assert.equal(data.predictions[K2]?.rejected, undefined);
    // Another writer tags K3 by hand before the undo.
    (data.predictions[K3] as { tags: string[] }).tags.push('judge-error');
    const undo = history.undo();
    assert.ok(undo);
    applyChanges(data, undo, 'before', 't2');
    assert.equal(data.predictions[K1], undefined);
    assert.deepEqual(data.predictions[K2]?.rejected, ['direction-reversal']);
    assert.deepEqual(data.predictions[K3]?.tags, ['judge-error']);
    assert.equal(data.predictions[K3]?.sources, undefined);
  });

  it('merges acceptances and rejections made in two windows', () => {
    const base = emptyAnnotations();
    const local = structuredClone(base);
    const theirs = structuredClone(base);
    applyChanges(local, acceptSuggestions(local, [{ key: K1, tag: 'direction-reversal' }]), 'after', 't1');
    applyChanges(theirs, rejectSuggestion(theirs, K1, 'perspective-confusion'), 'after', 't2');
    const { merged } = mergeAnnotations(base, local, theirs);
    assert.deepEqual(merged.predictions[K1]?.sources, { 'direction-reversal': 'detector' });
    assert.deepEqual(merged.predictions[K1]?.rejected, ['perspective-confusion']);
    // A rejection lifted on one side goes.
    const base2 = merged;
    const local2 = structuredClone(base2);
    delete (local2.predictions[K1] as { rejected?: string[] }).rejected;
    assert.equal(mergeAnnotations(base2, local2, structuredClone(base2)).merged.predictions[K1]?.rejected, undefined);
  });
});

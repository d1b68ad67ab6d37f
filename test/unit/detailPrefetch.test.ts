// What the host believes the detail view's page holds of the rows built ahead (src/host/detailPrefetch.ts):
// only what it last sent, only under the data version it was built for, and a held row only at its own place
// of its own list; and the step message naming the row the page drew, checked as untrusted input.
import * as assert from 'node:assert/strict';
import type { DetailData } from '../../src/protocol/detailView';
import { parseDetailMessage } from '../../src/protocol/detailValidate';
import type { ItemChange } from '../../src/core/annotations/edits';
import { DetailPrefetch, mayShowIn } from '../../src/host/detailPrefetch';

const row = (id: number) => ({ prediction: { id, key: `real/cot/m_8frame/q${id}` } }) as unknown as DetailData;
const failed = { outcome: ['failed' as const] };

describe('rows built ahead for the detail view', () => {
  it('the page is sent what is offered; a row is found only at its place of its list', () => {
    const sent: number[][] = [];
    const ahead = new DetailPrefetch((entries) => sent.push(entries.map((e) => e.prediction.id)));
    assert.ok(ahead.offer(ahead.now, [{ id: 5, filters: failed, index: 3, data: row(5) }]));
    assert.deepEqual(sent, [[5]]);
    // Each sending is numbered: a row the page drew from an older one may be out of date.
    const first = ahead.round;
    ahead.offer(ahead.now, [{ id: 5, filters: failed, index: 3, data: row(5) }]);
    assert.equal(ahead.round, first + 1);
    sent.pop();
    assert.equal(ahead.find(5, { outcome: ['failed'] }, 3)?.id, 5);
    // The same filters written in another order, or with an empty field, are the same list.
    assert.equal(ahead.find(5, { split: [], outcome: ['failed'] }, 3)?.id, 5);
    assert.equal(ahead.find(5, failed, 4), null, 'another place');
    assert.equal(ahead.find(5, { outcome: ['failed'], motion: ['rotational'] }, 3), null, 'another list');
    assert.equal(ahead.find(6, failed, 3), null, 'another row');
    assert.equal(ahead.find(5, undefined, undefined), null, 'no list');
  });

  it('a change drops what the page holds (and tells it); a build started before the change is refused', () => {
    const sent: number[][] = [];
    const ahead = new DetailPrefetch((entries) => sent.push(entries.map((e) => e.prediction.id)));
    const before = ahead.now;
    ahead.offer(before, [{ id: 5, filters: failed, index: 3, data: row(5) }]);
    ahead.invalidate();
    assert.deepEqual(sent, [[5], []]);
    assert.equal(ahead.find(5, failed, 3), null);
    assert.equal(ahead.offer(before, [{ id: 5, filters: failed, index: 3, data: row(5) }]), false);
    assert.equal(sent.length, 2, 'nothing sent for a stale build');
    // A new page holds nothing, and nothing needs telling.
    ahead.offer(ahead.now, [{ id: 7, filters: failed, index: 1, data: row(7) }]);
    ahead.pageReset();
    assert.equal(ahead.find(7, failed, 1), null);
    ahead.invalidate();
    assert.equal(sent.length, 3, 'an empty page is not told to drop what it does not hold');
  });

  it('the page may name the row it drew with a step, and from which sending; anything else in it is refused', () => {
    assert.deepEqual(parseDetailMessage({ type: 'step', delta: 1, drawn: { id: 12, round: 3, x: 1 }, extra: 'x' }), {
      type: 'step',
      delta: 1,
      drawn: { id: 12, round: 3 },
    });
    assert.deepEqual(parseDetailMessage({ type: 'step', delta: -1 }), { type: 'step', delta: -1 });
    for (const bad of [
      { type: 'step', delta: 1, drawn: 12 },
      { type: 'step', delta: 1, drawn: { id: -1, round: 0 } },
      { type: 'step', delta: 1, drawn: { id: '12', round: 0 } },
      { type: 'step', delta: 1, drawn: { id: 12 } },
      { type: 'step', delta: 1, drawn: { id: 12, round: 1.5 } },
      { type: 'step', delta: 1, drawn: null },
      { type: 'step', delta: 2, drawn: { id: 12, round: 0 } },
    ])
      assert.equal(parseDetailMessage(bad), null, JSON.stringify(bad));
    assert.deepEqual(parseDetailMessage({ type: 'resend', id: 3 }), { type: 'resend' });
  });

  it('an edit shows in held rows when it is theirs, a question’s or a verdict, or when what changed is unknown', () => {
    const held = [5, 3].map((id) => ({ id, filters: failed, index: id, data: row(id) }));
    const item = (tags: string[], verdict?: 'correct' | 'wrong') => ({
      tags,
      note: '',
      updated: '',
      ...(verdict ? { verdict } : {}),
    });
    const edit = (section: 'predictions' | 'questions', key: string, before = item([]), after = item(['x'])) =>
      ({ section, key, before, after }) as ItemChange;
    // The shown prediction's own tag or note: no held row shows it.
    assert.equal(mayShowIn([edit('predictions', 'real/cot/m_8frame/q4')], held), false);
    assert.equal(mayShowIn([], held), false);
    assert.equal(mayShowIn([edit('predictions', 'real/cot/m_8frame/q3')], held), true, 'a held row’s own');
    assert.equal(mayShowIn([edit('questions', 'real/q4')], held), true, 'a question’s');
    assert.equal(
      mayShowIn([edit('predictions', 'real/cot/m_8frame/q4', item([]), item([], 'wrong'))], held),
      true,
      'a verdict',
    );
    assert.equal(mayShowIn([edit('predictions', 'real/cot/m_8frame/q4', item([], 'wrong'), undefined)], held), true);
    assert.equal(mayShowIn(undefined, held), true, 'unknown');
  });
});

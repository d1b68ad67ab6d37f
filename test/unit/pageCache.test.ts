import * as assert from 'node:assert/strict';
import { PageCache } from '../../webview/failures/pageCache';

const PAGE = 10;
type Row = { id: number; list: string };

/** The rows of page `page` of a list named `list`: row i has id i (so a row's id says where it belongs). */
const pageOf = (list: string, page: number): Row[] =>
  Array.from({ length: PAGE }, (_, i) => ({ id: page * PAGE + i, list }));

function cache(maxInFlight = 4, maxPages = 60) {
  return new PageCache<Row>(PAGE, { maxInFlight, maxPages });
}

describe('the side panel page cache', () => {
  it('asks once for each page a range needs, at most maxInFlight at a time, and more as replies come', () => {
    const c = cache(3);
    const asked = c.wanted(0, 10 * PAGE - 1);
    assert.deepEqual(asked, [0, 1, 2]);
    const ids = asked.map((p) => c.request(p));
    assert.deepEqual(c.wanted(0, 10 * PAGE - 1), [], 'pages out are not asked again, and the cap is reached');
    assert.equal(c.accept(ids[1] as number, pageOf('a', 1)), 1);
    assert.deepEqual(
      c.wanted(0, 10 * PAGE - 1),
      [3],
      'a reply frees one place; the page that is here is not asked for',
    );
    assert.deepEqual(c.wanted(PAGE, 2 * PAGE - 1), [], 'a range of pages here needs nothing');
  });

  it('serves each row from its page, as the list it came from holds it', () => {
    const c = cache();
    for (const p of [2, 0]) c.accept(c.request(p), pageOf('a', p));
    for (const index of [0, 9, 20, 29]) assert.deepEqual(c.rowAt(index), { id: index, list: 'a' });
    assert.equal(c.rowAt(10), undefined, 'a page never answered has no rows');
    assert.equal(
      c.indexWhere((r) => r.id === 27),
      27,
    );
    assert.equal(
      c.indexWhere((r) => r.id === 15),
      null,
    );
  });

  it('drops a reply to a request made for an earlier list (generation), even for a page asked again', () => {
    const c = cache();
    const old = c.request(0);
    assert.equal(c.isCurrent(old), true);
    c.restart(false);
    assert.equal(c.isCurrent(old), false);
    assert.deepEqual(c.wanted(0, PAGE - 1), [0], 'the new list asks for its own page 0');
    const fresh = c.request(0);
    assert.equal(c.accept(old, pageOf('old', 0)), null);
    assert.equal(c.rowAt(3), undefined, "the old list's reply is never shown as the new list's rows");
    assert.equal(c.accept(fresh, pageOf('new', 0)), 0);
    assert.equal(c.rowAt(3)?.list, 'new');
    assert.equal(c.accept(fresh, pageOf('again', 0)), null, 'a request is answered once');
    assert.equal(c.accept(12345, pageOf('unknown', 0)), null);
  });

  it("counts only the current list's requests against the cap", () => {
    const c = cache(2);
    for (const p of c.wanted(0, 5 * PAGE)) c.request(p);
    c.restart(false);
    assert.deepEqual(c.wanted(0, 5 * PAGE), [0, 1]);
  });

  it('after new filters shows the old rows until the first reply, then none of them', () => {
    const c = cache();
    for (const p of [0, 1, 2]) c.accept(c.request(p), pageOf('old', p));
    c.restart(false);
    assert.equal(c.rowAt(15), undefined, 'not as rows of the new list');
    assert.equal(c.rowAt(15, true)?.list, 'old', 'but as stale rows while it loads');
    assert.equal(c.rowOfList(15), undefined, 'never a row to act on: it belongs to other filters');
    c.accept(c.request(0), pageOf('new', 0));
    assert.equal(c.rowAt(5, true)?.list, 'new');
    assert.equal(c.rowAt(15, true), undefined, 'the first reply drops every stale page');
  });

  it('after a refresh keeps each old page until its own new version arrives', () => {
    const c = cache();
    for (const p of [0, 1, 2]) c.accept(c.request(p), pageOf('old', p));
    c.restart(true);
    c.accept(c.request(1), pageOf('new', 1));
    assert.deepEqual(
      [5, 15, 25].map((i) => c.rowAt(i, true)?.list),
      ['old', 'new', 'old'],
    );
    assert.deepEqual(
      [5, 15, 25].map((i) => c.rowOfList(i)?.list),
      ['old', 'new', 'old'],
      'the same list: the rows shown are the ones keys act on until their new versions come',
    );
  });

  it('a failed request frees its page to be asked again; a failure for an earlier list is ignored', () => {
    const c = cache();
    const old = c.request(0);
    c.restart(false);
    const id = c.request(0);
    assert.equal(c.fail(old), false);
    assert.deepEqual(c.wanted(0, 0), [], 'still out');
    assert.equal(c.fail(id), true);
    assert.deepEqual(c.wanted(0, 0), [0]);
  });

  it('keeps at most maxPages pages, dropping the least recently used (a page shown again counts as used)', () => {
    const c = cache(100, 3);
    for (const p of [0, 1, 2]) c.accept(c.request(p), pageOf('a', p));
    c.wanted(0, PAGE - 1); // page 0 is shown again
    c.accept(c.request(3), pageOf('a', 3));
    const here = [0, 1, 2, 3].filter((p) => c.rowAt(p * PAGE) !== undefined);
    assert.deepEqual(here, [0, 2, 3], 'page 1 was the least recently used');
  });
});

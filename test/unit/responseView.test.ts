// A long response reaches the detail view bounded (head, final answer, end), the rest in chunks on request.
import * as assert from 'node:assert/strict';
import * as path from 'path';
import { finalAnswerSpan } from '../../src/core/answers';
import { ResponseAccess } from '../../src/core/index/responseAccess';
import { ResultIndex } from '../../src/core/index/resultIndex';
import { loadSqlJs } from '../../src/core/index/sqlite';
import {
  boundResponse,
  RESPONSE_CHUNK_CHARS,
  RESPONSE_HEAD_CHARS,
  RESPONSE_TAIL_CHARS,
} from '../../src/core/responseView';
import { parseDetailMessage } from '../../src/protocol/detailValidate';
import { judge, makeResultsFolder, realQuestions, writeJson } from '../support/fixtures';

const line = (i: number) => `Step ${i}: the bar has turned a little further; the answer depends on the sense.\n`;
const lines = (from: number, n: number) => Array.from({ length: n }, (_, i) => line(from + i)).join('');

describe('a long response, bounded for the detail view', () => {
  it('keeps a short response whole', () => {
    const text = `${lines(0, 10)}Therefore, the final answer is: B`;
    assert.deepEqual(boundResponse(text), { head: text, rest: null, finalAnswer: finalAnswerSpan(text) });
  });

  it('sends the head and the end, cut at line breaks, each part the exact text at its offset', () => {
    const text = `${lines(0, 40_000)}Therefore, the final answer is: A`;
    const b = boundResponse(text);
    assert.ok(b.rest);
    assert.ok(b.head.length <= RESPONSE_HEAD_CHARS && b.head.length > RESPONSE_HEAD_CHARS - 2_000, `${b.head.length}`);
    assert.ok(b.head.endsWith('\n'), 'the head ends at a line break');
    assert.ok(text.startsWith(b.head));
    assert.equal(b.rest.length, text.length);
    for (const e of b.rest.excerpts) assert.equal(text.slice(e.start, e.start + e.text.length), e.text);
    const last = b.rest.excerpts[b.rest.excerpts.length - 1];
    assert.ok(
      last && last.start + last.text.length === text.length && last.text.length <= RESPONSE_TAIL_CHARS,
      'the end is sent',
    );
    assert.equal(text[(last?.start ?? 0) - 1], '\n', 'the end starts on a line');
    // The final answer is in the end, at its offset in the whole text.
    assert.deepEqual(b.finalAnswer, finalAnswerSpan(text));
    assert.equal(text.slice(b.finalAnswer?.start, b.finalAnswer?.end), 'Therefore, the final answer is: A');
    // What is sent is bounded whatever the length.
    const sent = b.head.length + b.rest.excerpts.reduce((n, e) => n + e.text.length, 0);
    assert.ok(sent < RESPONSE_HEAD_CHARS + 2 * RESPONSE_TAIL_CHARS, `${sent}`);
  });

  it('sends the final answer with its context when it is neither in the head nor at the end', () => {
    const text = `${lines(0, 20_000)}So the final answer is: C\n${lines(20_000, 20_000)}`;
    const b = boundResponse(text);
    const span = finalAnswerSpan(text);
    assert.ok(b.rest && span);
    assert.equal(b.rest.excerpts.length, 2);
    const answer = b.rest.excerpts[0];
    assert.ok(answer && answer.start <= span.start && answer.start + answer.text.length >= span.end);
    assert.equal(answer.text.slice(span.start - answer.start, span.end - answer.start), 'the final answer is: C');
  });

  it('never splits a surrogate pair', () => {
    const text = '🙂'.repeat(RESPONSE_HEAD_CHARS);
    const b = boundResponse(text, null);
    assert.ok(b.rest);
    for (const part of [b.head, ...b.rest.excerpts.map((e) => e.text)]) assert.equal(part.length % 2, 0);
    assert.ok(b.rest.excerpts.every((e) => e.start % 2 === 0));
  });

  it('the index thread bounds the prediction and hands the whole response back in slices', async () => {
    const { dir } = makeResultsFolder();
    const qs = realQuestions();
    const records = judge(qs, 5, 0.5);
    const long = `${lines(0, 60_000)}Therefore, the final answer is: ${records[0]?.extracted_answer.slice(0, 1)}`;
    assert.ok(long.length > 3 * RESPONSE_CHUNK_CHARS);
    writeJson(
      path.join(dir, 'processed_outputs', 'real_mc_cot', 'alpha-vl_8frame.json'),
      records.map((r, i) => (i === 0 ? { ...r, response: long } : r)),
    );
    const index = new ResultIndex(await loadSqlJs());
    try {
      index.setRoots([{ path: dir }]);
      await index.sync();
      const id = index.predictionIdByKey(`real/cot/alpha-vl_8frame/${qs[0]?.id}`);
      assert.ok(id !== null);
      const access = new ResponseAccess(index);
      const view = access.view(id);
      assert.ok(view?.rest);
      assert.ok(JSON.stringify(view).length < 2 * RESPONSE_HEAD_CHARS, 'what crosses to the editor is bounded');
      assert.deepEqual(view.finalAnswer, finalAnswerSpan(long));
      assert.ok(long.startsWith(view.detail.response));
      const parts: string[] = [];
      for (let start = 0; ;) {
        const part = access.text(id, start, start + RESPONSE_CHUNK_CHARS);
        assert.ok(part && part.length === long.length);
        parts.push(part.text);
        start += part.text.length;
        if (start >= part.length) break;
      }
      assert.ok(parts.length >= 3);
      assert.equal(parts.join(''), long);
      // After a re-index the slices are read again, not taken from what was kept.
      access.forget();
      assert.equal(access.text(id, 0, 10)?.text, long.slice(0, 10));
      assert.equal(access.text(id + 10_000, 0, 10), null);
    } finally {
      index.close();
    }
  });

  it('the view may ask for a whole response by id only', () => {
    assert.deepEqual(parseDetailMessage({ type: 'showFullResponse', id: 7, extra: 1 }), {
      type: 'showFullResponse',
      id: 7,
    });
    assert.equal(parseDetailMessage({ type: 'showFullResponse', id: -1 }), null);
    assert.equal(parseDetailMessage({ type: 'showFullResponse', id: '7' }), null);
  });
});

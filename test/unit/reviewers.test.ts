// Another reviewer's file as the extension takes it: refused with a reason that names what is wrong, or
// compared over the predictions both annotated (the figures themselves: agreement.test.ts).
import * as assert from 'node:assert/strict';
import { emptyAnnotations, serializeAnnotations } from '../../src/core/annotations/format';
import { compareReviewers, ownAnnotations } from '../../src/core/reviewers';

const item = (tags: string[]) => ({ tags, note: 'seen', updated: '' });

describe("another reviewer's annotations file", () => {
  const own = emptyAnnotations();
  own.predictions['real/cot/m_8frame/validation_1'] = item(['missed-motion']);
  own.predictions['real/cot/m_8frame/validation_2'] = item([]);
  own.predictions['real/cot/m_8frame/validation_2'].verdict = 'wrong';

  it('refuses what is not an annotations file, saying what is wrong', () => {
    const reason = (text: string) => {
      const r = compareReviewers(own, text);
      assert.equal(r.ok, false);
      return r.ok ? '' : r.reason;
    };
    assert.match(reason('{"format": "vlm4d-annotations", '), /not a VLM4D annotations file: not valid JSON/);
    assert.match(reason('[1, 2]'), /the top level is not an object/);
    assert.match(reason('{"format": "other", "version": 1}'), /"format" is not "vlm4d-annotations"/);
    assert.match(reason('{"format": "vlm4d-annotations", "version": 7}'), /format version 7 is not 1/);
    assert.match(
      reason('{"format": "vlm4d-annotations", "version": 1, "predictions": {"k": {"tags": "x"}}}'),
      /predictions\["k"\]: "tags" is not a list of strings/,
    );
    const other = emptyAnnotations();
    other.predictions['real/cot/m_8frame/validation_9'] = item(['missed-motion']);
    assert.match(reason(serializeAnnotations(other)), /no prediction is annotated in both \(yours: 2, theirs: 1\)/);
  });

  it('compares a valid file over the predictions both annotated, folders taken together', () => {
    const other = emptyAnnotations();
    other.predictions['real/cot/m_8frame/validation_1'] = item(['missed-motion', 'judge-error']);
    other.predictions['real/cot/m_8frame/validation_2'] = item([]);
    const second = emptyAnnotations();
    second.predictions['synthetic/cot/m_8frame/validation_5'] = item(['judge-error']);
    other.predictions['synthetic/cot/m_8frame/validation_5'] = item([]);
    const r = compareReviewers(ownAnnotations([own, second]), serializeAnnotations(other));
    assert.ok(r.ok);
    assert.equal(r.result.n, 3);
    assert.deepEqual(
      r.result.disagreements.map((d) => [d.key, d.onlyA, d.onlyB, d.verdictA, d.verdictB]),
      [
        ['real/cot/m_8frame/validation_1', [], ['judge-error'], 'none', 'none'],
        ['real/cot/m_8frame/validation_2', [], [], 'wrong', 'none'],
        ['synthetic/cot/m_8frame/validation_5', ['judge-error'], [], 'none', 'none'],
      ],
    );
  });
});

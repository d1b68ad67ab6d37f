// The failure-mode detectors inside the index: computed in steps after indexing (the index answers
// meanwhile), the suggested filter and its counts, rejections and accepted tags from the annotations file,
// one prediction's suggestions. Expected counts come from running the detectors on each prediction's detail.
import * as assert from 'node:assert/strict';
import type { Annotations } from '../../src/core/annotations/format';
import { emptyAnnotations } from '../../src/core/annotations/format';
import { acceptSuggestions, rejectSuggestion } from '../../src/core/annotations/suggestionEdits';
import { applyChanges } from '../../src/core/annotations/edits';
import { DETECTORS, detectFailureModes } from '../../src/core/failureModes';
import type { Detector } from '../../src/core/failureModes';
import type { ResultIndex } from '../../src/core/index/resultIndex';
import type { FixtureJudged } from '../support/fixtures';
import { makeResultsFolder, writeJson } from '../support/fixtures';
import { openIndex } from '../support/openIndex';

/** Each failed prediction's detectors, from its detail (the path the detail view takes). */
function expected(index: ResultIndex): Map<string, Detector[]> {
  const out = new Map<string, Detector[]>();
  for (const row of index.query({ outcome: ['failed'], limit: 1000 }).rows) {
    const d = index.prediction(row.id);
    assert.ok(d);
    const c = { ...d, groundTruth: d.groundTruth, perspective: d.perspective };
    out.set(
      d.key,
      detectFailureModes(c).map((s) => s.detector),
    );
  }
  return out;
}

const countOf = (m: Map<string, Detector[]>, d: Detector) => [...m.values()].filter((l) => l.includes(d)).length;

describe('failure-mode suggestions in the index', () => {
  it('answers queries before the detectors ran, then counts and filters what they found', async () => {
    const { dir } = makeResultsFolder();
    const index = await openIndex(dir);
    const before = index.query({ outcome: ['failed'], limit: 1 });
    assert.ok(before.total > 0);
    assert.ok(before.suggestions, 'the counts are there');
    assert.equal(before.suggestions.pending, index.counts().predictions);
    assert.ok(DETECTORS.every((d) => before.suggestions?.counts[d] === 0));

    index.auditAll();
    const want = expected(index);
    const res = index.query({ outcome: ['failed'], limit: 1 });
    assert.equal(res.suggestions?.pending, 0);
    let some = 0;
    for (const d of DETECTORS) {
      assert.equal(res.suggestions?.counts[d], countOf(want, d), d);
      const filtered = index.query({ outcome: ['failed'], suggested: [d], limit: 1000 });
      assert.equal(filtered.total, countOf(want, d), `total under suggested: ${d}`);
      assert.deepEqual(
        filtered.rows.map((r) => r.key).sort(),
        [...want]
          .filter(([, l]) => l.includes(d))
          .map(([k]) => k)
          .sort(),
      );
      some += countOf(want, d) ? 1 : 0;
    }
    assert.ok(some >= 3, 'the fixture exercises several detectors');
    // Any of several detectors.
    const two = DETECTORS.filter((d) => countOf(want, d)).slice(0, 2);
    assert.equal(
      index.query({ outcome: ['failed'], suggested: two, limit: 1 }).total,
      [...want.values()].filter((l) => l.some((d) => two.includes(d))).length,
    );
    index.close();
  });

  it('leaves out accepted and rejected suggestions, and shows them as such in the prediction', async () => {
    const { dir } = makeResultsFolder();
    const index = await openIndex(dir);
    index.auditAll();
    const want = expected(index);
    const d = DETECTORS.find((x) => countOf(want, x) >= 2) as Detector;
    const [k1, k2] = [...want].filter(([, l]) => l.includes(d)).map(([k]) => k) as [string, string];
    const data: Annotations = emptyAnnotations();
    applyChanges(data, acceptSuggestions(data, [{ key: k1, tag: d }]), 'after', 't1');
    applyChanges(data, rejectSuggestion(data, k2, d), 'after', 't2');
    index.setAnnotations([{ root: dir, data }]);
    const res = index.query({ outcome: ['failed'], suggested: [d], limit: 1000 });
    assert.equal(res.total, countOf(want, d) - 2);
    assert.equal(res.suggestions?.counts[d], countOf(want, d) - 2);
    assert.ok(!res.rows.some((r) => r.key === k1 || r.key === k2));
    const status = (key: string) =>
      index.suggestions(index.predictionIdByKey(key) as number).find((s) => s.detector === d)?.status;
    assert.equal(status(k1), 'accepted');
    assert.equal(status(k2), 'rejected');
    const open = [...want].find(([k, l]) => l.includes(d) && k !== k1 && k !== k2)?.[0];
    if (open) assert.equal(status(open), 'open');
    // The evidence comes with each suggestion.
    assert.ok(index.suggestions(index.predictionIdByKey(k1) as number).every((s) => s.evidence.length > 10));
    // Lifting the rejection brings it back.
    index.setAnnotations([{ root: dir, data: emptyAnnotations() }]);
    assert.equal(index.query({ outcome: ['failed'], suggested: [d], limit: 1 }).total, countOf(want, d));
    index.close();
  });

  it('stores every suggestion when they are more than one statement inserts', async () => {
    const { dir, judged } = makeResultsFolder();
    // Thirty more models answering nothing readable: a no-valid-answer suggestion for each prediction.
    for (const [file, records] of judged)
      for (let i = 0; i < 30; i++)
        writeJson(
          file.replace(/([^/\\]+)$/, `copy${i}-$1`),
          records.map((r) => ({ ...r, response: '', extracted_answer: 'No Valid Answer', correct: false })),
        );
    const index = await openIndex(dir);
    index.auditAll();
    const want = new Map<number, Detector[]>();
    for (const row of index.query({ outcome: ['failed'], limit: 10_000 }).rows) {
      const d = index.prediction(row.id);
      assert.ok(d);
      want.set(
        row.id,
        detectFailureModes(d).map((s) => s.detector),
      );
    }
    const rows = [...want.values()].reduce((n, l) => n + l.length, 0);
    assert.ok(rows > 1200, `${rows} suggestions`);
    const counts = index.query({ outcome: ['failed'], limit: 1 }).suggestions?.counts;
    for (const d of DETECTORS) assert.equal(counts?.[d], [...want.values()].filter((l) => l.includes(d)).length, d);
    index.close();
  });

  it('does not start over when only the annotations change, and does when a results file changed', async () => {
    const { dir, judged } = makeResultsFolder();
    const index = await openIndex(dir);
    index.auditAll();
    index.setAnnotations([{ root: dir, data: emptyAnnotations() }]);
    assert.equal(index.query({ limit: 1 }).suggestions?.pending, 0);
    // Every record of one file now answers nothing readable: its failures become no-valid-answer suggestions.
    const [file, records] = [...judged][0] as [string, FixtureJudged[]];
    writeJson(
      file,
      records.map((r) => ({ ...r, response: '', extracted_answer: 'No Valid Answer', correct: false })),
    );
    await index.sync();
    assert.ok((index.query({ limit: 1 }).suggestions?.pending ?? 0) > 0);
    index.auditAll();
    const want = expected(index);
    assert.equal(
      index.query({ outcome: ['failed'], limit: 1 }).suggestions?.counts['no-valid-answer'],
      countOf(want, 'no-valid-answer'),
    );
    assert.ok(countOf(want, 'no-valid-answer') >= records.length);
    index.close();
  });
});

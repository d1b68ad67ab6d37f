import * as assert from 'node:assert/strict';
import * as path from 'path';
import type { ResultIndex } from '../../src/core/index/resultIndex';
import { containsAll, searchTerms } from '../../src/core/searchTerms';
import { realQuestions, tempDir, writeJson } from '../support/fixtures';
import { openIndex } from '../support/openIndex';

const ROOT = path.resolve(__dirname, '..', '..');

/** Every prediction's question and response, read one by one through the detail lookup. */
function allTexts(index: ResultIndex): Array<{ id: number; question: string; response: string }> {
  return index.select('SELECT id FROM predictions ORDER BY id').map(([id]) => {
    const d = index.prediction(Number(id));
    assert.ok(d, `prediction ${String(id)}`);
    return { id: d.id, question: d.question, response: d.response };
  });
}

/** The search language applied by brute force: each term in the question or in the response. */
function bruteForce(texts: ReturnType<typeof allTexts>, search: string): number[] {
  const terms = searchTerms(search);
  return texts
    .filter((t) => terms.every((term) => containsAll(t.question, [term]) || containsAll(t.response, [term])))
    .map((t) => t.id);
}

/** The ids the index's query gives for `search`, every page, no other filter. */
function searched(index: ResultIndex, search: string): number[] {
  const ids: number[] = [];
  for (let offset = 0; ; offset += 500) {
    const page = index.query({ text: search, limit: 500, offset });
    ids.push(...page.rows.map((r) => r.id));
    if (page.rows.length < 500) {
      assert.equal(page.total, ids.length, `total for ${search}`);
      break;
    }
  }
  return ids.sort((a, b) => a - b);
}

function assertAgrees(index: ResultIndex, texts: ReturnType<typeof allTexts>, searches: string[]): void {
  for (const s of searches) {
    const expected = bruteForce(texts, s);
    assert.deepEqual(searched(index, s), expected, `search ${s}`);
  }
}

// Questions and responses where the same words come in different orders, and where one term is only in
// the question and another only in the response.
function phraseFixture(): string {
  const dir = tempDir();
  const questions = realQuestions();
  writeJson(path.join(dir, 'data', 'real_mc.json'), questions);
  const responses = [
    'The lid is turning left, then it stops.',
    'Left turning is what I see; the car stops.',
    'I see the car turning LEFT and the bus turning right.',
    'Nothing is turning. Left alone, the answer is A.',
    'The object is "turning left" in quotes.',
    'Counter-clockwise spin, the final answer is B.',
    'turning\nleft across a line break',
    'The wheel goes clockwise.',
    'It moves right.',
    'Left, left, left.',
  ];
  writeJson(
    path.join(dir, 'processed_outputs', 'real_mc_cot', 'phrase-vl_8frame.json'),
    questions.map((q, i) => ({
      id: q.id,
      question: q.question,
      choices: q.choices,
      response: responses[i % responses.length],
      ground_truth_answer: q.answer,
      extracted_answer: 'A',
      correct: false,
    })),
  );
  return dir;
}

describe('the search language in the index', () => {
  it('matches what a brute force over every question and response finds, on a fixture of phrases', async () => {
    const index = await openIndex(phraseFixture());
    const texts = allTexts(index);
    const searches = [
      '"turning left"',
      '"left turning"',
      'turning left',
      'left turning',
      '"TURNING left" stops',
      'car "turning right"',
      // One term only in questions ("bus", "dog"), the other only in responses.
      'bus "turning left"',
      'dog clockwise',
      'direction "the final answer"',
      '"counter-clockwise" spin',
      '"turning left',
      'clockwise -clockwise',
      '"\\"turning left\\""',
      'nothing-matches-this',
    ];
    assertAgrees(index, texts, searches);
    // The fixture is made so that the phrase and its words disagree: the test would pass for a wrong reason
    // if they did not.
    assert.notDeepEqual(bruteForce(texts, '"turning left"'), bruteForce(texts, 'turning left'));
    assert.notDeepEqual(bruteForce(texts, '"turning left"'), bruteForce(texts, '"left turning"'));
    assert.ok(bruteForce(texts, 'bus "turning left"').length > 0, 'a term in the question, another in the response');
    index.close();
  });

  it('matches the brute force on the whole motion demo sample', async () => {
    const index = await openIndex(path.join(ROOT, 'samples', 'motion-demo'));
    const texts = allTexts(index);
    assert.ok(texts.length > 0);
    assertAgrees(index, texts, [
      '"white square"',
      '"square white"',
      'square white',
      '"keyword rule" left',
      '"final answer is: C"',
      'clockwise "red end"',
      '"<script>alert(2)</script>"',
      'bounce "the final answer is: A"',
      '"moving towards"',
      'towards moving',
      'circle "not from the clip"',
    ]);
    index.close();
  });

  it('treats a search without a term (empty quotes) as no search', async () => {
    const index = await openIndex(path.join(ROOT, 'samples', 'motion-demo'));
    assert.equal(index.query({ text: '""' }).total, index.query({}).total);
    assert.equal(index.query({ text: '  " "  ' }).total, index.query({}).total);
    index.close();
  });
});

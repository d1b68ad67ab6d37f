// Copy Key and Copy as Markdown: the host's check of the view's copy message (untrusted: the page could be
// anything), and the Markdown of a shown prediction with the annotation in force.
import * as assert from 'node:assert/strict';
import { predictionMarkdown } from '../../src/core/predictionMarkdown';
import { detailMarkdown } from '../../src/protocol/detailMarkdown';
import { MAX_COPY, parseDetailMessage } from '../../src/protocol/detailValidate';
import type { DetailData } from '../../src/protocol/detailView';

function shown(): DetailData {
  return {
    prediction: {
      id: 3,
      key: 'real/cot/gpt-4o_8frame/validation_3',
      split: 'real',
      qid: 'validation_3',
      question: 'Which way does the car turn?',
      model: 'gpt-4o',
      samplingLabel: '8frame',
      promptMode: 'cot',
      stage: 'judged',
      groundTruth: 'left',
      groundTruthLetter: 'A',
      chosen: 'B',
      chosenText: 'right',
      outcome: 'failed',
      judgeCorrect: false,
      grader: 'judge',
      perspective: 'egocentric',
      motion: 'translational',
      source: 'davis',
      rules: { perspective: 'p', motion: 'm', source: 's' },
      choices: { A: 'left', B: 'right' },
      response: 'In the second image the car turns right.\n\nFinal answer: B',
      extractedAnswer: 'B',
      judgeExtras: {},
      video: null,
      videoDeclaredIn: null,
      filePath: '/r/x.json',
      sampling: { kind: 'frames', count: 8 },
      ruleReading: { letter: 'B', rule: 'final-answer-sentence', correct: false },
      otherJudges: [],
    },
    responseRest: null,
    clip: { kind: 'missing', video: null, tried: [], remotePossible: false },
    others: [],
    finalAnswer: null,
    position: null,
    annotation: {
      tags: ['direction-reversal'],
      questionTags: ['ambiguous-question'],
      note: '',
      questionNote: '',
      verdict: 'correct',
      vocabulary: [],
      questionVocabulary: [],
      taggingOff: null,
    },
  };
}

describe('copy from the detail view', () => {
  it('the host accepts a copy message rebuilt from its known fields only, and refuses a malformed one', () => {
    assert.deepEqual(parseDetailMessage({ type: 'copy', id: 3, what: 'key', text: 'a/b/c', extra: 1 }), {
      type: 'copy',
      id: 3,
      what: 'key',
      text: 'a/b/c',
    });
    assert.deepEqual(parseDetailMessage({ type: 'copy', id: 0, what: 'markdown', text: 'x'.repeat(MAX_COPY) }), {
      type: 'copy',
      id: 0,
      what: 'markdown',
      text: 'x'.repeat(MAX_COPY),
    });
    for (const bad of [
      { type: 'copy', id: 3, what: 'file', text: 'x' },
      { type: 'copy', id: 3, what: 'key', text: '' },
      { type: 'copy', id: 3, what: 'key', text: 7 },
      { type: 'copy', id: 3, what: 'key', text: 'x'.repeat(MAX_COPY + 1) },
      { type: 'copy', id: -1, what: 'key', text: 'x' },
      { type: 'copy', what: 'key', text: 'x' },
    ])
      assert.equal(parseDetailMessage(bad), null, JSON.stringify(bad).slice(0, 80));
  });

  it('the Markdown of the shown prediction carries its tags, question tags and the override in force', () => {
    const d = shown();
    const md = detailMarkdown(d);
    const p = d.prediction;
    assert.equal(
      md,
      predictionMarkdown({
        ...p,
        annotation: { tags: ['direction-reversal'], questionTags: ['ambiguous-question'], verdict: 'correct' },
      }),
    );
    assert.match(md, /overridden: correct/);
    assert.ok(md.includes('**Tags:** direction\\-reversal, ambiguous\\-question \\(question\\)'), md);
    // No override: none is claimed.
    d.annotation.verdict = null;
    assert.doesNotMatch(detailMarkdown(d), /overridden/);
  });
});

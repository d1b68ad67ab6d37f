import * as assert from 'node:assert/strict';
import MarkdownIt from 'markdown-it';
import type { MarkdownPrediction } from '../../src/core/predictionMarkdown';
import { predictionMarkdown } from '../../src/core/predictionMarkdown';

const base: MarkdownPrediction = {
  key: 'real/cot/gpt-4o_32frame/validation_12',
  split: 'real',
  qid: 'validation_12',
  model: 'gpt-4o',
  samplingLabel: '32frame',
  promptMode: 'cot',
  question: 'Which way is the bear turning?',
  choices: { A: 'clockwise', B: 'counter-clockwise', C: 'not turning', D: 'no bear' },
  groundTruth: 'counter-clockwise',
  groundTruthLetter: 'B',
  chosen: 'A',
  chosenText: 'clockwise',
  outcome: 'failed',
  judgeCorrect: false,
  grader: 'judge',
  ruleReading: { letter: 'A', correct: false },
  response: 'In the first frame the bear faces left.\nTherefore, the final answer is: A',
  annotation: { tags: ['rotation-sense-reversed'], questionTags: ['clip-unclear'] },
};

const md = new MarkdownIt({ html: true, linkify: true });
/** The text a reader sees once the Markdown is rendered (tags stripped, entities decoded). */
const visible = (html: string) =>
  html
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');

describe('a prediction as Markdown', () => {
  it('gives the question, choices with truth and chosen marked, verdicts, tags, the response and the key', () => {
    const out = predictionMarkdown(base);
    const seen = visible(md.render(out));
    assert.match(seen, /gpt-4o_32frame \(cot\) on real\/validation_12/);
    assert.match(seen, /Question: Which way is the bear turning\?/);
    assert.match(seen, /A\. clockwise \(chosen\)/);
    assert.match(seen, /B\. counter-clockwise \(truth\)/);
    assert.match(seen, /Verdict: failed, judge: failed; rule: failed/);
    assert.match(seen, /Tags: rotation-sense-reversed, clip-unclear \(question\)/);
    assert.match(seen, /Therefore, the final answer is: A/);
    assert.match(seen, /Key: real\/cot\/gpt-4o_32frame\/validation_12/);
  });

  it('keeps hostile text as text wherever it is pasted: no hidden links, images, HTML, headings or tables from the data', () => {
    const hostile =
      '# Owned\n<script>alert(1)</script> [click](http://evil.example) ![x](http://evil.example/x.png) | a | b |\n|---|---|\n*bold* `code` 1. item';
    const p = {
      ...base,
      question: hostile,
      response: hostile,
      model: '<b>m</b>',
      choices: { ...base.choices, C: '[c](http://x)' },
      key: 'k`ey',
    };
    const html = md.render(predictionMarkdown(p));
    assert.doesNotMatch(html, /<(script|img|h1|table|em>|b>m)/, html);
    // A bare URL may be linked where it is pasted (GitHub does), but only as itself: no hidden target.
    for (const [, href, text] of html.matchAll(/<a href="([^"]*)">([^<]*)<\/a>/g)) assert.equal(text, href);
    const seen = visible(html);
    for (const line of hostile.split('\n')) assert.ok(seen.includes(line), `"${line}" shown as written`);
    assert.ok(seen.includes('k`ey'), 'a key with a backtick stays whole in its code span');
  });

  it('cuts a long response at a word, says so, and names a truth outside the choices and an unreadable answer', () => {
    const long = {
      ...base,
      response: 'word '.repeat(1000),
      groundTruthLetter: null,
      groundTruth: 'left then right',
      chosen: null,
      chosenText: null,
    };
    const out = predictionMarkdown(long, 100);
    const quote = out.split('\n').filter((l) => l.startsWith('> '));
    assert.equal(quote.length, 1);
    assert.ok((quote[0] as string).length <= 2 + 100 + 2, quote[0]);
    assert.ok((quote[0] as string).endsWith('word …'));
    assert.match(out, /Truth \(not one of the choices\): left then right/);
    assert.match(out, /Chosen: no answer readable/);
  });
});

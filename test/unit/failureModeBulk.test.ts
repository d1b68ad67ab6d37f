// The bulk pass of the detectors (detectorBits, what the index runs over every prediction) against the
// per-prediction reference (detectFailureModes, what the detail view shows): the same detectors for every
// prediction of the committed blind sample of published failures, whatever option it chose, and for texts
// made to test the fast reading of the reasoning (case, non-ASCII characters, letters across lines).
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import type { FailureCase } from '../../src/core/failureModes';
import { DETECTORS, detectFailureModes, detectorBits } from '../../src/core/failureModes';
import type { ChoiceLetter, Choices, Perspective } from '../../src/core/model';

const SAMPLE = path.resolve(__dirname, '..', '..', 'docs', 'failure-modes', 'sample.jsonl');
const CHOSEN: (ChoiceLetter | null)[] = ['A', 'B', 'C', 'D', null];

function referenceBits(c: FailureCase): number {
  return detectFailureModes(c).reduce((bits, s) => bits | (1 << DETECTORS.indexOf(s.detector)), 0);
}

const named = (bits: number) => DETECTORS.filter((_, i) => bits & (1 << i)).join(', ') || 'none';

/** Asserts that both paths agree on `c` for every chosen option; returns how many cases were compared. */
function agree(c: FailureCase, what: string): number {
  for (const chosen of CHOSEN) {
    const k = { ...c, chosen };
    let read = 0;
    const bits = detectorBits(k.choices, k.groundTruth, k.chosen, k.perspective, () => (read++, k.response));
    assert.equal(named(bits), named(referenceBits(k)), `${what}, chosen ${chosen}`);
    assert.ok(read <= 1, 'the response is read once at most');
  }
  return CHOSEN.length;
}

interface SampleLine {
  id: string;
  question: string;
  options: Record<string, string>;
  truth: string;
  response: string;
}

describe('failure-mode detectors in bulk', () => {
  it('give what the reference gives for every prediction of the published sample, whatever was chosen', () => {
    const lines = fs
      .readFileSync(SAMPLE, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as SampleLine);
    assert.ok(lines.length > 300);
    // The predictions of a question share its choices, as in the index (per-question caches).
    const shared = new Map<string, Choices>();
    let compared = 0;
    const contradictions = new Set<string>();
    for (const line of lines) {
      const key = JSON.stringify([line.question, line.options]);
      const choices = shared.get(key) ?? (line.options as Choices);
      shared.set(key, choices);
      const letter = /^([A-D]): /.exec(line.truth)?.[1] as ChoiceLetter | undefined;
      const groundTruth = letter ? (choices[letter] as string) : line.truth;
      const qnum = Number(/(\d+)$/.exec(line.id)?.[1]);
      const perspective: Perspective = line.id.startsWith('real/') && qnum > 922 ? 'egocentric' : 'exocentric';
      const c: FailureCase = {
        question: line.question,
        choices,
        groundTruth,
        chosen: null,
        perspective,
        response: line.response,
      };
      for (const p of ['egocentric', 'exocentric', 'unspecified'] as const)
        compared += agree({ ...c, perspective: p }, `${line.id} (${p})`);
      // The same reasoning in capitals, and with characters that lower-case to ASCII or change length.
      compared += agree({ ...c, response: line.response.toUpperCase() }, `${line.id} in capitals`);
      compared += agree(
        { ...c, response: line.response.replace(/k/g, '\u212a').replace(/I/g, '\u0130') },
        `${line.id} with Kelvin signs and dotted capital I`,
      );
      for (const chosen of CHOSEN)
        if (detectFailureModes({ ...c, chosen }).some((s) => s.tag === 'reasoning-contradicts-answer'))
          contradictions.add(line.id);
    }
    assert.ok(compared > 9000);
    assert.ok(contradictions.size > 100, `the sample exercises the reasoning's detector (${contradictions.size})`);
  });

  it('read the reasoning as the reference does where the fast reading could go wrong', () => {
    const choices: Choices = { A: 'left', B: 'right', C: 'not moving', D: 'counter-clockwise' };
    const c: FailureCase = {
      question: 'Which way?',
      choices,
      groundTruth: 'left',
      chosen: 'B',
      perspective: 'exocentric',
      response: '',
    };
    const reasonings = [
      // A letter pattern running over a line break: the "(A)" on the next line is read.
      'It goes to the answer\n(A) as the frames show.',
      'The answer\nA: left - this is incorrect.\nSo it is (A).',
      // Letters and texts glued to words, hyphens, underscores.
      'Moving leftward, not right-handed, the_left; optionA (A)x Xoption B.',
      'It turns counter-clockwise. Clockwise is ruled out.',
      'It moves LEFT.\nTo determine whether it moves right, look again.',
      'Surely it is Left\u00a0. Then right? Then\u2028left.\u3000Right!',
      'Caf\u00e9 on the left. The \u212aelvin sign: \u0130t goes right.',
      'Left\nright\n\nleft  right.  (B)',
      'option (C) or choice D? It is not moving, answer: (D).',
      'A. left\nB. right\nC. not moving\nThe car moves right and left.',
      '',
      'left',
      '(B)',
    ];
    for (const reasoning of reasonings) {
      agree({ ...c, response: `${reasoning}\nTherefore, the final answer is: B` }, JSON.stringify(reasoning));
      agree({ ...c, response: `${reasoning} Final Answer: (C)` }, JSON.stringify(reasoning));
    }
    // An option's text inside another's: only the longer is named.
    for (const reasoning of ['It spins counter-clockwise.', 'It goes left then right.', 'Left then right, then left.'])
      agree(
        {
          ...c,
          choices: { A: 'clockwise', B: 'counter-clockwise', C: 'left then right', D: 'left' },
          groundTruth: 'clockwise',
          response: `${reasoning}\nTherefore, the final answer is: A`,
        },
        reasoning,
      );
    // A text found again inside its own last match is not found there (a global pattern goes on after it).
    agree(
      {
        ...c,
        choices: { A: 'left left', B: 'left', C: 'not moving' },
        groundTruth: 'not moving',
        response: 'It goes left left left.\nFinal answer: C',
      },
      'overlapping texts',
    );
    // Control characters one bit away from a space or a hyphen in the options' texts are not them.
    for (const reasoning of [
      'It turns counter\rclockwise.',
      'It is not\u0000moving.',
      'It is not\u0000moving or left.',
    ])
      agree(
        {
          ...c,
          choices: { A: 'clockwise', B: 'counter-clockwise', C: 'not moving', D: 'left' },
          groundTruth: 'clockwise',
          response: `${reasoning}\nTherefore, the final answer is: A`,
        },
        JSON.stringify(reasoning),
      );
    // Options with non-ASCII text, and with pattern characters.
    agree(
      {
        ...c,
        choices: { A: 'à gauche', B: 'à droite', C: 'immobile' },
        groundTruth: 'à gauche',
        response: 'Il va à droite.\nFinal answer: A',
      },
      'non-ASCII options',
    );
    agree(
      {
        ...c,
        choices: { A: 'left (fast)', B: 'right?', C: 'a+b', D: 'not moving' },
        groundTruth: 'left (fast)',
        response: 'It is a+b, right? So left (fast).\nFinal answer: B',
      },
      'options with pattern characters',
    );
  });

  it('flags no valid answer without reading the response', () => {
    const choices: Choices = { A: 'left', B: 'right' };
    let read = 0;
    const bits = detectorBits(choices, 'left', 'C', 'exocentric', () => (read++, ''));
    assert.equal(named(bits), 'no-valid-answer');
    assert.equal(read, 0);
  });
});

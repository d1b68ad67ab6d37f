import * as assert from 'node:assert/strict';
import type { FailureCase } from '../../src/core/failureModes';
import { DETECTORS, DETECTOR_DEFINITIONS, detectFailureModes } from '../../src/core/failureModes';
import { DEFAULT_TAGS } from '../../src/core/annotations/format';

const base: FailureCase = {
  question: 'Which direction is the car moving?',
  choices: { A: 'left', B: 'right', C: 'not moving', D: 'no car there' },
  groundTruth: 'left',
  chosen: 'B',
  perspective: 'exocentric',
  response: 'The car moves across the frame.\nTherefore, the final answer is: B',
};
const tags = (c: Partial<FailureCase>) => detectFailureModes({ ...base, ...c }).map((s) => s.tag);

describe('failure-mode detectors', () => {
  it('each proposes a tag of the default vocabulary, with a definition', () => {
    for (const d of DETECTORS) {
      assert.ok(DEFAULT_TAGS.includes(d), d);
      assert.ok(DETECTOR_DEFINITIONS[d].length > 20);
    }
  });

  it('reads reversed directions and turning senses through the answer labels', () => {
    assert.deepEqual(tags({}), ['direction-reversal']);
    assert.deepEqual(
      tags({
        choices: { A: 'coming closer', B: 'going further away', C: 'left', D: 'right' },
        groundTruth: 'coming closer',
        chosen: 'B',
      }),
      ['direction-reversal'],
    );
    assert.deepEqual(tags({ choices: { A: 'up', B: 'down', C: 'left', D: 'right' }, groundTruth: 'up', chosen: 'B' }), [
      'direction-reversal',
    ]);
    assert.deepEqual(
      tags({
        choices: { A: 'clockwise', B: 'counter-clockwise', C: 'not rotating', D: 'left' },
        groundTruth: 'clockwise',
        chosen: 'B',
      }),
      ['rotation-sense-reversed'],
    );
    assert.deepEqual(tags({ chosen: 'C' }), ['missed-motion'], 'not moving for a motion');
    assert.deepEqual(tags({ groundTruth: 'not moving', chosen: 'A' }), ['hallucinated-motion']);
    assert.deepEqual(tags({ groundTruth: 'no car there', chosen: 'C' }), ['absent-object-answered']);
    assert.deepEqual(
      tags({ choices: { A: 'left', B: 'towards the camera', C: 'not moving', D: 'no car there' }, chosen: 'B' }),
      [],
      'a wrong direction that is not the opposite',
    );
  });

  it('reads swapped left and right on an egocentric question as a perspective confusion too', () => {
    assert.deepEqual(tags({ perspective: 'egocentric' }), ['direction-reversal', 'perspective-confusion']);
    assert.deepEqual(
      tags({
        perspective: 'egocentric',
        choices: { A: 'towards', B: 'away', C: 'left', D: 'right' },
        groundTruth: 'towards',
        chosen: 'B',
      }),
      ['direction-reversal'],
      'towards/away does not depend on whose frame',
    );
  });

  it('gives a counting error with how far off it is', () => {
    const s = detectFailureModes({ ...base, choices: { A: 1, B: 2, C: 3, D: 4 }, groundTruth: 3, chosen: 'A' });
    assert.deepEqual(
      s.map((x) => x.tag),
      ['counting-error'],
    );
    assert.match(s[0]?.evidence ?? '', /Off by -2/);
  });

  it('flags no valid answer alone', () => {
    assert.deepEqual(tags({ chosen: null }), ['no-valid-answer']);
  });

  it('finds a reasoning that concludes one option and a final answer that names another, and quotes it', () => {
    const response =
      'Frame 1 shows the car on the right. In the last frame it is further left.\nSo the car is moving to the left.\nTherefore, the final answer is: B';
    const s = detectFailureModes({ ...base, response });
    assert.deepEqual(
      s.map((x) => x.tag),
      ['direction-reversal', 'reasoning-contradicts-answer'],
    );
    assert.match(s[1]?.evidence ?? '', /concludes A \(left\): "So the car is moving to the left\."/);
  });

  it('does not read a restated question, a listed or ruled-out option, or a sentence naming two options as a conclusion', () => {
    for (const reasoning of [
      'To determine whether the car moves left or right, look at the frames.',
      'A: left - this is incorrect, the car never goes left.',
      'The car is not moving left.\nIt seems to go right, not left.',
      'Is it moving left?',
    ]) {
      assert.deepEqual(
        tags({ response: `${reasoning}\nTherefore, the final answer is: B` }),
        ['direction-reversal'],
        reasoning,
      );
    }
    const rotation = {
      choices: { A: 'clockwise', B: 'counter-clockwise', C: 'not rotating', D: 'left' },
      groundTruth: 'clockwise',
      chosen: 'B' as const,
    };
    assert.deepEqual(
      tags({ ...rotation, response: 'It spins counter-clockwise.\nTherefore, the final answer is: B' }),
      ['rotation-sense-reversed'],
      '"clockwise" inside "counter-clockwise" is not option A',
    );
    const sequence = {
      choices: { A: 'left', B: 'left then right', C: 'right', D: 'not moving' },
      groundTruth: 'right',
      chosen: 'A' as const,
    };
    assert.deepEqual(
      tags({ ...sequence, response: 'The ball goes left then right.\nTherefore, the final answer is: A' }),
      ['direction-reversal', 'reasoning-contradicts-answer'],
      '"left" and "right" inside "left then right" name option B only',
    );
  });

  it('reads every sentence whole, whichever sentence was looked at before (letters in parentheses)', () => {
    const choices = { A: 'closer towards the camera', B: 'not moving', C: 'further away', D: 'no car there' };
    const response =
      'The car is not moving towards the camera (A). It is staying put (B). Therefore, the final answer is: C';
    const s = detectFailureModes({ ...base, choices, groundTruth: 'closer towards the camera', chosen: 'C', response });
    const contra = s.find((x) => x.tag === 'reasoning-contradicts-answer');
    // The last sentence naming an option concludes B; the one before names A and B and would conclude nothing.
    assert.match(contra?.evidence ?? '', /concludes B \(not moving\): "It is staying put \(B\)\."/);
  });
});

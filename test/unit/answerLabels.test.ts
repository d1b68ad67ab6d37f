import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { ANSWER_LABELS, answerLabel, answerLabelOfChoice } from '../../src/core/answerLabels';
import type { ChoiceLetter } from '../../src/core/model';

describe('canonical answer labels', () => {
  it('maps the benchmark option texts to labels', () => {
    const cases: [string | number, string][] = [
      ['left', 'left'],
      ['To the left', 'left'],
      ['right to left', 'left'],
      ['left to right', 'right'],
      ['towards the camera', 'towards'],
      ['coming closer', 'towards'],
      ['away from the camera', 'away'],
      ['going further away', 'away'],
      ['clockwise', 'clockwise'],
      ['counter-clockwise', 'counter-clockwise'],
      ['counterclockwise', 'counter-clockwise'],
      ['anticlockwise', 'counter-clockwise'],
      ['not moving', 'not moving'],
      ['not spinning', 'not moving'],
      ['staying in place', 'not moving'],
      ['moving straight and not turning', 'not moving'],
      ['there are no people in the video', 'absent'],
      ['no robot there', 'absent'],
      ['none', 'absent'],
      [3, '3'],
      ['0', '0'],
      ['10', '9+'],
      ['up', 'up'],
      ['uphill', 'up'],
      ['above', 'up'],
      ['bottom to top', 'up'],
      ['downwards', 'down'],
      ['top to bottom', 'down'],
      ['backwards', 'backwards'],
      ['forward', 'forwards'],
      ['straight', 'forwards'],
      ['in front of', 'in front'],
      ['behind', 'behind'],
      ['yes', 'yes'],
      ['no', 'no'],
      ['both ways', 'both'],
      ['neither', 'neither'],
      ['not enough information in the scene to answer', 'unsure'],
      ['Left then right', 'left then right'],
      ['right, then left', 'right then left'],
      ['once', '1'],
      ['3 times', '3'],
      ['2 logs', '2'],
      ['takes a book from a stack, once.', '1'],
      ['he did not move the tray.', 'not moving'],
      ['no dogs in the video', 'absent'],
      ['ther are no ice skaters in the video', 'absent'],
      ['diving in', 'other'],
    ];
    for (const [text, label] of cases) assert.equal(answerLabel(text), label, String(text));
  });

  it('labels the common options of the published benchmark files (none of the 30 most frequent is "other" unless it is no direction of the list)', () => {
    const file = path.join(__dirname, '..', '..', 'samples', 'vlm4d-published', 'data', 'real_mc.json');
    const questions = JSON.parse(fs.readFileSync(file, 'utf8')) as { choices: Record<string, string | number> }[];
    const counts = new Map<string, number>();
    for (const q of questions)
      for (const v of Object.values(q.choices))
        counts.set(String(v).trim().toLowerCase(), (counts.get(String(v).trim().toLowerCase()) ?? 0) + 1);
    const top = [...counts]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 30)
      .map(([t]) => t);
    const other = top.filter((t) => answerLabel(t) === 'other');
    // Vertical and front/back directions have no label of their own in the list.
    for (const t of other)
      assert.match(
        t,
        /\b(?:up|down|upward|downward|upwards|downwards|uphill|downhill|forwards?|backwards?|above|below|behind|front|straight|neither|yes|no|not sure|not enough|both|sideways|top|middle|back)\b/,
        t,
      );
  });

  const benchmark = (split: string) =>
    JSON.parse(
      fs.readFileSync(
        path.join(__dirname, '..', '..', 'samples', 'vlm4d-published', 'data', `${split}_mc.json`),
        'utf8',
      ),
    ) as {
      answer: string | number;
      choices: Partial<Record<ChoiceLetter, string | number>>;
    }[];

  it('leaves under 2% of the benchmark ground truths as "other"', () => {
    const truths = [...benchmark('real'), ...benchmark('synthetic')].map((q) => q.answer);
    const other = truths.filter((t) => answerLabel(t) === 'other').length;
    assert.ok(other / truths.length < 0.02, `${other} of ${truths.length} are "other"`);
  });

  it('never labels a wrong option as the truth: no failure can sit on the diagonal', () => {
    let otherOption = 0;
    for (const q of [...benchmark('real'), ...benchmark('synthetic')]) {
      const truthLabel = answerLabel(q.answer);
      for (const letter of ['A', 'B', 'C', 'D'] as const) {
        const value = q.choices[letter];
        if (value === undefined || String(value).trim().toLowerCase() === String(q.answer).trim().toLowerCase())
          continue;
        const label = answerLabelOfChoice(q.choices, letter, q.answer);
        assert.notEqual(label, truthLabel, `${JSON.stringify(q.choices)}: ${letter} is not the truth ${q.answer}`);
        if (label === 'other option') otherOption++;
      }
    }
    assert.ok(otherOption > 0, 'the benchmark has options the labels cannot tell from the truth');
    assert.ok(ANSWER_LABELS.includes('other option'));
  });
});

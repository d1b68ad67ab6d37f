import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { answerLabel } from '../../src/core/answerLabels';

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
      ['up', 'other'],
      ['backwards', 'other'],
    ];
    for (const [text, label] of cases) assert.equal(answerLabel(text), label, String(text));
  });

  it('labels the common options of the published benchmark files (none of the 30 most frequent is "other" unless it is no direction of the list)', () => {
    const file = path.join(__dirname, '..', '..', 'samples', 'vlm4d-published', 'data', 'real_mc.json');
    const questions = JSON.parse(fs.readFileSync(file, 'utf8')) as { choices: Record<string, string | number> }[];
    const counts = new Map<string, number>();
    for (const q of questions) for (const v of Object.values(q.choices)) counts.set(String(v).trim().toLowerCase(), (counts.get(String(v).trim().toLowerCase()) ?? 0) + 1);
    const top = [...counts].sort((a, b) => b[1] - a[1]).slice(0, 30).map(([t]) => t);
    const other = top.filter((t) => answerLabel(t) === 'other');
    // Vertical and front/back directions have no label of their own in the list.
    for (const t of other) assert.match(t, /\b(?:up|down|upward|downward|upwards|downwards|uphill|downhill|forwards?|backwards?|above|below|behind|front|straight|neither|yes|no|not sure|not enough|both|sideways|top|middle|back)\b/, t);
  });
});

import * as assert from 'node:assert/strict';
import { letterOfChoice, letterOfExtracted } from '../../src/core/answers';
import type { ChoiceValue, Choices } from '../../src/core/model';

// letterOfExtracted and letterOfChoice run for every record loaded, so they take shortcuts; these tests
// hold them to the rules as documented, written out plainly here.
const LETTERS = ['A', 'B', 'C', 'D'] as const;
const norm = (v: ChoiceValue) => String(v).trim().toLowerCase();
const byRule = (choices: Choices, value: ChoiceValue | null) =>
  value === null
    ? null
    : (LETTERS.find((l) => choices[l] !== undefined && norm(choices[l] as ChoiceValue) === norm(value)) ?? null);
const extractedByRule = (choices: Choices, extracted: string | null) =>
  extracted === null ? null : (/^\s*\(?([A-D])\)?\s*(?:[:.)]|$)/.exec(extracted)?.[1] ?? byRule(choices, extracted));

describe('reading answer letters', () => {
  const choices: Choices = { A: 'Left ', B: 'left', C: 3, D: 'not moving' };

  it("reads the judge's extracted answer in every shape as the documented expression does", () => {
    const shapes = [
      'B: left',
      'B',
      'B.',
      'B)',
      'B) left',
      'B. not moving',
      'B:',
      'Bx',
      'B left',
      'b: left',
      ' B: left',
      '(B)',
      '(B) left',
      'E: x',
      'D',
      'A:B',
      'No Valid Answer',
      'left',
      'LEFT',
      ' not moving ',
      '3',
      '',
      'C)',
    ];
    for (const s of shapes) assert.equal(letterOfExtracted(choices, s), extractedByRule(choices, s), JSON.stringify(s));
    assert.equal(letterOfExtracted(choices, null), null);
  });

  it('finds the first choice equal to a value once trimmed and lower-cased, numbers as text', () => {
    const values: (ChoiceValue | null)[] = [
      'left',
      'Left ',
      'LEFT',
      ' left',
      3,
      '3',
      ' 3 ',
      'not moving',
      'Not Moving',
      'right',
      '',
      null,
      4,
    ];
    for (const v of values) assert.equal(letterOfChoice(choices, v), byRule(choices, v), JSON.stringify(v));
    // The exact text of a later choice does not win over an earlier choice equal to it once normalised.
    assert.equal(letterOfChoice(choices, 'left'), 'A');
    assert.equal(letterOfChoice({ A: 'À droite', B: 'à droite' }, 'à droite'), 'A');
  });
});

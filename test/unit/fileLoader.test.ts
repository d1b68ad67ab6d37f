import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { readAnswer } from '../../src/core/answerReading';
import { discover } from '../../src/core/discovery';
import type { CompactRecords } from '../../src/core/index/fileLoader';
import { KnownQuestions, loadFile } from '../../src/core/index/fileLoader';
import { unpackText } from '../../src/core/index/textStore';
import { CHOICE_LETTERS } from '../../src/core/model';
import { tempDir } from '../support/fixtures';

// A result file is read as Latin-1 when that loses nothing (its strings are then UTF-8 bytes, and every
// field but the responses is decoded); these tests compare what the loader keeps with JSON.parse of the
// file decoded as UTF-8, for each way a file can be written.

/** Non-ASCII in every field, including U+00A0, whose second UTF-8 byte reads as Latin-1 whitespace. */
const RECORDS = [
  {
    id: 'validation_1',
    question: 'Dans quelle direction le vélo se déplace-t-il ?',
    choices: { A: 'À gauche', B: 'à droite\u00a0', C: 'immobile', D: 'pas de vélo…' },
    response: 'Le vélo → va à droite 😀.\nTherefore, the final answer is: B',
    ground_truth_answer: 'À DROITE',
    extracted_answer: 'B: à droite',
    correct: true,
    video: 'https://example.org/vidéo/1.mp4',
    judge_rationale: 'Réponse B : correcte.',
    judge_scores: { fidélité: 'élevée', note: 1 },
  },
  {
    id: 'validation_2',
    question: 'Combien de fois la balle tourne-t-elle ?',
    choices: { A: 3, B: 'deux fois', C: 'Une fois', D: 'aucune' },
    response: '\ufeffIl n’y a qu’un tour — réponse C.',
    ground_truth_answer: 'une fois\u00a0',
    extracted_answer: '\u00a0UNE FOIS',
    correct: true,
  },
  {
    id: 'q-é-3',
    question: 'Plain ASCII question?',
    choices: { A: 'left', B: 'right', C: 'not moving', D: 'no car' },
    response: 'ASCII only. Final answer: A',
    ground_truth_answer: 'right',
    extracted_answer: 'A: left',
    correct: false,
  },
];

/** The file as Python's json.dump(ensure_ascii=True) writes it: every non-ASCII character escaped. */
const escaped = (value: unknown): string =>
  JSON.stringify(value, null, 2).replace(
    /[\u0080-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );

const WAYS: Record<string, (records: unknown[]) => string | Buffer> = {
  'UTF-8 as written': (r) => JSON.stringify(r, null, 4),
  'escaped (ensure_ascii)': (r) => escaped(r),
  'UTF-8 with a \\u escape too': (r) => JSON.stringify(r, null, 4).replace('Plain ASCII', '\\u0050lain ASCII'),
  'UTF-8 with a byte order mark': (r) =>
    Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(JSON.stringify(r))]),
  // As Windows tools write it ("Unicode" in Notepad, PowerShell 5's Out-File).
  'UTF-16 LE with a byte order mark': (r) =>
    Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(JSON.stringify(r, null, 2), 'utf16le')]),
  'UTF-16 BE with a byte order mark': (r) =>
    Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(JSON.stringify(r, null, 2), 'utf16le').swap16()]),
  'UTF-16 LE without a byte order mark': (r) => Buffer.from(JSON.stringify(r), 'utf16le'),
};

/** The encoding a way of writing used, for decoding the file here independently of the loader. */
const encodingOf = (way: string): string =>
  way.includes('UTF-16 BE') ? 'utf-16be' : way.includes('UTF-16') ? 'utf-16le' : 'utf-8';

function load(file: string, content: string | Buffer): CompactRecords {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
  const f = discover(path.dirname(path.dirname(path.dirname(file)))).files.find((d) => d.path === file);
  assert.ok(f, `discovered ${file}`);
  const loaded = loadFile(f, new KnownQuestions());
  assert.equal(loaded.kind, 'results', JSON.stringify(loaded));
  return (loaded as Extract<typeof loaded, { kind: 'results' }>).records;
}

const letterIndex = (choices: Record<string, unknown>, value: unknown): number => {
  const norm = (v: unknown) => String(v).trim().toLowerCase();
  return CHOICE_LETTERS.findIndex((l) => choices[l] !== undefined && norm(choices[l]) === norm(value));
};

describe('loading a result file, however its text is encoded', () => {
  const dir = tempDir();
  for (const [way, write] of Object.entries(WAYS)) {
    it(`keeps every field as JSON.parse of the UTF-8 text reads it: ${way}`, () => {
      const file = path.join(dir, way.replace(/\W+/g, '-'), 'processed_outputs', 'real_mc_cot', 'model-x_8frame.json');
      const records = load(file, write(RECORDS));
      const expected = JSON.parse(
        new TextDecoder(encodingOf(way)).decode(fs.readFileSync(file)).replace(/^\ufeff/, ''),
      ) as typeof RECORDS;
      assert.equal(records.count, expected.length);
      expected.forEach((rec, i) => {
        assert.equal(unpackText(records.responses, i), rec.response, `response ${i}`);
        assert.equal(unpackText(records.extracted, i), rec.extracted_answer, `extracted answer ${i}`);
        assert.equal(records.truth[i], letterIndex(rec.choices, rec.ground_truth_answer), `ground truth ${i}`);
        const m = /^([A-D]):/.exec(rec.extracted_answer);
        assert.equal(
          records.chosen[i],
          m ? CHOICE_LETTERS.indexOf(m[1] as 'A') : letterIndex(rec.choices, rec.extracted_answer),
          `chosen ${i}`,
        );
        const fallback = records.fallback.find(([k]) => k === i)?.[1];
        assert.deepEqual(
          fallback && {
            id: fallback.id,
            question: fallback.question,
            choices: fallback.choices,
            video: fallback.video,
            answer: fallback.answer,
          },
          {
            id: rec.id,
            question: rec.question,
            choices: rec.choices,
            video: rec.video ?? null,
            answer: rec.ground_truth_answer,
          },
        );
      });
      // The truths above are real matches, not both -1: the trimmed, lower-cased texts agree.
      assert.deepEqual([...records.truth], [1, 2, 1]);
      assert.equal(unpackText(records.ids, 2), 'q-é-3');
      assert.deepEqual(records.extras, [
        [
          0,
          { judge_rationale: 'Réponse B : correcte.', judge_scores: JSON.stringify(RECORDS[0]?.judge_scores, null, 2) },
        ],
      ]);
    });
  }

  it('reads raw outputs by the answer-reading rule on the decoded response', () => {
    const raw = RECORDS.map(({ id, question, choices, ground_truth_answer }, i) => ({
      id,
      question,
      choices,
      ground_truth_answer,
      response: ['La réponse finale est : « B » → à droite.', 'Réponse : C — une fois', 'Final answer: A'][i],
    }));
    const records = load(path.join(dir, 'raw', 'outputs', 'real_mc_cot', 'model-y_8frame.json'), JSON.stringify(raw));
    raw.forEach((rec, i) => {
      const letter = readAnswer(rec.response as string, rec.choices).letter;
      assert.equal(records.chosen[i], letter === null ? -1 : CHOICE_LETTERS.indexOf(letter), `record ${i}`);
    });
  });

  it('places a syntax error by characters, not bytes, on a line with non-ASCII text', () => {
    const file = path.join(dir, 'broken', 'processed_outputs', 'real_mc_cot', 'model-z_8frame.json');
    const text = '[{"id": "validation_1", "question": "Où va le vélo → ?", "choices": {"A": "à gauche"} oops}]';
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
    const f = discover(path.join(dir, 'broken')).files[0];
    assert.ok(f);
    const loaded = loadFile(f, new KnownQuestions());
    assert.equal(loaded.kind, 'error');
    assert.match((loaded as { reason: string }).reason, new RegExp(`line 1, column ${text.indexOf('oops') + 1}\\b`));
  });
});

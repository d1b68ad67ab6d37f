// Small, deterministic results folders written to a temp dir, for tests. Shaped like the published
// results (see docs/user-guide.md, What the index reads) but tiny, with the expected answers kept alongside so
// tests can compute expectations independently of the code under test.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { ChoiceValue, Choices } from '../../src/core/model';

export interface FixtureQuestion {
  id: string;
  video: string;
  question_type: 'multiple-choice';
  question: string;
  choices: Record<'A' | 'B' | 'C' | 'D', string | number>;
  answer: string | number;
}

export interface FixtureJudged {
  id: string;
  question: string;
  choices: Record<'A' | 'B' | 'C' | 'D', string | number>;
  response: string;
  ground_truth_answer: string | number;
  extracted_answer: string;
  correct: boolean;
}

/** A tiny seeded PRNG so fixtures are the same on every run. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const HF = 'https://huggingface.co/datasets/shijiezhou/VLM4D/resolve/main';

/** Real questions with ids around the 922 boundary, of every motion type, from three sources. */
export function realQuestions(): FixtureQuestion[] {
  const q = (
    n: number,
    source: string,
    question: string,
    choices: (string | number)[],
    answer: string | number,
  ): FixtureQuestion => ({
    id: `validation_${n}`,
    video: `${HF}/videos_real/${source}/clip_${n}.mp4`,
    question_type: 'multiple-choice',
    question,
    choices: { A: choices[0] as string, B: choices[1] as string, C: choices[2] as string, D: choices[3] as string },
    answer,
  });
  return [
    q(
      1,
      'davis',
      'What direction is the bus moving towards?',
      ['not moving', 'there are no buses in the video', 'right', 'left'],
      'there are no buses in the video',
    ),
    q(
      2,
      'davis',
      'Which direction is the car moving?',
      ['left', 'right', 'towards the camera', 'away from the camera'],
      'left',
    ),
    q(
      3,
      'youtube-vos',
      'Is the wheel rotating clockwise or counter-clockwise?',
      ['clockwise', 'counter-clockwise', 'not rotating', 'no wheel there'],
      'clockwise',
    ),
    q(4, 'youtube-vos', 'How many times does the ball bounce?', [1, 2, 3, 4], 3),
    q(
      921,
      'davis',
      'Which way is the dancer spinning?',
      ['clockwise', 'counter-clockwise', 'not spinning', 'left'],
      'counter-clockwise',
    ),
    q(922, 'davis', 'Which direction does the dog run?', ['left', 'right', 'up', 'down'], 'right'),
    q(
      923,
      'ego4d',
      'Which direction did the bundle of beans move after washing?',
      ['above', 'left', 'below', 'right'],
      'right',
    ),
    q(
      924,
      'ego4d',
      'In which direction is the person turning the lid?',
      ['clockwise', 'counter-clockwise', 'left', 'right'],
      'clockwise',
    ),
    q(925, 'ego4d', 'How many cups does the person pick up?', [0, 1, 2, 3], 2),
    q(
      1371,
      'ego4d',
      'What direction is the cat moving?',
      ['left', 'right', 'no cat there', 'not moving'],
      'no cat there',
    ),
  ];
}

export function syntheticQuestions(): FixtureQuestion[] {
  const q = (n: number, question: string, choices: string[], answer: string): FixtureQuestion => ({
    id: `validation_${n}`,
    video: `${HF}/videos_synthetic/synth_${String(n).padStart(3, '0')}.mp4`,
    question_type: 'multiple-choice',
    question,
    choices: { A: choices[0] as string, B: choices[1] as string, C: choices[2] as string, D: choices[3] as string },
    answer,
  });
  return [
    q(1, 'Which direction is the robotic arm moving?', ['left', 'no robotic arm there', 'not moving', 'right'], 'left'),
    q(2, 'Which direction is the drone moving?', ['up', 'down', 'no drone there', 'left'], 'no drone there'),
    q(
      3,
      'Which way is the cube rotating?',
      ['clockwise', 'counter-clockwise', 'no', 'not rotating'],
      'counter-clockwise',
    ),
    q(4, 'Is there a red car moving left?', ['yes', 'no', 'maybe', 'not moving'], 'no'),
    q(5, 'Which direction is the ball rolling?', ['left', 'right', 'towards', 'away'], 'away'),
  ];
}

const LETTERS = ['A', 'B', 'C', 'D'] as const;

/** A judged file for `questions`: each answer right with probability `skill`, seeded. */
export function judge(questions: FixtureQuestion[], seed: number, skill: number): FixtureJudged[] {
  const rnd = prng(seed);
  return questions.map((q) => {
    const truth = LETTERS.find((l) => q.choices[l] === q.answer) as (typeof LETTERS)[number];
    const right = rnd() < skill;
    const chosen = right
      ? truth
      : (LETTERS.filter((l) => l !== truth)[Math.floor(rnd() * 3)] as (typeof LETTERS)[number]);
    return {
      id: q.id,
      question: q.question,
      choices: q.choices,
      response: `Looking at the frames, the object moves. Therefore, the final answer is: ${chosen}`,
      ground_truth_answer: q.answer,
      extracted_answer: `${chosen}: ${q.choices[chosen]}`,
      correct: right,
    };
  });
}

const made: string[] = [];
process.on('exit', () => {
  for (const d of made) fs.rmSync(d, { recursive: true, force: true });
});

/** A fresh temporary folder, removed when the process exits. */
export function tempDir(prefix = 'vlm4d-test-'): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(d);
  return d;
}

export function writeJson(file: string, value: unknown): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(value, null, 1));
}

export const FIXTURE_MODELS = [
  { file: 'alpha-vl_8frame.json', seed: 11, skill: 0.7 },
  { file: 'beta-vl_1fps.json', seed: 22, skill: 0.5 },
  { file: 'gamma_32frame.json', seed: 33, skill: 0.3 },
];

/**
 * A results folder in the authors' layout: data/ with both question files, and judged cot outputs of
 * three models for both splits. Returns the folder and the records written, for independent checks.
 */
export function makeResultsFolder(dir = tempDir()): { dir: string; judged: Map<string, FixtureJudged[]> } {
  writeJson(path.join(dir, 'data', 'real_mc.json'), realQuestions());
  writeJson(path.join(dir, 'data', 'synthetic_mc.json'), syntheticQuestions());
  const judged = new Map<string, FixtureJudged[]>();
  for (const m of FIXTURE_MODELS) {
    for (const [split, qs, extra] of [
      ['real', realQuestions(), 0],
      ['synthetic', syntheticQuestions(), 100],
    ] as const) {
      const file = path.join(dir, 'processed_outputs', `${split}_mc_cot`, m.file);
      const records = judge(qs, m.seed + extra, m.skill);
      writeJson(file, records);
      judged.set(file, records);
    }
  }
  return { dir, judged };
}

/** Choices A-D from values in order (integers for counting questions); missing ones are left out. */
export const choices = (...v: ChoiceValue[]): Choices => {
  const c: Choices = {};
  (['A', 'B', 'C', 'D'] as const).forEach((letter, i) => {
    const value = v[i];
    if (value !== undefined) c[letter] = value;
  });
  return c;
};

// Writes the motion demo's questions (benchmark format) and the outputs of three openly labelled rule-based
// baselines, judged by comparing the chosen option's text with the answer. Deterministic; no dependencies.
'use strict';
const fs = require('fs');
const path = require('path');

const OUT = path.join(__dirname, '..', 'samples', 'motion-demo');
const clip = (name) => `../clips/${name}.mp4`;
// ids <= 922 are exocentric and > 922 egocentric by the benchmark's rule, so both perspectives appear.
const QUESTIONS = [
  {
    id: 'validation_1',
    video: clip('moves-left'),
    question: 'Which direction is the white square moving?',
    choices: { A: 'right', B: 'not moving', C: 'left', D: 'there is no white square in the video' },
    answer: 'left',
  },
  {
    id: 'validation_2',
    video: clip('moves-right'),
    question: 'Which direction is the white square moving?',
    choices: { A: 'left', B: 'right', C: 'not moving', D: 'there is no white square in the video' },
    answer: 'right',
  },
  {
    id: 'validation_3',
    video: clip('turns-clockwise'),
    question: 'Is the bar with the red end rotating clockwise or counter-clockwise?',
    choices: { A: 'counter-clockwise', B: 'clockwise', C: 'not rotating', D: 'there is no bar in the video' },
    answer: 'clockwise',
  },
  {
    id: 'validation_4',
    video: clip('turns-counter-clockwise'),
    question: 'Is the bar with the red end rotating clockwise or counter-clockwise?',
    choices: { A: 'clockwise', B: 'not rotating', C: 'counter-clockwise', D: 'there is no bar in the video' },
    answer: 'counter-clockwise',
  },
  {
    id: 'validation_5',
    video: clip('bounces-three-times'),
    question: 'How many times does the square bounce on the ground?',
    choices: { A: 2, B: 3, C: 1, D: 4 },
    answer: 3,
  },
  {
    id: 'validation_923',
    video: clip('towards-camera'),
    question: 'Is the square moving towards or away from the camera?',
    choices: { A: 'away from the camera', B: 'towards the camera', C: 'not moving', D: 'left' },
    answer: 'towards the camera',
  },
  {
    id: 'validation_924',
    video: clip('not-moving'),
    question: 'Which direction is the white square moving?',
    choices: { A: 'left', B: 'right', C: 'not moving', D: 'up' },
    answer: 'not moving',
  },
  {
    id: 'validation_925',
    video: clip('no-circle'),
    question: 'Which direction is the red circle moving?',
    choices: { A: 'right', B: 'there is no red circle in the video', C: 'left', D: 'not moving' },
    answer: 'there is no red circle in the video',
  },
].map((q) => ({
  id: q.id,
  video: q.video,
  question_type: 'multiple-choice',
  question: q.question,
  choices: q.choices,
  answer: q.answer,
}));

const LETTERS = ['A', 'B', 'C', 'D'];
const letterOf = (q, text) => LETTERS.find((l) => String(q.choices[l]) === String(text));

/** Keyword rules: rotation → counter-clockwise, counting → 2, towards/away → away, otherwise left. */
function keywordChoice(q) {
  const s = q.question.toLowerCase();
  if (/clockwise|rotat/.test(s)) return letterOf(q, 'counter-clockwise');
  if (/how many/.test(s)) return letterOf(q, 2);
  if (/towards or away/.test(s)) return letterOf(q, 'away from the camera');
  return letterOf(q, 'left') ?? 'A';
}

function keywordResponse(q, letter) {
  const text = q.choices[letter];
  if (q.id === 'validation_925') {
    // A response that never commits to an option: the judge reads "No Valid Answer".
    return 'I looked at the frames but I am not sure which object is meant here; several shapes could be moving.';
  }
  const lines = [
    'Let me reason step by step (a **keyword-rule baseline**: it answers from words in the question, not from the clip):',
    '',
    `1. The question asks: *${q.question}*`,
    `2. Keyword rule matched, so the option is **${letter}: ${text}**.`,
  ];
  if (q.id === 'validation_2') {
    // Untrusted model text must show as text: this is a test case for the views.
    lines.push(
      '3. Note to the viewer: <img src=x onerror=alert(1)> <script>alert(2)</script> must appear as plain text.',
    );
  }
  lines.push('', `Therefore, the final answer is: ${letter}`);
  return lines.join('\n');
}

function judged(q, letter, response) {
  const chosen = letter === null ? null : q.choices[letter];
  return {
    id: q.id,
    question: q.question,
    choices: q.choices,
    response,
    ground_truth_answer: q.answer,
    extracted_answer: letter === null ? 'No Valid Answer' : `${letter}: ${chosen}`,
    correct: letter !== null && String(chosen) === String(q.answer),
  };
}

function write(rel, value) {
  const file = path.join(OUT, rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(value, null, 2) + '\n');
}

write('data/real_mc.json', QUESTIONS);
const keyword = QUESTIONS.map((q) => {
  const letter = q.id === 'validation_925' ? null : keywordChoice(q);
  return judged(q, letter, keywordResponse(q, letter ?? 'A'));
});
write('processed_outputs/real_mc_cot/keyword-rule-baseline_8frame.json', keyword);
// The same outputs before judging: the raw file the authors' pipeline writes first.
write(
  'outputs/real_mc_cot/keyword-rule-baseline_8frame.json',
  QUESTIONS.map((q, i) => ({ ...q, response: keyword[i].response })),
);
write(
  'processed_outputs/real_mc_direct-output/first-option-baseline_1fps.json',
  QUESTIONS.map((q) => judged(q, 'A', 'A')),
);
write(
  'processed_outputs/real_mc_direct-output/always-left-baseline_8frame.json',
  QUESTIONS.map((q) => {
    const letter = letterOf(q, 'left') ?? 'A';
    return judged(q, letter, `${letter}: ${q.choices[letter]}`);
  }),
);

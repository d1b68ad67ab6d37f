import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import type { ChoiceValue, Choices, MotionType, Question, Split } from '../../src/core/model';
import {
  classifyMotion,
  classifyPerspective,
  classifyQuestion,
  classifySource,
  EXOCENTRIC_MAX_ID,
  MOTION_RULES,
} from '../../src/core/taxonomy';
import { choices } from '../support/fixtures';

// Small inline fixtures only; the wording follows the published benchmark (ids in comments), but the
// benchmark files themselves are not read here.
const HF = 'https://huggingface.co/datasets/shijiezhou/VLM4D/resolve/main';
const PLAIN = choices('left', 'right', 'not moving', 'towards the camera');

/** Asserts both the value and the rule, so a case passing through the wrong rule fails too. */
function expectMotion(
  question: string,
  answer: ChoiceValue,
  value: MotionType,
  rule: string,
  c: Choices = PLAIN,
): void {
  assert.deepEqual(classifyMotion(question, c, answer), { value, rule }, `${question} => ${JSON.stringify(answer)}`);
}

describe('taxonomy: source', () => {
  it('reads the dataset from the clip URL path', () => {
    assert.deepEqual(classifySource('real', `${HF}/videos_real/davis/city-ride.mp4`), {
      value: 'davis',
      rule: 'source:url-path',
    });
    assert.deepEqual(classifySource('real', `${HF}/videos_real/ego4d/0a1b2c.mp4`), {
      value: 'ego4d',
      rule: 'source:url-path',
    });
    assert.deepEqual(classifySource('real', `${HF}/videos_real/youtube-vos/003234408d.mp4`), {
      value: 'youtube-vos',
      rule: 'source:url-path',
    });
    assert.deepEqual(classifySource('synthetic', `${HF}/videos_synthetic/synth_001.mp4`), {
      value: 'synthetic',
      rule: 'source:url-path',
    });
  });

  it('reads local copies: relative, absolute, Windows paths, any case', () => {
    assert.equal(classifySource('real', 'videos_real/davis/bear.mp4').value, 'davis');
    assert.equal(classifySource('real', '/data/VLM4D/videos_real/ego4d/x.mp4').value, 'ego4d');
    assert.equal(classifySource('real', 'C:\\clips\\videos_real\\youtube-vos\\x.mp4').value, 'youtube-vos');
    assert.deepEqual(classifySource('real', `${HF}/VIDEOS_REAL/DAVIS/bear.mp4`), {
      value: 'davis',
      rule: 'source:url-path',
    });
  });

  it('trusts the path over the split', () => {
    assert.deepEqual(classifySource('synthetic', `${HF}/videos_real/davis/bear.mp4`), {
      value: 'davis',
      rule: 'source:url-path',
    });
    assert.deepEqual(classifySource('real', `${HF}/videos_synthetic/synth_002.mp4`), {
      value: 'synthetic',
      rule: 'source:url-path',
    });
  });

  it('falls back on the split, else unknown, saying whether there was a video at all', () => {
    assert.deepEqual(classifySource('synthetic', null), { value: 'synthetic', rule: 'source:synthetic-split' });
    assert.deepEqual(classifySource('synthetic', 'clips/a.mp4'), {
      value: 'synthetic',
      rule: 'source:synthetic-split',
    });
    assert.deepEqual(classifySource('real', null), { value: 'unknown', rule: 'source:unknown-no-video' });
    assert.deepEqual(classifySource('real', '  '), { value: 'unknown', rule: 'source:unknown-no-video' });
    assert.deepEqual(classifySource('real', 'clips/moves-left.mp4'), { value: 'unknown', rule: 'source:unknown-url' });
    // An unknown real dataset, and a folder that only ends in "videos_real", are not guessed.
    assert.deepEqual(classifySource('real', `${HF}/videos_real/kinetics/a.mp4`), {
      value: 'unknown',
      rule: 'source:unknown-url',
    });
    assert.deepEqual(classifySource('real', '/x/my_videos_real/davis/a.mp4'), {
      value: 'unknown',
      rule: 'source:unknown-url',
    });
  });
});

describe('taxonomy: perspective (the authors rule)', () => {
  it('splits real questions at id 922: 922 exocentric, 923 egocentric', () => {
    assert.equal(EXOCENTRIC_MAX_ID, 922);
    assert.deepEqual(classifyPerspective('real', 'validation_922'), {
      value: 'exocentric',
      rule: 'perspective:real-id<=922',
    });
    assert.deepEqual(classifyPerspective('real', 'validation_923'), {
      value: 'egocentric',
      rule: 'perspective:real-id>922',
    });
    assert.equal(classifyPerspective('real', 'validation_1').value, 'exocentric');
    assert.equal(classifyPerspective('real', 'validation_1371').value, 'egocentric');
    assert.equal(classifyPerspective('real', 'validation_0922').value, 'exocentric');
    assert.equal(classifyPerspective('real', '923').value, 'egocentric');
    assert.equal(classifyPerspective('real', ' validation_5 ').value, 'exocentric');
  });

  it('reads only the number after the last underscore', () => {
    assert.equal(classifyPerspective('real', 'val_2000_12').value, 'exocentric');
    assert.equal(classifyPerspective('real', 'val_12_2000').value, 'egocentric');
  });

  it('leaves synthetic questions unspecified, whatever their number', () => {
    assert.deepEqual(classifyPerspective('synthetic', 'validation_1000'), {
      value: 'unspecified',
      rule: 'perspective:synthetic',
    });
    assert.deepEqual(classifyPerspective('synthetic', 'validation_3'), {
      value: 'unspecified',
      rule: 'perspective:synthetic',
    });
  });

  it('says so when a real id has no number', () => {
    for (const id of ['clip-a', 'validation_', 'validation_x', 'validation_12a', 'clip7', '']) {
      assert.deepEqual(
        classifyPerspective('real', id),
        { value: 'unspecified', rule: 'perspective:unparseable-id' },
        id,
      );
    }
  });
});

describe('taxonomy: motion rules', () => {
  it('false positive: the ground truth says the object is absent', () => {
    const rule = 'motion:fp-answer-absent';
    expectMotion(
      'What direction is the bus moving towards?',
      'there are no buses in the video',
      'false-positive',
      rule,
    ); // validation_1
    expectMotion(
      'Which way are the ice skaters moving towards?',
      'ther are no ice skaters in the video',
      'false-positive',
      rule,
    ); // typo, 770
    expectMotion('Is the lizard coming closer?', 'There is no lizard in the video', 'false-positive', rule);
    expectMotion(
      'What is the movement of the dough ball?',
      'There are no dough balls on scales',
      'false-positive',
      rule,
    ); // 1203
    expectMotion('What direction is the cow moving towards?', 'no cow there', 'false-positive', rule); // 426
    expectMotion('What direction is the dog moving towards?', 'no dogs in the video', 'false-positive', rule); // 129
    expectMotion('Which direction is the plane moving?', 'No plane', 'false-positive', rule); // 1047
    expectMotion(
      'From which side of the object did the worker apply tape to?',
      'No tape used.',
      'false-positive',
      rule,
    ); // 1139
    expectMotion(
      'Did the person move to the left or right to pick up the bowl?',
      'No bowl in the video. ',
      'false-positive',
      rule,
    ); // 1187
    expectMotion('Which direction is the cat moving?', 'the cat is not in the video', 'false-positive', rule);
    expectMotion('Is there a red car moving left?', 'no', 'false-positive', rule);
    // The synthetic wording, which the authors' FP rule ("no" / "no …") also catches.
    expectMotion('What direction is the dragon moving towards?', 'no dragon there', 'false-positive', rule);
  });

  it('false positive: nothing or none of the candidates does it', () => {
    const rule = 'motion:fp-answer-nothing';
    expectMotion('What is heading towards the cyclist?', 'Nothing. ', 'false-positive', rule); // 1046
    expectMotion('Which car is driving towards the cyclist?', 'None of them. ', 'false-positive', rule); // 1052
    expectMotion('Which slice of bread got butter first?', 'none', 'false-positive', rule);
  });

  it('not a false positive: a bare "no", a denied motion, or an object that is there but still', () => {
    expectMotion('Does the ball hit the rim, yes or no?', 'No', 'translational', 'motion:translational-default'); // 1153
    expectMotion(
      'What direction does the cook rotate the bowl?',
      'no rotation',
      'rotational',
      'motion:rotation-keyword',
    ); // 993
    expectMotion('In which direction did the duck turn?', 'no turn', 'rotational', 'motion:rotation-turning');
    expectMotion(
      'Is there any movement of the box?',
      'there is no movement',
      'translational',
      'motion:translational-default',
    );
    expectMotion(
      'What direction is the girl moving towards?',
      'not moving',
      'translational',
      'motion:translational-default',
    );
    expectMotion(
      'Is the bear spinning clockwise or counter-clockwise?',
      'not spinning',
      'rotational',
      'motion:rotation-keyword',
    ); // 18
    expectMotion(
      'In what direction did the baker move the dark bottle.',
      'The dark bottle did not move. ',
      'translational',
      'motion:translational-default',
    ); // 1198
    expectMotion(
      'In what direction did he rotate the cap of the white bottle?',
      'In no direction, he did not touch the white bottle. ',
      'rotational',
      'motion:rotation-keyword',
    ); // 985
    expectMotion(
      'Did the bike rider go up right or left ramp?',
      'neither',
      'translational',
      'motion:translational-default',
    ); // 43
  });

  it('puts false positives before counting and rotation', () => {
    expectMotion(
      'Is the car spinning clockwise or counter-clockwise?',
      'there are no cars in the video',
      'false-positive',
      'motion:fp-answer-absent',
    ); // 31
    expectMotion(
      'Is the car turning to the left or right from its own perspective?',
      'there are no cars in the video',
      'false-positive',
      'motion:fp-answer-absent',
    ); // 56
    expectMotion(
      'How many broccolis did the person pick up?',
      'there are no broccolis',
      'false-positive',
      'motion:fp-answer-absent',
      choices(0, 2, 1, 'there are no broccolis'),
    );
  });

  it('counting: "how many" anywhere, with integer or text answers', () => {
    const rule = 'motion:counting-how-many';
    expectMotion('How many times does the batter hit the ball to the left?', 1, 'counting', rule, choices(1, 2, 3, 0)); // 3
    expectMotion('How many times does the batter hit the ball to the right?', 0, 'counting', rule, choices(1, 3, 2, 0)); // 4: 0 is not "no"
    expectMotion('How many frisbees are being thrown to the right?', '2', 'counting', rule, choices(3, 2, 0, 1)); // 901: a string count
    expectMotion('How many logs does he put down using both hands?', '2 logs', 'counting', rule); // 962
    expectMotion('In the video, how many knives did the person pick up and place to the right?', 0, 'counting', rule); // 1175
    expectMotion(
      'What does he do with his left hand and how many times?',
      'Puts down a log, 3 times',
      'counting',
      rule,
    ); // 961
  });

  it('counting before rotation: counting spins, turns and pans is counting', () => {
    const rule = 'motion:counting-how-many';
    expectMotion('How many full revolutions does the dancer spin clockwise?', 2, 'counting', rule, choices(5, 7, 2, 0)); // 66
    expectMotion('How many bikers are turning to the left from their own perspectives?', 4, 'counting', rule); // 516
    expectMotion('How many times does he pan his head from left to right?', 1, 'counting', rule); // 1022
    expectMotion('How many bears are facing away from the camera?', 2, 'counting', rule); // 20
  });

  it('not counting: "how many degrees" measures an angle; a number read off is not a count', () => {
    expectMotion(
      'In what direction did he rotate it and by how many degrees?',
      'Counter Clockwise and 90 degrees. ',
      'rotational',
      'motion:rotation-keyword',
    ); // 960
    expectMotion('By how many degrees did the camera move?', '90', 'rotational', 'motion:rotation-keyword');
    expectMotion(
      'From the camera perspective, what is the number of the closest go-kart?',
      99,
      'translational',
      'motion:translational-default',
      choices(20, 16, 3, 99),
    ); // 382
  });

  it('counting: a yes/no question settled by a count', () => {
    const rule = 'motion:counting-more-than';
    expectMotion('Did the worker strike the mud more than once?', 'Yes', 'counting', rule); // 1087
    expectMotion('Does the person throw more than one dart with their right hand?', 'Yes', 'counting', rule); // 1094
    expectMotion('Does he pan his head right or left more than once?', 'Yes', 'counting', rule); // 1024
    // "more than the left" compares amounts of panning; it is not a count.
    expectMotion(
      'Does he pan his head to the right more than the left?',
      'No',
      'rotational',
      'motion:rotation-facing-or-panning',
    ); // 1025
  });

  it('rotation named in the question, including the benchmark typos', () => {
    const rule = 'motion:rotation-keyword';
    expectMotion('Is the dancer spinning clockwise or counter-clockwise?', 'clockwise', 'rotational', rule);
    expectMotion('Is the person spinning clckswise or counter-clockwise?', 'not spinning', 'rotational', rule); // 174
    expectMotion('Is the person spinning clockswise or counter-clockwise?', 'not spinning', 'rotational', rule); // 291
    // Each spelling on its own, so that no other rotation word carries the case.
    for (const sense of [
      'clockwise',
      'clckswise',
      'clockswise',
      'counterclockwise',
      'counter-clockwise',
      'anti-clockwise',
      'anticlockwise',
    ]) {
      expectMotion(`Is the person going ${sense}?`, 'yes', 'rotational', rule);
    }
    expectMotion(
      'Is the artist drawing petals in a circle clockwise or anticlockwise?',
      'Clockwise',
      'rotational',
      rule,
    ); // 1137
    expectMotion('How is the jet-ski rotating?', 'clockwise', 'rotational', rule); // 362
    expectMotion('Did the person do a frontflip or a backflip?', 'backflip', 'rotational', rule); // 666
    expectMotion(
      'Is the car moving clockwise or counter-clockwise around the roundabout?',
      'counter-clockwise',
      'rotational',
      rule,
    ); // 114
    expectMotion('Did the gymnast somersault forwards?', 'yes', 'rotational', rule);
    // "rotational direction ... turn" is named by the keyword rule, before the turning rule.
    expectMotion('Which rotational direction does the person turn to exit the room?', 'clockwise', 'rotational', rule); // 1122
  });

  it('rotation: turning (a change of heading, or turning an object), typos included', () => {
    const rule = 'motion:rotation-turning';
    expectMotion(
      'Is the swan turning to the left or right from its own perspective?',
      'moving straight and not turning',
      'rotational',
      rule,
    ); // 36
    expectMotion('Is the car turining to the left or right from its own perspective?', 'left', 'rotational', rule); // 166
    expectMotion('What direction did the men in green trun their heads to?', 'right', 'rotational', rule); // 422
    expectMotion('Which way does the person turn to enter the kitchen?', 'right', 'rotational', rule); // 936
    expectMotion('Did the cyclist make a turn?', 'Yes', 'rotational', rule); // 1057
    expectMotion('Is the dog turning on the spot?', 'yes', 'rotational', rule);
  });

  it('not turning: switching something on or off, or "return"', () => {
    expectMotion(
      'Does the person turn on the stove before moving the pan left?',
      'yes',
      'translational',
      'motion:translational-default',
    );
    expectMotion('Which direction does the person return to?', 'left', 'translational', 'motion:translational-default');
  });

  it('rotation: facing, and panning a head or a camera, but not a frying pan', () => {
    const rule = 'motion:rotation-facing-or-panning';
    expectMotion('At the start of the video, which way is the koala facing?', 'right', 'rotational', rule); // 408
    expectMotion('Does the lawnmower face the same way throughout the video?', 'Yes', 'rotational', rule); // 1116
    expectMotion('In which order does the person pan his head?', 'Left then right', 'rotational', rule); // 1018
    expectMotion('In what direction did the camera pan at the end of the video?', 'To the right. ', 'rotational', rule); // 1088
    expectMotion(
      'Which direction does the pan move after being removed from the stove?',
      'left',
      'translational',
      'motion:translational-default',
    ); // 1357
    expectMotion(
      'With respect to the pan, which side was the red bottle placed?',
      'right',
      'translational',
      'motion:translational-default',
    ); // 1327
  });

  it('rotation: a ground truth that is a sense of rotation, though the question does not say so', () => {
    expectMotion(
      'How is the lid moving?',
      'counter-clockwise',
      'rotational',
      'motion:rotation-answer',
      choices('up', 'clockwise', 'counter-clockwise', 'not moving'),
    );
    expectMotion('What is the wheel doing?', 'Anticlockwise', 'rotational', 'motion:rotation-answer');
  });

  it('ignores rotation words among the choices when the question and answer are about travel', () => {
    const question = 'Which direction was the black pan moved in?'; // 1363
    const rotationDistractors = choices('anticlockwise', 'left', 'clockwise', 'right');
    expectMotion(question, 'left', 'translational', 'motion:translational-default', rotationDistractors);
    expectMotion(
      'In which direction is the dart board moving?',
      'not moving',
      'translational',
      'motion:translational-default',
      choices('spinning clockwise', 'not moving', 'spinning counterclockwise', 'moving upward'),
    ); // 1096
    assert.deepEqual(classifyMotion(question, rotationDistractors, 'left'), classifyMotion(question, PLAIN, 'left'));
  });

  it('translational: direction of travel, and everything the four types leave over', () => {
    const rule = 'motion:translational-default';
    expectMotion('What direction is the bus moving towards?', 'left', 'translational', rule);
    expectMotion('Is the car coming closer or moving further away?', 'coming closer', 'translational', rule);
    expectMotion('Which direction does the person move to look at the fridge?', 'right', 'translational', rule); // 1098
    expectMotion('Which hand does he use to drink from the cup?', 'Right', 'translational', rule); // 978
  });

  it('reads case, curly quotes, extra spaces and trailing punctuation as the same text', () => {
    expectMotion(
      '  WHAT DIRECTION is the   bus moving?  ',
      '  THERE ARE NO BUSES IN THE VIDEO.  ',
      'false-positive',
      'motion:fp-answer-absent',
    );
    expectMotion('From the camera\u2019s perspective, HOW MANY dogs turn?', 3, 'counting', 'motion:counting-how-many');
    expectMotion('What is heading towards the cyclist?', 'NOTHING!', 'false-positive', 'motion:fp-answer-nothing');
  });
});

describe('taxonomy: MOTION_RULES', () => {
  it('lists the rules in the order they are tried, each with a description and the type it assigns', () => {
    assert.deepEqual(
      MOTION_RULES.map((r) => [r.name, r.value]),
      [
        ['motion:fp-answer-absent', 'false-positive'],
        ['motion:fp-answer-nothing', 'false-positive'],
        ['motion:counting-how-many', 'counting'],
        ['motion:counting-more-than', 'counting'],
        ['motion:rotation-keyword', 'rotational'],
        ['motion:rotation-turning', 'rotational'],
        ['motion:rotation-facing-or-panning', 'rotational'],
        ['motion:rotation-answer', 'rotational'],
        ['motion:translational-default', 'translational'],
      ],
    );
    for (const r of MOTION_RULES) assert.ok(r.description.length > 20, r.name);
  });

  it('can reach every listed rule, and returns no rule it does not list', () => {
    const cases: [string, ChoiceValue][] = [
      ['Which way is the cat moving?', 'no cat there'],
      ['What is heading towards the cyclist?', 'nothing'],
      ['How many cats jump?', 2],
      ['Did the cat jump more than once?', 'Yes'],
      ['Is the cat spinning?', 'yes'],
      ['Which way does the cat turn?', 'left'],
      ['Which way is the cat facing?', 'left'],
      ['How is the cat moving?', 'clockwise'],
      ['Which way is the cat moving?', 'left'],
    ];
    const fired = cases.map(([q, a]) => classifyMotion(q, PLAIN, a));
    assert.deepEqual(
      fired.map((d) => d.rule),
      MOTION_RULES.map((r) => r.name),
    );
    fired.forEach((d, i) => assert.equal(d.value, MOTION_RULES[i]?.value));
  });
});

describe('taxonomy: classifyQuestion', () => {
  it('derives all three facets from one question, integer answers included', () => {
    const t = classifyQuestion({
      split: 'real',
      id: 'validation_923',
      video: `${HF}/videos_real/ego4d/clip.mp4`,
      question: 'How many brushes did the artist pick up with their right hand?',
      choices: choices(4, 2, 6, 5),
      answer: 4,
    });
    assert.deepEqual(t, {
      source: { value: 'ego4d', rule: 'source:url-path' },
      perspective: { value: 'egocentric', rule: 'perspective:real-id>922' },
      motion: { value: 'counting', rule: 'motion:counting-how-many' },
    });
  });

  it('classifies a synthetic false positive without a video', () => {
    const t = classifyQuestion({
      split: 'synthetic',
      id: 'validation_2',
      video: null,
      question: 'Which direction is the car driving?',
      choices: choices('left', 'no car there', 'not moving', 'right'),
      answer: 'no car there',
    });
    assert.deepEqual(t, {
      source: { value: 'synthetic', rule: 'source:synthetic-split' },
      perspective: { value: 'unspecified', rule: 'perspective:synthetic' },
      motion: { value: 'false-positive', rule: 'motion:fp-answer-absent' },
    });
  });
});

describe('taxonomy: the hand-labelled samples', () => {
  it('agrees with the 300 questions labelled blind in docs/taxonomy-check', () => {
    const root = path.resolve(__dirname, '..', '..');
    const questions = new Map<string, Question>();
    for (const split of ['real', 'synthetic'] as const) {
      const file = path.join(root, 'samples', 'vlm4d-published', 'data', `${split}_mc.json`);
      for (const q of JSON.parse(fs.readFileSync(file, 'utf8')) as Omit<Question, 'split'>[])
        questions.set(`${split}/${q.id}`, { ...q, split });
    }
    const wrong: string[] = [];
    let total = 0;
    for (const f of ['sample1.json', 'sample2.json', 'sample3.json']) {
      const sample = JSON.parse(fs.readFileSync(path.join(root, 'docs', 'taxonomy-check', f), 'utf8')) as {
        labels: { split: Split; id: string; hand: MotionType }[];
      };
      for (const l of sample.labels) {
        const q = questions.get(`${l.split}/${l.id}`);
        assert.ok(q, `${l.split}/${l.id} is not in the bundled benchmark files`);
        total++;
        const got = classifyQuestion(q).motion.value;
        if (got !== l.hand) wrong.push(`${l.split}/${l.id}: rules say ${got}, the hand label says ${l.hand}`);
      }
    }
    assert.equal(total, 300);
    assert.deepEqual(wrong, []);
  });
});

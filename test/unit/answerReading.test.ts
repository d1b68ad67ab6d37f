import * as assert from 'node:assert/strict';
import { letterOfChoice, letterOfExtracted } from '../../src/core/answers';
import { ANSWER_RULES, NO_ANSWER_RULES, readAnswer } from '../../src/core/answerReading';
import type { AnswerRule } from '../../src/core/answerReading';
import { auditRecords, totalFigures } from '../../src/core/audit';
import type { AuditRecord } from '../../src/core/audit';
import type { ChoiceLetter, ChoiceValue, Choices, PromptMode, Split } from '../../src/core/model';
import { choices } from '../support/fixtures';

// Response endings copied from the published chain-of-thought results
// (processed_outputs_paper_results/{split}_mc_cot/<model>.json, id in the comment); only the last
// sentences are kept. The benchmark files themselves are not read here.

/** Asserts the letter and the rule, so a case read by the wrong rule fails too. */
function expectReading(response: string, c: Choices, letter: ChoiceLetter | null, rule: AnswerRule): void {
  assert.deepEqual(readAnswer(response, c), { letter, rule }, JSON.stringify(response.slice(-160)));
}

describe('answer reading: the whole response is the answer', () => {
  const c = choices('left', 'right', 'not moving', 'towards the camera');

  it('reads an empty or blank response as no answer', () => {
    expectReading('', c, null, 'empty');
    // Aria-Chat_8frame, real validation_1058
    expectReading('\n\n', choices('left', 'right', 'towards', 'away'), null, 'empty');
    expectReading('**  **', c, null, 'empty');
  });

  it('reads a bare letter, however wrapped', () => {
    // LLaVA-NeXT-Video-34B-hf_8frame, real validation_3: "D"
    expectReading('D', choices(1, 2, 3, 0), 'D', 'bare-letter');
    expectReading('(B)', c, 'B', 'bare-letter');
    expectReading('**B**', c, 'B', 'bare-letter');
    expectReading(' B.\n', c, 'B', 'bare-letter');
    expectReading('$\\boxed{C}$', c, 'C', 'bare-letter');
  });

  it("reads an option's exact text, case-insensitive, integers as text", () => {
    // LLaVA-NeXT-Video-34B-hf_8frame, real validation_905: "Uphill"
    expectReading(
      'Uphill',
      choices('not moving', 'downhill', 'uphill', 'there are no trucks in the video'),
      'C',
      'option-text',
    );
    // LLaVA-NeXT-Video-34B-hf_8frame, real validation_824: ' "Right"'
    expectReading(' "Right"', choices('not moving', 'no people there', 'left', 'right'), 'D', 'option-text');
    // LLaVA-NeXT-Video-34B-hf_8frame, real validation_74: "1" with integer options
    expectReading('1', choices(5, 1, 3, 0), 'B', 'option-text');
    expectReading('3.', choices('1', '2', '3', '4'), 'C', 'option-text');
    expectReading('Not moving', c, 'C', 'option-text');
  });
});

describe('answer reading: the final answer sentence and its variants', () => {
  const dir = choices('left', 'away from the camera', 'right', 'not moving');

  it('reads the prompt\'s sentence, with or without "Therefore"', () => {
    // gpt-4o_32frame, real validation_1
    expectReading(
      'Upon review, option B accurately reflects the context of the images, which is centered on a glider, not a bus.\n\nTherefore, the final answer is: B',
      choices('not moving', 'there are no buses in the video', 'right', 'left'),
      'B',
      'final-answer-sentence',
    );
    // VideoLLaMA3-7B_1fps, real validation_500
    expectReading(
      'The motorbike is turning to the right from its own perspective. Therefore, the final answer is: C.',
      choices('moving straight and not turning', 'left', 'right', 'not moving'),
      'C',
      'final-answer-sentence',
    );
    expectReading('Looking at the frames, the final answer is B', dir, 'B', 'final-answer-sentence');
  });

  it('reads bold, LaTeX, quoted and "B: text" forms, and trailing punctuation', () => {
    // grok-2-vision-latest_16frame, real validation_500
    expectReading(
      'the motorbike is clearly turning left during the middle frames.\n\nTherefore, the final answer is: **B**',
      choices('moving straight and not turning', 'left', 'right', 'not moving'),
      'B',
      'final-answer-sentence',
    );
    // Llama-4-Maverick-17B-128E-Instruct-FP8_10frame, real validation_901
    expectReading(
      'we can conclude that there are no frisbees being thrown to the left.\n\nTherefore, the final answer is: $\\boxed{C}$',
      choices(2, 3, 0, 1),
      'C',
      'final-answer-sentence',
    );
    // Qwen2-VL-7B-Instruct_1fps, real validation_77
    expectReading(
      'it implies the car is moving towards the camera from the opposite direction.\n\nTherefore, the final answer is: $A$.',
      dir,
      'A',
      'final-answer-sentence',
    );
    // Aria-Chat_8frame, real validation_901
    expectReading(
      'and no other follow-up throws occur in the subsequent frames to the left.\n\nTherefore, the final answer is: C: 0.',
      choices(2, 1, 0, 3),
      'C',
      'final-answer-sentence',
    );
    // Aria-Chat_8frame, real validation_77: the value on a later line, "B) text"
    expectReading(
      'the car is moving away from the camera to the right.\n\nTherefore, the final answer is: \n\nB) away from the camera',
      dir,
      'B',
      'final-answer-sentence',
    );
    // Aria-Chat_8frame, real validation_414: an italics marker left open
    expectReading(
      'Therefore, the final answer is: _D: not moving',
      choices('left', 'no girl there', 'right', 'not moving'),
      'D',
      'final-answer-sentence',
    );
    // Phi-3.5-vision-instruct_16frame, real validation_209
    expectReading(
      "we can infer that the dog is moving closer to the camera or the viewer. Therefore, the final answer is 'D'.",
      choices('left', 'going further away', 'not moving', 'coming closer'),
      'D',
      'final-answer-sentence',
    );
    // Phi-3.5-vision-instruct_16frame, real validation_858: a lower-case letter
    expectReading(
      'It is lying down and appears to be relaxing. Therefore, the final answer is: c',
      choices('right', 'no panda there', 'not moving', 'left'),
      'C',
      'final-answer-sentence',
    );
    // Phi-3.5-vision-instruct_16frame, real validation_738
    expectReading(
      "the direction of the ball's movement is not consistently to the right across all frames. The final answer, therefore, is 'A'.",
      choices(0, 1, 3, 2),
      'A',
      'final-answer-sentence',
    );
  });

  it('takes the last sentence when the response repeats or quotes it', () => {
    // Aria-Chat_8frame, real validation_69
    expectReading(
      "Therefore, the final answer is: \n'Therefore, the final answer is: B' (not moving).",
      choices('away from the camera', 'not moving', 'left', 'right'),
      'B',
      'final-answer-sentence',
    );
    // Phi-3.5-vision-instruct_16frame, real validation_901
    expectReading(
      'there is only one frisbee being thrown to the left. Therefore, the final answer is: D. Therefore, the final answer is: D.',
      choices(2, 3, 0, 1),
      'D',
      'final-answer-sentence',
    );
    // a response that mentions A and later concludes C reads C
    expectReading(
      'Option A ("left") does not fit the last frames.\n\nTherefore, the final answer is: C',
      dir,
      'C',
      'final-answer-sentence',
    );
  });

  it('reads integer options from the count itself', () => {
    // Phi-4-multimodal-instruct_16frame, real validation_97 (free text, see option-mention below) and a typed count:
    expectReading(
      'Counting the hits in frames 2, 5 and 9, the answer is 3.',
      choices(1, 3, 2, 0),
      'B',
      'final-answer-variant',
    );
    expectReading('Therefore, the final answer is: 3', choices('1', '2', '3', '4'), 'C', 'final-answer-sentence');
    expectReading('Therefore, the final answer is: three.', choices(1, 2, 3, 4), 'C', 'final-answer-sentence');
    // "one of" is not a count
    expectReading(
      'Therefore, the final answer must be one of the options.\n\nFinal Answer: D',
      choices(1, 2, 3, 4),
      'D',
      'final-answer-variant',
    );
  });

  it('reads an option named in the final sentence when no letter is given', () => {
    // Phi-3.5-vision-instruct_16frame, real validation_799
    expectReading(
      "the bird's position on the branch and its consistent presence in the same spot across the frames suggest that there is no noticeable change in its direction of movement. Therefore, the final answer is that the bird is not moving.",
      choices('not moving', 'right', 'no bird there', 'left'),
      'A',
      'final-answer-sentence',
    );
    // Chinese: deepseek-vl2_8frame, real validation_538
    expectReading(
      'The question asks for the movements *to the left*, neither forward nor backward.\n\n因此，最终答案是：C',
      choices(0, 3, 2, 4),
      'C',
      'final-answer-sentence',
    );
  });

  it('reads the variants: "Final Answer:", "the answer is (B)", "Answer: B", "I took B"', () => {
    expectReading('**Final answer**: **B**', dir, 'B', 'final-answer-variant');
    // Qwen2-VL-7B-Instruct_1fps, real validation_901
    expectReading(
      'it is clear that only one frisbee (shown in the bottom left) is thrown to the left.\n\nFinal answer: $D$.',
      choices(2, 3, 0, 1),
      'D',
      'final-answer-variant',
    );
    expectReading('Comparing the two frames, the answer is (B)', dir, 'B', 'final-answer-variant');
    // Phi-3.5-vision-instruct_16frame, real validation_21
    expectReading(
      "it can be reasoned that the bears are moving towards the right from the camera's perspective. Therefore, the answer to the question is: A.",
      choices('right', 'not moving', 'left', 'towards the camera'),
      'A',
      'final-answer-variant',
    );
    // InternVideo2-Chat-8B_1fps, real validation_44
    expectReading(
      'He does not do any other flips. So, the answer is d.',
      choices(0, 4, 10, 1),
      'D',
      'final-answer-variant',
    );
    // LLaVA-NeXT-Video-34B-hf_8frame, real validation_349
    expectReading(
      'the runners appear to be performing impressive jumps indicating their focus to cross the hurdles. Therefore, B is the final answer.',
      choices('backwards', 'right', 'left', 'downhill'),
      'B',
      'final-answer-variant',
    );
    // LLaVA-NeXT-Video-34B-hf_8frame, real validation_1111
    expectReading('I took $B', choices('Right to left', 'Left to right', 'Up', 'Down'), 'B', 'final-answer-variant');
    // llava-onevision-qwen2-7b-ov-chat-hf_1fps, real validation_3: an options listing after the answer
    expectReading(
      'indicating he does not hit the ball to the right again. Therefore, the answer is C.\n\nA: 1\nB: 3\nC: 2\nD: 0',
      choices(1, 3, 2, 0),
      'C',
      'final-answer-variant',
    );
    // pixtral-12b_8frame, synthetic validation_20: a placeholder left before the letter
    expectReading(
      'Therefore, based on the logical evaluation, the correct answer is:\n\nFinal Answer: $LETTER = D',
      choices(1, 0, 3, 2),
      'D',
      'final-answer-variant',
    );
  });

  it('reads "Answer: X" and a boxed letter', () => {
    // InternVideo2_5_Chat_8B_1fps, real validation_3
    expectReading('Answer: (A) 1', choices(1, 2, 3, 0), 'A', 'answer-colon');
    // VideoLLaMA3-2B_1fps, real validation_77: the letter wins over the explanation after it
    expectReading(
      'Answer: B. The car is moving away from the camera as it drifts and creates smoke.',
      dir,
      'B',
      'answer-colon',
    );
    // LLaVA-NeXT-Video-34B-hf_8frame, real validation_660
    expectReading(
      'C is the glaringly obvious answer here, as the body is depicted coming off the edge. Answer C.',
      choices(0, 2, 1, 3),
      'C',
      'final-answer-variant',
    );
    expectReading('The car drifts to the left, so the best match is $\\boxed{A}$ given the frames.', dir, 'A', 'boxed');
  });
});

describe('answer reading: responses that state no single answer', () => {
  it('treats several letters in the final sentence as a hedge', () => {
    // LLaVA-NeXT-Video-34B-hf_8frame: "final answer is: A or C" (the judge: "No Valid Answer")
    expectReading(
      'Therefore, the final answer is: A or C',
      choices('left', 'right', 'not moving', 'away'),
      null,
      'several-letters',
    );
    expectReading(
      'Therefore, the final answer is: A, D, or C',
      choices('left', 'right', 'not moving', 'away'),
      null,
      'several-letters',
    );
    // pixtral-12b_8frame, real validation_1260
    expectReading(
      'Therefore, the final answer is: $B$ or $C$\n\n(Note: The final answer must be one of the options provided, so we select the most likely option based on the given choices.)',
      choices('0', '1', '4', '5'),
      null,
      'several-letters',
    );
    // ...but "(B) A pedestrian" is one letter and its text. InternVideo2_5_Chat_8B_1fps, real validation_1046
    expectReading(
      'Answer: (B) A pedestrian',
      choices('Nothing. ', 'A pedestrian', 'A car', 'A dog'),
      'B',
      'answer-colon',
    );
  });

  it("treats a letter followed by another option's text or count as a contradiction", () => {
    // Phi-3.5-vision-instruct_16frame: "B. not moving" where B is "not spinning" (the judge marked it wrong)
    expectReading(
      'Therefore, the final answer is: B. not moving',
      choices('clockwise', 'not spinning', 'not moving', 'counter-clockwise'),
      null,
      'letter-text-conflict',
    );
    // LLaVA-NeXT-Video-34B-hf_8frame, synthetic validation_84
    expectReading(
      'Therefore, the final answer is D (no robot there).',
      choices('not moving', 'right', 'no robot there', 'left'),
      null,
      'letter-text-conflict',
    );
    // llava-onevision-qwen2-7b-ov-chat-hf_1fps, real validation_238: "D) 3" when D is 5
    expectReading('Therefore, the final answer is:\n\nD) 3', choices(2, 0, 1, 5), null, 'letter-text-conflict');
    // llava-onevision-qwen2-7b-ov-chat-hf_1fps, real validation_1366: "D (four scoops)" when D is 1
    expectReading(
      'given the context of adding ice cubes to the frying pan. Therefore, the final answer is: D (four scoops).',
      choices(4, 2, 3, 1),
      null,
      'letter-text-conflict',
    );
    // ...but "B (single applicable count ...)" is not a count, and a refusal-like option may be named as such.
    expectReading(
      'Therefore, the final answer is: B (single applicable count noted with plural present).',
      choices(5, 2, 0, 3),
      'B',
      'final-answer-sentence',
    );
    // llava-onevision-qwen2-7b-ov-chat-hf_1fps, real validation_1087
    expectReading(
      'Therefore, the answer is: B (Not enough information to answer).',
      choices('No', 'Not enough information in the scene to answer', 'Yes', 'Only once'),
      'B',
      'final-answer-variant',
    );
    // the same letter and its own text is fine
    expectReading(
      'Therefore, the final answer is: C: Counter-Clockwise',
      choices('upward', 'no turning', 'counterclockwise', 'clockwise'),
      'C',
      'final-answer-sentence',
    );
  });

  it('treats answers under conditions as no answer', () => {
    // pixtral-12b_8frame, synthetic validation_102
    expectReading(
      "- 'Therefore, the final answer is: A' if the robot car is not moving.\n- 'Therefore, the final answer is: B' if the robot car is moving to the left.\n- 'Therefore, the final answer is: D' if the robot car is moving to the right.",
      choices('not moving', 'left', 'no robot car there', 'right'),
      null,
      'conditional-answer',
    );
    // ...but an assumption alone does not void the answer. pixtral-12b_8frame, real validation_658
    expectReading(
      'Therefore, the final answer is: B (assuming the people are flying and we have to choose between the given options).',
      choices('no people are flying in the video', 'counter-clockwise', 'clockwise', 'not spinning'),
      'B',
      'final-answer-sentence',
    );
  });

  it('treats refusals, placeholders and listings in the final sentence as no answer', () => {
    // pixtral-12b_8frame, real validation_248
    expectReading(
      'Therefore, the final answer is: $LETTER (undefined without additional context).',
      choices('backwards', 'left', 'forwards', 'right'),
      null,
      'final-answer-unreadable',
    );
    // pixtral-12b_8frame, real validation_141
    expectReading(
      'Each option could be correct or incorrect depending on the specific circumstances.\n\nTherefore, the final answer is: N/A (Not Applicable)',
      choices(2, 1, 3, 0),
      null,
      'final-answer-unreadable',
    );
    // deepseek-vl2_8frame, synthetic validation_379
    expectReading(
      'The sequence of images consistently shows the rear view of the car as it progresses along the curve of the road.\n\nTherefore, the final answer is: L',
      choices('no car there', 'right', 'left', 'not moving'),
      null,
      'final-answer-unreadable',
    );
    // Aria-Chat_8frame, real validation_568: the options listed instead of chosen
    expectReading(
      'Therefore, the final answer is: \nA: right\nB: left\nC: there are no pigs in the video\nD: not moving',
      choices('right', 'left', 'there are no pigs in the video', 'not moving'),
      null,
      'final-answer-unreadable',
    );
    // pixtral-12b_8frame, real validation_796: "Final answer:" refuses after the options were discussed
    expectReading(
      '- D: right seems plausible.\n\nFinal answer: N/A (Need additional context)',
      choices('not moving', 'no boy there', 'left', 'right'),
      null,
      'final-answer-unreadable',
    );
  });

  it('reads nothing from a response that gives no answer', () => {
    expectReading(
      'I cannot tell from these frames.',
      choices('left', 'right', 'not moving', 'away'),
      null,
      'no-valid-answer',
    );
    // deepseek-vl2_8frame, real validation_533: cut off
    expectReading(
      "The image provided contains a scene from a racing video game featuring cars, not motorbikes. However, I'll tril escalating",
      choices('there are no motorbikes in the video', 'left', 'right', 'towards the camera'),
      null,
      'no-valid-answer',
    );
  });
});

describe('answer reading: weaker signs', () => {
  it('reads "B: left" anywhere when the text is the option\'s own, and a response starting with a letter', () => {
    // Phi-3.5-vision-instruct_16frame, real validation_888
    expectReading(
      "it appears to be turning laterally to the right (which would make it turn left from the motorcycle's point of view), the motorcycle has turned D: right.",
      choices('no turn', 'down', 'left', 'right'),
      'D',
      'letter-colon-text',
    );
    // InternVL2_5-8B_4frame, real validation_595
    expectReading(
      'A: not spinning',
      choices('not spinning', 'clockwise', 'counter-clockwise', 'there are no robots in the video'),
      'A',
      'letter-colon-text',
    );
    expectReading(
      'B\nThe car moves away between the first and last frame.',
      choices('left', 'away from the camera', 'right', 'not moving'),
      'B',
      'letter-colon-text',
    );
    // "C: left" at the start when C is "right" contradicts itself
    expectReading(
      'C: left, as the frames show.',
      choices('not moving', 'towards', 'right', 'left'),
      null,
      'letter-text-conflict',
    );
  });

  it('reads a bold letter, a parenthesized letter, the last mention', () => {
    expectReading(
      'The frames show the car leaving on the left, so **A** fits best',
      choices('left', 'right', 'not moving', 'away'),
      'A',
      'bold-letter',
    );
    // Phi-3.5-vision-instruct_16frame, real validation_1356
    expectReading(
      'By the final frame, the chair is no longer visible. Therefore, the chair moves upwards due west (D) its original position from the perspective of the camera.',
      choices('right', 'down', 'left', 'up'),
      'D',
      'parenthesized-letter',
    );
    // Phi-3.5-vision-instruct_16frame, real validation_1049: a letter closing the response
    expectReading(
      'The cyclist, on the other hand, is also moving along the same sidewalk at a quicker pace, barely maintaining the lead. B',
      choices('Yes', 'No', 'The runner is faster', 'Not enough information in the scene to answer'),
      'B',
      'last-mention',
    );
    // Phi-3.5-vision-instruct_16frame, real validation_494: the last mention wins
    expectReading(
      'Option A does not match. Based on the observed behavior, the blue and orange toy truck is moving straight and not turning, which corresponds to option B.',
      choices('clockwise', 'moving straight and not turning', 'counter-clockwise', 'not moving'),
      'B',
      'last-mention',
    );
  });

  it('does not read a capital A that starts a sentence as an answer', () => {
    expectReading(
      'A car moves across the frame from right to left.',
      choices('left', 'right', 'not moving', 'away'),
      'A',
      'option-mention',
    );
    expectReading(
      'A car moves across the frame.',
      choices('left', 'right', 'not moving', 'away'),
      null,
      'no-valid-answer',
    );
    expectReading(
      'A dog runs past. A cat follows it.',
      choices('up', 'down', 'not moving', 'away'),
      null,
      'no-valid-answer',
    );
  });

  it("reads the conclusion's option text, not negated, not hedged", () => {
    // InternVideo2-Chat-8B_1fps, real validation_78
    expectReading(
      'The car is moving towards the left side of the screen.',
      choices('left', 'away from the camera', 'right', 'not moving'),
      'A',
      'option-mention',
    );
    // InternVideo2-Chat-8B_1fps, real validation_25: the negated options do not count
    expectReading(
      'The man is holding the bike and turning it around. He is not moving it towards the camera or away from the camera. Therefore, the bike is staying in place.',
      choices('right', 'staying in place', 'away from the camera', 'left'),
      'B',
      'option-mention',
    );
    // InternVideo2-Chat-8B_1fps, real validation_592
    expectReading(
      'The robots are not moving towards or away from the camera. They are stationary.',
      choices('not moving', 'towards the camera', 'away from the camera', 'there are no robots in the video'),
      'A',
      'option-mention',
    );
    // InternVideo2-Chat-8B_1fps, real validation_84: "forward" is "forwards"
    expectReading(
      'The bus is moving forward in the video.',
      choices('forwards', 'both ways', 'not moving', 'backwards'),
      'A',
      'option-mention',
    );
    // LLaVA-NeXT-Video-34B-hf_8frame, real validation_171: a hedge
    expectReading(
      "The cow is standing in the pen, but it's not clear from the image whether it's moving towards or away from the camera.",
      choices('right', 'away', 'not moving', 'backwards'),
      null,
      'no-valid-answer',
    );
  });

  it('reads "counterclockwise" as "anti-clockwise", and not "no" in "There is no indication" as an option', () => {
    // deepseek-vl2_8frame, real validation_1250
    expectReading(
      'The sequence of images shows consistent movement in what looks a counterclockwise salad with.',
      choices('towards the right', 'anti-clockwise', 'spins around', 'clockwise'),
      'B',
      'option-mention',
    );
    // Phi-4-multimodal-instruct_16frame, real validation_1116
    expectReading(
      'There is no indication that the lawnmower changes direction or that the person changes the direction of the lawnmower. Therefore, the lawnmower faces the same way throughout the video.',
      choices('it changes direction halfway', 'Yes', 'there is no lawnmower', 'No'),
      null,
      'no-valid-answer',
    );
    // Phi-3.5-vision-instruct_16frame, real validation_144: "neither" is an option here
    expectReading(
      'Therefore, the chairlift is neither coming closer nor moving further away.',
      choices('right', 'neither', 'going further away', 'coming closer'),
      'B',
      'option-mention',
    );
  });

  it('reads counts in words or digits for integer options', () => {
    // InternVideo2-Chat-8B_1fps, real validation_3
    expectReading('The batter hits the ball to the left only once.', choices(1, 2, 3, 0), 'A', 'option-mention');
    // LLaVA-NeXT-Video-34B-hf_8frame, real validation_469
    expectReading('There are 4 marbles rolling downhill.', choices(1, 0, 4, 5), 'C', 'option-mention');
    // Phi-4-multimodal-instruct_16frame, real validation_97
    expectReading(
      'One camel is walking to the right, and the other camel is walking to the left. Therefore, the number of camels walking to the right is 1.',
      choices(1, 2, 0, 3),
      'A',
      'option-mention',
    );
    // frame numbers are not counts
    expectReading('The clearest view is in image 3.', choices(1, 2, 3, 4), null, 'no-valid-answer');
  });
});

describe('answer reading: the rule list', () => {
  it('names every rule once, the no-answer rules among them', () => {
    assert.equal(new Set(ANSWER_RULES).size, ANSWER_RULES.length);
    for (const r of NO_ANSWER_RULES) assert.ok(ANSWER_RULES.includes(r), r);
  });

  it('reads no letter exactly for the no-answer rules', () => {
    const c = choices('left', 'right', 'not moving', 'away');
    for (const response of [
      '',
      'B',
      'left',
      'Therefore, the final answer is: A or B',
      'Therefore, the final answer is: N/A',
      'Answer: C',
      'It moves left.',
      'No idea.',
    ]) {
      const r = readAnswer(response, c);
      assert.equal(r.letter === null, NO_ANSWER_RULES.includes(r.rule), `${response} → ${JSON.stringify(r)}`);
    }
  });

  it('stays fast on long, repetitive text', () => {
    const c = choices('left', 'right', 'not moving', 3);
    const started = Date.now();
    for (const response of [
      '(A) '.repeat(20000),
      'left '.repeat(20000) + '.',
      'the final answer is: '.repeat(2000),
      'A: left\n'.repeat(10000),
    ])
      readAnswer(response, c);
    assert.ok(Date.now() - started < 5000, `took ${Date.now() - started} ms`);
  });
});

describe('judge audit (auditRecords)', () => {
  const dirChoices = choices('left', 'right', 'not moving', 'away from the camera');
  const countChoices = choices(1, 3, 2, 0);
  let n = 0;
  const rec = (
    split: Split,
    promptMode: PromptMode,
    c: Choices,
    response: string,
    groundTruth: ChoiceValue,
    extractedAnswer: string | null,
    judgeCorrect: boolean,
  ): AuditRecord => ({
    id: `validation_${++n}`,
    split,
    promptMode,
    model: 'm_8frame',
    choices: c,
    response,
    groundTruth,
    extractedAnswer,
    judgeCorrect,
  });
  const records: AuditRecord[] = [
    // agree: both right
    rec('real', 'cot', dirChoices, 'Therefore, the final answer is: A', 'left', 'A: left', true),
    // agree: both wrong, same letter
    rec('real', 'cot', dirChoices, 'Therefore, the final answer is: B', 'left', 'B: right', false),
    // judge correct, rule unreadable
    rec('real', 'cot', dirChoices, 'It is hard to say.', 'left', 'A: left', true),
    // judge wrong, rule correct
    rec('real', 'cot', countChoices, 'Therefore, the final answer is: B', 3, 'B: 2', false),
    // agree: both wrong, rule unreadable, judge "No Valid Answer"
    rec(
      'synthetic',
      'cot',
      dirChoices,
      'Therefore, the final answer is: A or B',
      'not moving',
      'No Valid Answer',
      false,
    ),
    // agree: both right via the option's text
    rec('synthetic', 'cot', dirChoices, 'not moving', 'not moving', 'C: not moving', true),
    // judge correct, rule reads another letter
    rec('synthetic', 'cot', dirChoices, 'Answer: D', 'not moving', 'C: not moving', true),
    // direct-output: agree
    rec('real', 'direct-output', countChoices, 'C', 2, 'C', true),
    // direct-output: judge unreadable free text, rule right
    rec('real', 'direct-output', countChoices, '(D) 0', 0, 'zero', false),
  ];

  it('counts agreement per prompt mode and split as an independent count does', () => {
    const { groups, disagreements } = auditRecords(records);
    // The independent count: readings are taken from the table above, not from the audit.
    const expected: Record<
      string,
      {
        total: number;
        agree: number;
        jcrw: number;
        jwrc: number;
        unreadable: number;
        judgeUnreadable: number;
        letterAgree: number;
      }
    > = {};
    const ruleLetters: (ChoiceLetter | null)[] = ['A', 'B', null, 'B', null, 'C', 'D', 'C', 'D'];
    records.forEach((r, i) => {
      const key = `${r.promptMode}/${r.split}`;
      const e = (expected[key] ??= {
        total: 0,
        agree: 0,
        jcrw: 0,
        jwrc: 0,
        unreadable: 0,
        judgeUnreadable: 0,
        letterAgree: 0,
      });
      const ruleLetter = ruleLetters[i] ?? null;
      const gt = letterOfChoice(r.choices, r.groundTruth);
      const judgeLetter = letterOfExtracted(r.choices, r.extractedAnswer);
      const ruleCorrect = ruleLetter !== null && ruleLetter === gt;
      e.total++;
      if (ruleCorrect === r.judgeCorrect) e.agree++;
      else if (r.judgeCorrect) e.jcrw++;
      else e.jwrc++;
      if (ruleLetter === null) e.unreadable++;
      if (judgeLetter === null) e.judgeUnreadable++;
      if (ruleLetter === judgeLetter) e.letterAgree++;
    });
    assert.deepEqual(
      groups.map((g) => `${g.promptMode}/${g.split}`),
      ['cot/real', 'cot/synthetic', 'direct-output/real'],
    );
    for (const g of groups) {
      const e = expected[`${g.promptMode}/${g.split}`];
      assert.ok(e);
      assert.deepEqual(
        {
          total: g.total,
          agree: g.agree,
          jcrw: g.judgeCorrectRuleWrong,
          jwrc: g.judgeWrongRuleCorrect,
          unreadable: g.unreadable,
          judgeUnreadable: g.judgeUnreadable,
          letterAgree: g.letterAgree,
        },
        e,
        `${g.promptMode}/${g.split}`,
      );
    }
    // And the hand count, written out.
    assert.deepEqual(expected['cot/real'], {
      total: 4,
      agree: 2,
      jcrw: 1,
      jwrc: 1,
      unreadable: 1,
      judgeUnreadable: 0,
      letterAgree: 3,
    });
    assert.deepEqual(expected['cot/synthetic'], {
      total: 3,
      agree: 2,
      jcrw: 1,
      jwrc: 0,
      unreadable: 1,
      judgeUnreadable: 1,
      letterAgree: 2,
    });
    assert.deepEqual(expected['direct-output/real'], {
      total: 2,
      agree: 1,
      jcrw: 0,
      jwrc: 1,
      unreadable: 0,
      judgeUnreadable: 1,
      letterAgree: 1,
    });

    const cotReal = groups[0];
    assert.deepEqual(cotReal?.rules, { 'final-answer-sentence': 3, 'no-valid-answer': 1 });
    assert.equal(
      Object.values(cotReal?.rules ?? {}).reduce((a, b) => a + b, 0),
      cotReal?.total,
    );

    // The disagreements: ids and both readings, in input order.
    assert.deepEqual(
      disagreements.map((d) => [d.id, d.ruleLetter, d.rule, d.ruleCorrect, d.judgeLetter, d.judgeCorrect]),
      [
        [records[2]?.id, null, 'no-valid-answer', false, 'A', true],
        [records[3]?.id, 'B', 'final-answer-sentence', true, 'B', false],
        [records[6]?.id, 'D', 'answer-colon', false, 'C', true],
        [records[8]?.id, 'D', 'letter-colon-text', true, null, false],
      ],
    );
    assert.equal(disagreements[1]?.groundTruthLetter, 'B');
    assert.equal(disagreements[1]?.extractedAnswer, 'B: 2');
  });

  it('sums groups and handles no records', () => {
    const { groups } = auditRecords(records);
    const cot = totalFigures(groups.filter((g) => g.promptMode === 'cot'));
    assert.equal(cot.total, 7);
    assert.equal(cot.agree, 4);
    assert.equal(cot.rules['final-answer-sentence'], 3);
    assert.deepEqual(auditRecords([]), { groups: [], disagreements: [] });
  });
});

describe('answer reading: runaway responses', () => {
  const opts = choices('left', 'right', 'not moving', 'no car');
  /** `unit` repeated to `bytes` characters. */
  const repeated = (unit: string, bytes: number): string => unit.repeat(Math.ceil(bytes / unit.length)).slice(0, bytes);
  const timed = (response: string): { ms: number; reading: ReturnType<typeof readAnswer> } => {
    const t = performance.now();
    const reading = readAnswer(response, opts);
    return { ms: performance.now() - t, reading };
  };

  // Bounds are generous ("not pathological", on a shared 2-core machine): reading every phrase took 31 s for
  // the first, and runs of spaces made the trim backtrack quadratically (28 s for 10 MB of 1,000-space runs).
  it('grades 10 MB of repeated "the final answer is " in well under a second or two, as unreadable', () => {
    const { ms, reading } = timed(repeated('the final answer is ', 10 * 1024 * 1024));
    assert.deepEqual(reading, { letter: null, rule: 'final-answer-unreadable' });
    assert.ok(ms < 2000, `${ms.toFixed(0)} ms`);
  });

  it('grades 10 MB of words between long runs of spaces without backtracking over each run', () => {
    const { ms, reading } = timed(repeated(`word${' '.repeat(1000)}`, 10 * 1024 * 1024));
    assert.equal(reading.rule, 'no-valid-answer');
    assert.ok(ms < 2000, `${ms.toFixed(0)} ms`);
  });

  it('still reads the last answer phrase of a runaway response, and a long text that is one option', () => {
    assert.deepEqual(
      readAnswer(`${repeated('the final answer is ', 1024 * 1024)}. Therefore, the final answer is: B`, opts),
      { letter: 'B', rule: 'final-answer-sentence' },
    );
    // Spaces and dashes collapse when option texts are compared: a long response can still be one option.
    assert.deepEqual(readAnswer(`not${' '.repeat(100_000)}moving`, opts), { letter: 'C', rule: 'option-text' });
    assert.deepEqual(
      readAnswer(`not${' '.repeat(100_000)}moving${' x'.repeat(10)}`, opts).rule !== 'option-text',
      true,
    );
  });
});

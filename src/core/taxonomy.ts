// The question taxonomy: source dataset, camera perspective and motion type, each with the name of the
// rule that produced it. None of these is stored in the benchmark files; the rules below are checked by
// hand on a sample of the published questions (docs/taxonomy.md).
import type { ChoiceValue, Choices, Derived, MotionType, Perspective, Question, Source, Split } from './model';

/** The authors' perspective boundary: real ids up to 922 are exocentric, the rest egocentric. */
export const EXOCENTRIC_MAX_ID = 922;

export function classifySource(split: Split, video: string | null): Derived<Source> {
  if (video) {
    const m = /videos_real\/(davis|ego4d|youtube-vos)\//i.exec(video);
    if (m) return { value: (m[1] as string).toLowerCase() as Source, rule: 'source:url-path' };
    if (/videos_synthetic\//i.test(video)) return { value: 'synthetic', rule: 'source:url-path' };
  }
  if (split === 'synthetic') return { value: 'synthetic', rule: 'source:synthetic-split' };
  return { value: 'unknown', rule: video ? 'source:unknown-url' : 'source:unknown-no-video' };
}

export function classifyPerspective(split: Split, id: string): Derived<Perspective> {
  if (split === 'synthetic') return { value: 'unspecified', rule: 'perspective:synthetic' };
  const m = /(\d+)\s*$/.exec(id);
  if (!m) return { value: 'unspecified', rule: 'perspective:unparseable-id' };
  return Number(m[1]) <= EXOCENTRIC_MAX_ID
    ? { value: 'exocentric', rule: 'perspective:real-id<=922' }
    : { value: 'egocentric', rule: 'perspective:real-id>922' };
}

// Absence of the asked-about object, as the ground truths word it: "there are no buses in the video",
// "no car there", "there is no lizard in the video", "no people are flying in the video".
// "Nothing" / "None of them" answer a question about something that does not happen ("What is heading
// towards the cyclist?").
const ABSENT_ANSWER = [
  /^ther?e? (is|are) no\b/,
  /^no\b.*\bthere\.?$/,
  /^no\b.*\b(in|on) (the|this) (video|scene)\b/,
  /\bnot (in|present in) the (video|scene)\b/,
  /^(nothing|none|none of them)\.?$/,
];

/** "No plane" to "Which direction is the plane moving?": the answer denies the question's own subject. */
function deniesSubject(answer: string, question: string): boolean {
  const m = /^no ([a-z-]+)(?: [a-z-]+)?\.?$/.exec(answer);
  return !!m && new RegExp(`\\b${m[1]}s?\\b`).test(question);
}
const ROTATION_WORDS = /\b(clockwise|counter-?clockwise|anti-?clockwise|rotat\w*|spin\w*|revolv\w*|twist\w*|\w*flip(s|ped|ping)?|somersault\w*|cartwheel\w*)\b/;
// Orientation and panning: "which way is the koala facing?", "does he pan his head to the right?".
const HEADING_WORDS = /\b(facing|face the same way|pan(s|ned|ning)? (his|her|their|its|the) head|camera pan(s|ned|ning)?)\b/;
// "Is the swan turning to the left or right from its own perspective?": a change of heading.
const TURN_WORDS = /\b(turn(s|ed|ing)?|turining)\b/; // "turining": a typo in the benchmark

export const MOTION_RULES: readonly { name: string; description: string }[] = [
  { name: 'motion:fp-authors-synthetic', description: 'Synthetic split: the ground truth, trimmed and lower-cased, is "no" or starts with "no " (the authors\' false-positive rule).' },
  { name: 'motion:fp-answer-absent', description: 'Real split: the ground truth says the object is absent ("there are no … in the video", "no … there", "no plane" for a question about the plane, "nothing", "none of them").' },
  { name: 'motion:counting-how-many', description: 'The question asks "how many" (but not "how many degrees").' },
  { name: 'motion:rotation-words', description: 'The question mentions clockwise, counter-/anti-clockwise, rotating, spinning, revolving, twisting, flips, somersaults or cartwheels.' },
  { name: 'motion:turning', description: 'The question asks about turning (a change of heading: "turning to the left or right").' },
  { name: 'motion:facing-or-panning', description: 'The question asks which way something faces, or about panning a head or a camera.' },
  { name: 'motion:rotation-answer', description: 'The ground truth is a rotation (clockwise, counter-clockwise, spinning, rotating) although the question does not say so.' },
  { name: 'motion:translational-default', description: 'None of the above: a question about the direction of travel.' },
];

/** Motion type by the first rule of MOTION_RULES that matches, in that order. */
export function classifyMotion(split: Split, question: string, _choices: Choices, answer: ChoiceValue): Derived<MotionType> {
  const a = String(answer).trim().toLowerCase();
  const q = question.trim().toLowerCase();
  if (split === 'synthetic' && typeof answer === 'string' && (a === 'no' || a.startsWith('no '))) {
    return { value: 'false-positive', rule: 'motion:fp-authors-synthetic' };
  }
  if (split === 'real' && (ABSENT_ANSWER.some((re) => re.test(a)) || deniesSubject(a, q))) return { value: 'false-positive', rule: 'motion:fp-answer-absent' };
  if (/\bhow many\b(?! degrees)/.test(q)) return { value: 'counting', rule: 'motion:counting-how-many' };
  if (ROTATION_WORDS.test(q)) return { value: 'rotational', rule: 'motion:rotation-words' };
  if (TURN_WORDS.test(q)) return { value: 'rotational', rule: 'motion:turning' };
  if (HEADING_WORDS.test(q)) return { value: 'rotational', rule: 'motion:facing-or-panning' };
  if (ROTATION_WORDS.test(a)) return { value: 'rotational', rule: 'motion:rotation-answer' };
  return { value: 'translational', rule: 'motion:translational-default' };
}

export function classifyQuestion(q: Question): { source: Derived<Source>; perspective: Derived<Perspective>; motion: Derived<MotionType> } {
  return {
    source: classifySource(q.split, q.video),
    perspective: classifyPerspective(q.split, q.id),
    motion: classifyMotion(q.split, q.question, q.choices, q.answer),
  };
}

// The question taxonomy: source dataset, camera perspective and motion type. None of these is stored in
// the benchmark files, so each is derived here together with the name of the rule that produced it; the
// UI shows that name so a user can see why a question landed in a slice (and override it with a labels
// file). The motion rules were written against every question of the published real_mc.json and
// synthetic_mc.json and checked by hand on random samples: see docs/taxonomy.md.
import type { ChoiceValue, Choices, Derived, MotionType, Perspective, Question, Source, Split } from './model';

/** The authors' perspective boundary: real ids up to 922 are exocentric, the rest egocentric. */
export const EXOCENTRIC_MAX_ID = 922;

// ---- source -----------------------------------------------------------------------------------------

// Either separator: clip roots on Windows give local paths with backslashes, the benchmark gives URLs.
const REAL_SOURCE_PATH = /(?:^|[/\\])videos_real[/\\](davis|ego4d|youtube-vos)[/\\]/i;
const SYNTHETIC_PATH = /(?:^|[/\\])videos_synthetic[/\\]/i;

export function classifySource(split: Split, video: string | null): Derived<Source> {
  const v = video?.trim() ?? '';
  if (v) {
    // The path is checked before the split: it names the dataset the clip was actually taken from.
    const m = REAL_SOURCE_PATH.exec(v);
    if (m?.[1]) return { value: m[1].toLowerCase() as Source, rule: 'source:url-path' };
    if (SYNTHETIC_PATH.test(v)) return { value: 'synthetic', rule: 'source:url-path' };
  }
  // Every synthetic clip is generated, so the split alone says enough when the path does not.
  if (split === 'synthetic') return { value: 'synthetic', rule: 'source:synthetic-split' };
  return { value: 'unknown', rule: v ? 'source:unknown-url' : 'source:unknown-no-video' };
}

// ---- perspective --------------------------------------------------------------------------------------

// The authors' script reads the number after the last `_` (`validation_923` -> 923); an id whose last
// `_`-separated part is not all digits has no number in that sense.
const ID_NUMBER = /(?:^|_)(\d+)$/;

export function classifyPerspective(split: Split, id: string): Derived<Perspective> {
  // The synthetic clips are rendered scenes without a first-person camera; the authors do not split them.
  if (split === 'synthetic') return { value: 'unspecified', rule: 'perspective:synthetic' };
  const m = ID_NUMBER.exec(id.trim());
  if (!m?.[1]) return { value: 'unspecified', rule: 'perspective:unparseable-id' };
  return Number(m[1]) <= EXOCENTRIC_MAX_ID
    ? { value: 'exocentric', rule: 'perspective:real-id<=922' }
    : { value: 'egocentric', rule: 'perspective:real-id>922' };
}

// ---- motion -----------------------------------------------------------------------------------------

export interface MotionRuleInfo {
  name: string;
  description: string;
  /** The motion type the rule assigns. */
  value: MotionType;
}

interface MotionRule extends MotionRuleInfo {
  /** q and a are normalised: lower case, straight quotes, single spaces, trimmed. */
  test: (q: string, a: string) => boolean;
}

// Words that can follow "no" in an answer that denies a motion rather than an object: "no rotation" to
// "What direction does the cook rotate the bowl?" is a rotation question, not a false positive.
const MOTION_NOUN =
  /^(?:rotations?|rotating|turns?|turning|spins?|spinning|movements?|motion|moves?|moving|changes?|direction)\b/;

/** "no bus there", "no dogs in the video", "No plane", "No tape used.": the thing asked about is absent. */
function saysNoObject(a: string): boolean {
  const m = /^(?:there|ther|thre)(?:\s+(?:is|are|was|were)|'s)\s+no\s+(.*)$/.exec(a) ?? /^no\s+(.*)$/.exec(a);
  return !!m && m[1] !== undefined && m[1] !== '' && !MOTION_NOUN.test(m[1]);
}

const NOT_IN_VIDEO =
  /\bnot (?:in|present in|visible in|shown in|seen in) (?:the|this) (?:video|scene|clip)\b|^there (?:is|are|was|were) not\b|^there (?:isn't|aren't|wasn't|weren't)\b/;
// "Is there a red car moving left?" -> "no" denies the object; "Does the ball hit the rim?" -> "No" does not.
const ASKS_EXISTENCE = /^(?:is|are|was|were) there\b/;
const NOTHING = /^(?:nothing|none|none of them|no one|nobody)$/;

// "clockwise", "counter-clockwise", "anticlockwise", "counterclockwise", and the benchmark's typos
// "clckswise" and "clockswise" (validation_174, 233, 291).
const ROTATION_SENSE = /cl[a-z]{0,4}wise\b/;
const ROTATION_WORDS = new RegExp(
  [
    ROTATION_SENSE.source,
    '\\brotat\\w*', // rotate, rotating, rotation, "which rotational direction ..."
    '\\b(?:spin|spins|spinning|spun)\\b',
    '\\brevol(?:v\\w*|utions?)\\b',
    'flip(?:s|ped|ping)?\\b', // flips, frontflip, backflip, "the pages flip"
    '\\bsomersault\\w*',
    '\\bcartwheel\\w*',
    '\\btwirl\\w*',
    '\\btwist\\w*',
    '\\bpirouette\\w*',
    '\\bdegrees?\\b', // "by how many degrees" measures an angle
  ].join('|'),
);
// "turining" and "trun" are typos in the benchmark (validation_166, 422). "Turn on/off the stove"
// switches something and is not a change of heading; "turning on the spot" is one.
const TURN_WORDS =
  /\b(?:turn|turns|turned|turning|turining|trun|truns|truned|truning)\b(?! (?:on|off)\b(?! the spot\b))/;
const FACING_OR_PANNING = new RegExp(
  [
    '\\bfacing\\b',
    '\\bfaces? (?:the same|the other|a different|which) (?:way|direction)\\b',
    '\\bpan(?:s|ned|ning)? (?:his|her|their|its|the) head\\b',
    '\\bcamera (?:pan|pans|panned|panning)\\b',
    '\\b(?:pan|pans|panned|panning) the camera\\b',
  ].join('|'),
);

/**
 * The motion rules in the order they are tried; the first that matches decides. False positives come
 * first because the ground truth overrides the question's wording ("Is the car spinning clockwise or
 * counter-clockwise?" -> "there are no cars in the video" tests hallucination, not rotation); counting
 * comes before rotation because "How many times does the dancer spin clockwise?" is answered by a count.
 * The choices are not consulted: the benchmark offers "clockwise" as a distractor in plain direction
 * questions, so a rotation word among the options says nothing about the question.
 */
const RULES: readonly MotionRule[] = [
  {
    name: 'motion:fp-answer-absent',
    value: 'false-positive',
    description:
      'The ground truth says the object asked about is absent: "there are no … in the video", "no … there", "no plane", "not in the video", or "no" to "is there …?" ("no rotation", "no turn" deny a motion and do not count).',
    test: (q, a) => saysNoObject(a) || NOT_IN_VIDEO.test(a) || (a === 'no' && ASKS_EXISTENCE.test(q)),
  },
  {
    name: 'motion:fp-answer-nothing',
    value: 'false-positive',
    description:
      'The ground truth is "nothing", "none (of them)" or "no one": no object does what the question asks about.',
    test: (_q, a) => NOTHING.test(a),
  },
  {
    name: 'motion:counting-how-many',
    value: 'counting',
    description:
      'The question asks "how many" anywhere ("How many …", "In the video, how many …", "… and how many times?"), except "how many degrees".',
    test: (q) => /\bhow many\b(?! degrees?\b)/.test(q),
  },
  {
    name: 'motion:counting-more-than',
    value: 'counting',
    description: 'A yes/no question settled by a count: "more than once", "more than one brush".',
    test: (q) => /\bmore than (?:once|twice|one|two|three|\d+)\b/.test(q),
  },
  {
    name: 'motion:rotation-keyword',
    value: 'rotational',
    description:
      'The question names a rotation: clockwise / counter- / anti-clockwise, rotate / rotating / rotational, spin, revolve / revolutions, flip, somersault, cartwheel, twist, degrees.',
    test: (q) => ROTATION_WORDS.test(q),
  },
  {
    name: 'motion:rotation-turning',
    value: 'rotational',
    description:
      'The question asks about turning (turn, turns, turned, turning): a change of heading or turning an object; not "turn on/off".',
    test: (q) => TURN_WORDS.test(q),
  },
  {
    name: 'motion:rotation-facing-or-panning',
    value: 'rotational',
    description:
      'The question asks which way something is facing, whether it faces the same way, or about panning a head or a camera (not a frying pan).',
    test: (q) => FACING_OR_PANNING.test(q),
  },
  {
    name: 'motion:rotation-answer',
    value: 'rotational',
    description:
      'The ground truth is a sense of rotation ("clockwise", "counter-clockwise") although the question does not name one ("How is the lid moving?").',
    test: (_q, a) => ROTATION_SENSE.test(a),
  },
  {
    name: 'motion:translational-default',
    value: 'translational',
    description:
      'None of the above: a question about direction of travel, or about position, hands or actions, which the four types leave to translational.',
    test: () => true,
  },
];

/** The motion rules in the order they are tried, for display. */
export const MOTION_RULES: readonly MotionRuleInfo[] = RULES.map(({ name, description, value }) => ({
  name,
  description,
  value,
}));

function normalise(text: string): string {
  return text
    .toLowerCase()
    .replace(/[\u2018\u2019\u201b]/g, "'")
    .replace(/\s+/g, ' ')
    .trim();
}

export function classifyMotion(question: string, _choices: Choices, answer: ChoiceValue): Derived<MotionType> {
  const q = normalise(question);
  // Trailing punctuation varies ("Nothing. ", "No tape used.") and never changes the meaning.
  const a = normalise(String(answer)).replace(/[.!?,;:\s]+$/, '');
  for (const rule of RULES) {
    if (rule.test(q, a)) return { value: rule.value, rule: rule.name };
  }
  // Unreachable: the last rule matches everything; kept so the function is total for the compiler.
  return { value: 'translational', rule: 'motion:translational-default' };
}

export function classifyQuestion(q: Question): {
  source: Derived<Source>;
  perspective: Derived<Perspective>;
  motion: Derived<MotionType>;
} {
  return {
    source: classifySource(q.split, q.video),
    perspective: classifyPerspective(q.split, q.id),
    motion: classifyMotion(q.question, q.choices, q.answer),
  };
}

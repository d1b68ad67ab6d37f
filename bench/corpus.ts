// A deterministic corpus shaped like the published VLM4D results, for the benchmark (`npm run bench`).
//
// At scale 1 it writes what a user opens after running the authors' pipeline for every published model:
//   data/real_mc.json (1,371 questions), data/synthetic_mc.json (445 questions), and
//   processed_outputs/{real,synthetic}_mc_{cot,direct-output}/{model}_{frames}.json: 23 models' chain-of-thought
//   results and 22 models' direct-output results on both splits = 90 judged files, 81,720 predictions, ~62 MB.
// Scale k writes k times as many model files (`gpt-4o-r2_32frame.json`, ...), so file sizes stay realistic.
//
// What is measured from the published files and reproduced here (formats: docs/user-guide.md; method: docs/benchmark.md):
// - the judged format, byte for byte in layout: Python `json.dump(indent=4, ensure_ascii=False)`, LF, no final
//   newline; the question files use CRLF and indent by 4 (real) or 2 (synthetic), like the published ones;
// - per model, the quantiles of chain-of-thought response lengths (in characters) and the accuracy per split,
//   and the share of "No Valid Answer" extractions (~1.9% of CoT, almost none of direct-output: ~1% overall);
// - CoT endings ("Therefore, the final answer is: X" in ~85% of long responses, varied otherwise), Markdown in
//   about half of the responses, non-ASCII text in ~5% (curly quotes, dashes, some Chinese), escaped quotes in ~6%;
// - question mix: ids `validation_<n>` (the same ids in both splits), real sources by id range (davis 1-795,
//   youtube-vos 796-922, ego4d 923-1371, so the authors' ego/exo rule works), integer-choice counting questions
//   (~17% of real), false-positive answers ("there are no X in the video", "no X there"), rotation wording
//   (~19% of the benchmark).
// The text itself is word-list filler: the point is realistic size and JSON parsing cost, not meaning.
import * as fs from 'fs';
import * as path from 'path';

export type CorpusSplit = 'real' | 'synthetic';
export type CorpusPrompt = 'cot' | 'direct-output';

export interface CorpusOptions {
  /** 1, 4, 10...: k times as many predictions, written as k times as many model files. */
  scale: number;
  /** Same seed, same bytes. Default 1. */
  seed?: number;
}

export interface CorpusFileSummary {
  /** Relative to outDir, with `/` separators. */
  path: string;
  split: CorpusSplit;
  prompt: CorpusPrompt;
  /** Model name as the file name gives it (everything before the last `_`). */
  model: string;
  predictions: number;
  correct: number;
  noValidAnswer: number;
  bytes: number;
}

export interface CorpusSummary {
  outDir: string;
  scale: number;
  seed: number;
  /** Judged result files written (the question files are listed in `questionFiles`). */
  files: number;
  /** Predictions in the judged files. */
  predictions: number;
  /** Bytes of the judged files. */
  bytes: number;
  questionFiles: { path: string; split: CorpusSplit; questions: number; bytes: number }[];
  /** Bytes of everything written (judged + question files). */
  totalBytes: number;
  perFile: CorpusFileSummary[];
}

// ---------------------------------------------------------------------------------------------------------
// Seeded randomness

/** mulberry32: a small, fast 32-bit PRNG; returns floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** FNV-1a of a string, to derive one independent stream per file from the corpus seed. */
function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

type Rnd = () => number;

function at<T>(xs: readonly T[], i: number): T {
  const v = xs[i];
  if (v === undefined) throw new Error(`index ${i} out of range (${xs.length})`);
  return v;
}

function pick<T>(rnd: Rnd, xs: readonly T[]): T {
  return at(xs, Math.floor(rnd() * xs.length));
}

function intBelow(rnd: Rnd, n: number): number {
  return Math.floor(rnd() * n);
}

/** Picks from `[value, weight]` pairs. */
function weighted<T>(rnd: Rnd, xs: readonly (readonly [T, number])[]): T {
  let total = 0;
  for (const x of xs) total += x[1];
  let r = rnd() * total;
  for (const x of xs) {
    r -= x[1];
    if (r < 0) return x[0];
  }
  return at(xs, xs.length - 1)[0];
}

function shuffle<T>(rnd: Rnd, xs: T[]): T[] {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = intBelow(rnd, i + 1);
    const t = at(xs, i);
    xs[i] = at(xs, j);
    xs[j] = t;
  }
  return xs;
}

// ---------------------------------------------------------------------------------------------------------
// Models, measured from the published chain-of-thought files (both splits pooled for the lengths)

/** Quantile points of `cotLengths`. */
const LENGTH_POINTS = [0, 0.02, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 1] as const;

type DirectStyle = 'terse' | 'letterText' | 'sentence' | 'chatty';

export interface ModelProfile {
  /** `{model}_{frames}` as in the published file names. */
  stem: string;
  /** CoT response length (characters) at LENGTH_POINTS. */
  cotLengths: readonly number[];
  /** Published CoT accuracy (%) on the real and synthetic splits. */
  accReal: number;
  accSynthetic: number;
  /** Published CoT "No Valid Answer" share (%). */
  nvaPct: number;
  /** Share of responses with Markdown, with Chinese text. */
  markdown: number;
  cjk: number;
  /** Direct-output answer style (null: the model has no direct-output results; 22 of 23 do). */
  direct: DirectStyle | null;
}

// prettier-ignore
/** The 23 published models, as their result files name them, with their published accuracy (also used by tests). */
export const MODELS: readonly ModelProfile[] = [
  { stem: 'Aria-Chat_8frame', cotLengths: [2, 285, 336, 380, 475, 634, 837, 1046, 1163, 1392, 1724], accReal: 45.1, accSynthetic: 41.8, nvaPct: 0.66, markdown: 0.5, cjk: 0.001, direct: 'sentence' },
  { stem: 'InternVL2_5-38B_4frame', cotLengths: [1, 249, 322, 402, 577, 737, 912, 1114, 1238, 1451, 2229], accReal: 48.9, accSynthetic: 44.7, nvaPct: 0.44, markdown: 0.55, cjk: 0.002, direct: 'letterText' },
  { stem: 'InternVL2_5-8B_4frame', cotLengths: [15, 243, 305, 401, 551, 724, 912, 1110, 1251, 1514, 2168], accReal: 42.4, accSynthetic: 40.9, nvaPct: 0.39, markdown: 0.55, cjk: 0, direct: 'terse' },
  { stem: 'InternVideo2-Chat-8B_1fps', cotLengths: [26, 38, 40, 46, 52, 74, 129, 170, 197, 257, 1035], accReal: 38.1, accSynthetic: 38.7, nvaPct: 2.37, markdown: 0.05, cjk: 0, direct: 'sentence' },
  { stem: 'InternVideo2_5_Chat_8B_1fps', cotLengths: [9, 9, 9, 9, 9, 16, 21, 29, 31, 43, 88], accReal: 52.7, accSynthetic: 44.5, nvaPct: 0, markdown: 0, cjk: 0, direct: 'terse' },
  { stem: 'LLaVA-NeXT-Video-34B-hf_8frame', cotLengths: [1, 1, 1, 1, 1, 2, 269, 473, 607, 974, 2216], accReal: 30.9, accSynthetic: 27.6, nvaPct: 9.09, markdown: 0.3, cjk: 0.005, direct: 'terse' },
  { stem: 'Llama-4-Maverick-17B-128E-Instruct-FP8_10frame', cotLengths: [153, 542, 707, 835, 1090, 1358, 1642, 1963, 2195, 2645, 3303], accReal: 53.8, accSynthetic: 53.0, nvaPct: 0, markdown: 0.66, cjk: 0, direct: 'sentence' },
  { stem: 'Llama-4-Scout-17B-16E-Instruct_10frame', cotLengths: [161, 359, 461, 587, 815, 1075, 1335, 1580, 1750, 2066, 2704], accReal: 53.7, accSynthetic: 55.5, nvaPct: 0, markdown: 0.66, cjk: 0, direct: 'sentence' },
  { stem: 'Phi-3.5-vision-instruct_16frame', cotLengths: [2, 37, 235, 314, 439, 580, 756, 962, 1112, 1421, 2106], accReal: 37.1, accSynthetic: 24.7, nvaPct: 2.97, markdown: 0.5, cjk: 0, direct: 'letterText' },
  { stem: 'Phi-4-multimodal-instruct_16frame', cotLengths: [143, 217, 250, 282, 341, 413, 492, 706, 922, 1312, 4981], accReal: 37.2, accSynthetic: 34.8, nvaPct: 0.77, markdown: 0.5, cjk: 0, direct: 'chatty' },
  { stem: 'Qwen2-VL-72B-Instruct_1fps', cotLengths: [15, 115, 158, 199, 299, 423, 539, 670, 763, 967, 1445], accReal: 44.6, accSynthetic: 44.0, nvaPct: 0.11, markdown: 0.3, cjk: 0.003, direct: 'sentence' },
  { stem: 'Qwen2-VL-7B-Instruct_1fps', cotLengths: [8, 131, 180, 230, 354, 465, 576, 720, 823, 1047, 1528], accReal: 35.2, accSynthetic: 40.0, nvaPct: 0.99, markdown: 0.3, cjk: 0.027, direct: 'terse' },
  { stem: 'Qwen2.5-VL-72B-Instruct_1fps', cotLengths: [214, 460, 516, 567, 681, 820, 986, 1109, 1187, 1307, 1554], accReal: 53.1, accSynthetic: 52.6, nvaPct: 0, markdown: 0.4, cjk: 0.003, direct: 'sentence' },
  { stem: 'Qwen2.5-VL-7B-Instruct_1fps', cotLengths: [196, 376, 447, 493, 583, 694, 844, 1011, 1122, 1361, 1658], accReal: 43.3, accSynthetic: 45.6, nvaPct: 0.39, markdown: 0.4, cjk: 0.022, direct: 'sentence' },
  { stem: 'VideoLLaMA3-2B_1fps', cotLengths: [9, 9, 9, 34, 69, 86, 116, 153, 168, 208, 453], accReal: 46.0, accSynthetic: 36.4, nvaPct: 0, markdown: 0.05, cjk: 0, direct: 'terse' },
  { stem: 'VideoLLaMA3-7B_1fps', cotLengths: [57, 72, 76, 88, 108, 160, 199, 241, 275, 326, 448], accReal: 46.5, accSynthetic: 43.8, nvaPct: 0, markdown: 0.05, cjk: 0, direct: 'letterText' },
  { stem: 'claude-sonnet-4-20250514_20frame', cotLengths: [581, 818, 883, 931, 1024, 1139, 1247, 1356, 1416, 1616, 2544], accReal: 52.2, accSynthetic: 48.3, nvaPct: 0, markdown: 0.65, cjk: 0, direct: 'chatty' },
  { stem: 'deepseek-vl2_8frame', cotLengths: [12, 175, 263, 322, 431, 589, 780, 963, 1062, 1325, 2367], accReal: 33.1, accSynthetic: 33.3, nvaPct: 11.95, markdown: 0.4, cjk: 0.19, direct: 'letterText' },
  { stem: 'gemini-2.5-pro-preview-06-05_1fps', cotLengths: [414, 606, 668, 743, 907, 1133, 1388, 1578, 1705, 2171, 4985], accReal: 63.5, accSynthetic: 57.3, nvaPct: 0, markdown: 0.66, cjk: 0, direct: 'sentence' },
  { stem: 'gpt-4o_32frame', cotLengths: [302, 461, 511, 560, 662, 789, 939, 1089, 1177, 1360, 1950], accReal: 60.0, accSynthetic: 49.9, nvaPct: 0, markdown: 0.66, cjk: 0, direct: 'sentence' },
  { stem: 'grok-2-vision-latest_16frame', cotLengths: [151, 428, 530, 613, 755, 955, 1215, 1499, 1688, 2142, 3551], accReal: 49.4, accSynthetic: 51.0, nvaPct: 0, markdown: 0.66, cjk: 0, direct: 'chatty' },
  { stem: 'llava-onevision-qwen2-7b-ov-chat-hf_1fps', cotLengths: [1, 86, 232, 305, 398, 519, 697, 947, 1112, 1612, 2459], accReal: 36.0, accSynthetic: 37.5, nvaPct: 0.88, markdown: 0.4, cjk: 0.004, direct: 'sentence' },
  { stem: 'pixtral-12b_8frame', cotLengths: [11, 512, 622, 719, 883, 1078, 1310, 1540, 1707, 1964, 2452], accReal: 27.9, accSynthetic: 24.0, nvaPct: 11.56, markdown: 0.65, cjk: 0.01, direct: null },
];

/** Direct-output "No Valid Answer" share: 800 of 81,720 published, 773 of them in the CoT files. */
const DIRECT_NVA = 0.0007;
/** Responses with non-ASCII punctuation (curly quotes, dashes, arrows). */
const UNICODE_SHARE = 0.06;
/** Share of the option lists (in ~30% of long responses) that quote the choices. */
const QUOTED_OPTIONS_SHARE = 0.27;

// ---------------------------------------------------------------------------------------------------------
// Questions

const HF = 'https://huggingface.co/datasets/shijiezhou/VLM4D/resolve/main';
const LETTERS = ['A', 'B', 'C', 'D'] as const;
type Letter = (typeof LETTERS)[number];
type ChoiceValue = string | number;

interface CorpusQuestion {
  id: string;
  video: string;
  question: string;
  /** Choice values for A..D. */
  choices: ChoiceValue[];
  answer: ChoiceValue;
  answerIndex: number;
  /** What the question is about (for filler text). */
  subject: string;
  /** Added to every model's probability of answering it correctly (zero mean). */
  difficulty: number;
}

// Subjects: [singular, plural].
// prettier-ignore
const REAL_SUBJECTS: readonly (readonly [string, string])[] = [
  ['person', 'people'], ['man', 'men'], ['woman', 'women'], ['girl', 'girls'], ['boy', 'boys'], ['dog', 'dogs'],
  ['cat', 'cats'], ['horse', 'horses'], ['car', 'cars'], ['bus', 'buses'], ['truck', 'trucks'], ['train', 'trains'],
  ['biker', 'bikers'], ['skateboarder', 'skateboarders'], ['dancer', 'dancers'], ['boat', 'boats'], ['bird', 'birds'],
  ['swan', 'swans'], ['bear', 'bears'], ['elephant', 'elephants'], ['cow', 'cows'], ['camel', 'camels'], ['goat', 'goats'],
  ['kite-surfer', 'kite-surfers'], ['motorcyclist', 'motorcyclists'], ['ball', 'balls'], ['player', 'players'],
  ['boxer', 'boxers'], ['surfer', 'surfers'], ['skier', 'skiers'], ['deer', 'deer'], ['duck', 'ducks'], ['fish', 'fish'],
  ['monkey', 'monkeys'], ['parrot', 'parrots'], ['tractor', 'tractors'], ['drone', 'drones'], ['plane', 'planes'],
  ['batter', 'batters'], ['marble', 'marbles'], ['hyena', 'hyenas'], ['dolphin', 'dolphins'], ['gymnast', 'gymnasts'],
];
const QUALIFIERS = [
  'in the red shirt',
  'with the neon green t-shirt',
  'on the left',
  'in front',
  'in the background',
  'with the blue helmet',
  'in the pink blouse',
  'closest to the camera',
  'with the black shirt and shorts',
  'on the right',
  'in the middle',
];
const SYNTH_SUBJECTS = [
  'robot',
  'robotic arm',
  'dragon',
  'griffin',
  'alien',
  'fairy',
  'unicorn',
  'troll',
  'phantom',
  'car',
  'rover',
  'ambulance',
  'submarine',
  'flying taxi',
  'robot chef',
  'jellyfish',
  'bat',
  'whale',
  'limousine',
  'truck',
  'bicycle',
  'robotic moose',
  'spaceship',
  'hover drone',
  'mechanical spider',
  'robotic museum guide',
  'compost truck',
  'Mars rover',
  'robot kangaroo',
  'ghost',
  'lion',
  'snake',
  'frog',
  'shark',
  'ship',
  'caterpillar',
  'skateboard',
  'robot car',
  'flying transporter',
  'robotic archaeologist',
  'autonomous construction vehicle',
  'dog',
  'cap',
  "robot's foot",
  'robot griffin',
  'hot air balloon',
  'paper airplane',
  'tram',
  'penguin',
  'mechanical owl',
  'delivery robot',
  'forklift',
  'sailboat',
  'golem',
  'phoenix',
];
const EGO_PLACES = [
  'cutting board',
  'sink',
  'fridge',
  'stove',
  'rice cooker',
  'counter',
  'drawer',
  'cabinet',
  'door',
  'table',
  'shelf',
  'box',
  'bowl',
  'pan',
  'washing machine',
  'workbench',
  'trash bin',
  'microwave',
  'oven',
  'stack of books',
];
const EGO_OBJECTS = [
  'knife',
  'phone',
  'book',
  'cup',
  'bottle',
  'laptop',
  'bag',
  'plate',
  'eggs',
  'spoon',
  'lid',
  'screwdriver',
  'towel',
  'jar',
  'box',
  'onion',
  'tape measure',
  'paint brush',
  'key',
  'remote',
];
const DAVIS_FIRST = [
  'bike',
  'dance',
  'city',
  'dog',
  'car',
  'horse',
  'boat',
  'motor',
  'kite',
  'mtb',
  'lindy',
  'boxing',
  'skate',
  'paragliding',
  'soapbox',
  'breakdance',
  'scooter',
  'drift',
  'tennis',
  'judo',
  'rollerblade',
  'parkour',
  'hike',
  'walking',
  'bmx',
  'cows',
  'goat',
  'camel',
  'swing',
  'surf',
  'train',
  'tram',
  'snowboard',
  'ski',
  'sheep',
  'pigs',
  'flamingo',
  'mallard',
  'rhino',
  'dolphins',
  'elephant',
  'cat',
  'bus',
  'marbles',
  'water',
  'crossing',
  'street',
  'night',
  'kids',
  'juggle',
];
const DAVIS_SECOND = [
  'ride',
  'twirl',
  'trial',
  'race',
  'packing',
  'turn',
  'jump',
  'show',
  'park',
  'flip',
  'chase',
  'game',
  'walk',
  'fisheye',
  'slide',
  'run',
  'bump',
  'shadow',
  'street',
  'lift',
  'hop',
  'wheelie',
  'crossing',
  'girl',
  'ball',
  'fight',
  'agility',
  'jockey',
  'surf',
  'beach',
  'hyenas',
  'dance',
  'kick',
  'swing',
  'drive',
  'stroll',
  'lab',
  'corner',
  'rain',
  'tricks',
];

function fpChoice(rnd: Rnd, subject: readonly [string, string], synthetic: boolean): string {
  if (synthetic) return `no ${subject[0]} there`;
  const r = rnd();
  if (r < 0.7) return `there are no ${subject[1]} in the video`;
  if (r < 0.95) return `no ${subject[0]} there`;
  return `the ${subject[0]} is not in the video`;
}

function integerChoices(rnd: Rnd): { options: number[]; answer: number } {
  const answer: number = weighted(rnd, [
    [0, 77],
    [1, 69],
    [2, 38],
    [3, 18],
    [4, 21],
    [5, 7],
    [6, 2],
  ] as const);
  const options = [answer];
  while (options.length < 4) {
    const v = intBelow(rnd, 7);
    if (!options.includes(v)) options.push(v);
  }
  return { options, answer };
}

interface Draft {
  question: string;
  options: ChoiceValue[];
  answer: ChoiceValue;
  subject: string;
}

/** Real split, third-person clips (davis, youtube-vos). */
function exoQuestion(rnd: Rnd): Draft {
  const subj = pick(rnd, REAL_SUBJECTS);
  const plural = rnd() < 0.2;
  const who = rnd() < 0.25 ? `${subj[0]} ${pick(rnd, QUALIFIERS)}` : plural ? subj[1] : subj[0];
  const Be = who === subj[1] ? 'Are' : 'Is';
  const own = who === subj[1] ? 'their own perspectives' : 'its own perspective';
  const kind = weighted(rnd, [
    ['direction', 30],
    ['spin', 10],
    ['turn', 6],
    ['count', 16],
    ['closer', 8],
    ['forwards', 5],
    ['yesno', 4],
    ['uphill', 2],
  ] as const);
  switch (kind) {
    case 'direction': {
      const prefix = rnd() < 0.17 ? 'From the camera perspective, what' : 'What';
      const question = `${prefix} direction ${Be.toLowerCase()} the ${who} moving towards${rnd() < 0.05 ? '' : '?'}`;
      const cap = rnd() < 0.08;
      const left = cap ? 'Left' : 'left';
      const right = cap ? 'Right' : 'right';
      const hasFp = rnd() < 0.8;
      const fourth = hasFp
        ? fpChoice(rnd, subj, false)
        : pick(rnd, [
            'towards the camera',
            'away from the camera',
            'coming closer',
            'going further away',
            'up',
            'uphill',
            'right to left',
          ]);
      const answer =
        hasFp && rnd() < 0.17
          ? fourth
          : weighted(rnd, [
              [left, 36],
              [right, 40],
              ['not moving', 16],
              [fourth, hasFp ? 0 : 8],
            ] as const);
      return { question, options: [left, right, 'not moving', fourth], answer, subject: subj[0] };
    }
    case 'spin': {
      const anti = rnd() < 0.15 ? 'anti-clockwise' : 'counter-clockwise';
      const verb = rnd() < 0.8 ? 'spinning' : 'rotating';
      const question =
        rnd() < 0.8
          ? `${Be} the ${who} ${verb} clockwise or ${anti}?`
          : `Which rotational direction does the ${subj[0]} turn?`;
      const still = verb === 'spinning' ? 'not spinning' : 'not rotating';
      const answer = weighted(rnd, [
        ['clockwise', 40],
        [anti, 28],
        [still, 45],
        ['both ways', 5],
      ] as const);
      return { question, options: ['clockwise', anti, still, 'both ways'], answer, subject: subj[0] };
    }
    case 'turn': {
      if (rnd() < 0.6) {
        const question = `${Be} the ${who} turning to the left or right from ${own}?`;
        return {
          question,
          options: ['left', 'right', 'forwards', 'towards'],
          answer: rnd() < 0.5 ? 'left' : 'right',
          subject: subj[0],
        };
      }
      const options = ['left', 'right', 'not turning', 'moving straight and not turning'];
      const answer = weighted(rnd, [
        ['left', 3],
        ['right', 3],
        ['moving straight and not turning', 2],
      ] as const);
      return { question: `Which way is the ${subj[0]} turning towards?`, options, answer, subject: subj[0] };
    }
    case 'count': {
      const { options, answer } = integerChoices(rnd);
      const question = weighted(rnd, [
        [`How many times does the ${subj[0]} spin counter-clockwise?`, 3],
        [`How many full revolutions does the ${subj[0]} make?`, 2],
        [`How many times does the ${subj[0]} turn to the left?`, 2],
        [`How many times does the ${subj[0]} jump?`, 3],
        [`How many times did the ${subj[0]} change direction?`, 3],
        [`How many ${subj[1]} are moving to the ${rnd() < 0.5 ? 'left' : 'right'}?`, 4],
        [`How many steps does the ${subj[0]} take forwards?`, 2],
      ] as const);
      return { question, options, answer, subject: subj[0] };
    }
    case 'closer': {
      if (rnd() < 0.55) {
        const fp = rnd() < 0.7;
        const fourth = fp ? fpChoice(rnd, subj, false) : 'not moving';
        const third = fp ? 'not moving' : 'staying in place';
        const answer =
          fp && rnd() < 0.15
            ? fourth
            : weighted(rnd, [
                ['coming closer', 33],
                ['going further away', 12],
                [third, 10],
              ] as const);
        const question = `${Be} the ${who} coming closer or getting further away?`;
        return { question, options: ['coming closer', 'going further away', third, fourth], answer, subject: subj[0] };
      }
      const answer = weighted(rnd, [
        ['towards the camera', 15],
        ['away from the camera', 21],
        ['not moving', 5],
      ] as const);
      const question = `${Be} the ${who} moving towards or away from the camera?`;
      return {
        question,
        options: ['towards the camera', 'away from the camera', 'not moving', 'not sure'],
        answer,
        subject: subj[0],
      };
    }
    case 'forwards': {
      const options = [
        'forwards',
        'backwards',
        'staying in place',
        pick(rnd, ['neither', 'both ways', 'right', 'not spinning']),
      ];
      const answer = weighted(rnd, [
        ['forwards', 27],
        ['backwards', 3],
        ['staying in place', 35],
      ] as const);
      return {
        question: `${Be} the ${who} moving forwards or backwards from ${own}?`,
        options,
        answer,
        subject: subj[0],
      };
    }
    case 'yesno': {
      const options = ['Yes', 'No', 'It moves further away', 'It stays at the same distance'];
      const answer = weighted(rnd, [
        ['Yes', 24],
        ['No', 9],
        ['It stays at the same distance', 2],
      ] as const);
      return {
        question: `Does the ${subj[0]} move closer to the camera throughout the video?`,
        options,
        answer,
        subject: subj[0],
      };
    }
    case 'uphill': {
      const answer = weighted(rnd, [
        ['uphill', 3],
        ['downhill', 10],
        ['not moving', 2],
      ] as const);
      return {
        question: `${Be} the ${who} moving uphill or downhill?`,
        options: ['uphill', 'downhill', 'not moving', 'both'],
        answer,
        subject: subj[0],
      };
    }
  }
}

/** Real split, first-person clips (ego4d). */
function egoQuestion(rnd: Rnd): Draft {
  const place = pick(rnd, EGO_PLACES);
  const obj = pick(rnd, EGO_OBJECTS);
  const kind = weighted(rnd, [
    ['go', 27],
    ['placed', 15],
    ['openTurn', 8],
    ['rotate', 11],
    ['count', 13],
    ['yesno', 6],
    ['walk', 8],
    ['side', 8],
  ] as const);
  switch (kind) {
    case 'go': {
      const options = rnd() < 0.6 ? ['left', 'right', 'above', 'below'] : ['backward', 'forward', 'left', 'right'];
      const question =
        rnd() < 0.5
          ? `Which direction did the person go in to go back to the ${place}?`
          : `Which direction was the ${place} where he took the ${obj} from?`;
      return {
        question,
        options,
        answer: weighted(rnd, [
          ['left', 4],
          ['right', 4],
          [at(options, 1), 1],
        ] as const),
        subject: 'person',
      };
    }
    case 'placed': {
      const options = ['on top of', 'next to', 'in front of', 'behind'];
      return {
        question: `Where was the ${obj} placed relative to the ${place}?`,
        options,
        answer: pick(rnd, options),
        subject: obj,
      };
    }
    case 'openTurn': {
      const answer = weighted(rnd, [
        ['left', 4],
        ['right', 4],
        ['upward', 1],
        ['downward', 1],
      ] as const);
      return {
        question: `Which way does the person turn to open the ${place}?`,
        options: ['left', 'right', 'upward', 'downward'],
        answer,
        subject: 'person',
      };
    }
    case 'rotate': {
      const answer = weighted(rnd, [
        ['clockwise', 5],
        ['counter-clockwise', 4],
        ['not rotating', 1],
      ] as const);
      const options = ['clockwise', 'counter-clockwise', 'not rotating', 'both ways'];
      return {
        question: `Which rotational direction did the person rotate the ${obj}?`,
        options,
        answer,
        subject: obj,
      };
    }
    case 'count': {
      const { options, answer } = integerChoices(rnd);
      const question =
        rnd() < 0.5
          ? `How many times does the person open the ${place}?`
          : `How many times did the person turn the ${obj} clockwise?`;
      return { question, options, answer, subject: obj };
    }
    case 'yesno': {
      const answer = weighted(rnd, [
        ['Yes', 4],
        ['No', 2],
        ['It moves further away', 1],
      ] as const);
      const options = ['It moves further away', 'Yes', 'It stays at the same distance', 'No'];
      return {
        question: `Does the ${obj} move closer to the person throughout the video?`,
        options,
        answer,
        subject: obj,
      };
    }
    case 'walk': {
      // Published quirks: capitalised choices with trailing punctuation and spaces.
      const options = ['Backward', 'To the right. ', 'Forward', 'To the left'];
      const question = `In which direction is the man with the ${pick(rnd, ['black shirt and shorts', 'grey hoodie', 'red cap'])} moving?`;
      return { question, options, answer: pick(rnd, options), subject: 'man' };
    }
    case 'side': {
      const options = ['left', 'right', 'front', 'back'];
      return {
        question: `Which side of the ${place} did the person put the ${obj}?`,
        options,
        answer: pick(rnd, options),
        subject: obj,
      };
    }
  }
}

function syntheticQuestion(rnd: Rnd): Draft {
  const s = pick(rnd, SYNTH_SUBJECTS);
  const fp = fpChoice(rnd, [s, `${s}s`], true);
  const kind = weighted(rnd, [
    ['towards', 73],
    ['moving', 19],
    ['did', 6],
    ['rotate', 2],
  ] as const);
  if (kind === 'rotate') {
    const anti = rnd() < 0.5 ? 'counter-clockwise' : 'anti-clockwise';
    const answer =
      rnd() < 0.1
        ? fp
        : weighted(rnd, [
            ['not rotating', 4],
            ['clockwise', 3],
            [anti, 2],
          ] as const);
    return {
      question: `${rnd() < 0.6 ? 'Which way' : 'What way'} is the ${s} rotating?`,
      options: [fp, 'not rotating', 'clockwise', anti],
      answer,
      subject: s,
    };
  }
  const axis = weighted(rnd, [
    ['lateral', 80],
    ['depth', 15],
    ['vertical', 5],
  ] as const);
  const [a, b] =
    axis === 'lateral'
      ? ['left', 'right']
      : axis === 'depth'
        ? ['towards the camera', 'away from the camera']
        : ['upward', 'downward'];
  const answer =
    rnd() < 0.1
      ? fp
      : weighted(rnd, [
          [a, axis === 'depth' ? 34 : 198],
          [b, axis === 'depth' ? 8 : 95],
          ['not moving', 44],
        ] as const);
  const question =
    kind === 'towards'
      ? `What direction is the ${s} moving towards${rnd() < 0.02 ? ' at first' : ''}?`
      : kind === 'moving'
        ? `Which direction is the ${s} ${pick(rnd, ['moving', 'moving', 'moving', 'flying', 'driving'])}?`
        : `Which direction did the ${s} go?`;
  return { question, options: [a, b, 'not moving', fp], answer, subject: s };
}

/** Spreads `count` questions over `videos` clips (each gets one, the rest go to random clips), in clip order. */
function assignVideos(rnd: Rnd, count: number, videos: number): number[] {
  const perVideo = new Array<number>(videos).fill(1);
  for (let i = videos; i < count; i++) {
    const v = intBelow(rnd, videos);
    perVideo[v] = at(perVideo, v) + 1;
  }
  const out: number[] = [];
  perVideo.forEach((n, v) => {
    for (let k = 0; k < n; k++) out.push(v);
  });
  return out;
}

function davisNames(rnd: Rnd, n: number): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  while (out.length < n) {
    const name = rnd() < 0.3 ? pick(rnd, DAVIS_FIRST) : `${pick(rnd, DAVIS_FIRST)}-${pick(rnd, DAVIS_SECOND)}`;
    if (seen.has(name)) continue;
    seen.add(name);
    out.push(name);
  }
  return out.sort();
}

function finishQuestion(rnd: Rnd, n: number, video: string, d: Draft): CorpusQuestion {
  const order = shuffle(
    rnd,
    d.options.map((_, i) => i),
  );
  const choices = order.map((i) => at(d.options, i));
  const answerIndex = choices.indexOf(d.answer);
  if (answerIndex < 0) throw new Error(`answer not among the choices: ${String(d.answer)}`);
  return {
    id: `validation_${n}`,
    video,
    question: d.question,
    choices,
    answer: d.answer,
    answerIndex,
    subject: d.subject,
    difficulty: (rnd() - 0.5) * 0.3,
  };
}

function makeQuestions(seed: number): Record<CorpusSplit, CorpusQuestion[]> {
  const rnd = mulberry32(hash32(`${seed}|questions`));
  const real: CorpusQuestion[] = [];
  const davis = davisNames(rnd, 210);
  const davisOf = assignVideos(rnd, 795, 210);
  const ytOf = assignVideos(rnd, 127, 90);
  const egoOf = assignVideos(rnd, 449, 300);
  for (let n = 1; n <= 1371; n++) {
    let video: string;
    let draft: Draft;
    if (n <= 795) {
      video = `${HF}/videos_real/davis/${at(davis, at(davisOf, n - 1))}.mp4`;
      draft = exoQuestion(rnd);
    } else if (n <= 922) {
      video = `${HF}/videos_real/youtube-vos/youtube${String(at(ytOf, n - 796)).padStart(3, '0')}.mp4`;
      draft = exoQuestion(rnd);
    } else {
      video = `${HF}/videos_real/ego4d/clip_${String(at(egoOf, n - 923) + 1).padStart(3, '0')}.mp4`;
      draft = egoQuestion(rnd);
    }
    real.push(finishQuestion(rnd, n, video, draft));
  }
  const synthetic: CorpusQuestion[] = [];
  const synthOf = assignVideos(rnd, 445, 400);
  for (let n = 1; n <= 445; n++) {
    const video = `${HF}/videos_synthetic/synth_${String(at(synthOf, n - 1) + 1).padStart(3, '0')}.mp4`;
    synthetic.push(finishQuestion(rnd, n, video, syntheticQuestion(rnd)));
  }
  return { real, synthetic };
}

// ---------------------------------------------------------------------------------------------------------
// JSON text in the published layout (Python json.dump, indent=4, ensure_ascii=False)

const json = (v: ChoiceValue): string => JSON.stringify(v);

/** As published: CRLF line ends, indented by 4 (real) or 2 (synthetic) spaces. */
function questionFileText(qs: readonly CorpusQuestion[], indent: number): string {
  const nl = '\r\n';
  const [i1, i2, i3] = [1, 2, 3].map((k) => ' '.repeat(k * indent));
  const items = qs.map(
    (x) =>
      `${i1}{${nl}${i2}"id": ${json(x.id)},${nl}${i2}"video": ${json(x.video)},${nl}${i2}"question_type": "multiple-choice",${nl}` +
      `${i2}"question": ${json(x.question)},${nl}${i2}"choices": {${nl}` +
      x.choices.map((c, i) => `${i3}"${at(LETTERS, i)}": ${json(c)}`).join(`,${nl}`) +
      `${nl}${i2}},${nl}${i2}"answer": ${json(x.answer)}${nl}${i1}}`,
  );
  return `[${nl}${items.join(`,${nl}`)}${nl}]`;
}

/** Everything of a judged record that does not depend on the model, rendered once per question. */
interface RenderedQuestion {
  /** From `    {` to `"response": `. */
  head: string;
  /** From the comma after the response to `"extracted_answer": `. */
  middle: string;
  /** JSON of `X: text` for each letter. */
  extracted: string[];
}

function renderQuestion(x: CorpusQuestion): RenderedQuestion {
  return {
    head:
      `    {\n        "id": ${json(x.id)},\n        "question": ${json(x.question)},\n        "choices": {\n` +
      x.choices.map((c, i) => `            "${at(LETTERS, i)}": ${json(c)}`).join(',\n') +
      '\n        },\n        "response": ',
    middle: `,\n        "ground_truth_answer": ${json(x.answer)},\n        "extracted_answer": `,
    extracted: x.choices.map((c, i) => json(`${at(LETTERS, i)}: ${String(c)}`)),
  };
}

// ---------------------------------------------------------------------------------------------------------
// Filler text: pools of sentences built once per corpus, assembled per response

const SUBJ = [
  'object',
  'person',
  'vehicle',
  'subject',
  'car',
  'animal',
  'figure',
  'camera',
  'robot',
  'dancer',
  'boat',
  'ball',
];
const DIRS = ['left', 'right', 'upper left', 'lower right', 'center', 'foreground', 'background', 'edge of the frame'];
const MOTIONS = [
  'moving to the left',
  'moving to the right',
  'not moving',
  'rotating clockwise',
  'rotating counter-clockwise',
  'moving towards the camera',
  'moving away from the camera',
  'turning slightly',
  'staying in place',
  'spinning in place',
];
const CAMS = [
  'static',
  'panning to the right',
  'panning to the left',
  'following the subject',
  'slowly zooming in',
  'shaky',
];
const ADVS = ['gradually', 'slightly', 'noticeably', 'consistently', 'abruptly', 'steadily'];
const OBJS = ['trees', 'road markings', 'buildings', 'the horizon', 'the fence', 'the table', 'the wall', 'the water'];
const HEADINGS = [
  'Initial Position',
  'Movement Analysis',
  'Observation',
  'Frame-by-Frame Analysis',
  'Direction of Motion',
  'Camera Perspective',
  'Identify the Subject',
  'Evaluate the Options',
  'Background Cues',
  'Conclusion',
  'Relative Position',
  'Orientation',
];
const SENTENCE_TEMPLATES: readonly ((r: Rnd) => string)[] = [
  (r) => `In frame ${1 + intBelow(r, 32)}, the ${pick(r, SUBJ)} appears near the ${pick(r, DIRS)} of the image.`,
  (r) =>
    `The ${pick(r, SUBJ)} moves ${pick(r, ADVS)} to the ${pick(r, ['left', 'right'])} compared to the previous frame.`,
  (r) =>
    `Between frames ${1 + intBelow(r, 8)} and ${9 + intBelow(r, 24)}, the position of the ${pick(r, SUBJ)} shifts toward the ${pick(r, DIRS)}.`,
  (r) => `The background remains mostly unchanged, which suggests the camera is ${pick(r, CAMS)}.`,
  (r) => `This indicates that the ${pick(r, SUBJ)} is ${pick(r, MOTIONS)}.`,
  (r) => `There is no clear evidence of the ${pick(r, SUBJ)} ${pick(r, MOTIONS)}.`,
  (r) => `Looking at the sequence, the ${pick(r, SUBJ)}'s orientation changes ${pick(r, ADVS)}.`,
  (r) => `The relative position of the ${pick(r, SUBJ)} to ${pick(r, OBJS)} does not change much.`,
  () => 'We need to consider both the perspective of the camera and the direction of motion.',
  (r) =>
    `Based on the visual cues, the most consistent interpretation is that the ${pick(r, SUBJ)} is ${pick(r, MOTIONS)}.`,
  (r) => `The shadows and ${pick(r, OBJS)} in the scene help to establish the direction.`,
  () => 'However, the motion is subtle and could be misinterpreted from individual frames.',
  (r) => `The ${pick(r, SUBJ)} is seen ${pick(r, MOTIONS)} throughout most of the video.`,
  (r) =>
    `From the viewer's perspective, the ${pick(r, SUBJ)} starts on the ${pick(r, ['left', 'right'])} side and ends closer to the ${pick(r, DIRS)}.`,
  (r) =>
    `The ${pick(r, SUBJ)} ${pick(r, ['rotates', 'turns', 'spins', 'drifts', 'shifts'])} ${pick(r, ADVS)}, ` +
    `${pick(r, ['which is consistent with', 'which contradicts', 'which partly supports'])} option ${pick(r, LETTERS)}.`,
  (r) =>
    `Option ${pick(r, LETTERS)} can be ruled out because the ${pick(r, SUBJ)} is clearly visible and ${pick(r, MOTIONS)}.`,
  (r) =>
    `Comparing the first and the last frames, the ${pick(r, SUBJ)} has moved ${pick(r, ['a short distance', 'across the frame', 'very little', 'out of view'])}.`,
  (r) =>
    `The ${pick(r, SUBJ)}'s ${pick(r, ['head', 'front', 'wheels', 'legs', 'arms'])} ${pick(r, ['point', 'face', 'turn'])} towards the ${pick(r, DIRS)}.`,
  () => 'Since the frames are sampled uniformly, small movements between them may be missed.',
  (r) => `It is important to note that the camera itself may be ${pick(r, CAMS)}, which affects the apparent motion.`,
];
const UNICODE_TEMPLATES: readonly ((r: Rnd) => string)[] = [
  (r) => `The ${pick(r, SUBJ)}’s motion is ${pick(r, ADVS)} ${pick(r, MOTIONS)} — not in the opposite direction.`,
  (r) => `Frames ${1 + intBelow(r, 8)}–${9 + intBelow(r, 24)} show the ${pick(r, SUBJ)} ${pick(r, MOTIONS)}.`,
  (r) => `It’s “${pick(r, MOTIONS)}” rather than ${pick(r, MOTIONS)} → option ${pick(r, LETTERS)} fits best.`,
  (r) => `The angle changes by roughly ${10 + intBelow(r, 170)}° between frames, so it is ${pick(r, MOTIONS)} ✓.`,
];
const CJK =
  '的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处理';

function cjkSentence(r: Rnd): string {
  let s = '';
  const n = 8 + intBelow(r, 30);
  for (let i = 0; i < n; i++) {
    s += CJK.charAt(intBelow(r, CJK.length));
    if (i > 3 && i < n - 2 && r() < 0.08) s += '，';
  }
  return s + '。';
}

interface Pools {
  ascii: string[];
  unicode: string[];
  cjk: string[];
}

function makePools(seed: number): Pools {
  const r = mulberry32(hash32(`${seed}|pools`));
  const ascii: string[] = [];
  for (let i = 0; i < 4096; i++) ascii.push(pick(r, SENTENCE_TEMPLATES)(r));
  const unicode: string[] = [];
  for (let i = 0; i < 512; i++) unicode.push(pick(r, UNICODE_TEMPLATES)(r));
  const cjk: string[] = [];
  for (let i = 0; i < 512; i++) cjk.push(cjkSentence(r));
  return { ascii, unicode, cjk };
}

/** Inverse CDF of a model's measured length quantiles, linear between the points. */
function sampleLength(u: number, lengths: readonly number[]): number {
  let i = 1;
  while (i < LENGTH_POINTS.length - 1 && u > at(LENGTH_POINTS, i)) i++;
  const p0 = at(LENGTH_POINTS, i - 1);
  const p1 = at(LENGTH_POINTS, i);
  const l0 = at(lengths, i - 1);
  const l1 = at(lengths, i);
  return Math.round(l0 + ((u - p0) / (p1 - p0)) * (l1 - l0));
}

/** A final line for letter `x` whose choice text is `t`. */
type Form = (x: string, t: string) => string;

// Last lines of long CoT responses, weighted as measured (~85% contain "Therefore, the final answer is").
const COT_ENDINGS: readonly (readonly [Form, number])[] = [
  [(x) => `Therefore, the final answer is: ${x}`, 600],
  [(x) => `Therefore, the final answer is: ${x}.`, 70],
  [(x) => `Therefore, the final answer is: **${x}**`, 56],
  [(x) => `Therefore, the final answer is: $\\boxed{${x}}$`, 20],
  [(x) => `Therefore, the final answer is: $${x}$`, 14],
  [(x) => `Therefore, the final answer is: $${x}`, 12],
  [(x) => `Therefore, the final answer is: **${x}**.`, 6],
  [(x, t) => `Therefore, the final answer is: ${x}: ${t}.`, 30],
  [(x, t) => `Therefore, the final answer is: ${x}: ${t}`, 20],
  [(x, t) => `Therefore, the final answer is: ${x}. ${t}`, 5],
  [(x) => `**Therefore, the final answer is: ${x}**`, 4],
  [(x) => `'Therefore, the final answer is: ${x}'`, 3],
  [(x) => `Answer: ${x}`, 25],
  [(x, t) => `Answer: ${x}: ${t}`, 15],
  [(x, t) => `Answer: (${x}) ${t}`, 5],
  [(x) => `The final answer is: ${x}`, 10],
  [(x) => `Final Answer: ${x}`, 5],
  [(x) => `Thus, the final answer is: ${x}`, 5],
  [(x) => `Final answer: ${x}`, 5],
  [(x) => x, 20],
  [(x) => `So the answer is ${x}.`, 10],
  [(x, t) => `The correct option is ${x}) ${t}.`, 10],
  [(x) => `\`\`\`\n${x}\n\`\`\``, 5],
  [(x, t) => `Hence, option ${x} ("${t}") is the most plausible choice.`, 10],
];

// Short CoT responses (target length under 40): the form nearest the target length is used.
const SHORT_FORMS: readonly Form[] = [
  (x) => x,
  (x) => ` ${x}`,
  (x) => `${x}.`,
  (x) => `Answer: ${x}`,
  (x, t) => `Answer: ${x}: ${t}`,
  (x, t) => `Answer: (${x}) ${t}`,
  (x, t) => `Answer: ${x}. ${t}`,
  (x) => `The answer is ${x}`,
  (x) => `The final answer is: ${x}`,
  (x, t) => `${x}: ${t}`,
  (x) => `Therefore, the final answer is: ${x}`,
];
const SHORT_INVALID = [
  '',
  'uman',
  'Right',
  'I cannot tell.',
  'The cart is moving uphill.',
  'D Letter A',
  'None of the above',
  'It is unclear from the frames.',
];
const LONG_INVALID = [
  'None of the given options accurately describes the motion in the video.',
  'It is not possible to determine the answer from the frames provided.',
  "I'm sorry, but I can't determine the direction from these images.",
  'The correct answer cannot be determined from the information given.',
];

// Direct-output answers: [form, weight] per style ('sentence': one sentence and the letter; 'long': a short
// reasoning). Median response ~19 characters over all direct-output files.
const DIRECT_STYLES: Record<DirectStyle, readonly (readonly [Form | 'sentence' | 'long', number])[]> = {
  terse: [
    [(x) => x, 55],
    [(x) => `${x}.`, 15],
    [(x, t) => `${x}: ${t}`, 20],
    [(x) => `Answer: ${x}`, 10],
  ],
  letterText: [
    [(x, t) => `${x}: ${t}`, 55],
    [(x, t) => `${x}. ${t}`, 20],
    [(x, t) => `(${x}) ${t}`, 10],
    [(x) => x, 10],
    [(x, t) => `The answer is ${x}: ${t}.`, 5],
  ],
  sentence: [
    [(x) => `The answer is ${x}.`, 25],
    [(x, t) => `The answer is ${x}: ${t}.`, 35],
    [(x) => `Therefore, the final answer is: ${x}`, 25],
    ['sentence', 15],
  ],
  chatty: [
    [(x, t) => `The answer is ${x}: ${t}.`, 20],
    [(x) => `Therefore, the final answer is: ${x}`, 20],
    ['sentence', 40],
    ['long', 20],
  ],
};

interface ResponseContext {
  rnd: Rnd;
  pools: Pools;
  model: ModelProfile;
}

/** Filler sentence for one response: plain, or (per-response flags) with unicode punctuation or Chinese. */
function sentence(c: ResponseContext, uni: boolean, cjk: boolean): string {
  const r = c.rnd();
  if (cjk && r < 0.5) return pick(c.rnd, c.pools.cjk);
  if (uni && r < 0.3) return pick(c.rnd, c.pools.unicode);
  return pick(c.rnd, c.pools.ascii);
}

/** A chain-of-thought response of about `target` characters ending with `ending` (null: cut off mid-sentence). */
function reasoning(c: ResponseContext, x: CorpusQuestion, target: number, ending: string | null): string {
  const rnd = c.rnd;
  const uni = rnd() < UNICODE_SHARE;
  const cjk = rnd() < c.model.cjk;
  const md = rnd() < c.model.markdown;
  const budget = target - (ending === null ? 0 : ending.length + 2);
  let s = '';
  if (budget > 160) {
    const topic = `${x.question.charAt(0).toLowerCase()}${x.question.slice(1).replace(/\?$/, '')}`;
    s = `To determine ${topic}, let's analyze the ${pick(rnd, ['frames', 'images', 'video'])} step by step.`;
    if (budget > 400 && rnd() < 0.3) {
      const quoted = rnd() < QUOTED_OPTIONS_SHARE;
      const dash = uni ? '—' : '-';
      const verdicts = ['possible', 'unlikely', 'needs checking', 'ruled out below'];
      s +=
        '\n\n' +
        (md ? '### Options\n' : "Let's look at the options:\n") +
        x.choices
          .map(
            (ch, i) =>
              `- Option ${at(LETTERS, i)}: ${quoted ? `"${String(ch)}" ${dash} ${pick(rnd, verdicts)}` : String(ch)}`,
          )
          .join('\n');
    }
  }
  let section = 0;
  let inSection = 0;
  for (;;) {
    const next = sentence(c, uni, cjk);
    let piece: string;
    if (md) {
      if (inSection === 0 || inSection > 1 + intBelow(rnd, 3)) {
        section++;
        inSection = 0;
        piece = `${s ? '\n\n' : ''}${section}. **${pick(rnd, HEADINGS)}**:\n   - ${next}`;
      } else piece = `\n   - ${next}`;
      inSection++;
    } else piece = s === '' ? next : rnd() < 0.3 ? `\n\n${next}` : ` ${next}`;
    // Stop when the next piece would overshoot by more than half of it: lengths stay unbiased.
    if (s.length + piece.length / 2 > budget) {
      // Short targets: one short sentence about the subject may still fit where pool sentences do not.
      const short = `${s ? ' ' : ''}The ${x.subject} is ${pick(rnd, MOTIONS)}.`;
      if (s.length + short.length <= budget) s += short;
      break;
    }
    s += piece;
  }
  if (ending === null) return `${s} ${pick(rnd, c.pools.ascii).slice(0, Math.max(0, target - s.length))}`;
  return s === '' ? ending : `${s}\n\n${ending}`;
}

function nearestForm(rnd: Rnd, forms: readonly string[], target: number): string {
  let best = at(forms, 0);
  let bestD = Infinity;
  for (const f of forms) {
    const d = Math.abs(f.length - target) + rnd() * 0.9; // random tie-break
    if (d < bestD) {
      bestD = d;
      best = f;
    }
  }
  return best;
}

function cotResponse(c: ResponseContext, x: CorpusQuestion, letter: Letter | null, text: string): string {
  const rnd = c.rnd;
  const target = sampleLength(rnd(), c.model.cotLengths);
  if (letter === null) {
    if (target < 40) return nearestForm(rnd, SHORT_INVALID, target);
    return reasoning(c, x, target, rnd() < 0.5 ? null : pick(rnd, LONG_INVALID));
  }
  if (target < 40)
    return nearestForm(
      rnd,
      SHORT_FORMS.map((f) => f(letter, text)),
      target,
    );
  return reasoning(c, x, target, weighted(rnd, COT_ENDINGS)(letter, text));
}

function directResponse(
  c: ResponseContext,
  x: CorpusQuestion,
  letter: Letter | null,
  text: string,
  style: DirectStyle,
): string {
  const rnd = c.rnd;
  if (letter === null) return rnd() < 0.5 ? pick(rnd, SHORT_INVALID) : pick(rnd, LONG_INVALID);
  const form = weighted(rnd, DIRECT_STYLES[style]);
  if (form === 'sentence') return `The ${x.subject} is ${pick(rnd, MOTIONS)}. The answer is ${letter}.`;
  if (form === 'long') return reasoning(c, x, 150 + intBelow(rnd, 350), `Therefore, the final answer is: ${letter}`);
  return form(letter, text);
}

// ---------------------------------------------------------------------------------------------------------
// Judged files

interface FilePlan {
  rel: string;
  split: CorpusSplit;
  prompt: CorpusPrompt;
  model: string;
  profile: ModelProfile;
  replica: number;
}

function planFiles(scale: number): FilePlan[] {
  const plans: FilePlan[] = [];
  for (let replica = 1; replica <= scale; replica++) {
    for (const prompt of ['cot', 'direct-output'] as const) {
      for (const split of ['real', 'synthetic'] as const) {
        for (const profile of MODELS) {
          if (prompt === 'direct-output' && profile.direct === null) continue;
          const cut = profile.stem.lastIndexOf('_');
          const base = profile.stem.slice(0, cut);
          const model = replica === 1 ? base : `${base}-r${replica}`;
          plans.push({
            rel: `processed_outputs/${split}_mc_${prompt}/${model}${profile.stem.slice(cut)}.json`,
            split,
            prompt,
            model,
            profile,
            replica,
          });
        }
      }
    }
  }
  return plans;
}

/** UTF-8 text appended straight into a growing buffer (no intermediate file-sized string). */
class Writer {
  private buf: Buffer;
  private len = 0;
  constructor(capacity: number) {
    this.buf = Buffer.allocUnsafe(capacity);
  }
  put(s: string): void {
    if (this.len + s.length * 3 > this.buf.length) {
      const bigger = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.len + s.length * 3));
      this.buf.copy(bigger, 0, 0, this.len);
      this.buf = bigger;
    }
    this.len += this.buf.write(s, this.len, 'utf8');
  }
  done(): Buffer {
    return this.buf.subarray(0, this.len);
  }
}

function judgedFileBytes(
  plan: FilePlan,
  questions: readonly CorpusQuestion[],
  rendered: readonly RenderedQuestion[],
  pools: Pools,
  seed: number,
): { buf: Buffer; correct: number; nva: number } {
  const rnd = mulberry32(hash32(`${seed}|${plan.rel}`));
  // Direct-output and replica accuracies: the CoT accuracy of the same model, moved a little (per model, not per split).
  const drift = mulberry32(hash32(`${seed}|${plan.model}|${plan.prompt}`));
  let acc = (plan.split === 'real' ? plan.profile.accReal : plan.profile.accSynthetic) / 100;
  if (plan.replica > 1) acc += (drift() - 0.5) * 0.06;
  if (plan.prompt === 'direct-output') acc += (drift() - 0.6) * 0.08;
  acc = Math.min(0.65, Math.max(0.24, acc));
  const n = questions.length;
  const nvaRate = plan.prompt === 'cot' ? plan.profile.nvaPct / 100 : DIRECT_NVA;
  // Which rows are "No Valid Answer" and which are correct is decided first, so that each file's counts are
  // exactly its targets (binomial noise alone would move a synthetic file's accuracy by +-2-3 points).
  const nvaRows = new Set<number>();
  const nvaTarget = Math.round(nvaRate * n);
  while (nvaRows.size < nvaTarget) nvaRows.add(intBelow(rnd, n));
  // The correct rows are the target number with the largest margins (skill + question difficulty - noise), so
  // easy questions are answered correctly by more models.
  const pCorrect = acc / (1 - nvaRate);
  const margin = questions.map((x) => pCorrect + x.difficulty - rnd());
  const correctTarget = Math.min(n - nvaTarget, Math.round(acc * n));
  const byMargin = margin.map((_, i) => i).filter((i) => !nvaRows.has(i));
  byMargin.sort((a, b) => at(margin, b) - at(margin, a) || a - b);
  const isCorrect = new Uint8Array(n);
  for (let k = 0; k < correctTarget; k++) isCorrect[at(byMargin, k)] = 1;
  const ctx: ResponseContext = { rnd, pools, model: plan.profile };
  const out = new Writer(n * 2000);
  out.put('[\n');
  let correct = 0;
  let nva = 0;
  for (let i = 0; i < n; i++) {
    const x = at(questions, i);
    const r = at(rendered, i);
    const chosen = nvaRows.has(i)
      ? null
      : isCorrect[i] === 1
        ? x.answerIndex
        : (x.answerIndex + 1 + intBelow(rnd, 3)) % 4;
    const letter = chosen === null ? null : at(LETTERS, chosen);
    const text = chosen === null ? '' : String(at(x.choices, chosen));
    const response =
      plan.prompt === 'cot'
        ? cotResponse(ctx, x, letter, text)
        : directResponse(ctx, x, letter, text, plan.profile.direct ?? 'terse');
    let extracted: string;
    if (chosen === null) {
      extracted = '"No Valid Answer"';
      nva++;
    } else if (rnd() < 0.0001) {
      // A few published extractions are free text or empty.
      extracted = rnd() < 0.5 ? '""' : json(text);
    } else extracted = at(r.extracted, chosen);
    const ok = chosen === x.answerIndex;
    if (ok) correct++;
    if (i > 0) out.put(',\n');
    out.put(r.head);
    out.put(JSON.stringify(response));
    out.put(r.middle);
    out.put(extracted);
    out.put(ok ? ',\n        "correct": true\n    }' : ',\n        "correct": false\n    }');
  }
  out.put('\n]');
  return { buf: out.done(), correct, nva };
}

/**
 * Writes the corpus under outDir: `data/{real,synthetic}_mc.json` and
 * `processed_outputs/{split}_mc_{cot,direct-output}/{model}_{frames}.json` (90 x scale files). The same seed
 * gives byte-identical files. Existing files of the same names are overwritten; nothing else is removed.
 */
export async function generateCorpus(outDir: string, options: CorpusOptions): Promise<CorpusSummary> {
  const scale = Math.floor(options.scale);
  if (!(scale >= 1)) throw new Error(`scale must be a positive integer, got ${options.scale}`);
  const seed = (options.seed ?? 1) >>> 0;
  const questions = makeQuestions(seed);
  const pools = makePools(seed);
  const summary: CorpusSummary = {
    outDir,
    scale,
    seed,
    files: 0,
    predictions: 0,
    bytes: 0,
    questionFiles: [],
    totalBytes: 0,
    perFile: [],
  };

  await fs.promises.mkdir(path.join(outDir, 'data'), { recursive: true });
  for (const split of ['real', 'synthetic'] as const) {
    const rel = `data/${split}_mc.json`;
    const buf = Buffer.from(questionFileText(questions[split], split === 'real' ? 4 : 2), 'utf8');
    await fs.promises.writeFile(path.join(outDir, rel), buf);
    summary.questionFiles.push({ path: rel, split, questions: questions[split].length, bytes: buf.length });
    summary.totalBytes += buf.length;
  }

  const rendered = { real: questions.real.map(renderQuestion), synthetic: questions.synthetic.map(renderQuestion) };
  const plans = planFiles(scale);
  for (const dir of new Set(plans.map((p) => path.dirname(p.rel))))
    await fs.promises.mkdir(path.join(outDir, dir), { recursive: true });
  // One write in flight while the next file is generated: at most two files are in memory at a time.
  let pending: Promise<void> = Promise.resolve();
  for (const plan of plans) {
    const { buf, correct, nva } = judgedFileBytes(plan, questions[plan.split], rendered[plan.split], pools, seed);
    await pending;
    pending = fs.promises.writeFile(path.join(outDir, plan.rel), buf);
    const predictions = questions[plan.split].length;
    summary.perFile.push({
      path: plan.rel,
      split: plan.split,
      prompt: plan.prompt,
      model: plan.model,
      predictions,
      correct,
      noValidAnswer: nva,
      bytes: buf.length,
    });
    summary.files++;
    summary.predictions += predictions;
    summary.bytes += buf.length;
  }
  await pending;
  summary.totalBytes += summary.bytes;
  return summary;
}

/** `npx tsx bench/corpus.ts OUTDIR [--scale N] [--seed N]`: writes the corpus, prints a summary, returns the exit code. */
export async function main(argv: readonly string[] = process.argv.slice(2)): Promise<number> {
  let outDir: string | undefined;
  let scale = 1;
  let seed = 1;
  for (let i = 0; i < argv.length; i++) {
    const a = at(argv, i);
    if (a === '--scale' || a === '--seed') {
      const v = Number(argv[++i]);
      if (!Number.isInteger(v) || v < (a === '--scale' ? 1 : 0)) {
        process.stderr.write(`${a} needs a ${a === '--scale' ? 'positive' : 'non-negative'} integer\n`);
        return 2;
      }
      if (a === '--scale') scale = v;
      else seed = v;
    } else if (!a.startsWith('--') && outDir === undefined) outDir = a;
    else {
      process.stderr.write(`unexpected argument: ${a}\n`);
      return 2;
    }
  }
  if (outDir === undefined) {
    process.stderr.write('usage: corpus OUTDIR [--scale N] [--seed N]\n');
    return 2;
  }
  const t0 = performance.now();
  const s = await generateCorpus(outDir, { scale, seed });
  const seconds = (performance.now() - t0) / 1000;
  const nva = s.perFile.reduce((a, f) => a + f.noValidAnswer, 0);
  process.stdout.write(
    `${s.files} judged files, ${s.predictions} predictions (${nva} "No Valid Answer"), ${(s.bytes / 1e6).toFixed(1)} MB ` +
      `(+ ${s.questionFiles.length} question files: ${(s.totalBytes / 1e6).toFixed(1)} MB in all) in ${outDir}, ${seconds.toFixed(2)} s\n`,
  );
  return 0;
}

// Run directly (`npx tsx bench/corpus.ts OUT --scale 4`), not when bundled into dist/bench.js, where
// `require.main === module` holds too (the bundle is one module): hence the file-name check.
if (require.main === module && /corpus\.[cm]?[jt]s$/.test(process.argv[1] ?? '')) {
  main().then(
    (code) => process.exit(code),
    (e: unknown) => {
      process.stderr.write(String(e instanceof Error ? e.stack : e) + '\n');
      process.exit(1);
    },
  );
}

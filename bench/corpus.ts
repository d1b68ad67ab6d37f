// A deterministic corpus shaped like the published VLM4D results, for the benchmark: at scale 1, 90
// judged files (23 models' chain-of-thought results and 22 models' direct-output results, each on the
// real and the synthetic split), 81,720 predictions, ~60 MB, with chain-of-thought response lengths
// drawn from the distribution of the published ones. Scale k writes k times as many model files.
import * as fs from 'fs';
import * as path from 'path';

export interface CorpusSummary {
  files: number;
  predictions: number;
  bytes: number;
}

const HF = 'https://huggingface.co/datasets/shijiezhou/VLM4D/resolve/main';
/** Quantiles (0, 5, 10, 25, 50, 75, 90, 95, 99, 100%) of the published CoT response lengths, in characters. */
const COT_LENGTH_QUANTILES = [1, 16, 67, 300, 624, 959, 1259, 1454, 1901, 4985];
const QUANTILE_POINTS = [0, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 1];
const MODELS = [
  'Aria-Chat_8frame', 'InternVL2_5-38B_4frame', 'InternVL2_5-8B_4frame', 'InternVideo2-Chat-8B_1fps', 'InternVideo2_5_Chat_8B_1fps',
  'LLaVA-NeXT-Video-34B-hf_8frame', 'Llama-4-Maverick-17B-128E-Instruct-FP8_10frame', 'Llama-4-Scout-17B-16E-Instruct_10frame',
  'Phi-3.5-vision-instruct_16frame', 'Phi-4-multimodal-instruct_16frame', 'Qwen2-VL-72B-Instruct_1fps', 'Qwen2-VL-7B-Instruct_1fps',
  'Qwen2.5-VL-72B-Instruct_1fps', 'Qwen2.5-VL-7B-Instruct_1fps', 'VideoLLaMA3-2B_1fps', 'VideoLLaMA3-7B_1fps', 'claude-sonnet-4-20250514_20frame',
  'deepseek-vl2_8frame', 'gemini-2.5-pro-preview-06-05_1fps', 'gpt-4o_32frame', 'grok-2-vision-latest_16frame',
  'llava-onevision-qwen2-7b-ov-chat-hf_1fps', 'pixtral-12b_8frame',
];
const LETTERS = ['A', 'B', 'C', 'D'] as const;
const WORDS = (
  'the object frame camera moves appears left right towards away clockwise rotation motion shifts position ' +
  'between first last frames scene background foreground person car dog relative perspective observe ' +
  'direction consistent trajectory sequence indicates therefore based analysis compared initially later'
).split(' ');
const OBJECTS = ['car', 'dog', 'person', 'bus', 'boat', 'bird', 'cyclist', 'robot', 'drone', 'horse', 'wheel', 'dancer'];

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Q {
  id: string;
  video: string;
  question_type: 'multiple-choice';
  question: string;
  choices: Record<string, string | number>;
  answer: string | number;
}

function pick<T>(rnd: () => number, xs: readonly T[]): T {
  return xs[Math.floor(rnd() * xs.length)] as T;
}

function shuffled<T>(rnd: () => number, xs: T[]): T[] {
  const a = [...xs];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [a[i], a[j]] = [a[j] as T, a[i] as T];
  }
  return a;
}

function makeQuestions(split: 'real' | 'synthetic', count: number, rnd: () => number): Q[] {
  const out: Q[] = [];
  for (let n = 1; n <= count; n++) {
    const obj = pick(rnd, OBJECTS);
    const video =
      split === 'synthetic'
        ? `${HF}/videos_synthetic/synth_${String(n).padStart(3, '0')}.mp4`
        : `${HF}/videos_real/${n <= 795 ? 'davis' : n <= 922 ? 'youtube-vos' : 'ego4d'}/clip_${n}.mp4`;
    const r = rnd();
    let question: string;
    let options: (string | number)[];
    let answer: string | number;
    if (split === 'real' && r < 0.14) {
      question = `How many times does the ${obj} turn to the left?`;
      options = [0, 1, 2, 3];
      answer = Math.floor(rnd() * 4);
    } else if (r < 0.3) {
      question = `Is the ${obj} spinning clockwise or counter-clockwise?`;
      options = ['clockwise', 'counter-clockwise', 'not spinning', `there are no ${obj}s in the video`];
      answer = pick(rnd, options.slice(0, 3));
    } else if (r < 0.36) {
      question = `What direction is the ${obj} moving towards?`;
      options = ['left', 'right', 'not moving', split === 'synthetic' ? `no ${obj} there` : `there are no ${obj}s in the video`];
      answer = options[3] as string;
    } else {
      question = `What direction is the ${obj} moving towards?`;
      options = ['left', 'right', 'not moving', 'towards the camera'];
      answer = pick(rnd, options);
    }
    const order = shuffled(rnd, options);
    out.push({ id: `validation_${n}`, video, question_type: 'multiple-choice', question, choices: { A: order[0]!, B: order[1]!, C: order[2]!, D: order[3]! }, answer });
  }
  return out;
}

function cotLength(rnd: () => number): number {
  const u = rnd();
  let i = 1;
  while (i < QUANTILE_POINTS.length - 1 && u > (QUANTILE_POINTS[i] as number)) i++;
  const p0 = QUANTILE_POINTS[i - 1] as number;
  const p1 = QUANTILE_POINTS[i] as number;
  const l0 = COT_LENGTH_QUANTILES[i - 1] as number;
  const l1 = COT_LENGTH_QUANTILES[i] as number;
  return Math.round(l0 + ((u - p0) / (p1 - p0)) * (l1 - l0));
}

function cotResponse(rnd: () => number, letter: string, text: string | number): string {
  const target = cotLength(rnd);
  const tail = rnd() < 0.85 ? `\n\nTherefore, the final answer is: ${letter}` : `\n\nSo the answer is **${letter}: ${text}**.`;
  let body = 'To determine the direction, let\'s analyze the frames:\n\n1. **Initial position:** ';
  let step = 2;
  while (body.length + tail.length < target) {
    body += pick(rnd, WORDS) + (rnd() < 0.12 ? '.\n' : ' ');
    if (rnd() < 0.02) body += `\n${step++}. **Step:** "the ${pick(rnd, OBJECTS)}" — `;
  }
  return body.slice(0, Math.max(0, target - tail.length)) + tail;
}

function directResponse(rnd: () => number, letter: string, text: string | number): string {
  const r = rnd();
  return r < 0.2 ? letter : r < 0.55 ? `${letter}: ${text}` : r < 0.9 ? `The answer is (${letter}) ${text}.` : `${letter}. ${text}`;
}

/** Writes the corpus under outDir (data/ and processed_outputs/); the same seed gives the same bytes. */
export async function generateCorpus(outDir: string, options: { scale: number; seed?: number }): Promise<CorpusSummary> {
  const seed = options.seed ?? 1;
  const questions = { real: makeQuestions('real', 1371, mulberry32(seed)), synthetic: makeQuestions('synthetic', 445, mulberry32(seed + 1)) };
  fs.mkdirSync(path.join(outDir, 'data'), { recursive: true });
  let bytes = 0;
  let files = 0;
  let predictions = 0;
  for (const split of ['real', 'synthetic'] as const) {
    const text = JSON.stringify(questions[split], null, 4);
    fs.writeFileSync(path.join(outDir, 'data', `${split}_mc.json`), text);
    bytes += Buffer.byteLength(text);
  }
  for (let copy = 1; copy <= options.scale; copy++) {
    for (const [mi, fileStem] of MODELS.entries()) {
      const cut = fileStem.lastIndexOf('_');
      const stem = copy === 1 ? fileStem : `${fileStem.slice(0, cut)}-r${copy}${fileStem.slice(cut)}`;
      for (const prompt of ['cot', 'direct-output'] as const) {
        // The published direct-output set has 22 models.
        if (prompt === 'direct-output' && mi === MODELS.length - 1) continue;
        for (const split of ['real', 'synthetic'] as const) {
          const rnd = mulberry32(seed * 1_000_003 + copy * 10_007 + mi * 101 + (prompt === 'cot' ? 0 : 50) + (split === 'real' ? 0 : 25));
          const skill = 0.25 + rnd() * 0.4;
          const records = questions[split].map((q) => {
            const truth = LETTERS.find((l) => q.choices[l] === q.answer) as string;
            const noAnswer = rnd() < 0.01;
            const right = !noAnswer && rnd() < skill;
            const letter = right ? truth : (LETTERS.filter((l) => l !== truth)[Math.floor(rnd() * 3)] as string);
            const chosenText = q.choices[letter] as string | number;
            return {
              id: q.id,
              question: q.question,
              choices: q.choices,
              response: prompt === 'cot' ? cotResponse(rnd, letter, chosenText) : directResponse(rnd, letter, chosenText),
              ground_truth_answer: q.answer,
              extracted_answer: noAnswer ? 'No Valid Answer' : `${letter}: ${chosenText}`,
              correct: right,
            };
          });
          const dir = path.join(outDir, 'processed_outputs', `${split}_mc_${prompt}`);
          fs.mkdirSync(dir, { recursive: true });
          const text = JSON.stringify(records, null, 4);
          await fs.promises.writeFile(path.join(dir, `${stem}.json`), text);
          bytes += Buffer.byteLength(text);
          files++;
          predictions += records.length;
        }
      }
    }
  }
  return { files, predictions, bytes };
}

// Run directly (npx tsx bench/corpus.ts OUT --scale 4), not when bundled into the benchmark.
if (require.main === module && /corpus\.[jt]s$/.test(process.argv[1] ?? '')) {
  const out = process.argv[2];
  const scale = Number(process.argv[process.argv.indexOf('--scale') + 1] ?? 1) || 1;
  if (!out) {
    process.stderr.write('usage: corpus OUTDIR [--scale N]\n');
    process.exit(2);
  }
  const t0 = performance.now();
  generateCorpus(out, { scale }).then((s) => process.stdout.write(`${JSON.stringify(s)} in ${Math.round(performance.now() - t0)} ms\n`));
}

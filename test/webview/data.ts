// Data sources behind the fake host: a synthetic list of any size (rows are a pure function of their
// position, so tests know which row sits where) and the real index over the bundled samples.
import * as path from 'node:path';
import type { FacetCounts, FailureQuery, PredictionRow, QueryResult } from '../../src/core/index/query';
import { FACETS } from '../../src/core/index/query';
import { ResultIndex } from '../../src/core/index/resultIndex';
import { loadSqlJs } from '../../src/core/index/sqlite';
import type { MotionType, Outcome, Perspective, Source, Split } from '../../src/core/model';
import { GRADERS, MOTION_TYPES, OUTCOMES, PERSPECTIVES, PROMPT_MODES, SOURCES, SPLITS } from '../../src/core/model';

export interface DataSource {
  query(q: FailureQuery): QueryResult;
  close?(): void;
}

export const SYNTHETIC_MODELS = [
  'claude-sonnet-4',
  'gemini-2.5-pro',
  'gpt-4o',
  'internvl3-38b',
  'llama-4-maverick',
  'llava-onevision-7b',
  'o4-mini',
  'qwen2.5-vl-72b',
];

const QUESTIONS: { q: string; choices: string[]; motion: MotionType }[] = [
  {
    q: 'Which direction is the red car moving relative to the camera?',
    choices: ['left', 'right', 'towards the camera', 'away from the camera'],
    motion: 'translational',
  },
  {
    q: 'Is the person in the blue jacket turning clockwise or counter-clockwise?',
    choices: ['clockwise', 'counter-clockwise', 'not turning', 'both'],
    motion: 'rotational',
  },
  {
    q: 'How many times does the ball bounce before it leaves the frame?',
    choices: ['1', '2', '3', '4'],
    motion: 'counting',
  },
  {
    q: 'From the camera wearer’s point of view, which way is the knife moving while cutting the onion on the board?',
    choices: ['up', 'down', 'left', 'right'],
    motion: 'translational',
  },
  {
    q: 'What is the dog doing after it reaches the fence?',
    choices: ['turns left', 'turns right', 'sits down', 'there is no dog in the video'],
    motion: 'false-positive',
  },
  {
    q: 'Which way does the camera pan during the clip?',
    choices: ['left', 'right', 'up', 'down'],
    motion: 'rotational',
  },
];
const LETTERS = ['A', 'B', 'C', 'D'] as const;

export interface SyntheticOptions {
  outcomeOf?: (i: number) => Outcome;
  /** Replaces fields of row i (e.g. hostile text). */
  patch?: (i: number) => Partial<PredictionRow> & { response?: string };
}

type Row = PredictionRow & { response: string };
/** The response is only searched, never sent (rows carry no response text). */
function stripResponse(r: Row): PredictionRow {
  const out: Partial<Row> = { ...r };
  delete out.response;
  return out as PredictionRow;
}

/** `count` predictions; row i has id i + 1 and, unsorted and unfiltered, sits at position i. */
export class SyntheticSource implements DataSource {
  readonly rows: Row[];
  private readonly filtered = new Map<string, { rows: Row[]; total: number; facets: FacetCounts }>();
  queries = 0;

  constructor(count: number, opts: SyntheticOptions = {}) {
    this.rows = [];
    for (let i = 0; i < count; i++)
      this.rows.push({ ...synthRow(i, opts.outcomeOf), ...(opts.patch?.(i) ?? {}) } as Row);
  }

  query(q: FailureQuery): QueryResult {
    this.queries++;
    const { offset = 0, limit = 100, ...filters } = q;
    const key = JSON.stringify(filters);
    let f = this.filtered.get(key);
    if (!f) {
      f = filterRows(this.rows, filters);
      this.filtered.set(key, f);
    }
    return { total: f.total, rows: f.rows.slice(offset, offset + limit).map(stripResponse), facets: f.facets };
  }
}

/** `count` failed predictions made on demand (for sizes not worth holding in memory); no filtering. */
export class LazySource implements DataSource {
  constructor(private readonly count: number) {}

  query(q: FailureQuery): QueryResult {
    const { offset = 0, limit = 100 } = q;
    const rows: PredictionRow[] = [];
    for (let i = offset; i < Math.min(this.count, offset + limit); i++) {
      rows.push(stripResponse(synthRow(i, () => 'failed')));
    }
    const facets = {} as FacetCounts;
    for (const f of FACETS) facets[f] = Object.fromEntries(FACET_VALUES[f].map((v) => [v, 0]));
    facets.outcome.failed = this.count;
    return { total: this.count, rows, facets };
  }
}

function synthRow(i: number, outcomeOf?: (i: number) => Outcome): Row {
  const t = QUESTIONS[i % QUESTIONS.length] as (typeof QUESTIONS)[number];
  const split: Split = i % 5 === 4 ? 'synthetic' : 'real';
  const perspective: Perspective =
    split === 'synthetic' ? 'unspecified' : Math.floor(i / 2) % 3 === 0 ? 'egocentric' : 'exocentric';
  const source: Source =
    split === 'synthetic' ? 'synthetic' : perspective === 'egocentric' ? 'ego4d' : i % 2 ? 'davis' : 'youtube-vos';
  const model = SYNTHETIC_MODELS[Math.floor(i / 6) % SYNTHETIC_MODELS.length] as string;
  const promptMode = Math.floor(i / 48) % 2 ? 'direct-output' : 'cot';
  const outcome: Outcome = outcomeOf ? outcomeOf(i) : i % 7 < 4 ? 'failed' : 'correct';
  const truth = i % 4;
  const chosen = outcome === 'correct' ? truth : (truth + 1 + (i % 3)) % 4;
  const qid = `validation_${Math.floor(i / 96) + 1}`;
  return {
    id: i + 1,
    key: `${split}/${promptMode}/${model}_32frame/${qid}`,
    split,
    qid,
    question: t.q,
    model,
    samplingLabel: '32frame',
    promptMode,
    stage: 'judged',
    groundTruth: t.choices[truth] as string,
    groundTruthLetter: LETTERS[truth] as PredictionRow['groundTruthLetter'],
    chosen: LETTERS[chosen] as PredictionRow['chosen'],
    chosenText: t.choices[chosen] as string,
    outcome,
    judgeCorrect: outcome === 'ungraded' ? null : outcome === 'correct',
    grader: 'judge',
    perspective,
    motion: t.motion,
    source,
    rules: {
      perspective: 'perspective:real-id<=922',
      motion: 'motion:translational-default',
      source: 'source:davis-url',
    },
    response: `Looking at the frames in order, the answer is ${LETTERS[chosen]}: ${t.choices[chosen]}.`,
  };
}

const FACET_VALUES: Record<(typeof FACETS)[number], readonly string[]> = {
  split: SPLITS,
  perspective: PERSPECTIVES,
  motion: MOTION_TYPES,
  source: SOURCES,
  model: SYNTHETIC_MODELS,
  promptMode: PROMPT_MODES,
  outcome: OUTCOMES,
  grader: GRADERS,
};

/** The index's semantics: text narrows everything; facet f counts rows passing every filter but f's. */
function filterRows(rows: Row[], q: FailureQuery): { rows: Row[]; total: number; facets: FacetCounts } {
  const facets = {} as FacetCounts;
  for (const f of FACETS) facets[f] = Object.fromEntries(FACET_VALUES[f].map((v) => [v, 0]));
  const text = (q.text ?? '').trim().toLowerCase();
  const active = FACETS.filter((f) => (q[f]?.length ?? 0) > 0);
  const out: Row[] = [];
  for (const row of rows) {
    if (text && !row.question.toLowerCase().includes(text) && !row.response.toLowerCase().includes(text)) continue;
    let failing: (typeof FACETS)[number] | null = null;
    let failures = 0;
    for (const f of active) {
      if (!(q[f] as string[]).includes(row[f] as string)) {
        failures++;
        failing = f;
      }
    }
    if (failures > 1) continue;
    if (failures === 1) {
      const f = failing as (typeof FACETS)[number];
      facets[f][row[f] as string] = (facets[f][row[f] as string] ?? 0) + 1;
      continue;
    }
    out.push(row);
    for (const f of FACETS) facets[f][row[f] as string] = (facets[f][row[f] as string] ?? 0) + 1;
  }
  if (q.sort === 'model')
    out.sort((a, b) => a.model.localeCompare(b.model) || a.promptMode.localeCompare(b.promptMode) || a.id - b.id);
  return { rows: out, total: out.length, facets };
}

/** The real index over a folder (the bundled samples), queried in this process. */
export class IndexSource implements DataSource {
  private constructor(private readonly index: ResultIndex) {}

  static async open(root: string, folder: string): Promise<IndexSource> {
    const index = new ResultIndex(await loadSqlJs(path.join(root, 'node_modules', 'sql.js', 'dist', 'sql-wasm.wasm')));
    index.setRoots([folder]);
    await index.sync();
    return new IndexSource(index);
  }

  query(q: FailureQuery): QueryResult {
    return this.index.query(q);
  }

  close(): void {
    this.index.close();
  }
}

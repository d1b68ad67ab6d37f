// Calibrates the deterministic answer reading (src/core/answerReading.ts) against an LLM judge.
//
//   npx tsx scripts/answer-agreement.ts [FOLDER] [--sample N] [--seed S] [--out FILE] [--all FILE]
//
// Reads every judged result file under FOLDER (default /work/shared/vlm4d: processed_outputs*/{split}_mc_{prompt}/*.json)
// and prints, per prompt mode and split: predictions, agreement of the rule's verdict with the judge's
// `correct`, agreement of the rule's letter with the judge's extracted letter, unreadable counts and the
// rule-id distribution. Writes the verdict disagreements to docs/answer-audit/disagreements.json (--out):
// all of them by default, or a seeded random sample of N (--sample N, seed 4; ranked by a hash of each
// prediction's key, so the sample stays put when the rules change a little). Items already judged by hand
// there (`verdict`, `why`) are always kept while they still disagree with unchanged readings, whatever N
// is, and the sample is topped up from the hash ranks. --all FILE writes every disagreement (no hand fields).
import * as fs from 'fs';
import * as path from 'path';
import { auditRecords, totalFigures } from '../src/core/audit';
import type { AgreementFigures, AuditRecord, Disagreement } from '../src/core/audit';
import { discover } from '../src/core/discovery';
import { parseRecords, readJsonText, readPredictions } from '../src/core/parse';
import type { Choices, ChoiceValue, PromptMode, Split } from '../src/core/model';

interface Options {
  folder: string;
  sample: number;
  seed: number;
  out: string;
  all: string | null;
}

function parseArgs(argv: string[]): Options {
  const o: Options = {
    folder: '/work/shared/vlm4d',
    sample: Number.POSITIVE_INFINITY,
    seed: 4,
    out: path.join(__dirname, '..', 'docs', 'answer-audit', 'disagreements.json'),
    all: null,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    const next = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--sample') {
      const v = next();
      o.sample = v === 'all' ? Number.POSITIVE_INFINITY : Number(v);
      if (Number.isNaN(o.sample)) throw new Error(`--sample needs a number or 'all', not ${v}`);
    } else if (a === '--seed') o.seed = Number(next());
    else if (a === '--out') o.out = next();
    else if (a === '--all') o.all = next();
    else if (a.startsWith('--')) throw new Error(`unknown option ${a}`);
    else o.folder = a;
  }
  return o;
}

/** Record fields the audit file shows besides the audit's own. */
interface Extra {
  question: string;
  choices: Choices;
  response: string;
}

function loadRecords(folder: string): { records: AuditRecord[]; extras: Map<string, Extra>; files: number } {
  const found = discover(folder);
  for (const p of found.problems) console.error(`warning: ${p.path}: ${p.reason}`);
  const records: AuditRecord[] = [];
  const extras = new Map<string, Extra>();
  let files = 0;
  for (const f of found.files) {
    if (f.kind !== 'judged' || !f.run) continue;
    const text = readJsonText(f.path);
    if (!text.ok) {
      console.error(`skipped ${f.path}: ${text.reason}`);
      continue;
    }
    const raw = parseRecords(text.value, f.path.endsWith('.jsonl'));
    if (!raw.ok) {
      console.error(`skipped ${f.path}: ${raw.reason}`);
      continue;
    }
    const preds = readPredictions(raw.value);
    if (!preds.ok) {
      console.error(`skipped ${f.path}: ${preds.reason}`);
      continue;
    }
    let judged = 0;
    const model = path.basename(f.path).replace(/\.jsonl?$/, '');
    for (const p of preds.value) {
      if (p.correct === null) continue;
      judged++;
      const r: AuditRecord = {
        id: p.id,
        split: f.run.split,
        promptMode: f.run.promptMode,
        model,
        choices: p.choices,
        response: p.response,
        groundTruth: p.groundTruth,
        extractedAnswer: p.extractedAnswer,
        judgeCorrect: p.correct,
      };
      records.push(r);
      extras.set(keyOf(r), { question: p.question, choices: p.choices, response: p.response });
    }
    if (judged > 0) files++;
  }
  return { records, extras, files };
}

function keyOf(r: { promptMode: PromptMode; split: Split; model: string; id: string }): string {
  return `${r.promptMode}/${r.split}/${r.model}/${r.id}`;
}

function pct(n: number, d: number): string {
  return d === 0 ? '-' : `${((100 * n) / d).toFixed(2)}%`;
}

/** A seeded 32-bit hash (FNV-1a over the seed and the text). */
function hash(seed: number, text: string): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/**
 * A seeded random sample that stays put: each prediction gets a rank from a hash of its key and the seed,
 * and the n lowest ranks are taken. When a rule change adds or removes a few disagreements, the rest of
 * the sample stays.
 */
function sampleOf(items: readonly Disagreement[], n: number, seed: number): Disagreement[] {
  return [...items]
    .map((d) => ({ d, rank: hash(seed, keyOf(d)) }))
    .sort((a, b) => a.rank - b.rank || (keyOf(a.d) < keyOf(b.d) ? -1 : 1))
    .slice(0, Math.max(0, n))
    .map((x) => x.d);
}

function table(groups: AgreementFigures[]): string {
  const head =
    '| prompt | split | predictions | verdict agreement | letter agreement | judge correct, rule wrong | judge wrong, rule correct | rule unreadable | judge unreadable |';
  const lines = [head, '|---|---|---:|---:|---:|---:|---:|---:|---:|'];
  const row = (mode: string, split: string, g: Omit<AgreementFigures, 'promptMode' | 'split'>): string =>
    `| ${mode} | ${split} | ${g.total} | ${g.agree} (${pct(g.agree, g.total)}) | ${g.letterAgree} (${pct(g.letterAgree, g.total)}) | ${g.judgeCorrectRuleWrong} | ${g.judgeWrongRuleCorrect} | ${g.unreadable} | ${g.judgeUnreadable} |`;
  for (const g of groups) lines.push(row(g.promptMode, g.split, g));
  for (const mode of new Set(groups.map((g) => g.promptMode))) {
    const of = groups.filter((g) => g.promptMode === mode);
    if (of.length > 1) lines.push(row(mode, 'all', totalFigures(of)));
  }
  return lines.join('\n');
}

function ruleTable(groups: AgreementFigures[], disagreements: Disagreement[]): string {
  const rules = new Map<string, number>();
  for (const g of groups) for (const [r, n] of Object.entries(g.rules)) rules.set(r, (rules.get(r) ?? 0) + n);
  const disagreeing = new Map<string, number>();
  for (const d of disagreements) disagreeing.set(d.rule, (disagreeing.get(d.rule) ?? 0) + 1);
  const names = [...rules.keys()].sort((a, b) => (rules.get(b) ?? 0) - (rules.get(a) ?? 0));
  const lines = [
    `| rule | ${groups.map((g) => `${g.promptMode} ${g.split}`).join(' | ')} | all | verdict differs from the judge |`,
    `|---|${groups.map(() => '---:|').join('')}---:|---:|`,
  ];
  for (const r of names) {
    const n = rules.get(r) ?? 0;
    const k = disagreeing.get(r) ?? 0;
    lines.push(`| \`${r}\` | ${groups.map((g) => g.rules[r] ?? 0).join(' | ')} | ${n} | ${k} (${pct(k, n)}) |`);
  }
  return lines.join('\n');
}

interface AuditItem {
  promptMode: PromptMode;
  split: Split;
  model: string;
  id: string;
  question: string;
  choices: Choices;
  groundTruth: ChoiceValue | null;
  groundTruthLetter: string | null;
  rule: { letter: string | null; rule: string; correct: boolean };
  judge: { extractedAnswer: string | null; letter: string | null; correct: boolean };
  responseTail: string;
  verdict?: 'rule-wrong' | 'judge-wrong' | 'ambiguous';
  why?: string;
}

function itemOf(d: Disagreement, extra: Extra | undefined): AuditItem {
  const response = extra?.response ?? '';
  return {
    promptMode: d.promptMode,
    split: d.split,
    model: d.model,
    id: d.id,
    question: extra?.question ?? '',
    choices: extra?.choices ?? {},
    groundTruth: d.groundTruth,
    groundTruthLetter: d.groundTruthLetter,
    rule: { letter: d.ruleLetter, rule: d.rule, correct: d.ruleCorrect },
    judge: { extractedAnswer: d.extractedAnswer, letter: d.judgeLetter, correct: d.judgeCorrect },
    responseTail: response.length > 400 ? '…' + response.slice(-400) : response,
  };
}

/** Hand verdicts already in the file, by prediction key, with the readings they were made on. */
function previousVerdicts(file: string): Map<string, AuditItem> {
  const out = new Map<string, AuditItem>();
  try {
    const doc = JSON.parse(fs.readFileSync(file, 'utf8')) as { items?: AuditItem[] };
    for (const it of doc.items ?? []) if (it.verdict) out.set(keyOf(it), it);
  } catch {
    // no previous file, or not ours: start afresh
  }
  return out;
}

function main(): void {
  const o = parseArgs(process.argv.slice(2));
  const { records, extras, files } = loadRecords(o.folder);
  if (records.length === 0) {
    console.error(`no judged predictions found under ${o.folder}`);
    process.exitCode = 1;
    return;
  }
  const { groups, disagreements } = auditRecords(records);
  console.log(`${records.length} judged predictions in ${files} files under ${o.folder}\n`);
  console.log('Agreement of the rule reading with the judge\n');
  console.log(table(groups));
  console.log('\nRule ids (predictions read by each rule)\n');
  console.log(ruleTable(groups, disagreements));
  console.log(`\n${disagreements.length} verdict disagreements`);

  if (o.all) {
    fs.writeFileSync(
      o.all,
      JSON.stringify(
        disagreements.map((d) => itemOf(d, extras.get(keyOf(d)))),
        null,
        1,
      ) + '\n',
    );
    console.log(`all disagreements written to ${o.all}`);
  }
  const previous = previousVerdicts(o.out);
  // Items already judged by hand always stay (whatever --sample is) while they still disagree with unchanged
  // readings; the sample is topped up to --sample items with the lowest hash ranks.
  const unchanged = (d: Disagreement): AuditItem | undefined => {
    const prev = previous.get(keyOf(d));
    return prev && prev.rule.letter === d.ruleLetter && prev.rule.rule === d.rule && prev.judge.letter === d.judgeLetter
      ? prev
      : undefined;
  };
  const judged = disagreements.filter((d) => unchanged(d) !== undefined);
  const judgedKeys = new Set(judged.map(keyOf));
  const fresh = sampleOf(
    disagreements.filter((d) => !judgedKeys.has(keyOf(d))),
    o.sample - judged.length,
    o.seed,
  );
  const items: AuditItem[] = [
    ...judged.map((d) => {
      const prev = unchanged(d) as AuditItem;
      return { ...itemOf(d, extras.get(keyOf(d))), verdict: prev.verdict, why: prev.why } as AuditItem;
    }),
    ...fresh.map((d) => itemOf(d, extras.get(keyOf(d)))),
  ];
  const kept = judged.length;
  const verdicts: Record<string, number> = {};
  for (const it of items) if (it.verdict) verdicts[it.verdict] = (verdicts[it.verdict] ?? 0) + 1;
  const doc = {
    about:
      'Predictions where the deterministic answer reading (src/core/answerReading.ts) and the LLM judge disagree on correctness: all of them (or a seeded random sample with --sample N), regenerated by `npx tsx scripts/answer-agreement.ts`. `verdict`/`why` are hand judgements (rule-wrong, judge-wrong, ambiguous), kept across regenerations while the readings are unchanged.',
    folder: o.folder,
    seed: o.seed,
    totalDisagreements: disagreements.length,
    verdicts,
    items,
  };
  fs.mkdirSync(path.dirname(o.out), { recursive: true });
  fs.writeFileSync(o.out, JSON.stringify(doc, null, 2) + '\n');
  console.log(
    `${items.length} of ${disagreements.length} disagreements written to ${path.relative(process.cwd(), o.out)} (${kept} with earlier hand verdicts kept)`,
  );
  if (Object.keys(verdicts).length) console.log(`hand verdicts: ${JSON.stringify(verdicts)}`);
}

main();

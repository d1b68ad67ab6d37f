// Judge audit: compares the deterministic answer reading (answerReading.ts) with an LLM judge's verdicts,
// per prompt mode and split. Pure functions over plain records; nothing here reads files or needs an index.
//
// Definitions (per prediction):
// - rule letter: readAnswer(response, choices).letter (null when nothing is readable);
// - ground-truth letter: letterOfChoice(choices, groundTruth);
// - rule verdict: rule letter !== null and rule letter === ground-truth letter;
// - judge letter: letterOfExtracted(choices, extractedAnswer) (null for "No Valid Answer" and free text);
// - agree: rule verdict === judge verdict (`judgeCorrect`);
// - letter agree: rule letter === judge letter (both null counts as agreeing: neither read an answer);
// - unreadable: the rule read no letter.
import { letterOfChoice, letterOfExtracted } from './answers';
import { readAnswer } from './answerReading';
import type { ChoiceLetter, ChoiceValue, Choices, PromptMode, Split } from './model';

export interface AuditRecord {
  id: string;
  split: Split;
  promptMode: PromptMode;
  model: string;
  choices: Choices;
  response: string;
  groundTruth: ChoiceValue | null;
  /** The judge's reading, e.g. "B: left" or "No Valid Answer"; null when absent. */
  extractedAnswer: string | null;
  judgeCorrect: boolean;
}

export interface AgreementFigures {
  promptMode: PromptMode;
  split: Split;
  /** Predictions compared. */
  total: number;
  /** Rule verdict equals the judge's verdict. */
  agree: number;
  /** The judge says correct, the rule's reading is not the ground truth (or unreadable). */
  judgeCorrectRuleWrong: number;
  /** The judge says wrong, the rule's reading is the ground truth. */
  judgeWrongRuleCorrect: number;
  /** The rule read no letter. */
  unreadable: number;
  /** The judge's extracted answer names no letter ("No Valid Answer", empty or unmatched free text). */
  judgeUnreadable: number;
  /** Rule letter equals the judge's extracted letter (both null included). */
  letterAgree: number;
  /** How many predictions each rule id read. */
  rules: Record<string, number>;
}

export interface Disagreement {
  id: string;
  split: Split;
  promptMode: PromptMode;
  model: string;
  ruleLetter: ChoiceLetter | null;
  rule: string;
  ruleCorrect: boolean;
  judgeLetter: ChoiceLetter | null;
  extractedAnswer: string | null;
  judgeCorrect: boolean;
  groundTruth: ChoiceValue | null;
  groundTruthLetter: ChoiceLetter | null;
}

export interface AuditResult {
  /** One entry per (prompt mode, split) present, ordered cot before direct-output, real before synthetic. */
  groups: AgreementFigures[];
  /** Predictions whose rule verdict differs from the judge's verdict, in input order. */
  disagreements: Disagreement[];
}

const MODE_ORDER: readonly PromptMode[] = ['cot', 'direct-output'];
const SPLIT_ORDER: readonly Split[] = ['real', 'synthetic'];

function emptyFigures(promptMode: PromptMode, split: Split): AgreementFigures {
  return {
    promptMode,
    split,
    total: 0,
    agree: 0,
    judgeCorrectRuleWrong: 0,
    judgeWrongRuleCorrect: 0,
    unreadable: 0,
    judgeUnreadable: 0,
    letterAgree: 0,
    rules: {},
  };
}

/** Compares the rule reading with the judge on every record; see the definitions at the top of the file. */
export function auditRecords(records: readonly AuditRecord[]): AuditResult {
  const byKey = new Map<string, AgreementFigures>();
  const disagreements: Disagreement[] = [];
  for (const r of records) {
    const key = `${r.promptMode}\u0000${r.split}`;
    let g = byKey.get(key);
    if (!g) byKey.set(key, (g = emptyFigures(r.promptMode, r.split)));
    const reading = readAnswer(r.response, r.choices);
    const gtLetter = letterOfChoice(r.choices, r.groundTruth);
    const judgeLetter = letterOfExtracted(r.choices, r.extractedAnswer);
    const ruleCorrect = reading.letter !== null && reading.letter === gtLetter;
    g.total++;
    g.rules[reading.rule] = (g.rules[reading.rule] ?? 0) + 1;
    if (reading.letter === null) g.unreadable++;
    if (judgeLetter === null) g.judgeUnreadable++;
    if (reading.letter === judgeLetter) g.letterAgree++;
    if (ruleCorrect === r.judgeCorrect) {
      g.agree++;
      continue;
    }
    if (r.judgeCorrect) g.judgeCorrectRuleWrong++;
    else g.judgeWrongRuleCorrect++;
    disagreements.push({
      id: r.id,
      split: r.split,
      promptMode: r.promptMode,
      model: r.model,
      ruleLetter: reading.letter,
      rule: reading.rule,
      ruleCorrect,
      judgeLetter,
      extractedAnswer: r.extractedAnswer,
      judgeCorrect: r.judgeCorrect,
      groundTruth: r.groundTruth,
      groundTruthLetter: gtLetter,
    });
  }
  const rank = (g: AgreementFigures): number =>
    MODE_ORDER.indexOf(g.promptMode) * SPLIT_ORDER.length + SPLIT_ORDER.indexOf(g.split);
  const groups = [...byKey.values()].sort((a, b) => rank(a) - rank(b));
  return { groups, disagreements };
}

/** Sums figures (e.g. the splits of one prompt mode) into one total, rule counts included. */
export function totalFigures(groups: readonly AgreementFigures[]): Omit<AgreementFigures, 'promptMode' | 'split'> {
  const t = {
    total: 0,
    agree: 0,
    judgeCorrectRuleWrong: 0,
    judgeWrongRuleCorrect: 0,
    unreadable: 0,
    judgeUnreadable: 0,
    letterAgree: 0,
    rules: {} as Record<string, number>,
  };
  for (const g of groups) {
    t.total += g.total;
    t.agree += g.agree;
    t.judgeCorrectRuleWrong += g.judgeCorrectRuleWrong;
    t.judgeWrongRuleCorrect += g.judgeWrongRuleCorrect;
    t.unreadable += g.unreadable;
    t.judgeUnreadable += g.judgeUnreadable;
    t.letterAgree += g.letterAgree;
    for (const [rule, n] of Object.entries(g.rules)) t.rules[rule] = (t.rules[rule] ?? 0) + n;
  }
  return t;
}

// One prediction as Markdown, ready to paste into a paper's notes or an issue: the question, its choices with
// the truth and the chosen one marked, the verdicts (judge, rule, override), the tags and note, an excerpt of
// the response and the stable key. Every text from the results is escaped, so a response cannot turn into
// headings, links, tables or HTML where it is pasted.
import type { ChoiceLetter, Choices, Grader, Outcome } from './model';
import { CHOICE_LETTERS } from './model';

export interface MarkdownPrediction {
  key: string;
  split: string;
  qid: string;
  model: string;
  samplingLabel: string;
  promptMode: string;
  question: string;
  choices: Choices;
  groundTruth: string | number;
  groundTruthLetter: ChoiceLetter | null;
  chosen: ChoiceLetter | null;
  chosenText: string | null;
  outcome: Outcome;
  judgeCorrect: boolean | null;
  grader: Grader;
  ruleReading: { letter: ChoiceLetter | null; correct: boolean | null };
  response: string;
  annotation?: { tags: string[]; questionTags: string[]; verdict?: 'correct' | 'wrong' };
}

/** Markdown's active characters escaped with a backslash; line breaks kept as spaces in one-line fields. */
export function escapeMarkdown(text: string, oneLine = true): string {
  const s = oneLine ? text.replace(/\s*[\r\n]+\s*/g, ' ') : text;
  return s.replace(/[\\`*_{}[\]()<>#+\-.!|~&]/g, (c) => `\\${c}`);
}

/** A code span that holds `text` whatever backticks it contains. */
function codeSpan(text: string): string {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${longest ? ' ' : ''}${text}${longest ? ' ' : ''}${fence}`;
}

const verdictWord = (correct: boolean | null): string => (correct === null ? 'none' : correct ? 'correct' : 'failed');

/** The first `maxChars` of the response and its last line's final answer, as a quote. */
function responseExcerpt(response: string, maxChars: number): string {
  const text = response.trim();
  const cut = text.length > maxChars ? `${text.slice(0, maxChars).replace(/\s+\S*$/, '')} …` : text;
  return cut
    .split(/\r?\n/)
    .map((line) => `> ${escapeMarkdown(line, false)}`.trimEnd())
    .join('\n');
}

export function predictionMarkdown(p: MarkdownPrediction, maxResponseChars = 1200): string {
  const lines: string[] = [];
  const sampling = p.samplingLabel ? `_${p.samplingLabel}` : '';
  lines.push(
    `**${escapeMarkdown(p.model + sampling)}** (${escapeMarkdown(p.promptMode)}) on ${escapeMarkdown(`${p.split}/${p.qid}`)}`,
    '',
  );
  lines.push(`**Question:** ${escapeMarkdown(p.question)}`, '');
  for (const letter of CHOICE_LETTERS) {
    const value = p.choices[letter];
    if (value === undefined) continue;
    const marks = [letter === p.groundTruthLetter ? 'truth' : '', letter === p.chosen ? 'chosen' : ''].filter(Boolean);
    const text = `${letter}. ${escapeMarkdown(String(value))}`;
    lines.push(`- ${marks.length ? `**${text}** (${marks.join(', ')})` : text}`);
  }
  if (p.groundTruthLetter === null)
    lines.push(`- Truth (not one of the choices): ${escapeMarkdown(String(p.groundTruth))}`);
  if (p.chosen === null) lines.push(`- Chosen: ${p.chosenText ? escapeMarkdown(p.chosenText) : 'no answer readable'}`);
  lines.push('');
  const judge = p.grader === 'rule' ? 'no judge (raw output)' : verdictWord(p.judgeCorrect);
  const override = p.annotation?.verdict
    ? `; overridden: ${p.annotation.verdict === 'correct' ? 'correct' : 'failed'}`
    : '';
  lines.push(`**Verdict:** ${p.outcome}, judge: ${judge}; rule: ${verdictWord(p.ruleReading.correct)}${override}`);
  const tags = [...(p.annotation?.tags ?? []), ...(p.annotation?.questionTags ?? []).map((t) => `${t} (question)`)];
  if (tags.length) lines.push(`**Tags:** ${tags.map((t) => escapeMarkdown(t)).join(', ')}`);
  lines.push('', '**Response:**', '', responseExcerpt(p.response, maxResponseChars), '', `Key: ${codeSpan(p.key)}`);
  return lines.join('\n') + '\n';
}

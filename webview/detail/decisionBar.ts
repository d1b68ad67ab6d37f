// The decision bar, at the top of the detail view and kept there while the page scrolls: what the user decides
// on, always in view. The question and where it stands in the list; the verdict in force with the judge's and
// the rule's readings side by side (marked when they disagree) and the override; the tags with their number
// keys; the notes; the prediction's stable key with Copy Key and Copy as Markdown.
import type { CopyWhat, DetailData, DetailToHost } from '../../src/protocol/detailView';
import { detailMarkdown } from '../../src/protocol/detailMarkdown';
import { add, el } from '../shared/dom';
import { renderSuggestions } from './suggestions';
import { formatCount } from '../shared/format';
import { valueName as name } from '../shared/names';
import { gradedBy, icon, OUTCOME_ICON, outcomeText, RULE_GRADED_TITLE, verdictText } from './verdictText';

export class DecisionBar {
  readonly el = el('div', 'decision');
  /** The question and the outcome: also where the view says there is nothing to show. */
  readonly header = el('header', 'header');
  private readonly readings = el('div', 'readings');
  private readonly annotations = el('div', 'annotations');
  /** The override button, after the readings it overrides. */
  private readonly override = el('span', 'verdict');
  private noteTimers = new Map<string, ReturnType<typeof setTimeout>>();

  constructor(private readonly post: (m: DetailToHost) => void) {
    this.el.id = 'decision';
    this.el.setAttribute('role', 'region');
    this.el.setAttribute('aria-label', 'Verdict, tags and notes');
    this.readings.id = 'readings';
    this.readings.setAttribute('role', 'group');
    this.readings.setAttribute('aria-label', 'The judge’s reading and the rule’s');
    this.annotations.id = 'annotations';
    this.el.append(this.header, this.readings, this.annotations);
  }

  /** Nothing shown: `placeholder` says why. */
  empty(placeholder: HTMLElement): void {
    this.header.replaceChildren(placeholder);
    this.readings.replaceChildren();
    this.annotations.replaceChildren();
  }

  render(d: DetailData): void {
    this.renderHeader(d);
    this.renderReadings(d);
    this.renderAnnotations(d);
  }

  private renderHeader(d: DetailData): void {
    const p = d.prediction;
    const h = this.header;
    h.replaceChildren();
    const q = add(h, 'h1', 'question', p.question);
    q.id = 'question';
    const meta = add(h, 'div', 'meta');
    const badge = add(meta, 'span', `badge outcome-${p.outcome}`);
    badge.id = 'outcome';
    icon(OUTCOME_ICON[p.outcome] ?? 'circle', badge);
    // Overridden, the outcome is the user's: the badge beside it names the rule's or the judge's verdict.
    add(badge, 'span', '', outcomeText(p.outcome, d.annotation.verdict ? undefined : p.grader));
    if (p.grader === 'rule' && !d.annotation.verdict) badge.title = RULE_GRADED_TITLE;
    const graded = gradedBy(p);
    if (d.annotation.verdict)
      add(meta, 'span', 'badge overridden', `overridden (${graded.who}: ${verdictText(graded.verdict)})`);
    add(meta, 'span', 'model', `${p.model}_${p.samplingLabel}`);
    add(meta, 'span', 'muted', name(p.promptMode));
    if (d.position)
      add(meta, 'span', 'muted position', `${formatCount(d.position.index + 1)} of ${formatCount(d.position.total)}`);
    const key = add(meta, 'span', 'key-line');
    const code = add(key, 'code', 'prediction-key', p.key);
    code.id = 'prediction-key';
    code.title = 'The prediction’s key: stable across re-indexing (split/prompt mode/model_sampling/question)';
    this.copyButton(key, p.id, 'key', () => p.key);
    // Built on the click, with the tags and override in force then.
    this.copyButton(key, p.id, 'markdown', () => detailMarkdown(d));
  }

  private copyButton(parent: HTMLElement, id: number, what: CopyWhat, text: () => string): void {
    const b = add(parent, 'button', 'button secondary copy');
    b.type = 'button';
    b.id = what === 'key' ? 'copy-key' : 'copy-markdown';
    b.title = what === 'key' ? 'Copy the prediction’s key' : 'Copy the prediction as Markdown, for notes or an issue';
    icon(what === 'key' ? 'copy' : 'markdown', b);
    add(b, 'span', '', what === 'key' ? 'Copy Key' : 'Copy as Markdown');
    b.addEventListener('click', () => this.post({ type: 'copy', id, what, text: text() }));
  }

  /**
   * The judge's reading and the answer-reading rule's, side by side, marked when their verdicts differ; for a
   * raw output (no judge) the rule's verdict is the one in force, and says so: it never passes for a judge's.
   */
  private renderReadings(d: DetailData): void {
    const p = d.prediction;
    const readings = this.readings;
    readings.replaceChildren();
    const reading = (
      reader: 'judge' | 'rule',
      parts: string[],
      verdict: boolean | null | undefined,
      first = 'reading-letter',
    ) => {
      const box = add(readings, 'span', `reading reading-${reader}`);
      box.dataset.reader = reader;
      if (verdict !== undefined) box.dataset.verdict = verdictText(verdict);
      add(box, 'span', 'who', reader === 'judge' ? 'Judge: ' : 'Rule: ');
      parts.forEach((t, i) =>
        add(box, 'span', i === 0 ? first : i === 1 ? 'reading-verdict' : 'rule-id', i === 0 ? t : ` ${t}`),
      );
      return box;
    };
    const r = p.ruleReading;
    const ruleParts = [r.letter ?? 'no answer readable', `(${verdictText(r.correct)})`, `— ${r.rule}`];
    if (p.grader === 'judge') {
      reading('judge', [p.chosen ?? 'no option', `(${verdictText(p.judgeCorrect)})`], p.judgeCorrect);
      reading('rule', ruleParts, r.correct);
      if (p.judgeCorrect !== null && r.correct !== null && p.judgeCorrect !== r.correct) {
        const mark = add(readings, 'span', 'badge disagree');
        mark.id = 'disagree';
        mark.title = 'The answer-reading rule’s verdict differs from the judge’s: the model’s error, or the judge’s?';
        icon('warning', mark);
        add(mark, 'span', '', 'disagree');
      }
    } else {
      reading(
        'judge',
        [p.grader === 'rule' ? 'none (raw output: no judge graded it)' : 'none in this file'],
        undefined,
        'muted',
      );
      const rule = reading('rule', ruleParts, r.correct);
      if (p.grader === 'rule') {
        const tag = add(rule, 'span', 'badge rule-graded', 'rule-graded');
        tag.title = RULE_GRADED_TITLE;
        rule.insertBefore(document.createTextNode(' '), tag);
      }
    }
    readings.append(this.override);
  }

  /** The tags, the override and the notes; drawn again when the annotations change (here or elsewhere). */
  renderAnnotations(d: DetailData): void {
    const box = this.annotations;
    const a = d.annotation;
    const p = d.prediction;
    box.replaceChildren();
    if (a.taggingOff) add(box, 'p', 'warning', a.taggingOff);
    const row = add(box, 'div', 'tag-row');
    const tags = add(row, 'div', 'tags');
    tags.id = 'tags';
    tags.setAttribute('role', 'group');
    tags.setAttribute('aria-label', 'Tags of this prediction (keys 1-9)');
    a.vocabulary.forEach((tag, i) => {
      const b = add(tags, 'button', 'tag');
      b.type = 'button';
      b.dataset.tag = tag;
      b.disabled = !!a.taggingOff;
      const on = a.tags.includes(tag);
      b.setAttribute('aria-pressed', String(on));
      if (i < 9) add(b, 'span', 'key', String(i + 1));
      add(b, 'span', '', tag);
      b.addEventListener('click', () => this.post({ type: 'toggleTag', id: p.id, tag, on: 'prediction' }));
    });
    const more = add(tags, 'button', 'tag more', 'More…');
    more.type = 'button';
    more.title = 'Tag palette (t): every tag, or a new one';
    more.disabled = !!a.taggingOff;
    more.addEventListener('click', () => this.post({ type: 'tagPalette' }));
    const qtags = add(row, 'div', 'tags');
    qtags.id = 'question-tags';
    qtags.setAttribute('role', 'group');
    qtags.setAttribute('aria-label', 'Tags of the question (for every model)');
    add(qtags, 'span', 'muted', 'Question:');
    for (const tag of a.questionVocabulary) {
      const b = add(qtags, 'button', 'tag');
      b.type = 'button';
      b.dataset.tag = tag;
      b.disabled = !!a.taggingOff;
      b.setAttribute('aria-pressed', String(a.questionTags.includes(tag)));
      add(b, 'span', '', tag);
      b.addEventListener('click', () => this.post({ type: 'toggleTag', id: p.id, tag, on: 'question' }));
    }
    renderSuggestions(box, d, this.post);

    // The verdict overridden is the judge's, or for a raw output the rule's (named as such).
    const graded = gradedBy(p);
    this.override.replaceChildren();
    if (graded.verdict !== null || a.verdict) {
      const was = graded.verdict === null ? null : verdictText(graded.verdict);
      const b = add(this.override, 'button', 'button secondary');
      b.type = 'button';
      b.id = 'override';
      b.disabled = !!a.taggingOff;
      if (a.verdict) {
        b.textContent = `Take back the override (${graded.who} said ${was ?? 'nothing'})`;
        b.addEventListener('click', () => this.post({ type: 'setVerdict', id: p.id, verdict: null }));
      } else {
        b.textContent = `The ${graded.who} is wrong: mark ${was === 'correct' ? 'wrong' : 'correct'}`;
        b.addEventListener('click', () =>
          this.post({ type: 'setVerdict', id: p.id, verdict: was === 'correct' ? 'wrong' : 'correct' }),
        );
      }
    }
    const notes = add(box, 'div', 'notes');
    for (const on of ['prediction', 'question'] as const) {
      const cell = add(notes, 'div', 'note-cell');
      const label = add(
        cell,
        'label',
        'note-label',
        on === 'prediction' ? 'Note on this prediction' : 'Note on the question (all models)',
      );
      const ta = add(cell, 'textarea', 'note-input');
      ta.id = `note-${on}`;
      label.htmlFor = ta.id;
      ta.value = on === 'prediction' ? a.note : a.questionNote;
      ta.disabled = !!a.taggingOff;
      ta.rows = 2;
      // The note goes to the prediction it was typed for, even when another is shown by the time it is saved.
      const save = () => {
        clearTimeout(this.noteTimers.get(on));
        const current = on === 'prediction' ? d.annotation.note : d.annotation.questionNote;
        if (ta.value !== current) this.post({ type: 'setNote', id: p.id, note: ta.value, on });
      };
      ta.addEventListener('input', () => {
        clearTimeout(this.noteTimers.get(on));
        this.noteTimers.set(on, setTimeout(save, 600));
      });
      ta.addEventListener('blur', save);
    }
  }
}

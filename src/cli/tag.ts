// `vlm4d tag`: annotate predictions from scripts, through the same store (lock, merge, atomic write) as the
// extension. Everything is checked before anything is written: an unknown key or a bad value refuses the
// whole command (exit 2). It returns once the edit is durably saved.
import * as fs from 'fs';
import * as path from 'path';
import type { ItemChange, Section } from '../core/annotations/edits';
import { applyChanges, setNote, setVerdict } from '../core/annotations/edits';
import type { Annotations, ItemAnnotation, VerdictOverride } from '../core/annotations/format';
import { DEFAULT_TAGS, normTags } from '../core/annotations/format';
import { DEFAULT_ANNOTATIONS_FILE } from '../core/annotations/location';
import { AnnotationStore, nodeIoWith } from '../core/annotations/store';
import { questionAnnotationKey } from '../core/index/predictionKey';
import { ResultIndex } from '../core/index/resultIndex';
import { loadSqlJs } from '../core/index/sqlite';
import { terminalSafe } from '../core/terminalText';

export const TAG_USAGE = `  tag FOLDER --key KEY [--key KEY]... (--add TAG | --remove TAG | --note TEXT | --question-note TEXT |
      --verdict correct|failed|judge) [--file PATH] [--json]
  tag FOLDER --from FILE [--file PATH] [--json]
                                 annotate predictions by their stable keys (as failures --json prints
                                 them); --verdict judge removes an override; --from takes JSON lines
                                 {"key": KEY, "add"|"remove"|"note"|"verdict": VALUE}; returns once saved`;

export interface TagOptions {
  key?: string[];
  add?: string;
  remove?: string;
  note?: string;
  'question-note'?: string;
  verdict?: string;
  from?: string;
  file?: string;
  json?: boolean;
}

type Action = 'add' | 'remove' | 'note' | 'question-note' | 'verdict';
const ACTIONS: readonly Action[] = ['add', 'remove', 'note', 'question-note', 'verdict'];
/** The CLI's verdict words and the override each stands for (`judge`: no override, the judge's verdict stands). */
const VERDICTS: Record<string, VerdictOverride | undefined> = { correct: 'correct', failed: 'wrong', judge: undefined };
const verdictWord = (v: VerdictOverride | undefined): string =>
  v === 'correct' ? 'correct' : v === 'wrong' ? 'failed' : 'judge';

interface Op {
  key: string;
  action: Action;
  value: string;
  /** Where the op came from, for messages (`--from FILE line 3`). */
  origin: string;
}

/** One change made, as `--json` prints it. */
export interface TagChange {
  key: string;
  section: Section;
  field: 'tags' | 'note' | 'verdict';
  before: string[] | string;
  after: string[] | string;
}

/** The ops of the command line or of the `--from` file, and every problem found in them. */
function readOps(o: TagOptions): { ops: Op[]; problems: string[] } {
  const problems: string[] = [];
  const given = ACTIONS.filter((a) => o[a] !== undefined);
  if (o.from !== undefined) {
    if (given.length || o.key?.length)
      return { ops: [], problems: ['--from cannot be combined with --key or an edit option'] };
    let text: string;
    try {
      text = fs.readFileSync(path.resolve(o.from), 'utf8');
    } catch (e) {
      return {
        ops: [],
        problems: [`--from ${o.from}: cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)})`],
      };
    }
    const ops: Op[] = [];
    text.split(/\r?\n/).forEach((line, i) => {
      if (!line.trim()) return;
      const origin = `--from ${o.from} line ${i + 1}`;
      let v: unknown;
      try {
        v = JSON.parse(line);
      } catch (e) {
        problems.push(`${origin}: not valid JSON (${e instanceof Error ? e.message : String(e)})`);
        return;
      }
      if (typeof v !== 'object' || v === null || Array.isArray(v))
        return void problems.push(`${origin}: not a JSON object`);
      const rec = v as Record<string, unknown>;
      const fields = (['add', 'remove', 'note', 'verdict'] as const).filter((f) => rec[f] !== undefined);
      const extra = Object.keys(rec).filter((k) => !['key', 'add', 'remove', 'note', 'verdict'].includes(k));
      if (typeof rec.key !== 'string') return void problems.push(`${origin}: "key" is missing or not a string`);
      if (extra.length)
        return void problems.push(
          `${origin}: unknown field${extra.length > 1 ? 's' : ''} ${extra.map((k) => `"${k}"`).join(', ')}`,
        );
      if (fields.length !== 1)
        return void problems.push(
          `${origin}: give exactly one of "add", "remove", "note", "verdict" (found ${fields.length})`,
        );
      const action = fields[0] as Action;
      if (typeof rec[action] !== 'string') return void problems.push(`${origin}: "${action}" is not a string`);
      ops.push({ key: rec.key, action, value: rec[action] as string, origin });
    });
    if (!ops.length && !problems.length) problems.push(`--from ${o.from}: no edits in the file`);
    return { ops, problems };
  }
  if (!o.key?.length) problems.push('tag needs --key KEY (repeatable) or --from FILE');
  if (given.length !== 1)
    problems.push(
      `tag needs exactly one of ${ACTIONS.map((a) => `--${a}`).join(', ')} (got ${given.length ? given.map((a) => `--${a}`).join(', ') : 'none'})`,
    );
  if (problems.length) return { ops: [], problems };
  const action = given[0] as Action;
  return {
    ops: (o.key ?? []).map((key) => ({ key, action, value: o[action] as string, origin: `--key ${key}` })),
    problems,
  };
}

/** A tag as the tag palette makes it: trimmed, lower case, spaces as dashes (a tag already known is kept as it is). */
function tagName(raw: string, known: readonly string[]): string {
  const t = raw.trim();
  return known.includes(t) ? t : t.toLowerCase().replace(/\s+/g, '-');
}

function checkValues(ops: readonly Op[]): string[] {
  const problems: string[] = [];
  for (const op of ops) {
    if ((op.action === 'add' || op.action === 'remove') && !op.value.trim())
      problems.push(`${op.origin}: the tag is empty`);
    // eslint-disable-next-line no-control-regex
    if ((op.action === 'add' || op.action === 'remove') && /[\u0000-\u001f\u007f]/.test(op.value))
      problems.push(`${op.origin}: the tag contains a control character`);
    if (op.action === 'verdict' && !Object.hasOwn(VERDICTS, op.value))
      problems.push(`${op.origin}: unknown verdict "${op.value}" (use correct, failed or judge)`);
    if (!op.key.trim()) problems.push(`${op.origin}: the key is empty`);
  }
  return problems;
}

/** The changes each op makes, in order (each on the result of the ones before it). */
function plan(
  data: Readonly<Annotations>,
  ops: readonly Op[],
  questionOf: Map<string, string>,
  now: string,
): { changes: ItemChange[]; report: TagChange[]; newTags: string[] } {
  const draft = structuredClone(data) as Annotations;
  const changes: ItemChange[] = [];
  const report: TagChange[] = [];
  const newTags: string[] = [];
  const blank = (): ItemAnnotation => ({ tags: [], note: '', updated: '' });
  for (const op of ops) {
    let made: ItemChange[] = [];
    const key = op.action === 'question-note' ? (questionOf.get(op.key) as string) : op.key;
    const section: Section = op.action === 'question-note' ? 'questions' : 'predictions';
    if (op.action === 'add' || op.action === 'remove') {
      const known = [...DEFAULT_TAGS, ...draft.tags, ...(draft.predictions[key]?.tags ?? [])];
      const tag = op.action === 'add' ? tagName(op.value, known) : op.value.trim();
      const before = draft.predictions[key];
      const has = !!before?.tags.includes(tag);
      // Adding a tag it has, or removing one it lacks, changes nothing.
      if (has !== (op.action === 'add')) {
        const tags =
          op.action === 'add'
            ? normTags([...(before?.tags ?? []), tag])
            : (before?.tags ?? []).filter((t) => t !== tag);
        made = [{ section, key, before, after: { ...blank(), ...structuredClone(before ?? blank()), tags } }];
      }
      // A tag the vocabulary lacks joins it, as a tag made in the palette does.
      if (op.action === 'add' && !DEFAULT_TAGS.includes(tag) && !draft.tags.includes(tag)) {
        draft.tags = normTags([...draft.tags, tag]);
        newTags.push(tag);
      }
    } else if (op.action === 'note' || op.action === 'question-note') made = setNote(draft, section, key, op.value);
    else made = setVerdict(draft, key, VERDICTS[op.value]);
    applyChanges(draft, made, 'after', now);
    changes.push(...made);
    for (const c of made) {
      const field =
        op.action === 'add' || op.action === 'remove' ? 'tags' : op.action === 'verdict' ? 'verdict' : 'note';
      const value = (i: ItemAnnotation | undefined) =>
        field === 'tags' ? (i?.tags ?? []) : field === 'note' ? (i?.note ?? '') : verdictWord(i?.verdict);
      report.push({ key: c.key, section, field, before: value(c.before), after: value(c.after) });
    }
  }
  return { changes, report, newTags };
}

/** Runs `tag`; returns the exit status (0 saved, 2 refused: nothing written, 3 the file could not be written). */
export async function tagCommand(
  args: readonly string[],
  o: TagOptions,
  out: (s: string) => void,
  err: (s: string) => void = (s) => process.stderr.write(terminalSafe(s)),
): Promise<number> {
  const refuse = (problems: readonly string[]) => {
    for (const p of problems) err(`vlm4d tag: ${p}\n`);
    err('Nothing was written.\n');
    return 2;
  };
  if (args.length !== 1) return refuse(['tag takes one FOLDER']);
  const root = path.resolve(args[0] as string);
  if (!fs.existsSync(root) || !fs.statSync(root).isDirectory()) return refuse([`FOLDER is not a folder: ${root}`]);
  const { ops, problems } = readOps(o);
  // Every problem at once, so that a long --from file is fixed in one go.
  const bad = [...problems, ...checkValues(ops)];
  if (bad.length) return refuse(bad);

  const file = path.resolve(root, o.file ?? DEFAULT_ANNOTATIONS_FILE);
  // A script may wait longer for the lock than a window should.
  const store = new AnnotationStore(file, nodeIoWith({ waitMs: 30_000 }));
  const state = store.load();
  if (state.kind === 'broken') return refuse([`${file}: cannot be read (${state.reason})`]);

  const index = new ResultIndex(await loadSqlJs());
  const questionOf = new Map<string, string>();
  const unknown: string[] = [];
  try {
    index.setRoots([{ path: root }]);
    await index.sync();
    for (const key of new Set(ops.map((op) => op.key))) {
      const id = index.predictionIdByKey(key);
      const p = id === null ? null : index.prediction(id);
      if (p) questionOf.set(key, questionAnnotationKey(p.split, p.qid));
      else unknown.push(key);
    }
  } finally {
    index.close();
  }
  if (unknown.length)
    return refuse(
      unknown.map((k) => `no prediction with the key "${k}" in ${root} (keys are those failures --json prints)`),
    );

  const now = new Date().toISOString();
  const { changes, report, newTags } = plan(store.data, ops, questionOf, now);
  if (changes.length || newTags.length) {
    try {
      store.edit((d) => {
        applyChanges(d, changes, 'after', now);
        if (newTags.length) d.tags = normTags([...d.tags, ...newTags]);
      });
    } catch (e) {
      err(`vlm4d tag: could not save ${file}: ${e instanceof Error ? e.message : String(e)}\nNothing was written.\n`);
      return 3;
    }
    if (store.state.kind === 'broken')
      return refuse([`${file} became unreadable while saving (${store.state.reason})`]);
  }
  if (o.json) out(JSON.stringify({ file, changed: report, vocabularyAdded: newTags }, null, 2) + '\n');
  else {
    for (const c of report)
      out(
        terminalSafe(
          `${c.key}: ${c.section === 'questions' ? 'question ' : ''}${c.field} ${JSON.stringify(c.before)} -> ${JSON.stringify(c.after)}`,
        ) + '\n',
      );
    if (newTags.length) out(terminalSafe(`new in the vocabulary: ${newTags.join(', ')}`) + '\n');
    if (!report.length) out('nothing to change\n');
  }
  return 0;
}

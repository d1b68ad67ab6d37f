// Runs `vlm4d suggest`, `vlm4d slices` and `vlm4d agreement` (modes.ts) with the command line's helpers.
import * as path from 'path';
import type { Annotations } from '../core/annotations/format';
import { AnnotationStore } from '../core/annotations/store';
import type { RootSpec, SyncReport } from '../core/index/indexTypes';
import type { ResultIndex } from '../core/index/resultIndex';
import type { MotionType, Perspective, PromptMode, Source, Split } from '../core/model';
import { MOTION_TYPES, PERSPECTIVES, PROMPT_MODES, SOURCES, SPLITS } from '../core/model';
import {
  ModesUsageError,
  agreementReport,
  agreementText,
  slicesReport,
  slicesText,
  suggestReport,
  suggestText,
} from './modes';

export { MODES_USAGE, ModesUsageError } from './modes';

/** What the command line hands over: its output, its index opening and its argument checks. */
export interface ModesDeps {
  out: (s: string) => void;
  say: (s: string) => void;
  warn: (s: string) => void;
  openIndex: (roots: RootSpec[]) => Promise<{ index: ResultIndex; report: SyncReport }>;
  folder: (p: string | undefined, what: string) => string;
  oneOf: <T extends string>(name: string, value: string | undefined, allowed: readonly T[]) => T[] | undefined;
  reportProblems: (r: SyncReport) => void;
  exitCode: (r: SyncReport, strict: boolean) => number;
  strict: boolean;
}

export interface ModesValues {
  json?: boolean;
  split?: string;
  perspective?: string;
  motion?: string;
  source?: string;
  model?: string[];
  prompt?: string;
  text?: string;
  file?: string[];
  detector?: string[];
  top?: string;
  'min-support'?: string;
  alpha?: string;
}

const DEFAULT_FILE = path.join('.vlm4d', 'annotations.json');

/** An annotations file read whole, or a clear reason (a missing file is an empty one). */
function readAnnotations(file: string): Annotations {
  const store = new AnnotationStore(file);
  const state = store.load();
  if (state.kind === 'broken') throw new ModesUsageError(`${file}: cannot be read (${state.reason})`);
  return store.data as Annotations;
}

export async function modesCommand(
  command: 'suggest' | 'slices' | 'agreement',
  args: string[],
  values: ModesValues,
  d: ModesDeps,
): Promise<number> {
  if (args.length !== 1) throw new ModesUsageError(`${command} takes one FOLDER`);
  const root = d.folder(args[0], 'FOLDER');
  if (command === 'agreement') {
    const files = values.file ?? [];
    if (files.length !== 2) throw new ModesUsageError('agreement takes two annotations files: --file A --file B');
    const [a, b] = files.map((f) => path.resolve(root, f)) as [string, string];
    const r = agreementReport(readAnnotations(a), readAnnotations(b));
    if (values.json) d.out(JSON.stringify(r, null, 2) + '\n');
    else d.say(agreementText(r, a, b));
    return 0;
  }
  const facets = {
    split: d.oneOf<Split>('split', values.split, SPLITS),
    perspective: d.oneOf<Perspective>('perspective', values.perspective, PERSPECTIVES),
    motion: d.oneOf<MotionType>('motion', values.motion, MOTION_TYPES),
    source: d.oneOf<Source>('source', values.source, SOURCES),
    promptMode: d.oneOf<PromptMode>('prompt', values.prompt, PROMPT_MODES),
    model: values.model,
  };
  if (command === 'slices' && values.text !== undefined)
    throw new ModesUsageError('slices takes the facet filters, not --text');
  if ((values.file?.length ?? 0) > 1) throw new ModesUsageError('--file is given more than once');
  const annotationsFile = path.resolve(root, values.file?.[0] ?? DEFAULT_FILE);
  const data = command === 'suggest' ? readAnnotations(annotationsFile) : null;
  const { index, report } = await d.openIndex([{ path: root }]);
  try {
    d.reportProblems(report);
    if (data) index.setAnnotations([{ root, data }]);
    if (command === 'suggest') {
      const r = suggestReport(index, { ...facets, text: values.text }, values.detector);
      if (values.json) d.out(JSON.stringify(r, null, 2) + '\n');
      else d.say(suggestText(r));
    } else {
      const r = slicesReport(index, facets, {
        top: values.top,
        minSupport: values['min-support'],
        alpha: values.alpha,
      });
      if (values.json) d.out(JSON.stringify({ slices: r.slices }, null, 2) + '\n');
      else d.say(slicesText(r));
    }
  } finally {
    index.close();
  }
  return d.exitCode(report, d.strict);
}

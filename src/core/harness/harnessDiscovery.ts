// Which files of an lmms-eval or VLMEvalKit output folder hold per-sample results, from their paths (and
// whether a sibling exists): the content decides the rest when the file is read.
import * as fs from 'fs';
import * as path from 'path';

export type HarnessFormat = 'lmms-eval' | 'vlmevalkit';

export interface HarnessFile {
  format: HarnessFormat;
  /** The task (lmms-eval) or dataset (VLMEvalKit) name the file's name gives. */
  task: string;
}

const SAMPLES_FILE = /^(.+?)_samples_(.+)\.jsonl$/;
const EVAL_FOLDER = /^T\d{8}(?:[_-].*)?$/;
const TABLE_FILE = /\.(xlsx|tsv|json|csv)$/;
/** VLMEvalKit's aggregate and intermediate files: no per-sample rows. */
const NOT_PER_SAMPLE = /_(acc|fine|metrics|rating|config|meta|tmp|response|processed)$/;

export function classifyHarnessPath(filePath: string): HarnessFile | null {
  const base = path.basename(filePath);
  const lmms = SAMPLES_FILE.exec(base);
  if (lmms) return { format: 'lmms-eval', task: lmms[2] as string };
  const ext = TABLE_FILE.exec(base)?.[1];
  if (!ext) return null;
  const dir = path.dirname(filePath);
  const folder = path.basename(dir);
  const model = EVAL_FOLDER.test(folder) ? path.basename(path.dirname(dir)) : folder;
  const stem = base.slice(0, -ext.length - 1);
  if (model && stem.startsWith(`${model}_`) && stem.length > model.length + 1) {
    const dataset = stem.slice(model.length + 1);
    return NOT_PER_SAMPLE.test(dataset) ? null : { format: 'vlmevalkit', task: dataset };
  }
  // lmms-eval <= 0.2.0: `<task>.json` beside the run's results.json.
  if (
    ext === 'json' &&
    base !== 'results.json' &&
    !base.endsWith('_results.json') &&
    exists(path.join(dir, 'results.json'))
  )
    return { format: 'lmms-eval', task: stem };
  return null;
}

function exists(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

interface Found {
  path: string;
  harness?: HarnessFile;
}

/**
 * Settles what only the whole folder tells: a VLMEvalKit file named `<model>_<dataset>_<suffix>` beside
 * `<model>_<dataset>` is that dataset's judged companion (`_score`, `_<judge>`); and the copies VLMEvalKit
 * links into `<work_dir>/<model>/` are dropped when the evaluation folder's own file is there too, so that
 * no prediction is counted twice. Returns the files to keep.
 */
export function settleHarnessFiles<T extends Found>(files: T[]): T[] {
  const byDir = new Map<string, T[]>();
  for (const f of files) {
    if (f.harness?.format !== 'vlmevalkit') continue;
    const d = path.dirname(f.path);
    const list = byDir.get(d);
    if (list) list.push(f);
    else byDir.set(d, [f]);
  }
  for (const list of byDir.values()) {
    const datasets = list.map((f) => (f.harness as HarnessFile).task).sort((a, b) => a.length - b.length);
    for (const f of list) {
      const h = f.harness as HarnessFile;
      const base = datasets.find((d) => d !== h.task && h.task.startsWith(`${d}_`));
      if (base) f.harness = { ...h, task: base };
    }
  }
  const inEvalFolders = new Set(
    files
      .filter((f) => f.harness?.format === 'vlmevalkit' && EVAL_FOLDER.test(path.basename(path.dirname(f.path))))
      .map((f) => path.join(path.dirname(path.dirname(f.path)), path.basename(f.path))),
  );
  return files.filter((f) => !(f.harness?.format === 'vlmevalkit' && inEvalFolders.has(f.path)));
}

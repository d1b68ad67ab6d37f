// `vlm4d clip FOLDER KEY [--clip-root DIR]... [--json]`: where a prediction's clip is found, and why every
// other place looked in was not taken. The same resolution as the detail view's (src/core/clips.ts); the
// allowed folders are FOLDER and the clip roots given.
import * as fs from 'fs';
import * as path from 'path';
import type { CandidateCheck } from '../core/clipAccess';
import { resolveClip } from '../core/clips';
import { ResultIndex } from '../core/index/resultIndex';
import { loadSqlJs } from '../core/index/sqlite';
import { terminalSafe } from '../core/terminalText';

export interface ClipCommand {
  /** The results folder (absolute, checked to exist). */
  folder: string;
  /** The prediction's stable key, as `failures --json` prints it. */
  key: string;
  /** --clip-root values, as typed (relative to the working folder). */
  clipRoots: string[];
  json: boolean;
}

export interface ClipAnswer {
  found: boolean;
  path?: string;
  via?: string;
  /** The record's `video` field. */
  video: string | null;
  tried: CandidateCheck[];
}

/** A usage problem: the message, and exit status 2. */
export class ClipUsageError extends Error {}

/** Prints the answer; 0 when the clip was found, 1 when not, throws ClipUsageError for an unknown key. */
export async function clipCommand(c: ClipCommand, out: (s: string) => void, err: (s: string) => void): Promise<number> {
  const index = new ResultIndex(await loadSqlJs());
  try {
    index.setRoots([{ path: c.folder }]);
    const report = await index.sync();
    for (const p of report.problems) err(`${p.severity}: ${terminalSafe(p.path)}: ${terminalSafe(p.reason)}\n`);
    const id = index.predictionIdByKey(c.key);
    const prediction = id === null ? null : index.prediction(id);
    if (!prediction) {
      throw new ClipUsageError(
        `no prediction with the key "${terminalSafe(c.key)}" in ${terminalSafe(c.folder)} (keys look like real/cot/<model>_<frames>/validation_12; \`failures FOLDER --json\` prints them)`,
      );
    }
    const clipRoots = c.clipRoots.map((r) => path.resolve(r));
    for (const r of clipRoots) {
      const isDir = await fs.promises.stat(r).then(
        (st) => st.isDirectory(),
        () => false,
      );
      if (!isDir) err(`warning: --clip-root ${terminalSafe(r)} is not a folder: no clip is found there\n`);
    }
    const found = await resolveClip({
      video: prediction.video,
      declaredIn: prediction.videoDeclaredIn,
      clipRoots,
      resultRoots: [c.folder],
      allowRemote: false,
      allowHint: 'pass --clip-root with a folder that holds it',
    });
    const answer: ClipAnswer =
      found.kind === 'local'
        ? { found: true, path: found.path, via: found.rule, video: prediction.video, tried: found.tried }
        : { found: false, video: prediction.video, tried: found.tried };
    if (c.json) out(jsonForTerminal(answer) + '\n');
    else out(textOf(answer));
    return answer.found ? 0 : 1;
  } finally {
    index.close();
  }
}

/** One line per place tried (result, path, reason), then what was found. */
function textOf(a: ClipAnswer): string {
  const line = (s: string) => terminalSafe(s).replace(/\n/g, '\\x0a');
  const lines = a.tried.map((t) =>
    [
      t.result,
      line(t.path),
      ...(t.realPath ? [`-> ${line(t.realPath)}`] : []),
      ...(t.reason ? [line(t.reason)] : []),
    ].join('\t'),
  );
  if (a.found) lines.push(`found\t${line(a.path ?? '')}\tvia ${line(a.via ?? '')}`);
  else lines.push(`not found\t${a.video === null ? 'the record names no clip' : `the record names ${line(a.video)}`}`);
  return lines.join('\n') + '\n';
}

/** JSON as JSON.stringify writes it, but with DEL and the C1 controls escaped too (JSON.parse reads them back). */
function jsonForTerminal(v: unknown): string {
  return JSON.stringify(v, null, 2).replace(
    /[\u007f-\u009f]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

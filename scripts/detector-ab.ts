// The failure-mode detectors over every failed prediction of a folder, in one process, alternating: the
// per-prediction path (detectFailureModes, with evidence, the detail view's) and the bulk path (detectorBits,
// codes only, the index's pass). CPU time of each round; the verdicts are checked equal on the way.
//
//   npx tsx scripts/detector-ab.ts [FOLDER] [--rounds N]
import * as os from 'os';
import type { FailureCase } from '../src/core/failureModes';
import { DETECTORS, detectFailureModes, detectorBits } from '../src/core/failureModes';
import { ResultIndex } from '../src/core/index/resultIndex';
import { MAX_PAGE_ROWS } from '../src/core/index/query';
import { loadSqlJs } from '../src/core/index/sqlite';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const at = args.indexOf('--rounds');
  const rounds = at >= 0 ? Number(args.splice(at, 2)[1]) : 7;
  const folder = args[0] ?? '/work/shared/vlm4d';
  const index = new ResultIndex(await loadSqlJs());
  index.setRoots([folder]);
  await index.sync();
  const cases: FailureCase[] = [];
  // The predictions of a question share its choices, as in the index.
  const shared = new Map<string, FailureCase['choices']>();
  for (let offset = 0; ; offset += MAX_PAGE_ROWS) {
    const rows = index.query({ outcome: ['failed'], sort: 'model', offset, limit: MAX_PAGE_ROWS }).rows;
    for (const row of rows) {
      const d = index.prediction(row.id);
      if (!d) continue;
      const key = `${d.question}\0${JSON.stringify(d.choices)}`;
      const choices = shared.get(key) ?? d.choices;
      shared.set(key, choices);
      cases.push({ ...d, choices });
    }
    if (rows.length < MAX_PAGE_ROWS) break;
  }
  index.close();
  const cpu = (f: () => void): number => {
    const c = process.cpuUsage();
    f();
    const u = process.cpuUsage(c);
    return (u.user + u.system) / 1000;
  };
  const perPrediction: number[] = [];
  const bulk: number[] = [];
  const ref: number[] = [];
  const got: number[] = [];
  for (let r = 0; r < rounds; r++) {
    ref.length = 0;
    got.length = 0;
    perPrediction.push(
      cpu(() => {
        for (const c of cases)
          ref.push(detectFailureModes(c).reduce((b, s) => b | (1 << DETECTORS.indexOf(s.detector)), 0));
      }),
    );
    bulk.push(
      cpu(() => {
        for (const c of cases)
          got.push(detectorBits(c.choices, c.groundTruth, c.chosen, c.perspective, () => c.response));
      }),
    );
    if (ref.some((b, i) => b !== got[i])) throw new Error('the two paths disagree');
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1] as number;
  const fmt = (xs: number[]) => xs.map((x) => x.toFixed(0)).join(' ');
  console.log(`${cases.length} failed predictions of ${folder}, CPU ms per round (first round: a fresh process)`);
  console.log(`per prediction (detectFailureModes): ${fmt(perPrediction)}; median ${median(perPrediction).toFixed(0)}`);
  console.log(`bulk (detectorBits):                 ${fmt(bulk)}; median ${median(bulk).toFixed(0)}`);
  console.log(
    `bulk / per prediction: ${(median(bulk) / median(perPrediction)).toFixed(2)}; load average ${os
      .loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}`,
  );
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
});

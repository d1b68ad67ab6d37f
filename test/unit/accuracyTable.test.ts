import * as assert from 'node:assert/strict';
import { execFileSync } from 'child_process';
import * as path from 'path';
import { accuracyTableCsv, accuracyTables, pythonFloat, pythonRound2 } from '../../src/core/accuracyTable';
import { ResultIndex } from '../../src/core/index/resultIndex';
import { loadSqlJs } from '../../src/core/index/sqlite';
import type { FixtureJudged } from '../support/fixtures';
import { FIXTURE_MODELS, makeResultsFolder } from '../support/fixtures';

function hasPython(): boolean {
  try {
    execFileSync('python3', ['-c', 'pass']);
    return true;
  } catch {
    return false;
  }
}

/** The authors' rules, restated from their script: slices by id and by the "no ..." ground truth. */
function independentRow(real: FixtureJudged[], synth: FixtureJudged[]): number[] {
  const pct = (xs: FixtureJudged[]) => (xs.length ? (xs.filter((x) => x.correct).length / xs.length) * 100 : 0);
  const num = (x: FixtureJudged) => Number(x.id.split('_').pop());
  const isFp = (x: FixtureJudged) => {
    const a = String(x.ground_truth_answer).trim().toLowerCase();
    return a === 'no' || a.startsWith('no ');
  };
  const exo = real.filter((x) => num(x) <= 922);
  const ego = real.filter((x) => num(x) > 922);
  const fp = synth.filter(isFp);
  const dir = synth.filter((x) => !isFp(x));
  return [pct(ego), pct(exo), pct(real), pct(dir), pct(fp), pct(synth), pct([...real, ...synth])];
}

describe('the accuracy table', () => {
  it('equals an independent computation of the authors rules on a fixture', async () => {
    const { dir, judged } = makeResultsFolder();
    const index = new ResultIndex(await loadSqlJs());
    index.setRoots([dir]);
    await index.sync();
    const [table, ...rest] = accuracyTables(index);
    assert.equal(rest.length, 0);
    assert.ok(table);
    assert.equal(table.promptMode, 'cot');
    assert.deepEqual(
      table.rows.map((r) => r.file),
      FIXTURE_MODELS.map((m) => m.file).sort(),
    );
    for (const row of table.rows) {
      const real = judged.get(path.join(dir, 'processed_outputs', 'real_mc_cot', row.file)) as FixtureJudged[];
      const synth = judged.get(path.join(dir, 'processed_outputs', 'synthetic_mc_cot', row.file)) as FixtureJudged[];
      const want = independentRow(real, synth);
      const got = [
        row.realEgo,
        row.realExo,
        row.realOverall,
        row.synthDirectional,
        row.synthFalsePositive,
        row.synthOverall,
        row.overall,
      ];
      got.forEach((g, i) =>
        assert.ok(
          Math.abs((g ?? 0) - (want[i] as number)) < 0.005 + 1e-9,
          `${row.file} column ${i}: ${g} vs ${want[i]}`,
        ),
      );
    }
    const csv = accuracyTableCsv(table).split('\n');
    assert.equal(
      csv[0],
      'Model (JSON File),Real Ego-centric Accuracy (%),Real Exo-centric Accuracy (%),Real Overall Accuracy (%),Synthetic Directional Accuracy (%),Synthetic FP Accuracy (%),Synthetic Overall Accuracy (%),Overall Accuracy (%)',
    );
    assert.equal(csv.length, table.rows.length + 2);
    index.close();
  });

  it('rounds like Python round(x, 2), ties to even, and prints floats like pandas', function () {
    const values = [
      0.125, 0.375, 12.125, 33.335, 66.66666666666667, 80, 0, 100, 2.675, 1.005, 57.29999999999999, 45.0847,
    ];
    assert.deepEqual(values.map(pythonRound2).map(pythonFloat).slice(0, 4), ['0.12', '0.38', '12.12', '33.34']);
    assert.equal(pythonFloat(pythonRound2(80)), '80.0');
    if (!hasPython()) this.skip();
    const py = execFileSync(
      'python3',
      ['-c', `print(",".join(repr(round(float(x), 2)) for x in [${values.map((v) => JSON.stringify(v)).join(',')}]))`],
      {
        encoding: 'utf8',
      },
    ).trim();
    assert.equal(values.map((v) => pythonFloat(pythonRound2(v))).join(','), py);
  });
});

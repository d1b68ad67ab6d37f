// The annotations' keys are found through the runs, the questions and the prediction columns, not a map of
// every prediction's key (at 10x the published results that map took ~2 s after each sync). Checked against
// that map, built here straight from SQL, over two results folders holding the same keys, a raw and a
// judged copy of one run, question keys and keys that name nothing; through a sync that changes the
// predictions while annotations are laid (they are applied again within it); and no statement of it reads
// every prediction.
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import type { Annotations } from '../../src/core/annotations/format';
import type { AnnotationSource } from '../../src/core/index/annotationLayer';
import { ResultIndex } from '../../src/core/index/resultIndex';
import { loadSqlJs } from '../../src/core/index/sqlite';
import {
  judge,
  makeResultsFolder,
  prng,
  realQuestions,
  syntheticQuestions,
  tempDir,
  writeJson,
} from '../support/fixtures';
import { statementsDuring } from '../support/statements';

const at = '2026-11-28T10:00:00.000Z';

/** Every prediction's key and question key, under the folder holding its file: the direct computation. */
function keyMap(index: ResultIndex, roots: string[]): Map<string, number[]> {
  const map = new Map<string, number[]>();
  const add = (k: string, id: number) => map.set(k, [...(map.get(k) ?? []), id]);
  for (const [id, file, split, prompt, model, sampling, qsplit, qid] of index.select(
    `SELECT p.id, f.path, r.split, r.prompt_mode, m.name, r.sampling_label, q.split, q.qid FROM predictions p
     JOIN runs r ON r.id = p.run_id JOIN files f ON f.id = r.file_id JOIN models m ON m.id = r.model_id
     JOIN questions q ON q.id = p.question_id ORDER BY p.id`,
  )) {
    const root = roots.find((r) => String(file).startsWith(r + path.sep));
    if (!root) continue;
    const stem = `${split}/${prompt}/${sampling ? `${model}_${sampling}` : model}`;
    add(`${root}\0${stem}/${qid}`, Number(id));
    add(`${root}\0${qsplit}/${qid}`, Number(id));
  }
  return map;
}

/** One tag per key (`<prefix>p<n>`, `<prefix>q<n>`), so that each key's predictions can be asked for by tag. */
function tagEach(
  prefix: string,
  predictionKeys: string[],
  questionKeys: string[],
): { data: Annotations; tagOf: Map<string, string> } {
  const tagOf = new Map<string, string>();
  const data: Annotations = { tags: [], predictions: {}, questions: {} };
  predictionKeys.forEach((k, i) => {
    tagOf.set(`p:${k}`, `${prefix}p${i}`);
    data.predictions[k] = { tags: [`${prefix}p${i}`], note: '', updated: at };
  });
  questionKeys.forEach((k, i) => {
    tagOf.set(`q:${k}`, `${prefix}q${i}`);
    data.questions[k] = { tags: [`${prefix}q${i}`], note: '', updated: at };
  });
  return { data, tagOf };
}

function tagged(index: ResultIndex, tag: string): number[] {
  return index
    .query({ tags: [tag], outcome: [], limit: 10_000 })
    .rows.map((r) => r.id)
    .sort((a, b) => a - b);
}

/** Each root's annotations land on exactly the predictions the direct map gives, and only orphans are missing. */
function assertLaidAsKeyMap(index: ResultIndex, sources: AnnotationSource[], tags: Map<string, Map<string, string>>) {
  const roots = sources.map((s) => s.root);
  const map = keyMap(index, roots);
  const orphans = new Set(index.annotationOrphans().map((o) => `${o.root}\0${o.kind}\0${o.key}`));
  let found = 0;
  for (const s of sources) {
    const tagOf = tags.get(s.root) as Map<string, string>;
    for (const [kind, keys] of [
      ['prediction', Object.keys(s.data.predictions)],
      ['question', Object.keys(s.data.questions)],
    ] as const) {
      for (const key of keys) {
        const expected = map.get(`${s.root}\0${key}`) ?? [];
        const tag = tagOf.get(`${kind[0]}:${key}`) as string;
        assert.deepEqual(tagged(index, tag), expected, `${kind} key ${key} under ${path.basename(s.root)}`);
        assert.equal(orphans.has(`${s.root}\0${kind}\0${key}`), expected.length === 0, `${key} reported as an orphan`);
        if (expected.length) found++;
      }
    }
  }
  return found;
}

describe("the annotations' keys", () => {
  it('name the same predictions as a map of every key, in each results folder, through a sync that changes them', async () => {
    const base = tempDir();
    const a = path.join(base, 'a');
    const b = path.join(base, 'b');
    makeResultsFolder(a);
    makeResultsFolder(b);
    // A raw copy of a judged run in a: both carry its keys. A run in b only.
    const rawAlpha = realQuestions().map((q) => ({ ...q, response: 'Therefore, the final answer is: A' }));
    writeJson(path.join(a, 'outputs/real_mc_cot/alpha-vl_8frame.json'), rawAlpha);
    writeJson(path.join(b, 'processed_outputs/synthetic_mc_cot/solo_4frame.json'), judge(syntheticQuestions(), 7, 0.5));
    const index = new ResultIndex(await loadSqlJs());
    index.setRoots([a, b]);
    await index.sync();

    // Every key of the direct map, sampled, plus keys that name nothing, and b's own run named in a's file.
    const rnd = prng(5);
    const keysOf = (root: string, question: boolean) =>
      [...keyMap(index, [a, b]).keys()]
        .filter((k) => k.startsWith(root + '\0'))
        .map((k) => k.slice(root.length + 1))
        .filter((k) => (k.split('/').length === 2) === question)
        .filter(() => rnd() < 0.3);
    const sources: AnnotationSource[] = [];
    const tags = new Map<string, Map<string, string>>();
    for (const root of [a, b]) {
      const { data, tagOf } = tagEach(
        path.basename(root),
        [
          ...keysOf(root, false),
          'real/cot/alpha-vl_8frame/validation_99999',
          'real/cot/nobody_8frame/validation_1',
          'not a key',
          'synthetic/cot/solo_4frame/validation_3',
          'real/cot/epsilon_2fps/validation_4',
        ],
        [...keysOf(root, true), 'real/validation_99999'],
      );
      sources.push({ root, data });
      tags.set(root, tagOf);
    }
    index.setAnnotations(sources);
    const found = assertLaidAsKeyMap(index, sources, tags);
    assert.ok(found > 30, `most sampled keys name predictions (${found})`);
    const copy = keyMap(index, [a, b]).get(`${a}\0real/cot/alpha-vl_8frame/validation_4`) ?? [];
    assert.equal(copy.length, 2, 'the raw and the judged copy share a key');

    // Syncs that add a run named by the annotations (an orphan until now), then drop another: the keys are
    // found again within each sync, and no statement reads every prediction.
    writeJson(path.join(a, 'processed_outputs/real_mc_cot/epsilon_2fps.json'), judge(realQuestions(), 9, 0.5));
    const added = await statementsDuring(index, () => index.sync());
    assertLaidAsKeyMap(index, sources, tags);
    assert.equal(tagged(index, tags.get(a)?.get('p:real/cot/epsilon_2fps/validation_4') as string).length, 1);
    fs.rmSync(path.join(b, 'processed_outputs/real_mc_cot/gamma_32frame.json'));
    const dropped = await statementsDuring(index, () => index.sync());
    assertLaidAsKeyMap(index, sources, tags);
    for (const s of [...added, ...dropped].filter((s) => /FROM\s+predictions\b/i.test(s)))
      assert.match(s, /WHERE\s+(p\.)?(run_)?id\s*(IN|>=|=)/i, `a statement over every prediction: ${s}`);
    index.close();
  });
});

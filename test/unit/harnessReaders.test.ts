import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';
import { discover } from '../../src/core/discovery';
import { readDelimited } from '../../src/core/harness/delimited';
import type { HarnessRow, HarnessRun } from '../../src/core/harness/harnessRow';
import { promptModeOfName, verdictOf } from '../../src/core/harness/harnessRow';
import { lmmsEvalRow, lmmsEvalRun } from '../../src/core/harness/lmmsEval';
import { joinRows, loadBenchmark } from '../../src/core/harness/vlm4dJoin';
import { vlmEvalKitRow } from '../../src/core/harness/vlmEvalKit';
import { MAX_SHEET_ROWS, readXlsx } from '../../src/core/harness/xlsxSheet';
import { unzipEntries } from '../../src/core/harness/zipEntries';
import { KnownQuestions, loadFile } from '../../src/core/index/fileLoader';
import { tempDir, writeJson } from '../support/fixtures';
import { HARNESS_FIXTURES } from '../support/harnessFixtures';

/** A zip archive of deflated entries, laid out as the format describes (CRCs left 0: readers here do not check them). */
function zipOf(entries: Record<string, string | Buffer>): Buffer {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const [name, content] of Object.entries(entries)) {
    const raw = typeof content === 'string' ? Buffer.from(content) : content;
    const data = zlib.deflateRawSync(raw);
    const n = Buffer.from(name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(1, 22); // the size claimed: a bomb lies about it
    local.writeUInt16LE(n.length, 26);
    const cd = Buffer.alloc(46);
    cd.writeUInt32LE(0x02014b50, 0);
    cd.writeUInt16LE(8, 10);
    cd.writeUInt32LE(data.length, 20);
    cd.writeUInt32LE(1, 24);
    cd.writeUInt16LE(n.length, 28);
    cd.writeUInt32LE(offset, 42);
    locals.push(local, n, data);
    central.push(cd, n);
    offset += 30 + n.length + data.length;
  }
  const cdBytes = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(entries).length, 8);
  end.writeUInt16LE(Object.keys(entries).length, 10);
  end.writeUInt32LE(cdBytes.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cdBytes, end]);
}

const sheetXml = (rows: string) =>
  `<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${rows}</sheetData></worksheet>`;

describe('harness spreadsheets: hostile input', () => {
  it('stops a zip bomb at the unpacked-size budget, whatever size the headers claim', () => {
    const bomb = zipOf({ 'xl/worksheets/sheet1.xml': Buffer.alloc(8 * 1024 * 1024) });
    assert.ok(bomb.length < 64 * 1024, `${bomb.length} bytes`);
    const r = readXlsx(bomb, 1024 * 1024);
    assert.equal(r.ok, false);
    assert.match(r.ok ? '' : r.reason, /unpacks to more than 1 MB \(a zip bomb/);
    // Within budget the same archive is read (the budget, not the archive, refused it).
    assert.equal(unzipEntries(bomb, () => true, 16 * 1024 * 1024).ok, true);
  });

  it('refuses a sheet with more rows than any results sheet, with the reason', () => {
    const rows = Array.from({ length: MAX_SHEET_ROWS + 2 }, (_, i) => `<row r="${i + 1}"/>`).join('');
    const r = readXlsx(zipOf({ 'xl/worksheets/sheet1.xml': sheetXml(rows) }));
    assert.deepEqual(r, {
      ok: false,
      reason: `the sheet has more than ${MAX_SHEET_ROWS} rows: not a VLM4D results sheet`,
    });
    const tsv = 'a\tb\n' + '1\t2\n'.repeat(MAX_SHEET_ROWS + 2);
    assert.match((readDelimited(tsv, '\t') as { reason: string }).reason, /more than 200000 rows/);
  });

  it('reads formulas as their text and never evaluates them; shared, inline and escaped strings as written', () => {
    const sheet = sheetXml(
      '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="inlineStr"><is><t>prediction</t></is></c><c r="D1" t="s"><v>1</v></c></row>' +
        '<row r="2"><c r="A2"><f>1+1</f><v>2</v></c><c r="B2" t="inlineStr"><is><t>a &amp; b_x000D_</t></is></c><c r="D2" t="b"><v>1</v></c></row>',
    );
    const strings = '<sst><si><t>formula</t></si><si><r><t>ri</t></r><r><t xml:space="preserve">ch </t></r></si></sst>';
    const r = readXlsx(zipOf({ 'xl/worksheets/sheet1.xml': sheet, 'xl/sharedStrings.xml': strings }));
    assert.deepEqual(r, {
      ok: true,
      header: ['formula', 'prediction', '', 'rich '],
      rows: [['=1+1', 'a & b\r', '', 'True']],
    });
  });

  it('says what is wrong with a file that is not a workbook', () => {
    assert.match((readXlsx(Buffer.from('index\tprediction\n')) as { reason: string }).reason, /not a zip archive/);
    assert.match(
      (readXlsx(zipOf({ 'xl/workbook.xml': '<workbook/>' })) as { reason: string }).reason,
      /no sheet \(xl\/worksheets\/sheet1\.xml missing\)/,
    );
  });

  it('reads pandas TSV (every field quoted) with tabs, line breaks and quotes inside fields, and text that looks like a formula as text', () => {
    const tsv = '"index"\t"prediction"\r\n"0"\t"=cmd|\' /C calc\'!A0"\n"1"\t"two\tlines\nand ""quotes"""\n';
    assert.deepEqual(readDelimited(tsv, '\t'), {
      ok: true,
      header: ['index', 'prediction'],
      rows: [
        ['0', "=cmd|' /C calc'!A0"],
        ['1', 'two\tlines\nand "quotes"'],
      ],
    });
    assert.match((readDelimited('"a\tb\n', '\t') as { reason: string }).reason, /never closed/);
  });
});

const run = (over: Partial<HarnessRun> = {}): HarnessRun => ({
  task: 'vlm4d',
  model: 'm',
  samplingLabel: '',
  sampling: { kind: 'unknown' },
  promptMode: 'unspecified',
  split: null,
  ...over,
});
const row = (over: Partial<HarnessRow>): HarnessRow => ({
  id: null,
  split: null,
  question: null,
  choices: null,
  answer: null,
  video: null,
  response: 'Therefore, the final answer is: A',
  extracted: null,
  correct: null,
  judge: null,
  extras: {},
  ...over,
});

describe('harness rows joined to the VLM4D questions', () => {
  const bench = loadBenchmark(HARNESS_FIXTURES);
  const real = JSON.parse(fs.readFileSync(path.join(HARNESS_FIXTURES, 'data', 'real_mc.json'), 'utf8')) as {
    id: string;
    question: string;
    choices: Record<string, string | number>;
  }[];
  const synth = JSON.parse(
    fs.readFileSync(path.join(HARNESS_FIXTURES, 'data', 'synthetic_mc.json'), 'utf8'),
  ) as typeof real;
  const placed = (rows: HarnessRow[], r = run()) => {
    const j = joinRows(rows, r, bench);
    return {
      real: (j.bySplit.get('real') ?? []).map((x) => x.id),
      synthetic: (j.bySplit.get('synthetic') ?? []).map((x) => x.id),
      byId: j.byId,
      byText: j.byText,
      unjoined: Object.fromEntries(j.unjoined),
    };
  };

  it('by id: the split from the record, else from the task name; the same id in both splits is told apart by its question', () => {
    // validation_1 exists in both splits (as in the benchmark).
    assert.ok(real.some((q) => q.id === 'validation_1') && synth.some((q) => q.id === 'validation_1'));
    assert.deepEqual(placed([row({ id: 'validation_1', split: 'synthetic' })]).synthetic, ['validation_1']);
    assert.deepEqual(placed([row({ id: 'validation_1' })], run({ split: 'real' })).real, ['validation_1']);
    const q = synth.find((x) => x.id === 'validation_1') as (typeof synth)[number];
    assert.deepEqual(placed([row({ id: 'validation_1', question: q.question })]).synthetic, ['validation_1']);
    // A numeric id is the benchmark's number; an id only one split has needs no split.
    assert.deepEqual(placed([row({ id: '923' })]).real, ['validation_923']);
  });

  it('by question text and options when there is no id (whitespace and case aside)', () => {
    const q = real.find((x) => x.id === 'validation_924') as (typeof real)[number];
    const p = placed([row({ question: `  ${q.question.toUpperCase()} `, choices: q.choices })]);
    assert.deepEqual([p.real, p.byText, p.byId], [['validation_924'], 1, 0]);
  });

  it('neither: each reason counted with its records, the placed rows kept', () => {
    const q = real.find((x) => x.id === 'validation_2') as (typeof real)[number];
    const p = placed([
      row({ id: 'validation_923' }),
      row({}),
      row({ question: 'What is not in the benchmark?', choices: { A: 'x' } }),
      row({ id: 'validation_1' }),
      row({ question: q.question, choices: { ...q.choices, D: 'other' } }),
    ]);
    assert.deepEqual(p.real, ['validation_923']);
    assert.deepEqual(p.unjoined, {
      'no id and no question text to join by': [1],
      'question text and options match no benchmark question': [2, 4],
      'id not in the benchmark (or in both splits, with no split stated)': [3],
    });
  });

  it('loads a file with unplaceable records: one message with the count, the rest indexed', () => {
    const dir = tempDir('vlm4d-harness-');
    fs.cpSync(path.join(HARNESS_FIXTURES, 'data'), path.join(dir, 'data'), { recursive: true });
    const file = path.join(dir, 'logs', 'm', '20250101_000000_samples_vlm4d_real.jsonl');
    const lines = [
      { doc_id: 0, filtered_resps: ['A'], vlm4d_score: { id: 'validation_2', accuracy: 1 } },
      { doc_id: 1, filtered_resps: ['B'], vlm4d_acc: 0 },
      { doc_id: 2, filtered_resps: ['B'], vlm4d_acc: 1 },
    ];
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, lines.map((l) => JSON.stringify(l)).join('\n'));
    const f = discover(dir).files.find((x) => x.path === file);
    assert.ok(f?.harness);
    const loaded = loadFile(f, new KnownQuestions());
    assert.equal(loaded.kind, 'harness');
    if (loaded.kind !== 'harness') return;
    assert.deepEqual(
      loaded.parts.map((p) => [p.run.split, p.records.count, p.stage]),
      [['real', 1, 'judged']],
    );
    assert.deepEqual(loaded.warnings, [
      '2 of 3 records not joined to a VLM4D question: no id and no question text to join by (record 1, 2); see docs/harness-formats.md',
    ]);
  });
});

describe('harness verdicts, prompt modes and names', () => {
  it('takes the verdict from the metric or column it is in, and names the judge after it', () => {
    const v = (s: unknown) => {
      const r = lmmsEvalRow(s);
      return typeof r === 'string' ? r : [r.correct, r.judge, r.extracted];
    };
    assert.deepEqual(v({ filtered_resps: ['x'], vlm4d_score: { id: 'validation_1', accuracy: 1.0 } }), [
      true,
      'vlm4d_score.accuracy',
      null,
    ]);
    assert.deepEqual(v({ filtered_resps: ['x'], vlm3d_score: { question: 'q', result: 0 } }), [
      false,
      'vlm3d_score.result',
      null,
    ]);
    assert.deepEqual(
      v({ filtered_resps: [['x']], vlm4d_accuracy: { id: 'validation_1', pred_letter: 'C', correct: 1 } }),
      [true, 'vlm4d_accuracy.correct', 'C'],
    );
    assert.deepEqual(v({ resps: [['x']], vlm4d_acc: 0 }), [false, 'vlm4d_acc', null]);
    assert.deepEqual(v({ filtered_resps: ['x'], other: 0.5 }), [null, null, null]);
    assert.match(String(v({ doc_id: 1, vlm4d_acc: 1 })), /no response text/);
    const k = (rec: Record<string, unknown>) => {
      const r = vlmEvalKitRow(rec);
      return typeof r === 'string' ? r : [r.correct, r.judge, r.answer];
    };
    const base = { prediction: 'B', question: 'q', answer: 'B', A: 'left', B: 'right' };
    assert.deepEqual(k({ ...base, score: '-1' }), [false, 'score', 'right']);
    assert.deepEqual(k({ ...base, score: '1' }), [true, 'score', 'right']);
    assert.deepEqual(k({ ...base, hit: 0 }), [false, 'hit', 'right']);
    assert.deepEqual(k(base), [null, null, 'right']);
    assert.match(String(k({ question: 'q' })), /no 'prediction'/);
    assert.deepEqual(
      [verdictOf('True'), verdictOf('0.0'), verdictOf(0.5), verdictOf('maybe')],
      [true, false, null, null],
    );
  });

  it('finds the prompt mode in the task or dataset name, else in the config, else says unspecified', () => {
    assert.equal(promptModeOfName('vlm4d_real_cot'), 'cot');
    assert.equal(promptModeOfName('VLM4D-CoT_32frame'), 'cot');
    assert.equal(promptModeOfName('vlm4d_direct_output'), 'direct-output');
    assert.equal(promptModeOfName('VLM4D_direct-output_1fps'), 'direct-output');
    assert.equal(promptModeOfName('vlm4d_real'), null);
    assert.equal(promptModeOfName('scotland_directory'), null);
    const dir = tempDir('vlm4d-harness-');
    const samples = path.join(dir, '20250101_000000_samples_vlm4d.jsonl');
    writeJson(path.join(dir, '20250101_000000_results.json'), {
      configs: { vlm4d: { lmms_eval_specific_kwargs: { default: { prompt_mode: 'direct' } } } },
      config: { model_args: 'pretrained=org/My-VLM,max_frames_num=16' },
    });
    assert.deepEqual(
      [lmmsEvalRun(samples).promptMode, lmmsEvalRun(samples).model, lmmsEvalRun(samples).samplingLabel],
      ['direct-output', 'My-VLM', '16frame'],
    );
    fs.rmSync(path.join(dir, '20250101_000000_results.json'));
    assert.deepEqual([lmmsEvalRun(samples).promptMode, lmmsEvalRun(samples).samplingLabel], ['unspecified', '']);
  });
});

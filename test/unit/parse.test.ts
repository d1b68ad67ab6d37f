import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import {
  parseRecords,
  readJsonText,
  readTaxonomyOverrides,
  readPredictions,
  readQuestions,
} from '../../src/core/parse';
import { judge, realQuestions, tempDir } from '../support/fixtures';

function parseFile(file: string, content: string | Buffer) {
  fs.writeFileSync(file, content);
  const text = readJsonText(file);
  if (!text.ok) return text;
  const records = parseRecords(text.value, file.endsWith('.jsonl'));
  if (!records.ok) return records;
  const predictions = readPredictions(records.value);
  return predictions.ok ? { ...predictions, warnings: [...records.warnings, ...predictions.warnings] } : predictions;
}

describe('parsing result files', () => {
  const dir = tempDir();
  const good = judge(realQuestions(), 1, 0.5);

  it('reads a judged JSON array with integer answers and keeps extra judge fields', () => {
    const withRationale = good.map((r, i) =>
      i === 0 ? { ...r, judge_rationale: 'The response picks B.', score: 1 } : r,
    );
    const res = parseFile(path.join(dir, 'ok.json'), JSON.stringify(withRationale));
    assert.ok(res.ok);
    assert.equal(res.value.length, good.length);
    const counting = res.value.find((r) => r.id === 'validation_4');
    assert.equal(counting?.groundTruth, 3);
    assert.equal(counting?.choices.C, 3);
    assert.deepEqual(res.value[0]?.judgeExtras, { judge_rationale: 'The response picks B.', score: '1' });
    assert.deepEqual(res.warnings, []);
  });

  it('reads JSON Lines, one record a line, and reports bad lines', () => {
    const lines = good.map((r) => JSON.stringify(r));
    lines.splice(2, 0, '{"id": "validation_x", broken');
    const res = parseFile(path.join(dir, 'ok.jsonl'), lines.join('\n') + '\n');
    assert.ok(res.ok);
    assert.equal(res.value.length, good.length);
    assert.match(res.warnings.join(), /1 invalid JSON line\(s\) skipped: line 3/);
  });

  it('strips a UTF-8 byte order mark', () => {
    const res = parseFile(
      path.join(dir, 'bom.json'),
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(JSON.stringify(good))]),
    );
    assert.ok(res.ok);
    assert.equal(res.value.length, good.length);
  });

  it('names truncated JSON with its position', () => {
    const text = JSON.stringify(good, null, 1);
    const res = parseFile(path.join(dir, 'truncated.json'), text.slice(0, Math.floor(text.length / 2)));
    assert.equal(res.ok, false);
    assert.match(!res.ok ? res.reason : '', /^truncated JSON: .* at line \d+, column \d+/);
  });

  it('refuses a top-level object and names its keys', () => {
    const res = parseFile(path.join(dir, 'object.json'), JSON.stringify({ results: good, model: 'x' }));
    assert.equal(res.ok, false);
    assert.equal(!res.ok && res.reason, 'expected a JSON array of records, found an object (keys: results, model)');
  });

  it('refuses an empty file and a whitespace-only file', () => {
    const empty = parseFile(path.join(dir, 'empty.json'), '');
    assert.equal(!empty.ok && empty.reason, 'empty file');
    const blank = parseFile(path.join(dir, 'blank.json'), '  \n\t\n');
    assert.equal(!blank.ok && blank.reason, 'empty file (only whitespace)');
  });

  it('rejects a large file of garbage from its first bytes', () => {
    const garbage = Buffer.alloc(8 * 1024 * 1024);
    for (let i = 0; i < garbage.length; i++) garbage[i] = (i * 7919) % 251;
    const res = parseFile(path.join(dir, 'garbage.json'), garbage);
    assert.equal(!res.ok && res.reason, 'not JSON: the file holds binary data');
    const text = parseFile(path.join(dir, 'text.json'), 'hello world, this is not json');
    // The start is described, not quoted: the file may not be a result file at all.
    assert.equal(!text.ok && text.reason, 'not JSON: expected "[" or "{" at the start, found a letter');
  });

  it('skips records with missing or mistyped fields, says which, and keeps the rest', () => {
    const records: unknown[] = good.map((r) => ({ ...r }));
    delete (records[1] as Record<string, unknown>).response;
    (records[2] as Record<string, unknown>).correct = 'yes';
    (records[3] as Record<string, unknown>).choices = ['left', 'right'];
    records.push(42);
    const res = parseFile(path.join(dir, 'fields.json'), JSON.stringify(records));
    assert.ok(res.ok);
    assert.equal(res.value.length, good.length - 3);
    const w = res.warnings.join('\n');
    assert.match(w, /4 of 11 records skipped/);
    assert.match(w, /field 'response' is missing, expected text \(record 1\)/);
    assert.match(w, /field 'correct' is a string, expected true or false \(record 2\)/);
    assert.match(w, /field 'choices' is an array, expected an object \{A, B, C, D\} \(record 3\)/);
    assert.match(w, /record is a number, expected an object \(record 10\)/);
  });

  it('keeps the first of duplicate ids and reports the duplicates', () => {
    const dup = [...good, { ...good[0], correct: !good[0]?.correct }];
    const res = parseFile(path.join(dir, 'dup.json'), JSON.stringify(dup));
    assert.ok(res.ok);
    assert.equal(res.value.length, good.length);
    assert.equal(res.value[0]?.correct, good[0]?.correct);
    assert.match(res.warnings.join(), /duplicate id validation_1 \(records 0 and 10\): kept the first/);
  });

  it('reports a file that vanished', () => {
    const res = readJsonText(path.join(dir, 'never-there.json'));
    assert.equal(!res.ok && res.reason, 'file disappeared during the scan (ENOENT: no such file)');
  });

  it('reads raw outputs (no verdict) as ungraded, taking the ground truth from the benchmark answer', () => {
    const raw = realQuestions().map((q) => ({ ...q, response: 'B' }));
    const res = readPredictions(raw);
    assert.ok(res.ok);
    assert.equal(res.value[0]?.correct, null);
    assert.equal(res.value[0]?.groundTruth, 'there are no buses in the video');
    assert.equal(res.value[0]?.video, realQuestions()[0]?.video);
  });

  it('validates question files and labels files', () => {
    const qs = readQuestions([...realQuestions(), { id: 'validation_9', question: 'x', choices: { A: 'l' } }], 'real');
    assert.ok(qs.ok);
    assert.equal(qs.value.length, 10);
    assert.match(qs.warnings.join(), /field 'answer' is missing/);
    const labels = readTaxonomyOverrides({
      version: 1,
      labels: [
        { split: 'real', id: 'validation_2', motion: 'rotational' },
        { split: 'real', id: 'validation_3', motion: 'wobbly' },
      ],
    });
    assert.ok(labels.ok);
    assert.deepEqual(labels.value, [{ split: 'real', id: 'validation_2', motion: 'rotational' }]);
    assert.match(
      labels.warnings.join(),
      /field 'motion' must be one of translational, rotational, counting, false-positive \(record 1\)/,
    );
    const wrong = readTaxonomyOverrides({ version: 2, labels: [] });
    assert.equal(!wrong.ok && wrong.reason, 'unsupported labels version 2 (expected 1)');
  });
});

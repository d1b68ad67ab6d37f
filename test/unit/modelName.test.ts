import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { elideModelName, splitModelName } from '../../src/core/modelName';

// The published models' names as their result files give them (<model>_<sampling>.json), and names shaped
// otherwise: short, no separator, a long last part.
const SAMPLES = path.resolve(__dirname, '..', '..', 'samples');
function publishedNames(): string[] {
  const names = new Set<string>();
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/_mc_(cot|direct-output)$/.test(path.basename(d)) && e.name.endsWith('.json'))
        names.add(e.name.replace(/_[^_]*\.json$/, ''));
    }
  };
  walk(SAMPLES);
  return [...names];
}
const OTHERS = [
  'Qwen2.5-VL-72B-Instruct',
  'Llama-4-Maverick-17B-128E-Instruct-FP8',
  'llava-onevision-qwen2-7b-ov-chat-hf',
  'claude-sonnet-4-20250514',
  'VideoLLaMA3-7B',
  'gpt-4o',
  'pixtral-12b',
  'averyveryverylongmodelnamewithoutanyseparator',
  'a',
  '',
];

describe('model names at a side bar width', () => {
  it('split into a head and a tail that give the whole name back, the tail short', () => {
    const names = [...publishedNames(), ...OTHERS];
    assert.ok(names.length > OTHERS.length + 3, 'the samples name their models');
    for (const name of names) {
      const { head, tail } = splitModelName(name);
      assert.equal(head + tail, name);
      assert.ok(tail.length <= 16, `${name}: tail ${tail}`);
      // Something is left to cut unless the name is short.
      if (name.length > 12) assert.ok(head.length >= 4 && tail.length > 0, `${name}: ${head} | ${tail}`);
    }
  });

  it('keeps the parameter count in the tail, which tells a model from its siblings', () => {
    for (const [name, size] of [
      ['Qwen2.5-VL-72B-Instruct', '72B'],
      ['Qwen2.5-VL-7B-Instruct', '7B'],
      ['InternVL2_5-8B', '8B'],
      ['VideoLLaMA3-2B', '2B'],
      ['pixtral-12b', '12b'],
    ] as const)
      assert.ok(splitModelName(name).tail.includes(size), `${name}: ${splitModelName(name).tail}`);
    // Siblings differing only by size stay apart once elided.
    assert.notEqual(elideModelName('Qwen2.5-VL-72B-Instruct', 18), elideModelName('Qwen2.5-VL-7B-Instruct', 18));
  });

  it('elides in text to at most the length asked, the start and the end kept', () => {
    for (const name of [...publishedNames(), ...OTHERS])
      for (const max of [8, 12, 18, 24, 40]) {
        const e = elideModelName(name, max);
        assert.ok(e.length <= Math.max(max, 2), `${name} at ${max}: ${e}`);
        if (name.length <= max) assert.equal(e, name);
        else {
          assert.ok(e.includes('…'));
          const [start, end] = e.split('…') as [string, string];
          assert.ok(name.startsWith(start) && name.endsWith(end), `${name} at ${max}: ${e}`);
        }
      }
  });
});

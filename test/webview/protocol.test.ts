// The message contract's runtime side, in Node: the host's validator for what the view posts, the view's
// restore of persisted state, and the empty-state wording.
import * as assert from 'node:assert/strict';
import type { FacetCounts } from '../../src/core/index/query';
import { parseViewMessage } from '../../src/protocol/failuresValidate';
import { activeFilters, noMatchExplanation } from '../../webview/failures/emptyState';
import { DEFAULT_FILTERS, cloneFilters, restoreState, toFailureFilters } from '../../webview/failures/state';

export function registerProtocolTests(): void {
  describe('protocol: parseViewMessage (the host’s check of what the view posts)', function () {
    it('accepts every message type, rebuilt from known fields only', () => {
      assert.deepEqual(parseViewMessage({ type: 'ready' }), { type: 'ready' });
      assert.deepEqual(
        parseViewMessage({
          type: 'query',
          requestId: 7,
          query: {
            outcome: ['failed'],
            motion: ['rotational', 'rotational'],
            perspective: ['egocentric'],
            model: ['gpt-4o'],
            text: 'left',
            sort: 'model',
            offset: 200,
            limit: 100,
            evil: 1,
          },
          extra: true,
        }),
        {
          type: 'query',
          requestId: 7,
          query: {
            outcome: ['failed'],
            motion: ['rotational'],
            perspective: ['egocentric'],
            model: ['gpt-4o'],
            text: 'left',
            sort: 'model',
            offset: 200,
            limit: 100,
          },
        },
      );
      assert.deepEqual(parseViewMessage({ type: 'open', id: 12, index: 3, preserveFocus: true }), {
        type: 'open',
        id: 12,
        index: 3,
        preserveFocus: true,
      });
      assert.deepEqual(parseViewMessage({ type: 'saveFilter', query: { split: ['real'] } }), {
        type: 'saveFilter',
        query: { split: ['real'] },
      });
      assert.deepEqual(parseViewMessage({ type: 'saveFilter', name: '  ego rotations ', query: {} }), {
        type: 'saveFilter',
        name: 'ego rotations',
        query: {},
      });
      assert.deepEqual(parseViewMessage({ type: 'runCommand', command: 'vlm4d.reindex' }), {
        type: 'runCommand',
        command: 'vlm4d.reindex',
      });
    });

    it('refuses malformed messages', () => {
      const bad: unknown[] = [
        null,
        'ready',
        [],
        { type: 'nope' },
        { type: 'toString' },
        { type: '__proto__' },
        { type: 'query', requestId: -1, query: {} },
        { type: 'query', requestId: 1.5, query: {} },
        { type: 'query', requestId: 1 },
        { type: 'query', requestId: 1, query: { perspective: 'egocentric' } },
        { type: 'query', requestId: 1, query: { perspective: ['sideways'] } },
        { type: 'query', requestId: 1, query: { model: [42] } },
        { type: 'query', requestId: 1, query: { model: ['x'.repeat(301)] } },
        { type: 'query', requestId: 1, query: { text: 5 } },
        { type: 'query', requestId: 1, query: { text: 'x'.repeat(2001) } },
        { type: 'query', requestId: 1, query: { sort: 'random' } },
        { type: 'query', requestId: 1, query: { limit: 1e9 } },
        { type: 'query', requestId: 1, query: { offset: -5 } },
        { type: 'open', id: '12', index: 0, preserveFocus: true },
        { type: 'open', id: 12, index: 0 },
        { type: 'saveFilter', name: '', query: {} },
        { type: 'saveFilter', name: 'x'.repeat(201), query: {} },
        { type: 'saveFilter', name: 'ok' },
        { type: 'runCommand', command: 'workbench.action.terminal.new' },
      ];
      for (const m of bad) assert.equal(parseViewMessage(m), null, JSON.stringify(m)?.slice(0, 80));
    });
  });

  describe('view state: restore and filters', function () {
    it('restores what it saved and falls back to the defaults on anything else', () => {
      const saved = {
        v: 1,
        filters: { ...cloneFilters(DEFAULT_FILTERS), outcome: [], motion: ['counting'] },
        topRow: 120,
        selected: { index: 121, id: 9 },
        filtersOpen: false,
      };
      const s = restoreState(JSON.parse(JSON.stringify(saved)));
      assert.deepEqual(s.filters.outcome, [], 'an empty outcome list is "all", not the default');
      assert.deepEqual(s.filters.motion, ['counting']);
      assert.equal(s.topRow, 120);
      assert.deepEqual(s.selected, { index: 121, id: 9 });
      assert.equal(s.filtersOpen, false);
      // The switches (grouping, tags, notes, overrides) come back too.
      const switches = restoreState(
        JSON.parse(
          JSON.stringify({
            ...saved,
            filters: { ...saved.filters, group: true, tags: ['judge-error'], hasNote: true, overridden: true },
          }),
        ),
      );
      assert.deepEqual(
        [switches.filters.group, switches.filters.tags, switches.filters.hasNote, switches.filters.overridden],
        [true, ['judge-error'], true, true],
      );
      for (const junk of [
        undefined,
        null,
        5,
        { v: 2 },
        { v: 1, filters: { motion: ['wobbly'] }, topRow: -1, selected: { index: 'x' } },
      ]) {
        const r = restoreState(junk);
        assert.deepEqual(r.filters, DEFAULT_FILTERS);
        assert.equal(r.topRow, 0);
        assert.equal(r.selected, null);
      }
    });

    it('sends only the filters that are on', () => {
      assert.deepEqual(toFailureFilters(DEFAULT_FILTERS), { outcome: ['failed'] });
      assert.deepEqual(
        toFailureFilters({ ...cloneFilters(DEFAULT_FILTERS), outcome: [], text: '  ', sort: 'model', model: ['a'] }),
        { model: ['a'], sort: 'model' },
      );
    });

    it('explains an empty list by its filters and what dropping each would bring back', () => {
      const facets = {
        split: { real: 0, synthetic: 0 },
        perspective: { egocentric: 0, exocentric: 0, unspecified: 0 },
        motion: { translational: 40, rotational: 0, counting: 2, 'false-positive': 0 },
        source: {},
        model: { 'gpt-4o': 0 },
        promptMode: {},
        outcome: { failed: 0, correct: 7, ungraded: 0 },
      } as unknown as FacetCounts;
      const f = { ...cloneFilters(DEFAULT_FILTERS), motion: ['rotational' as const], model: ['gpt-4o'], text: 'left' };
      assert.deepEqual(
        activeFilters(f, facets).map((a) => [a.label, a.without]),
        [
          ['Outcome: Failed', 7],
          ['Motion: Rotational', 42],
          ['Model: gpt-4o', 0],
          ['Text: “left”', null],
        ],
      );
      assert.equal(noMatchExplanation(f, facets).hint, 'Without “Motion: Rotational” there would be 42.');
    });
  });
}

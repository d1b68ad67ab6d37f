// Tags, notes and verdict overrides: one annotations file per results folder (core/annotations/store.ts),
// kept in step with the disk (another window, a git pull, a hand edit are merged in), laid over the index so
// every count uses the corrected verdicts, with undo and redo of this window's changes.
import * as path from 'path';
import * as vscode from 'vscode';
import type { ItemChange, Section } from '../core/annotations/edits';
import { History, applyChanges, setNote, setVerdict, toggleTag } from '../core/annotations/edits';
import type { Annotations, MergeConflict, VerdictOverride } from '../core/annotations/format';
import { DEFAULT_TAGS, normTags } from '../core/annotations/format';
import { resolveAnnotationsFile } from '../core/annotations/location';
import { acceptSuggestions, rejectSuggestion } from '../core/annotations/suggestionEdits';
import { AnnotationStore } from '../core/annotations/store';
import type { AnnotationOrphan } from '../core/index/annotationLayer';
import { questionAnnotationKey, runStem } from '../core/index/predictionKey';
import type { PredictionDetail, PredictionRow } from '../core/index/query';
import { config } from './config';
import type { IndexService } from './indexService';
import type { Log } from './log';

export function annotationsConfig(): { tags: string[] } {
  const tags = vscode.workspace.getConfiguration('vlm4d').get<string[]>('tags', DEFAULT_TAGS);
  return { tags: normTagList(Array.isArray(tags) ? tags : DEFAULT_TAGS) };
}

/** The vocabulary in its settings order (the first nine get the number keys), trimmed and unique. */
function normTagList(tags: readonly unknown[]): string[] {
  return [
    ...new Set(
      tags
        .filter((t): t is string => typeof t === 'string')
        .map((t) => t.trim())
        .filter(Boolean),
    ),
  ];
}

/** What an annotation is attached to: a prediction (by its stable key) and its question, in a results folder. */
export interface Target {
  root: string;
  predictionKey: string;
  questionKey: string;
}

interface RootedChange extends ItemChange {
  root: string;
}

export class AnnotationService implements vscode.Disposable {
  private stores = new Map<string, AnnotationStore>();
  private watchers: vscode.Disposable[] = [];
  private readonly history = new History();
  private readonly disposables: vscode.Disposable[] = [];
  private readonly changeEmitter = new vscode.EventEmitter<readonly ItemChange[] | undefined>();
  /**
   * Annotations changed (here or on disk): lists, counts and the detail view need a refresh. With the items
   * an edit made in this window changed; undefined when anything may have (a file read again, the settings).
   */
  readonly onDidChange = this.changeEmitter.event;
  orphans: AnnotationOrphan[] = [];
  private reportedBroken = new Set<string>();
  /** Refusals of the annotationsFile setting already shown (once each, not at every re-index). */
  private reportedLocation = new Set<string>();

  constructor(
    private readonly index: IndexService,
    private readonly log: Log,
  ) {
    this.disposables.push(
      this.changeEmitter,
      index.onDidChangeState((s) => {
        if (s.kind === 'ready' || s.kind === 'empty') void this.syncRoots();
      }),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('vlm4d.annotationsFile')) {
          this.stores.clear();
          this.reportedLocation.clear();
          void this.syncRoots();
        }
        if (e.affectsConfiguration('vlm4d.tags')) this.changeEmitter.fire(undefined);
      }),
    );
  }

  /** The tag vocabulary: settings first (their order gives the number keys), then tags made on the fly. */
  tags(): string[] {
    const custom = [...this.stores.values()].flatMap((s) => s.data.tags);
    return normTagList([...annotationsConfig().tags, ...normTags(custom)]);
  }

  /** The annotations file of each results folder. */
  files(): { root: string; file: string; state: AnnotationStore['state'] }[] {
    return [...this.stores].map(([root, s]) => ({ root, file: s.file, state: s.state }));
  }

  /** Opens a store for each indexed folder, and hands the annotations to the index. */
  async syncRoots(): Promise<void> {
    const roots = this.index.getRoots();
    let changed = false;
    for (const root of roots) {
      if (this.stores.has(root)) continue;
      const file = this.fileOf(root);
      if (!file) continue;
      const store = new AnnotationStore(file);
      store.load();
      this.stores.set(root, store);
      this.reportState(root, store);
      changed = true;
    }
    for (const root of [...this.stores.keys()]) {
      if (!roots.includes(root)) {
        this.stores.delete(root);
        changed = true;
      }
    }
    if (changed) {
      this.watch();
      await this.push();
    }
  }

  /** The annotations file of a results folder, telling the user (once) when the setting was refused. */
  private fileOf(root: string): string | null {
    const loc = resolveAnnotationsFile(config.annotationsFile(root));
    if (loc.refused && !this.reportedLocation.has(loc.refused)) {
      this.reportedLocation.add(loc.refused);
      this.log.line(`VLM4D: ${loc.refused}`);
      void vscode.window.showWarningMessage(`VLM4D: ${loc.refused}`);
    }
    return loc.file;
  }

  /** The annotations of one folder (read-only). */
  data(root: string): Readonly<Annotations> | undefined {
    return this.stores.get(root)?.data;
  }

  /** Where a prediction's annotations go: the results folder holding its file. */
  targetOf(p: Pick<PredictionDetail, 'filePath' | 'key' | 'split' | 'qid'>): Target | null {
    const root = [...this.stores.keys()].filter((r) => isInside(p.filePath, r)).sort((a, b) => b.length - a.length)[0];
    return root ? { root, predictionKey: p.key, questionKey: questionAnnotationKey(p.split, p.qid) } : null;
  }

  /** Targets of list rows, by their runs' files (one call for the whole list, not one per row). */
  async targetsOfRows(
    rows: readonly Pick<PredictionRow, 'key' | 'split' | 'qid' | 'promptMode' | 'model' | 'samplingLabel'>[],
  ): Promise<Target[]> {
    const runs = await this.index.call('runs', {});
    const fileOf = new Map(runs.map((r) => [runStem(r.split, r.promptMode, r.model, r.samplingLabel), r.filePath]));
    const out: Target[] = [];
    for (const r of rows) {
      const filePath = fileOf.get(runStem(r.split, r.promptMode, r.model, r.samplingLabel));
      const t = filePath && this.targetOf({ filePath, key: r.key, split: r.split, qid: r.qid });
      if (t) out.push(t);
    }
    return out;
  }

  async targetsOf(ids: readonly number[]): Promise<Target[]> {
    const out: Target[] = [];
    for (const id of ids) {
      const p = await this.index.call('prediction', { id });
      const t = p && this.targetOf(p);
      if (t) out.push(t);
    }
    return out;
  }

  /** Adds the tag to every target lacking it, or removes it from all when all have it. */
  async toggleTag(targets: readonly Target[], tag: string, on: Section = 'predictions'): Promise<boolean> {
    const clean = tag.trim();
    if (!clean) return false;
    return this.change(targets, (data, keys) => toggleTag(data, on, keys, clean), on, clean);
  }

  /** Accepts detectors' suggestions: each tag added and marked as from its detector, all undone as one. */
  async acceptSuggestions(items: readonly { target: Target; tag: string }[]): Promise<boolean> {
    const refs = items.map((i) => ({ key: i.target.predictionKey, tag: i.tag }));
    return this.change(
      items.map((i) => i.target),
      (data, keys) =>
        acceptSuggestions(
          data,
          refs.filter((r) => keys.includes(r.key)),
        ),
      'predictions',
    );
  }

  /** Rejects one detector's suggestion for one prediction: it is never suggested there again. */
  async rejectSuggestion(target: Target, detector: string): Promise<boolean> {
    return this.change([target], (data, [key]) => rejectSuggestion(data, key as string, detector), 'predictions');
  }

  async setNote(target: Target, on: Section, note: string): Promise<boolean> {
    return this.change([target], (data, [key]) => setNote(data, on, key as string, note), on);
  }

  async setVerdict(target: Target, verdict: VerdictOverride | undefined): Promise<boolean> {
    return this.change([target], (data, [key]) => setVerdict(data, key as string, verdict), 'predictions');
  }

  async undo(): Promise<boolean> {
    const changes = this.history.undo() as RootedChange[] | undefined;
    if (!changes) return false;
    return this.applyRooted(changes, 'before');
  }

  async redo(): Promise<boolean> {
    const changes = this.history.redo() as RootedChange[] | undefined;
    if (!changes) return false;
    return this.applyRooted(changes, 'after');
  }

  get canUndo(): boolean {
    return this.history.canUndo;
  }

  get canRedo(): boolean {
    return this.history.canRedo;
  }

  /** Makes the changes per results folder, saves them, records them for undo. */
  private async change(
    targets: readonly Target[],
    make: (data: Annotations, keys: string[]) => ItemChange[],
    on: Section,
    newTag?: string,
  ): Promise<boolean> {
    const byRoot = new Map<string, string[]>();
    for (const t of targets) {
      const key = on === 'predictions' ? t.predictionKey : t.questionKey;
      const keys = byRoot.get(t.root) ?? [];
      if (!keys.includes(key)) keys.push(key);
      byRoot.set(t.root, keys);
    }
    const all: RootedChange[] = [];
    let vocabulary = false;
    for (const [root, keys] of byRoot) {
      const store = this.writable(root);
      if (!store) return false;
      const changes = make(store.data as Annotations, keys);
      const custom = newTag && !annotationsConfig().tags.includes(newTag) && !store.data.tags.includes(newTag);
      if (!changes.length && !custom) continue;
      const now = new Date().toISOString();
      if (
        !this.save(root, store, (d) => {
          applyChanges(d, changes, 'after', now);
          if (custom) d.tags = normTags([...d.tags, newTag]);
        })
      )
        return false;
      all.push(...changes.map((c) => ({ ...c, root })));
      vocabulary ||= !!custom;
    }
    this.history.record(all);
    // A new tag joins the vocabulary: every prediction's tag bar changes, not only the items'.
    await this.push(vocabulary ? undefined : all);
    return true;
  }

  private async applyRooted(changes: RootedChange[], side: 'before' | 'after'): Promise<boolean> {
    const now = new Date().toISOString();
    for (const root of new Set(changes.map((c) => c.root))) {
      const store = this.writable(root);
      if (!store) return false;
      this.save(root, store, (d) =>
        applyChanges(
          d,
          changes.filter((c) => c.root === root),
          side,
          now,
        ),
      );
    }
    await this.push(changes);
    return true;
  }

  private writable(root: string): AnnotationStore | null {
    const store = this.stores.get(root);
    if (!store) {
      void vscode.window.showErrorMessage(
        `VLM4D: ${root} is not an indexed results folder; its annotations cannot be changed.`,
      );
      return null;
    }
    if (store.state.kind === 'broken') {
      this.reportState(root, store, true);
      return null;
    }
    return store;
  }

  /** Runs an edit; a failed write is reported and the edit stays in memory (saved on the next change). */
  private save(root: string, store: AnnotationStore, edit: (d: Annotations) => void): boolean {
    try {
      const out = store.edit(edit);
      this.reportConflicts(store.file, out.conflicts);
      if (store.state.kind === 'broken') {
        this.reportState(root, store, true);
        return false;
      }
      return true;
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      this.log.line(`Could not save ${store.file}: ${msg}`);
      void vscode.window.showErrorMessage(
        `VLM4D: could not save ${store.file} (${msg}). Your change is kept in this window and saved with the next one.`,
      );
      return store.state.kind !== 'broken';
    }
  }

  /** Gives the index every folder's annotations, and reports keys that match no loaded prediction. */
  private async push(edits?: readonly ItemChange[]): Promise<void> {
    const sources = [...this.stores]
      .filter(([, s]) => s.state.kind === 'ok' || s.unsaved)
      .map(([root, s]) => ({ root, data: s.data as Annotations }));
    try {
      this.orphans = await this.index.call('setAnnotations', { sources });
      await this.index.refreshCounts();
    } catch {
      // No index yet: the annotations go over it once it exists (syncRoots runs when indexing ends).
    }
    const n = this.orphans.length;
    if (n)
      this.log.line(
        `${n} annotation(s) refer to predictions or questions not in the loaded results; they are kept in their files: ${this.orphans
          .slice(0, 5)
          .map((o) => o.key)
          .join(', ')}${n > 5 ? ', …' : ''}`,
      );
    this.changeEmitter.fire(edits);
  }

  private watch(): void {
    for (const w of this.watchers) w.dispose();
    this.watchers = [];
    for (const [root, store] of this.stores) {
      // From the file's own folder: a user-level setting may put it outside the results folder.
      const w = vscode.workspace.createFileSystemWatcher(
        new vscode.RelativePattern(vscode.Uri.file(path.dirname(store.file)), path.basename(store.file)),
      );
      const changed = () => void this.fromDisk(root);
      w.onDidChange(changed);
      w.onDidCreate(changed);
      w.onDidDelete(changed);
      this.watchers.push(w);
    }
  }

  /** The file changed outside this window: merge it in (and write back edits it lacks). */
  async fromDisk(root: string): Promise<void> {
    const store = this.stores.get(root);
    if (!store) return;
    const wasBroken = store.state.kind === 'broken';
    try {
      const out = store.save();
      this.reportConflicts(store.file, out.conflicts);
      if (store.state.kind === 'broken') this.reportState(root, store);
      else if (wasBroken) {
        this.reportedBroken.delete(store.file);
        this.log.line(`${store.file} can be read again; tagging is back on for ${root}`);
      }
      if (out.changed || wasBroken !== (store.state.kind === 'broken')) await this.push();
    } catch (e) {
      this.log.line(`Could not merge ${store.file}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  /** Moves an unreadable annotations file aside and starts a new one (asks first). */
  async reset(root?: string): Promise<void> {
    const broken = [...this.stores].filter(([r, s]) => s.state.kind === 'broken' && (!root || r === root));
    for (const [r, store] of broken) {
      // Only a file this extension wrote is moved aside (core/annotations/diskFile.ts, resetRefusal).
      const refused = store.resetRefusal();
      if (refused) {
        this.log.line(`Reset: ${refused}`);
        void vscode.window.showErrorMessage(`VLM4D: ${refused}.`);
        continue;
      }
      const ok = 'Move Aside and Start New';
      const answer = await vscode.window.showWarningMessage(
        `VLM4D: ${store.file} cannot be read. Move it aside (it is kept, renamed) and start a new annotations file for ${r}?`,
        { modal: true },
        ok,
      );
      if (answer !== ok) continue;
      try {
        const aside = store.reset();
        this.reportedBroken.delete(store.file);
        this.log.line(`Moved ${store.file} to ${aside}; a new annotations file was started`);
      } catch (e) {
        const msg = e instanceof Error ? e.message : String(e);
        this.log.line(`Reset of ${store.file} failed: ${msg}`);
        void vscode.window.showErrorMessage(`VLM4D: ${store.file} was not reset (${msg}).`);
      }
    }
    await this.push();
  }

  private reportState(root: string, store: AnnotationStore, always = false): void {
    if (store.state.kind !== 'broken') return;
    if (!always && this.reportedBroken.has(store.file)) return;
    this.reportedBroken.add(store.file);
    const msg = `VLM4D: ${store.file} cannot be read (${store.state.reason}). It is left untouched, and tagging is off for ${root} until it is fixed or reset.`;
    this.log.line(msg);
    void vscode.window.showErrorMessage(msg, 'Open File', 'Reset…').then((a) => {
      if (a === 'Open File') void vscode.window.showTextDocument(vscode.Uri.file(store.file));
      if (a === 'Reset…') void this.reset(root);
    });
  }

  private reportConflicts(file: string, conflicts: MergeConflict[]): void {
    if (!conflicts.length) return;
    for (const c of conflicts) this.log.line(`Merged ${file}: ${c.section} ${c.key} ${c.field}: ${c.resolution}`);
    void vscode.window.showWarningMessage(
      `VLM4D: ${conflicts.length} annotation(s) were edited both here and on disk (${path.basename(file)}); both edits were merged as the output channel says.`,
    );
  }

  dispose(): void {
    for (const d of [...this.watchers, ...this.disposables]) d.dispose();
  }
}

function isInside(file: string, root: string): boolean {
  const rel = path.relative(root, file);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

// The annotations file and the disk: temporary files of killed writers, read-only files, what Reset may move
// aside, and where a workspace setting may put the file.
import * as assert from 'node:assert/strict';
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { TEMP_STALE_MS, WriteRefusedError } from '../../src/core/annotations/diskFile';
import { parseAnnotations } from '../../src/core/annotations/format';
import { DEFAULT_ANNOTATIONS_FILE, resolveAnnotationsFile } from '../../src/core/annotations/location';
import { AnnotationStore } from '../../src/core/annotations/store';
import { tempDir } from '../support/fixtures';

const P1 = 'real/cot/gpt-4o_8frame/validation_12';

const addTag =
  (t: string) => (d: { predictions: Record<string, { tags: string[]; note: string; updated: string }> }) => {
    const it = (d.predictions[P1] ??= { tags: [], note: '', updated: '' });
    it.tags = [...it.tags, t];
  };

/** The pid of a process that has exited (and been reaped): no writer is alive under it. */
async function deadPid(): Promise<number> {
  const c = spawn(process.execPath, ['-e', '']);
  await new Promise((r) => c.on('exit', r));
  return c.pid as number;
}

describe('annotations on disk', () => {
  it('removes temporary files of writers that are gone on the next save, and no others', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'annotations.json');
    const live = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1e6)']);
    try {
      const dead = await deadPid();
      const names = {
        deadWriter: `.annotations.json.${dead}.0badc0de.tmp`,
        liveWriter: `.annotations.json.${live.pid}.0badc0de.tmp`,
        liveButAncient: `.annotations.json.${live.pid}.5ca1ab1e.tmp`,
        otherFile: `.other.json.${dead}.0badc0de.tmp`,
        notThePattern: `annotations.json.${dead}.tmp`,
        userFile: `.annotations.json.${dead}.0badc0de.tmp.keep`,
      };
      for (const n of Object.values(names)) fs.writeFileSync(path.join(dir, n), '{"half": ');
      const old = (Date.now() - TEMP_STALE_MS - 60_000) / 1000;
      fs.utimesSync(path.join(dir, names.liveButAncient), old, old);
      const store = new AnnotationStore(file);
      store.load();
      assert.equal(fs.readdirSync(dir).length, 6, 'reading alone removes nothing');
      store.edit(addTag('counting-error'));
      const left = fs.readdirSync(dir).sort();
      assert.deepEqual(
        left,
        ['annotations.json', names.liveWriter, names.otherFile, names.notThePattern, names.userFile].sort(),
      );
    } finally {
      live.kill('SIGKILL');
    }
  });

  it('refuses to replace a read-only annotations file, keeps the edit in memory, and saves once it is writable', () => {
    const dir = tempDir();
    const file = path.join(dir, 'annotations.json');
    const store = new AnnotationStore(file);
    store.load();
    store.edit(addTag('counting-error'));
    const before = fs.readFileSync(file, 'utf8');
    fs.chmodSync(file, 0o444);
    assert.throws(
      () => store.edit(addTag('judge-error')),
      (e: unknown) => e instanceof WriteRefusedError && /annotations\.json is read-only \(mode 444/.test(e.message),
    );
    assert.equal(fs.readFileSync(file, 'utf8'), before, 'the read-only file is untouched');
    assert.equal(fs.statSync(file).mode & 0o777, 0o444);
    assert.ok(store.unsaved);
    assert.deepEqual(store.data.predictions[P1]?.tags, ['counting-error', 'judge-error']);
    fs.chmodSync(file, 0o644);
    store.save();
    assert.ok(!store.unsaved);
    const disk = parseAnnotations(fs.readFileSync(file, 'utf8'));
    assert.ok(disk.ok && disk.data.predictions[P1]?.tags.includes('judge-error'));
  });

  describe('Reset', () => {
    const brokenStore = (file: string, text: string) => {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, text);
      const store = new AnnotationStore(file);
      store.load();
      assert.equal(store.state.kind, 'broken');
      return store;
    };

    it('leaves a file that is not an annotations file as it is (a JSON syntax error in someone else’s file), and says why', () => {
      const dir = tempDir();
      const file = path.join(dir, 'settings.json');
      const text = '{\n  "editor.fontSize": 14,\n  oops\n}\n';
      const store = brokenStore(file, text);
      assert.match(
        store.resetRefusal() ?? '',
        /settings\.json does not look like an annotations file \(no "format": "vlm4d-annotations" in its first 4 KB, and it is not in a \.vlm4d folder\), so Reset leaves it as it is/,
      );
      assert.throws(() => store.reset(), WriteRefusedError);
      assert.equal(fs.readFileSync(file, 'utf8'), text);
      assert.deepEqual(fs.readdirSync(dir), ['settings.json'], 'nothing moved aside, nothing written');
      assert.equal(store.state.kind, 'broken', 'tagging stays off');
      const profile = brokenStore(path.join(dir, '.profile'), 'export PATH="$HOME/bin:$PATH"\n');
      assert.ok(profile.resetRefusal());
      assert.throws(() => profile.reset(), WriteRefusedError);
      assert.equal(fs.readFileSync(path.join(dir, '.profile'), 'utf8'), 'export PATH="$HOME/bin:$PATH"\n');
    });

    it('moves aside a broken file that carries the format marker, wherever it is', () => {
      const dir = tempDir();
      const file = path.join(dir, 'notes', 'team-annotations.json');
      const text = '{\n  "format": "vlm4d-annotations",\n  "version": 1,\n<<<<<<< HEAD\n';
      const store = brokenStore(file, text);
      assert.equal(store.resetRefusal(), null);
      const aside = store.reset(new Date('2026-11-28T12:00:00Z'));
      assert.ok(aside);
      assert.equal(fs.readFileSync(aside, 'utf8'), text);
      assert.ok(parseAnnotations(fs.readFileSync(file, 'utf8')).ok);
    });
  });

  describe('where the annotations file may be (vlm4d.annotationsFile)', () => {
    const setup = () => {
      const ws = fs.realpathSync(tempDir());
      const root = path.join(ws, 'results');
      fs.mkdirSync(root);
      const elsewhere = fs.realpathSync(tempDir());
      return { ws, root, elsewhere, fallback: path.join(root, DEFAULT_ANNOTATIONS_FILE) };
    };

    it('takes a relative or absolute workspace value that stays inside the folder or the workspace', () => {
      const { ws, root } = setup();
      assert.deepEqual(
        resolveAnnotationsFile({ root, value: 'notes/a.json', level: 'workspace', workspaceFolders: [ws] }),
        { file: path.join(root, 'notes', 'a.json') },
      );
      assert.deepEqual(
        resolveAnnotationsFile({ root, value: '../shared/a.json', level: 'workspace', workspaceFolders: [ws] }),
        { file: path.join(ws, 'shared', 'a.json') },
      );
      assert.deepEqual(
        resolveAnnotationsFile({ root, value: path.join(ws, 'x.json'), level: 'workspace', workspaceFolders: [ws] }),
        { file: path.join(ws, 'x.json') },
      );
      assert.deepEqual(resolveAnnotationsFile({ root, value: undefined, level: 'default', workspaceFolders: [ws] }), {
        file: path.join(root, DEFAULT_ANNOTATIONS_FILE),
      });
    });

    it('refuses a workspace value with an absolute path elsewhere, naming the setting and the folder, and falls back to the default', () => {
      const { ws, root, elsewhere, fallback } = setup();
      const target = path.join(elsewhere, 'made-by-a-repo', 'a.json');
      const r = resolveAnnotationsFile({ root, value: target, level: 'workspace', workspaceFolders: [ws] });
      assert.equal(r.file, fallback);
      assert.match(
        r.refused ?? '',
        /^vlm4d\.annotationsFile is set in the workspace settings to ".*made-by-a-repo\/a\.json"/,
      );
      assert.ok(r.refused?.includes(`outside ${root} and the workspace folder (${ws})`));
      assert.ok(r.refused?.includes(`Using ${fallback} instead`));
      assert.ok(!fs.existsSync(path.join(elsewhere, 'made-by-a-repo')), 'deciding creates nothing');
    });

    it('refuses ../ escapes out of the workspace', () => {
      const { ws, root, fallback } = setup();
      const r = resolveAnnotationsFile({
        root,
        value: '../../../../../../../../etc/profile',
        level: 'workspace',
        workspaceFolders: [ws],
      });
      assert.equal(r.file, fallback);
      assert.match(r.refused ?? '', /resolves to \/etc\/profile: outside/);
    });

    it('refuses a path through a symlink inside the folder that points out of it', () => {
      const { ws, root, elsewhere, fallback } = setup();
      fs.symlinkSync(elsewhere, path.join(root, 'linked'));
      const r = resolveAnnotationsFile({ root, value: 'linked/a.json', level: 'workspace', workspaceFolders: [ws] });
      assert.equal(r.file, fallback);
      assert.ok(r.refused?.includes(`a symlink leads it to ${path.join(elsewhere, 'a.json')}`), r.refused);
      // The file itself a symlink out (to an existing file elsewhere) is refused too.
      fs.writeFileSync(path.join(elsewhere, 'rc'), 'export X=1\n');
      fs.symlinkSync(path.join(elsewhere, 'rc'), path.join(root, 'rc.json'));
      assert.equal(
        resolveAnnotationsFile({ root, value: 'rc.json', level: 'workspace', workspaceFolders: [ws] }).file,
        fallback,
      );
    });

    it('lets a user-level value point anywhere', () => {
      const { ws, root, elsewhere } = setup();
      const target = path.join(elsewhere, 'my-annotations', 'a.json');
      assert.deepEqual(resolveAnnotationsFile({ root, value: target, level: 'user', workspaceFolders: [ws] }), {
        file: target,
      });
    });

    it('writes nothing when a symlinked .vlm4d folder leads the default location out', () => {
      const { ws, root, elsewhere } = setup();
      fs.symlinkSync(elsewhere, path.join(root, '.vlm4d'));
      const r = resolveAnnotationsFile({ root, value: undefined, level: 'default', workspaceFolders: [ws] });
      assert.equal(r.file, null);
      assert.match(r.refused ?? '', /^The default annotations file .* leads outside .*a symlink leads it to/);
    });
  });
});

import * as assert from 'node:assert/strict';
import type * as vscode from 'vscode';
import type { CommandRunner, WebviewPort } from '../../src/host/webviewHost';
import { ANNOTATION_COMMANDS, WebviewChannel, annotationCommand } from '../../src/host/webviewHost';
import { waitFor } from '../../src/host/waitFor';

/** A tiny stand-in for vscode.EventEmitter (the channel only subscribes and disposes). */
class Emitter<T> {
  private listeners: ((e: T) => unknown)[] = [];
  readonly event: vscode.Event<T> = (listener: (e: T) => unknown) => {
    this.listeners.push(listener);
    return { dispose: () => (this.listeners = this.listeners.filter((l) => l !== listener)) };
  };
  fire(e: T): void {
    for (const l of [...this.listeners]) l(e);
  }
  get count(): number {
    return this.listeners.length;
  }
}

/** A webview whose page's messages the test sends and whose deliveries it records. */
class FakeWebview implements WebviewPort {
  readonly delivered: unknown[] = [];
  readonly fromPage = new Emitter<unknown>();
  readonly onDidReceiveMessage = this.fromPage.event;
  postMessage(message: unknown): Thenable<boolean> {
    this.delivered.push(message);
    return Promise.resolve(true);
  }
}

type Out = { type: 'n'; n: number };
type In =
  | { type: 'ready' }
  | { type: 'ping'; n: number }
  | { type: 'undo' }
  | { type: 'redo' }
  | { type: 'tagPalette'; id: number | null };

function parse(raw: unknown): In | null {
  const m = raw as { type?: unknown; n?: unknown; id?: unknown } | null;
  if (typeof m !== 'object' || m === null) return null;
  if (m.type === 'ready' || m.type === 'undo' || m.type === 'redo') return { type: m.type };
  if (m.type === 'ping' && typeof m.n === 'number') return { type: 'ping', n: m.n };
  if (m.type === 'tagPalette' && (m.id === null || typeof m.id === 'number')) return { type: 'tagPalette', id: m.id };
  return null;
}

/** Lets the channel's async receive run. */
const settle = () => new Promise((r) => setImmediate(r));

function setup(opts: { onReady?: (c: WebviewChannel<Out, In>) => void; commands?: CommandRunner } = {}) {
  const received: In[] = [];
  const logged: string[] = [];
  const channel: WebviewChannel<Out, In> = new WebviewChannel<Out, In>({
    name: 'the test view',
    parse,
    receive: (m) => {
      received.push(m);
      if (m.type === 'ready') opts.onReady?.(channel);
    },
    log: { line: (t) => logged.push(t) },
    ...(opts.commands
      ? {
          commands: opts.commands,
          paletteTarget: (m: Extract<In, { type: 'tagPalette' }>) => (m.id === null ? undefined : { ids: [m.id] }),
        }
      : {}),
  });
  return { channel, received, logged };
}

const n = (i: number): Out => ({ type: 'n', n: i });

describe('WebviewChannel (one host base for every webview)', () => {
  it('holds what is posted before the page is ready and delivers it in order at `ready`, before what `ready` itself posts', async () => {
    const { channel } = setup({ onReady: (c) => c.post(n(99)) });
    const web = new FakeWebview();
    channel.attach(web);
    for (let i = 0; i < 5; i++) channel.post(n(i));
    assert.deepEqual(web.delivered, [], 'nothing reaches a page that is still loading');
    assert.equal(channel.isReady, false);
    web.fromPage.fire({ type: 'ready' });
    await settle();
    assert.equal(channel.isReady, true);
    assert.deepEqual(web.delivered, [0, 1, 2, 3, 4, 99].map(n));
    channel.post(n(5));
    assert.deepEqual(web.delivered.at(-1), n(5), 'once ready, a message goes at once');
  });

  it('a new page does not get what was held for the old one, and must say `ready` again', async () => {
    const { channel } = setup();
    const web = new FakeWebview();
    channel.attach(web);
    web.fromPage.fire({ type: 'ready' });
    await settle();
    channel.newPage();
    channel.post(n(1));
    channel.newPage();
    channel.post(n(2));
    assert.deepEqual(web.delivered, []);
    web.fromPage.fire({ type: 'ready' });
    await settle();
    assert.deepEqual(web.delivered, [n(2)]);
  });

  it('drops what is posted with no webview, and ignores a replaced webview', async () => {
    const { channel, received } = setup();
    channel.post(n(0));
    const first = new FakeWebview();
    channel.attach(first);
    const second = new FakeWebview();
    channel.attach(second);
    assert.equal(first.fromPage.count, 0, 'the old webview is no longer listened to');
    first.fromPage.fire({ type: 'ready' });
    second.fromPage.fire({ type: 'ping', n: 1 });
    await settle();
    assert.deepEqual(received, [{ type: 'ping', n: 1 }]);
    assert.equal(channel.isReady, false, "the old page's `ready` does not make the new one ready");
    second.fromPage.fire({ type: 'ready' });
    await settle();
    assert.deepEqual(second.delivered, [], 'a message posted before any webview existed is not delivered later');
    channel.detach(first);
    assert.equal(channel.isReady, true, 'detaching a webview that is no longer attached changes nothing');
    channel.detach(second);
    channel.post(n(3));
    assert.deepEqual(second.delivered, []);
    assert.equal(second.fromPage.count, 0);
  });

  it('passes on only valid messages; a malformed one is logged (once per hundred) and never acted upon', async () => {
    const { channel, received, logged } = setup();
    const web = new FakeWebview();
    channel.attach(web);
    for (let i = 0; i < 150; i++) web.fromPage.fire({ type: 'ping', n: 'x' });
    web.fromPage.fire(null);
    web.fromPage.fire({ type: 'ping', n: 7 });
    await settle();
    assert.deepEqual(received, [{ type: 'ping', n: 7 }]);
    assert.equal(logged.length, 2);
    assert.match(logged[0] ?? '', /^Ignored a malformed message from the test view: \{"type":"ping","n":"x"\}/);
  });

  it('forwards undo, redo and the tag palette to their commands, with the palette target the view gives', async () => {
    const ran: unknown[][] = [];
    const { channel, received } = setup({
      commands: { executeCommand: (c, ...rest) => (ran.push([c, ...rest]), Promise.resolve()) },
    });
    const web = new FakeWebview();
    channel.attach(web);
    for (const m of [
      { type: 'undo' },
      { type: 'redo' },
      { type: 'tagPalette', id: 4 },
      { type: 'tagPalette', id: null },
    ])
      web.fromPage.fire(m);
    await settle();
    assert.deepEqual(ran, [
      [ANNOTATION_COMMANDS.undo],
      [ANNOTATION_COMMANDS.redo],
      [ANNOTATION_COMMANDS.tagPalette, { ids: [4] }],
      [ANNOTATION_COMMANDS.tagPalette],
    ]);
    assert.deepEqual(received, [], 'the view itself is not asked');
    assert.equal(annotationCommand({ type: 'ping' }), null);
    assert.equal(annotationCommand({ type: 'toString' }), null, 'only its own names, not inherited properties');
  });

  it('whenReady: true at once when ready, true when the page becomes ready, false after the timeout', async () => {
    const { channel } = setup();
    const web = new FakeWebview();
    assert.equal(await channel.whenReady(5), false, 'no webview at all');
    channel.attach(web);
    const waiting = channel.whenReady(60_000);
    web.fromPage.fire({ type: 'ready' });
    assert.equal(await waiting, true);
    assert.equal(await channel.whenReady(0), true);
  });
});

describe('waitFor (an event-driven wait)', () => {
  it('resolves at the event that makes the condition hold, and no sooner', async () => {
    const changes = new Emitter<number>();
    let value = 0;
    let result: boolean | undefined;
    const waiting = waitFor(changes.event, () => value === 2, 60_000).then((r) => (result = r));
    value = 1;
    changes.fire(1);
    await settle();
    assert.equal(result, undefined);
    value = 2;
    changes.fire(2);
    await waiting;
    assert.equal(result, true);
    assert.equal(changes.count, 0, 'it stops listening');
  });

  it('resolves true at once when the condition holds, false when cancelled or timed out', async () => {
    const changes = new Emitter<void>();
    const cancel = new Emitter<void>();
    assert.equal(await waitFor(changes.event, () => true, 60_000), true);
    const cancelled = waitFor(changes.event, () => false, 60_000, cancel.event);
    cancel.fire();
    assert.equal(await cancelled, false);
    assert.equal(await waitFor(changes.event, () => false, 5), false);
    assert.equal(changes.count + cancel.count, 0);
  });
});

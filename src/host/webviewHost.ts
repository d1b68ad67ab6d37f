// What the side panel, the detail view and the dashboard share on the host: one channel to a webview page.
// A page can take messages only once its script runs and says `ready`; until then the channel holds what the
// host posts and delivers it, in order, right after `ready` (a message is never dropped because the page was
// still loading). A new page (new HTML, or a new webview) starts a new queue: what was held for the old page
// does not concern it. Every message from the page is checked by the view's validator before the host acts
// on it; a malformed one is logged (once in a while) and ignored. Undo, redo and the tag palette are the
// workbench's commands, forwarded the same way from every page.
// Only types come from 'vscode', so the channel runs in plain Node under the unit tests.
import type * as vscode from 'vscode';

/** The part of a vscode.Webview the channel uses. */
export interface WebviewPort {
  postMessage(message: unknown): Thenable<boolean>;
  readonly onDidReceiveMessage: vscode.Event<unknown>;
}

/** Runs a workbench command (vscode.commands in the extension). */
export interface CommandRunner {
  executeCommand(command: string, ...rest: unknown[]): Thenable<unknown>;
}

/** The messages every page may send for the annotation commands. */
export type AnnotationCommandMessage = { type: 'undo' } | { type: 'redo' } | { type: 'tagPalette' };

export const ANNOTATION_COMMANDS: Record<AnnotationCommandMessage['type'], string> = {
  undo: 'vlm4d.undoAnnotation',
  redo: 'vlm4d.redoAnnotation',
  tagPalette: 'vlm4d.tagPalette',
};

export interface ChannelOptions<In extends { type: string }> {
  /** The page's name in log lines, e.g. `the failures view`. */
  name: string;
  /** The view's validator: the message rebuilt from checked fields, or null. */
  parse(raw: unknown): In | null;
  /** Acts on a valid message from the page (`ready` included, after the held messages were delivered). */
  receive(m: In): Promise<void> | void;
  log: { line(text: string): void };
  /** Where the annotation commands go; without it, those messages reach `receive` like any other. */
  commands?: CommandRunner;
  /** The tag palette's argument for a `tagPalette` message (the page's selection or list), if any. */
  paletteTarget?(m: Extract<In, { type: 'tagPalette' }>): unknown;
}

/** Malformed messages are logged once per this many (a page stuck in a loop must not flood the log). */
const REJECTED_LOG_EVERY = 100;

export class WebviewChannel<Out, In extends { type: string }> {
  private port: WebviewPort | undefined;
  private subscription: vscode.Disposable | undefined;
  private ready = false;
  private held: Out[] = [];
  private waiters: (() => void)[] = [];
  private rejected = 0;

  constructor(private readonly options: ChannelOptions<In>) {}

  /** Whether the page in the webview has said `ready` (and so gets messages as they are posted). */
  get isReady(): boolean {
    return this.ready;
  }

  /** Talks to `port` from now on; its page is a new one, not ready yet. */
  attach(port: WebviewPort): void {
    if (this.port !== port) {
      this.subscription?.dispose();
      this.port = port;
      this.subscription = port.onDidReceiveMessage((raw) => void this.onMessage(port, raw));
    }
    this.newPage();
  }

  /** The webview was given a new page: it must say `ready` again, and nothing held for the old one is sent. */
  newPage(): void {
    this.ready = false;
    this.held = [];
  }

  /** The webview is gone (when `port` is given: only if it is still the one attached). */
  detach(port?: WebviewPort): void {
    if (port && port !== this.port) return;
    this.subscription?.dispose();
    this.subscription = undefined;
    this.port = undefined;
    this.newPage();
  }

  /**
   * Sends `m` to the page, or holds it until the page is ready. With no webview at all it is dropped: a page
   * created later asks for what it needs when it says `ready`.
   */
  post(m: Out): void {
    if (!this.port) return;
    if (this.ready) void this.port.postMessage(m);
    else this.held.push(m);
  }

  /**
   * Resolves true once a page is attached and ready (at once if it is), false after `timeoutMs` without one.
   */
  whenReady(timeoutMs: number): Promise<boolean> {
    if (this.port && this.ready) return Promise.resolve(true);
    return new Promise((resolve) => {
      const done = (ok: boolean) => {
        clearTimeout(timer);
        this.waiters = this.waiters.filter((w) => w !== onReady);
        resolve(ok);
      };
      const onReady = () => done(true);
      const timer = setTimeout(() => done(false), timeoutMs);
      this.waiters.push(onReady);
    });
  }

  private async onMessage(port: WebviewPort, raw: unknown): Promise<void> {
    // A message still on its way from a webview that was replaced.
    if (port !== this.port) return;
    const m = this.options.parse(raw);
    if (!m) {
      // A bug in the page, or something injected: never acted upon.
      if (this.rejected++ % REJECTED_LOG_EVERY === 0)
        this.options.log.line(
          `Ignored a malformed message from ${this.options.name}: ${JSON.stringify(raw)?.slice(0, 200)}`,
        );
      return;
    }
    if (m.type === 'ready') this.markReady(port);
    const command = this.options.commands && annotationCommand(m);
    if (command && this.options.commands) {
      const target =
        m.type === 'tagPalette' ? this.options.paletteTarget?.(m as Extract<In, { type: 'tagPalette' }>) : undefined;
      await (target === undefined
        ? this.options.commands.executeCommand(command)
        : this.options.commands.executeCommand(command, target));
      return;
    }
    await this.options.receive(m);
  }

  private markReady(port: WebviewPort): void {
    this.ready = true;
    const held = this.held;
    this.held = [];
    for (const m of held) void port.postMessage(m);
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }
}

/** The workbench command a page's message stands for, if it is one of the annotation commands. */
export function annotationCommand(m: { type: string }): string | null {
  return Object.prototype.hasOwnProperty.call(ANNOTATION_COMMANDS, m.type)
    ? ANNOTATION_COMMANDS[m.type as AnnotationCommandMessage['type']]
    : null;
}

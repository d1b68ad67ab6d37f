// The host side of the panel, faked: what the view posts arrives here through the fake acquireVsCodeApi
// and is checked with the same validator the real host uses; replies are posted into the page as VS Code
// delivers them (a `message` event on window).
import type { Page } from 'playwright-core';
import type { HostToView, ViewToHost } from '../../src/protocol/failuresView';
import { parseViewMessage } from '../../src/protocol/failuresValidate';
import type { DataSource } from './data';

export type QueryMessage = Extract<ViewToHost, { type: 'query' }>;

export class FakeHost {
  readonly received: ViewToHost[] = [];
  /** Messages the validator refused: always a bug in the view. */
  readonly rejected: unknown[] = [];
  /** Answer every query at once from `source`; off, the test answers (or not) itself. */
  autoReply = true;
  private waiters: (() => void)[] = [];

  constructor(
    private readonly page: Page,
    public source: DataSource,
  ) {}

  /** Must run before the page loads. */
  async attach(): Promise<void> {
    await this.page.exposeFunction('__toHost', (raw: unknown) => this.receive(raw));
  }

  private receive(raw: unknown): void {
    const m = parseViewMessage(raw);
    if (!m) {
      this.rejected.push(raw);
      return;
    }
    this.received.push(m);
    if (m.type === 'query' && this.autoReply) void this.answer(m).catch(() => undefined);
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  async answer(m: QueryMessage): Promise<void> {
    await this.send({ type: 'results', requestId: m.requestId, query: m.query, result: this.source.query(m.query) });
  }

  async send(m: HostToView): Promise<void> {
    await this.page.evaluate((msg) => window.postMessage(msg, '*'), m);
  }

  /** Position in `received`: wait for messages after it. */
  mark(): number {
    return this.received.length;
  }

  queries(from = 0): QueryMessage[] {
    return this.received.slice(from).filter((m): m is QueryMessage => m.type === 'query');
  }

  /** The first message after `from` that satisfies `pred`. */
  async waitFor<T extends ViewToHost = ViewToHost>(
    pred: (m: ViewToHost) => boolean,
    from = 0,
    timeoutMs = 5_000,
    what = 'a message',
  ): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const hit = this.received.slice(from).find(pred);
      if (hit) return hit as T;
      const left = deadline - Date.now();
      if (left <= 0)
        throw new Error(
          `timed out waiting for ${what}; received since: ${JSON.stringify(this.received.slice(from)).slice(0, 1500)}`,
        );
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }
}

// The UI bridge, seen from an integration test. Tests run inside the extension host and cannot drive the
// browser the workbench lives in; under the code-server runner (test/runners/codeServer.ts) a tiny HTTP
// server on 127.0.0.1 does it for them with Playwright. Its URL arrives in $VLM4D_UI_BRIDGE (code-server's
// environment, inherited by the extension host). Under @vscode/test-electron there is no bridge: tests check
// bridgeAvailable() and call this.skip(). No dependency beyond Node.
import * as http from 'node:http';

/** The environment variable holding the bridge's URL (http://127.0.0.1:<port>/<token>). */
export const BRIDGE_ENV = 'VLM4D_UI_BRIDGE';

/**
 * What to act on. `selector` is a Playwright selector: CSS (`.statusbar-item`), or `text=…`, `role=…`, and
 * `:has-text("…")` inside CSS. `text` instead finds an element by its visible text (substring unless `exact`).
 * `webview` acts inside a webview's content instead of the workbench: a number picks the n-th ready webview
 * (0 = the first, in page order), a string is a selector for its outer iframe, e.g.
 * `iframe.webview.ready[src*="purpose=webviewView"]` for webview views, or `title:<the content's <title>>` to
 * find it by its page title (robust when VS Code re-creates a webview's frame).
 */
export interface Locate {
  selector?: string;
  text?: string;
  exact?: boolean;
  /** Which match, when several (default: the first). */
  nth?: number;
  webview?: number | string;
  /** Playwright's wait for the element, in ms (default 10 000). */
  timeoutMs?: number;
}

/** Every action the runner knows: its arguments and its result. */
export interface BridgeActions {
  click: { args: Locate & { button?: 'left' | 'right' | 'middle'; clickCount?: number }; result: null };
  hover: { args: Locate; result: null };
  fill: { args: Locate & { value: string }; result: null };
  /** The element's innerText. */
  text: { args: Locate; result: string };
  /** How many elements match, now (no waiting). */
  count: { args: Locate; result: number };
  waitFor: { args: Locate & { state?: 'attached' | 'detached' | 'visible' | 'hidden' }; result: null };
  /**
   * Evaluates a JavaScript expression in the page (or a webview). With a selector/text, the expression must be
   * a function, called with the element: `el => el.readyState`. Without, a function is called with `arg`.
   */
  evaluate: { args: Partial<Locate> & { expression: string; arg?: unknown }; result: unknown };
  /** A key or chord on the focused element, Playwright's names: `Escape`, `Control+Shift+P`, `F1`. */
  press: { args: { key: string }; result: null };
  /** Types text into the focused element. */
  type: { args: { text: string }; result: null };
  /** Saves a PNG of the page under test-results/ and returns its path. */
  screenshot: { args: { name: string; fullPage?: boolean }; result: string };
  /** The browser window's title. */
  title: { args: Record<string, never>; result: string };
}
export type BridgeAction = keyof BridgeActions;
export interface BridgeRequest<A extends BridgeAction = BridgeAction> {
  action: A;
  args: BridgeActions[A]['args'];
}
export type BridgeResponse = { ok: true; result: unknown } | { ok: false; error: string };

export function bridgeUrl(): string | undefined {
  return process.env[BRIDGE_ENV] || undefined;
}

/** True under the code-server runner; false under @vscode/test-electron (skip UI steps then). */
export function bridgeAvailable(): boolean {
  return bridgeUrl() !== undefined;
}

/** Runs one action in the browser and returns its result; rejects with the runner's error message. */
export function call<A extends BridgeAction>(
  action: A,
  args: BridgeActions[A]['args'],
): Promise<BridgeActions[A]['result']> {
  const url = bridgeUrl();
  if (!url)
    return Promise.reject(new Error(`no UI bridge (${BRIDGE_ENV} is not set): guard UI steps with bridgeAvailable()`));
  const body = JSON.stringify({ action, args } satisfies BridgeRequest<A>);
  const waitMs = ('timeoutMs' in args && typeof args.timeoutMs === 'number' ? args.timeoutMs : 10_000) + 20_000;
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        timeout: waitMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          let parsed: BridgeResponse;
          try {
            parsed = JSON.parse(Buffer.concat(chunks).toString('utf8')) as BridgeResponse;
          } catch {
            reject(new Error(`UI bridge: HTTP ${res.statusCode}, unreadable answer to ${action}`));
            return;
          }
          if (parsed.ok) resolve(parsed.result as BridgeActions[A]['result']);
          else reject(new Error(`UI bridge ${action}: ${parsed.error}`));
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`UI bridge: no answer to ${action} in ${waitMs} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}

type Target = string | Locate;
const locate = (t: Target): Locate => (typeof t === 'string' ? { selector: t } : t);
/** Escapes text for a `:has-text("…")` selector. */
const quoted = (text: string): string => JSON.stringify(text);

/** The workbench, driven from a test. A string target is a Playwright selector; see Locate for the object form. */
export const ui = {
  click: async (target: Target, opts: Omit<BridgeActions['click']['args'], keyof Locate> = {}): Promise<void> => {
    await call('click', { ...locate(target), ...opts });
  },
  hover: async (target: Target): Promise<void> => {
    await call('hover', locate(target));
  },
  fill: async (target: Target, value: string): Promise<void> => {
    await call('fill', { ...locate(target), value });
  },
  text: (target: Target): Promise<string> => call('text', locate(target)),
  count: (target: Target): Promise<number> => call('count', locate(target)),
  /** Whether something matches now (no waiting): poll it for things that appear later. */
  exists: async (target: Target): Promise<boolean> => (await call('count', locate(target))) > 0,
  waitFor: async (
    target: Target,
    state: BridgeActions['waitFor']['args']['state'] = 'visible',
    timeoutMs?: number,
  ): Promise<void> => {
    await call('waitFor', { ...locate(target), state, ...(timeoutMs === undefined ? {} : { timeoutMs }) });
  },
  evaluate: (expression: string, target?: Target, arg?: unknown): Promise<unknown> =>
    call('evaluate', { ...(target === undefined ? {} : locate(target)), expression, arg }),
  press: async (key: string): Promise<void> => {
    await call('press', { key });
  },
  type: async (text: string): Promise<void> => {
    await call('type', { text });
  },
  screenshot: (name: string, fullPage = false): Promise<string> => call('screenshot', { name, fullPage }),
  title: (): Promise<string> => call('title', {}),

  /** Clicks the status bar item showing `text` (substring of its visible text). */
  clickStatusBarItem: async (text: string): Promise<void> => {
    await call('click', { selector: `.part.statusbar .statusbar-item:has-text(${quoted(text)})` });
  },
  /** The innerText of an element inside a webview (the n-th ready webview, default the first). */
  webviewText: (selector: string, webview: number | string = 0, timeoutMs?: number): Promise<string> =>
    call('text', { selector, webview, ...(timeoutMs === undefined ? {} : { timeoutMs }) }),
  webviewClick: async (selector: string, webview: number | string = 0): Promise<void> => {
    await call('click', { selector, webview });
  },
  /** Evaluates `el => …` on an element inside a webview, e.g. `v => v.readyState` on a `video`. */
  webviewEvaluate: (selector: string, expression: string, webview: number | string = 0): Promise<unknown> =>
    call('evaluate', { selector, expression, webview }),
};

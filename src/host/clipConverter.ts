// The detail view's side of clip conversion (core/clipConversion.ts): which ffmpeg (the user's setting or
// PATH, never a workspace's), where copies are cached (the extension's global storage, outside every
// workspace), and the cancellable progress shown while ffmpeg runs. Only ever started by the user's click.
import * as path from 'path';
import * as vscode from 'vscode';
import type { MediaHost } from '../core/codecs';
import { decodes } from '../core/codecs';
import type { VideoInfo } from '../core/videoProbe';
import { probeMp4 } from '../core/videoProbe';
import { cachedCopy, ConversionCancelled, ConversionError, convertToH264, findFfmpeg } from '../core/clipConversion';
import { config } from './config';
import type { Log } from './log';

export type ConversionResult =
  { ok: true; output: string } | { ok: false; state: 'failed' | 'cancelled'; message: string; detail?: string };

export class ClipConverter {
  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly log: Log,
  ) {}

  /** Where converted copies are kept: a webview may load from here only while it shows one. */
  get cacheDir(): string {
    return path.join(this.context.globalStorageUri.fsPath, 'converted-clips');
  }

  /** Desktop VS Code decodes a known set of codecs; in a browser (code-server) the browser decides. */
  get mediaHost(): MediaHost {
    return vscode.env.uiKind === vscode.UIKind.Web ? 'browser' : 'desktop';
  }

  cached(clip: string): Promise<string | null> {
    return cachedCopy(clip, this.cacheDir);
  }

  async convert(clip: string, durationSeconds: number | null): Promise<ConversionResult> {
    const setting = config.ffmpegPath();
    const ffmpeg = await findFfmpeg(setting);
    if (!ffmpeg)
      return {
        ok: false,
        state: 'failed',
        message: setting
          ? `vlm4d.ffmpegPath (${setting}) is not an executable file.`
          : 'No ffmpeg found on PATH: install ffmpeg, or set vlm4d.ffmpegPath in your user settings.',
      };
    this.log.line(`Converting ${clip} to H.264 with ${ffmpeg}`);
    return vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: `VLM4D: converting ${path.basename(clip)} to H.264`,
        cancellable: true,
      },
      async (progress, token): Promise<ConversionResult> => {
        const abort = new AbortController();
        const cancel = token.onCancellationRequested(() => abort.abort());
        let done = 0;
        try {
          const { output } = await convertToH264({
            input: clip,
            cacheDir: this.cacheDir,
            ffmpeg,
            durationSeconds,
            signal: abort.signal,
            onProgress: (f) => {
              const pct = Math.round(f * 100);
              if (pct > done) progress.report({ increment: pct - done, message: `${pct}%` });
              done = Math.max(done, pct);
            },
          });
          this.log.line(`Converted: ${output}`);
          return { ok: true, output };
        } catch (e) {
          if (e instanceof ConversionCancelled) return { ok: false, state: 'cancelled', message: e.message };
          const detail = e instanceof ConversionError ? e.stderrTail : undefined;
          const message = e instanceof Error ? e.message : String(e);
          this.log.line(`Conversion failed: ${message}${detail ? `\n${detail}` : ''}`);
          return { ok: false, state: 'failed', message, ...(detail ? { detail } : {}) };
        } finally {
          cancel.dispose();
        }
      },
    );
  }
}

/**
 * What the player is given for a local clip: the clip itself, or its converted copy when the editor cannot
 * decode the clip's codec (or a browser may not) and the user converted it before; with the header read from
 * the file that will play, so the frame numbers and ticks are the copy's.
 */
export async function playableClip(
  converter: ClipConverter,
  clip: string,
): Promise<{ location: string; info: VideoInfo | null; decodes?: boolean | null; convertedFrom?: string }> {
  const info = await probeMp4(clip);
  if (!info?.codec) return { location: clip, info };
  const decodable = decodes(info.codec, converter.mediaHost);
  const copy = decodable === true ? null : await converter.cached(clip);
  const copyInfo = copy ? await probeMp4(copy) : null;
  if (copy && copyInfo) return { location: copy, info: copyInfo, decodes: true, convertedFrom: clip };
  return { location: clip, info, decodes: decodable };
}

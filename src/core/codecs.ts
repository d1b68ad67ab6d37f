// Which video codecs the editor's webviews can decode, and what to tell the user about one they cannot.
// Desktop VS Code ships a Chromium media library cut down to royalty-free codecs plus H.264: it decodes H.264
// (avc1/avc3, since 1.72), VP8 and Theora video, and not HEVC, VP9, AV1 or MPEG-4 Part 2 (`mp4v`, what OpenCV
// writes by default); of the audio codecs it lacks AAC, so such a clip plays with its video only (the player is
// muted anyway). In a browser (code-server) the browser decides: the page asks it with canPlayType.
// Shared by the host and the detail view's page, so it imports nothing.

export interface VideoCodec {
  /** The sample entry's four-character code, e.g. `avc1`, `hvc1`, `mp4v`, `vp09`, `av01`. */
  fourcc: string;
  /** The RFC 6381 `codecs` string mp4box derives from the sample entry, e.g. `avc1.64001e`, `hvc1.1.6.L93.90`. */
  codecs: string;
}

/** The codec's usual name by its fourcc (the first part of a `codecs` string). */
const NAMES: Record<string, string> = {
  avc1: 'H.264',
  avc3: 'H.264',
  hvc1: 'HEVC',
  hev1: 'HEVC',
  vp08: 'VP8',
  vp09: 'VP9',
  av01: 'AV1',
  mp4v: 'MPEG-4 Part 2',
  s263: 'H.263',
  mjp2: 'Motion JPEG 2000',
  jpeg: 'Motion JPEG',
  theo: 'Theora',
};

/** What desktop VS Code's webviews decode (by fourcc). */
const DESKTOP_DECODES = new Set(['avc1', 'avc3', 'vp08', 'theo']);

export function codecName(fourcc: string): string {
  return NAMES[fourcc] ?? `the “${fourcc}” codec`;
}

/** Where the page runs: the desktop editor (known codecs) or a browser (code-server, vscode.dev: ask it). */
export type MediaHost = 'desktop' | 'browser';

/**
 * Whether a clip of this codec plays: true or false when known; null when only the browser can say
 * (the page asks it with canPlayType, see `browserDecodes`).
 */
export function decodes(codec: VideoCodec, host: MediaHost): boolean | null {
  return host === 'desktop' ? DESKTOP_DECODES.has(codec.fourcc) : null;
}

/** The browser's answer for a `codecs` string in MP4 ('' means no). */
export function browserDecodes(codec: VideoCodec, canPlayType: (type: string) => string): boolean {
  return canPlayType(`video/mp4; codecs="${codec.codecs.replace(/["\\]/g, '')}"`) !== '';
}

/** Why a clip of `codec` will not play, naming the codec and who cannot decode it. */
export function undecodableMessage(codec: VideoCodec, host: MediaHost): string {
  const n = codecName(codec.fourcc);
  const who = host === 'desktop' ? 'VS Code’s webviews cannot' : 'this browser cannot';
  const what = n.startsWith('the ') ? 'it' : n;
  return `This clip is ${n} (${codec.fourcc}); ${who} decode ${what}.`;
}

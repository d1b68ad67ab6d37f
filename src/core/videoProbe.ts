// Frame rate, frame count and duration of an MP4 clip, read from its header (mp4box parses the boxes), so the
// player can step frame by frame and mark the frames a model was given. Browsers do not expose a frame rate.
// The file is read asynchronously and only in part: the top-level box headers, then the `ftyp` and `moov`
// boxes alone (a few KB to a few MB), never the media data, with a cap on what is read in all. It is opened
// without blocking and checked to be a regular file first: a named pipe or a device is never read.
import * as fs from 'fs';
import { createFile } from 'mp4box';
import type { VideoCodec } from './codecs';
import type { FrameSampling } from './model';
import { sampledFrames } from './sampling';

export interface VideoInfo {
  fps: number;
  frameCount: number;
  durationSeconds: number;
  /** The first video track's codec, as its sample entry names it (absent when mp4box names none). */
  codec?: VideoCodec;
  /** The audio tracks' codecs (`mp4a.40.2` is AAC), for saying what will not be heard. */
  audioCodecs?: string[];
}

/** The most a probe reads of one file, all boxes together; a clip whose header is larger plays without frame numbers. */
export const MAX_PROBE_BYTES = 32 * 1024 * 1024;
/** Top-level boxes looked at before giving up (real files have a handful). */
const MAX_BOXES = 1000;
/** `ftyp` is a few dozen bytes; one larger than this is not an MP4's. */
const MAX_FTYP_BYTES = 4096;

/** Headers read, by path, with the size, mtime and inode they were read at (clips are stepped through with j/k often). */
const probed = new Map<string, { size: number; mtimeMs: number; ino: number; info: VideoInfo | null }>();
const MAX_PROBED = 500;

/** Opened without blocking: opening a named pipe for reading would otherwise wait for a writer. */
const OPEN_FLAGS = fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0);

/** The first video track's frame count and rate; null when the file is not a regular, readable MP4. */
export async function probeMp4(file: string): Promise<VideoInfo | null> {
  return (await probeMp4File(file)).info;
}

/** probeMp4, and how many bytes it read (to keep the reads bounded: tests check it). */
export async function probeMp4File(file: string): Promise<{ info: VideoInfo | null; bytesRead: number }> {
  let handle: fs.promises.FileHandle | undefined;
  try {
    handle = await fs.promises.open(file, OPEN_FLAGS);
    const stat = await handle.stat();
    if (!stat.isFile()) return { info: null, bytesRead: 0 };
    const known = probed.get(file);
    if (known && known.size === stat.size && known.mtimeMs === stat.mtimeMs && known.ino === stat.ino)
      return { info: known.info, bytesRead: 0 };
    const { header, bytesRead } = await readHeaderBoxes(handle, stat.size);
    const info = header ? probeMp4Bytes(header) : null;
    if (probed.size >= MAX_PROBED) probed.delete(probed.keys().next().value as string);
    probed.set(file, { size: stat.size, mtimeMs: stat.mtimeMs, ino: stat.ino, info });
    return { info, bytesRead };
  } catch {
    return { info: null, bytesRead: 0 };
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

/**
 * The file's `ftyp` and `moov` boxes, one after the other (what mp4box needs to read the tracks), found by
 * walking the top-level box headers; null when there is no `moov` within the caps.
 */
async function readHeaderBoxes(
  handle: fs.promises.FileHandle,
  size: number,
): Promise<{ header: Buffer | null; bytesRead: number }> {
  let bytesRead = 0;
  const read = async (at: number, length: number): Promise<Buffer | null> => {
    if (bytesRead + length > MAX_PROBE_BYTES) return null;
    const buf = Buffer.alloc(length);
    const { bytesRead: n } = await handle.read(buf, 0, length, at);
    bytesRead += n;
    return n === length ? buf : null;
  };
  let ftyp: Buffer | null = null;
  let offset = 0;
  for (let boxes = 0; boxes < MAX_BOXES && offset + 8 <= size; boxes++) {
    const head = await read(offset, Math.min(16, size - offset));
    if (!head || head.length < 8) break;
    const type = head.toString('latin1', 4, 8);
    let boxSize = head.readUInt32BE(0);
    if (boxSize === 1) {
      if (head.length < 16) break;
      boxSize = Number(head.readBigUInt64BE(8));
    } else if (boxSize === 0) boxSize = size - offset;
    if (boxSize < 8 || offset + boxSize > size) break;
    if (type === 'ftyp' && boxSize <= MAX_FTYP_BYTES) ftyp = await read(offset, boxSize);
    else if (type === 'moov') {
      const moov = await read(offset, boxSize);
      if (!moov) break;
      // mp4box reads the tracks from `moov` once it has seen a file type; a file without `ftyp` gets a plain one.
      return { header: Buffer.concat([ftyp ?? PLAIN_FTYP, moov]), bytesRead };
    }
    offset += boxSize;
  }
  return { header: null, bytesRead };
}

/** `ftyp` with brand `isom`, version 0x200, no compatible brands. */
const PLAIN_FTYP = Buffer.from('000000106674797069736f6d00000200', 'hex');

export function probeMp4Bytes(bytes: Uint8Array): VideoInfo | null {
  let found: VideoInfo | null = null;
  const mp4 = createFile();
  mp4.onReady = (info) => {
    const track = info.videoTracks[0];
    if (!track || !track.timescale || !track.nb_samples) return;
    const durationSeconds = track.duration / track.timescale;
    if (!(durationSeconds > 0)) return;
    found = { frameCount: track.nb_samples, durationSeconds, fps: track.nb_samples / durationSeconds };
    const codec = codecOf(track.codec);
    if (codec) found.codec = codec;
    const audio = (info.audioTracks ?? []).map((t) => t.codec).filter((c): c is string => typeof c === 'string');
    if (audio.length) found.audioCodecs = audio;
  };
  mp4.onError = () => undefined;
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer & {
    fileStart: number;
  };
  buffer.fileStart = 0;
  try {
    mp4.appendBuffer(buffer);
    mp4.flush();
  } catch {
    return null;
  }
  return found;
}

/** `avc1.64001e` → { fourcc: 'avc1', codecs: 'avc1.64001e' }; null for anything that is not a codecs string. */
function codecOf(codecs: unknown): VideoCodec | null {
  if (typeof codecs !== 'string' || !/^[A-Za-z0-9 ]{4}(\.[A-Za-z0-9.]*)?$/.test(codecs)) return null;
  return { fourcc: codecs.slice(0, 4), codecs };
}

/** The frames a run was given, over this clip, and a sentence saying how they were derived. */
export function framesGiven(
  sampling: FrameSampling,
  info: VideoInfo | null,
): { frames: number[] | null; note: string } {
  if (!info) return { frames: null, note: 'Frame rate unknown: the frames the model was given cannot be marked.' };
  const frames = sampledFrames(sampling, info.frameCount, info.durationSeconds);
  const over = `${info.frameCount} frames at ${+info.fps.toFixed(3)} fps`;
  switch (sampling.kind) {
    case 'frames':
      return { frames, note: `${sampling.count} frames given: numpy.linspace over the clip's ${over}.` };
    case 'fps':
      return {
        frames,
        note: `${frames?.length ?? 0} frames given (${sampling.fps} fps, at most ${sampling.cap}): numpy.linspace over the clip's ${over}.`,
      };
    case 'unknown':
      return {
        frames: null,
        note: `The run's frame sampling is unknown (not in its file name); the clip has ${over}.`,
      };
  }
}

// The part of mp4box's API the clip probe uses. mp4box declares its own types under package `exports` only,
// which this project's `moduleResolution: node` does not read.
declare module 'mp4box' {
  export interface Mp4VideoTrack {
    nb_samples: number;
    timescale: number;
    duration: number;
    /** The RFC 6381 codecs string of the sample entry, e.g. `avc1.64001e`, `mp4v`. */
    codec: string;
  }
  export interface Mp4AudioTrack {
    codec: string;
  }
  export interface Mp4Info {
    videoTracks: Mp4VideoTrack[];
    audioTracks?: Mp4AudioTrack[];
  }
  export interface Mp4File {
    onReady?: (info: Mp4Info) => void;
    onError?: (e: unknown) => void;
    appendBuffer(buffer: ArrayBuffer & { fileStart: number }): number;
    flush(): void;
  }
  export function createFile(): Mp4File;
}

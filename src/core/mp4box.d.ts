// The part of mp4box's API the clip probe uses. mp4box declares its own types under package `exports` only,
// which this project's `moduleResolution: node` does not read.
declare module 'mp4box' {
  export interface Mp4VideoTrack {
    nb_samples: number;
    timescale: number;
    duration: number;
  }
  export interface Mp4Info {
    videoTracks: Mp4VideoTrack[];
  }
  export interface Mp4File {
    onReady?: (info: Mp4Info) => void;
    onError?: (e: unknown) => void;
    appendBuffer(buffer: ArrayBuffer & { fileStart: number }): number;
    flush(): void;
  }
  export function createFile(): Mp4File;
}

// What the detail view's player is given about a prediction's clip: where it was found (or every place looked
// in, and why each was not taken), its codec and whether it plays here, and the frames the model was given.
import type { AllowedRoots } from '../core/clipAccess';
import { datasetRelativePath, resolveClip } from '../core/clips';
import type { PredictionDetail } from '../core/index/query';
import { framesGiven } from '../core/videoProbe';
import type { ClipView } from '../protocol/detailView';
import type { ClipConverter } from './clipConverter';
import { playableClip } from './clipConverter';
import { config } from './config';

export async function clipView(
  p: PredictionDetail,
  roots: AllowedRoots,
  converter: ClipConverter,
  resultRoots: readonly string[],
): Promise<ClipView> {
  const found = await resolveClip(
    {
      video: p.video,
      declaredIn: p.videoDeclaredIn,
      clipRoots: config.clipRoots(),
      resultRoots,
      allowRemote: config.allowRemoteClips(),
    },
    roots,
  );
  switch (found.kind) {
    case 'missing':
      return {
        kind: 'missing',
        video: p.video,
        tried: found.tried,
        remotePossible: !!p.video && /^https?:\/\//i.test(p.video),
        datasetPath: p.video ? datasetRelativePath(p.video) : null,
      };
    case 'remote': {
      const given = framesGiven(p.sampling, null);
      return {
        kind: 'video',
        src: found.url,
        where: 'remote',
        location: found.url,
        rule: found.rule,
        fps: null,
        frameCount: null,
        durationSeconds: null,
        sampledFrames: null,
        samplingNote: given.note,
      };
    }
    case 'local': {
      const { location, info, ...codec } = await playableClip(converter, found.path);
      const given = framesGiven(p.sampling, info);
      return {
        kind: 'video',
        // Made a webview URI in show(), once the panel's roots (which hold every folder a clip may be in) are set.
        src: '',
        where: 'local',
        location,
        rule: found.rule,
        ...(info?.codec ? { codec: info.codec } : {}),
        ...codec,
        fps: info?.fps ?? null,
        frameCount: info?.frameCount ?? null,
        durationSeconds: info?.durationSeconds ?? null,
        sampledFrames: given.frames,
        samplingNote: given.note,
      };
    }
  }
}

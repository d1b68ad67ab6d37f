// The messages between the failure explorer's detail view (webview/detail/, a webview panel in the editor
// area) and its host. Shared by both sides, so it imports types only.
//
// Handshake: the view gets nothing until it says `ready` (what the host posts meanwhile is held and delivered
// then, in order: src/host/webviewHost.ts). The host posts `show` for the current prediction, and again each
// time the selection changes (the panel is reused, not recreated). A page the host loads with a prediction
// already known carries that first message in its HTML (src/protocol/embed.ts): the view handles it as it
// starts, and the host posts `show` on `ready` only if neither that nor a held message has the prediction
// shown now.
import type { PredictionDetail } from '../core/index/query';
import type { VideoCodec } from '../core/codecs';
import type { ChoiceLetter, Grader, Outcome, PromptMode, Stage } from '../core/model';

/** The same question answered by another loaded run (or this one: `current`). */
export interface OtherAnswer {
  id: number;
  model: string;
  samplingLabel: string;
  promptMode: PromptMode;
  stage: Stage;
  chosen: ChoiceLetter | null;
  chosenText: string | null;
  outcome: Outcome;
  /** Who graded it ('rule': a raw output, its outcome the answer-reading rule's); absent means the judge. */
  grader?: Grader;
  current: boolean;
}

/** What the player is given about the clip. */
export type ClipView =
  | {
      kind: 'video';
      /** A webview URI (local file) or the remote URL (only when the user allowed remote clips). */
      src: string;
      where: 'local' | 'remote';
      /** Where it was found: a file path or the URL, shown under the player. */
      location: string;
      /** The rule that found it (`clip:path-in-record`, `clip:clip-root`, `clip:video-cache`, `clip:remote-allowed`). */
      rule: string;
      /** Read from the file's header; null when unknown (remote clips, unreadable headers). */
      fps: number | null;
      frameCount: number | null;
      durationSeconds: number | null;
      /** Zero-based frames the model was given (the run's sampling over `frameCount`), or null when unknown. */
      sampledFrames: number[] | null;
      /** How the sampled frames were derived, e.g. `8 frames, numpy.linspace over 90 decoded frames`. */
      samplingNote: string;
      /** The video codec read from the header (absent: unknown). */
      codec?: VideoCodec;
      /**
       * Whether this editor decodes `codec`: false for what desktop VS Code cannot (the view says so instead of
       * playing), null in a browser (the view asks it), absent when the codec is unknown.
       */
      decodes?: boolean | null;
      /** The clip this is an H.264 copy of (converted with ffmpeg, from the cache outside the workspace). */
      convertedFrom?: string;
    }
  | {
      kind: 'missing';
      /** The record's video field (URL or path), if any. */
      video: string | null;
      /**
       * Every place looked in, in order, with why it was not taken (`missing`, `outside-allowed-folders`,
       * `not-a-regular-file`, `not-a-video`) and, for a refusal, a sentence saying what would allow it.
       */
      tried: { path: string; result: string; reason?: string }[];
      /** Whether a remote URL exists that the user could allow. */
      remotePossible: boolean;
      /** Where a clip root must hold this clip, e.g. `videos_real/davis/bear.mp4` (null: the record names none). */
      datasetPath?: string | null;
    };

export interface DetailData {
  /** `prediction.response` is the head of a long response: `responseRest` says what follows. */
  prediction: PredictionDetail;
  /**
   * Null when `prediction.response` is the whole response; else its whole length and excerpts after the head
   * (the final-answer sentence with context, the end). The rest comes on `showFullResponse`.
   */
  responseRest: { length: number; excerpts: { start: number; text: string }[] } | null;
  clip: ClipView;
  /** Every loaded run's answer to this question, this one included (`current`). */
  others: OtherAnswer[];
  /**
   * The final-answer sentence of the whole response (character offsets), to highlight; null when the
   * response has none.
   */
  finalAnswer: { start: number; end: number } | null;
  /** Position in the side panel's current list, when known. */
  position: { index: number; total: number } | null;
  /** Tags, notes and the verdict override of this prediction and its question. */
  annotation: DetailAnnotation;
  /** The side panel's search text (searchTerms.ts), whose matches the response highlights; absent: none. */
  search?: string;
  /** While the side panel lists a comparison of two runs: A's and B's answers to this question. */
  comparison?: { a: ComparedAnswer; b: ComparedAnswer };
}

/** One run's answer to the question, for the side-by-side comparison. */
export interface ComparedAnswer {
  /** `<prompt>/<model>_<sampling>`. */
  run: string;
  id: number;
  outcome: Outcome;
  chosen: ChoiceLetter | null;
  chosenText: string | null;
  /** The response's head (the detail view's own bound for a long one). */
  response: string;
  /** Zero-based frames this run was given, over the clip's frames (null when unknown). */
  sampledFrames: number[] | null;
  frameCount: number | null;
}

export interface DetailAnnotation {
  tags: string[];
  questionTags: string[];
  note: string;
  questionNote: string;
  /** The user's verdict when it overrides the judge's (the judge's stays in `prediction.judgeCorrect`). */
  verdict: 'correct' | 'wrong' | null;
  /** The tag vocabulary in order: keys 1-9 toggle the first nine. */
  vocabulary: string[];
  /** Tags offered for the question itself (about the benchmark item, for every model). */
  questionVocabulary: string[];
  /** Why tags cannot be changed now (an unreadable annotations file, a folder that is not indexed). */
  taggingOff: string | null;
  /** The prediction's open failure-mode suggestions (not tags until accepted), in the detectors' order. */
  suggestions?: DetailSuggestion[];
}

/** A failure-mode detector's suggestion: the tag it proposes and the evidence it found (plain text). */
export interface DetailSuggestion {
  detector: string;
  tag: string;
  evidence: string;
}

/** host → view */
export type HostToDetail =
  /** Show this prediction (replaces whatever is shown; the player starts paused at frame 0). */
  | { type: 'show'; data: DetailData }
  /**
   * The side panel's selection is now prediction `id`: its `show` follows unless it is the one shown. Until
   * then the view marks what it shows as being replaced, and the number keys act on `id`. Also the answer to
   * every `step`: `id` null when the step went nowhere (either end of the list).
   */
  | { type: 'select'; id: number | null }
  /** The prediction could not be loaded (e.g. its file was re-indexed away). */
  | { type: 'gone'; id: number; message: string }
  /**
   * The shown prediction's annotations changed (here, in the side panel, or on disk): update them, and the
   * verdict in force (`outcome`), without touching the player.
   */
  | { type: 'annotation'; id: number; annotation: DetailAnnotation; outcome: Outcome }
  /**
   * Characters [start, start + text.length) of prediction `id`'s whole response (of `length`), after the view
   * asked for it with `showFullResponse`; sent in order, in chunks, until the end.
   */
  | { type: 'responseChunk'; id: number; start: number; text: string; length: number }
  /**
   * How the conversion of prediction `id`'s clip to H.264 goes (asked for with `convertClip`); once done the
   * host sends `show` again with the converted copy.
   */
  | { type: 'conversion'; id: number; state: 'running' | 'failed' | 'cancelled'; message: string; detail?: string }
  /**
   * The predictions next to the one shown in the side panel's list (`position` says where), built ahead so
   * that j/k draws at once. Replaces what the view held before (none: drop them); the host knows what the
   * view holds and sends again whenever one of them may have changed.
   */
  | { type: 'prefetch'; entries: DetailData[]; round: number }
  /** Show held prediction `id` (sent with `prefetch`) at `position` in the list. */
  | { type: 'showHeld'; id: number; position: DetailData['position'] };

/** The actions the view may ask the host to run from its "clip not found" box. */
export const DETAIL_COMMANDS = ['vlm4d.setClipRoot', 'vlm4d.allowRemoteClips'] as const;
export type DetailCommand = (typeof DETAIL_COMMANDS)[number];

/** view → host */
export type DetailToHost =
  | { type: 'ready' }
  /** Open another prediction (a row of the other-models table). */
  | { type: 'open'; id: number }
  /**
   * Next (+1) / previous (-1) in the side panel's list (j/k, arrow keys). `drawn`: the view drew the held
   * prediction it expects there, from the `prefetch` of `round`; the host sends it again unless the list
   * holds it there and that round is the newest it sent.
   */
  | { type: 'step'; delta: 1 | -1; drawn?: { id: number; round: number } }
  /** The view lacks what it was asked to show (`showHeld`): send it in full. */
  | { type: 'resend' }
  | { type: 'runCommand'; command: DetailCommand }
  /**
   * Toggle a tag on prediction `id`, or on its question. `id` names the prediction the user acted on (a
   * number key: the side panel's selection; a button: the prediction it was drawn for), never "whatever is
   * shown when the host gets to it".
   */
  | { type: 'toggleTag'; id: number; tag: string; on: 'prediction' | 'question' }
  /** Replace the note of prediction `id` (the one the text was typed for), or of its question. */
  | { type: 'setNote'; id: number; note: string; on: 'prediction' | 'question' }
  /** Override the judge's verdict on prediction `id` (null: take the override back). */
  | { type: 'setVerdict'; id: number; verdict: 'correct' | 'wrong' | null }
  | { type: 'tagPalette' }
  /** Accept (the tag is added, recorded as from the detector) or reject one open suggestion of prediction `id`. */
  | { type: 'decideSuggestion'; id: number; detector: string; accept: boolean }
  /** Send the whole response of prediction `id` (shown in part: see DetailData.responseRest). */
  | { type: 'showFullResponse'; id: number }
  /** Convert prediction `id`'s clip to H.264 with the user's ffmpeg (the user clicked Convert). */
  | { type: 'convertClip'; id: number }
  | { type: 'undo' }
  | { type: 'redo' }
  /**
   * Put `text` on the clipboard: prediction `id`'s key, or the prediction as Markdown (detailMarkdown.ts). The
   * host writes it as given (bounded in length), and says in the status bar what was copied.
   */
  | { type: 'copy'; id: number; what: CopyWhat; text: string };

/** What the view's copy buttons copy. */
export type CopyWhat = 'key' | 'markdown';

export type DetailToHostType = DetailToHost['type'];

// Runtime checks for messages from the detail view: untrusted input, rebuilt from known fields only.
import type { DetailCommand, DetailToHost } from './detailView';
import { DETAIL_COMMANDS } from './detailView';
import { DETECTORS } from '../core/failureModes';
import type { Detector } from '../core/failureModes';

const isId = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
const isTag = (v: unknown): v is string => typeof v === 'string' && v.trim().length > 0 && v.length <= 100;
const isTarget = (v: unknown): v is 'prediction' | 'question' => v === 'prediction' || v === 'question';
/** Longest note accepted (a long note is fine; an endless one is a bug). */
const MAX_NOTE = 100_000;
/** Longest text the view may put on the clipboard (a prediction as Markdown holds an excerpt of its response). */
export const MAX_COPY = 200_000;

/** The message if it is one the detail view may send, else null. */
export function parseDetailMessage(m: unknown): DetailToHost | null {
  if (typeof m !== 'object' || m === null || Array.isArray(m)) return null;
  const r = m as Record<string, unknown>;
  switch (r.type) {
    case 'ready':
      return { type: 'ready' };
    case 'open':
      return isId(r.id) ? { type: 'open', id: r.id } : null;
    case 'step': {
      if (r.delta !== 1 && r.delta !== -1) return null;
      if (r.drawn === undefined) return { type: 'step', delta: r.delta };
      const d = r.drawn as Record<string, unknown> | null;
      return typeof d === 'object' && d !== null && isId(d.id) && isId(d.round)
        ? { type: 'step', delta: r.delta, drawn: { id: d.id, round: d.round } }
        : null;
    }
    case 'runCommand':
      return DETAIL_COMMANDS.includes(r.command as DetailCommand)
        ? { type: 'runCommand', command: r.command as DetailCommand }
        : null;
    case 'toggleTag':
      return isId(r.id) && isTag(r.tag) && isTarget(r.on)
        ? { type: 'toggleTag', id: r.id, tag: r.tag.trim(), on: r.on }
        : null;
    case 'setNote':
      return isId(r.id) && typeof r.note === 'string' && r.note.length <= MAX_NOTE && isTarget(r.on)
        ? { type: 'setNote', id: r.id, note: r.note, on: r.on }
        : null;
    case 'setVerdict':
      return isId(r.id) && (r.verdict === 'correct' || r.verdict === 'wrong' || r.verdict === null)
        ? { type: 'setVerdict', id: r.id, verdict: r.verdict }
        : null;
    case 'showFullResponse':
    case 'convertClip':
      return isId(r.id) ? { type: r.type, id: r.id } : null;
    case 'copy':
      return isId(r.id) &&
        (r.what === 'key' || r.what === 'markdown') &&
        typeof r.text === 'string' &&
        r.text.length > 0 &&
        r.text.length <= MAX_COPY
        ? { type: 'copy', id: r.id, what: r.what, text: r.text }
        : null;
    case 'decideSuggestion':
      return isId(r.id) && DETECTORS.includes(r.detector as Detector) && typeof r.accept === 'boolean'
        ? { type: 'decideSuggestion', id: r.id, detector: r.detector as Detector, accept: r.accept }
        : null;
    case 'tagPalette':
    case 'resend':
    case 'undo':
    case 'redo':
      return { type: r.type };
    default:
      return null;
  }
}

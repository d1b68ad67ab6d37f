// Runtime checks for messages from the detail view: untrusted input, rebuilt from known fields only.
import type { DetailCommand, DetailToHost } from './detailView';
import { DETAIL_COMMANDS } from './detailView';

const isId = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

/** The message if it is one the detail view may send, else null. */
export function parseDetailMessage(m: unknown): DetailToHost | null {
  if (typeof m !== 'object' || m === null || Array.isArray(m)) return null;
  const r = m as Record<string, unknown>;
  switch (r.type) {
    case 'ready':
      return { type: 'ready' };
    case 'open':
      return isId(r.id) ? { type: 'open', id: r.id } : null;
    case 'step':
      return r.delta === 1 || r.delta === -1 ? { type: 'step', delta: r.delta } : null;
    case 'runCommand':
      return DETAIL_COMMANDS.includes(r.command as DetailCommand) ? { type: 'runCommand', command: r.command as DetailCommand } : null;
    default:
      return null;
  }
}

// Runtime checks for messages from the accuracy dashboard: untrusted input, rebuilt from known fields only.
// Filters go through the side panel's own validator (validate.ts), so a cell can ask for nothing the panel
// itself could not.
import type { DashboardToHost } from './dashboard';
import { DASHBOARD_LIMITS } from './dashboard';
import { parseFilters } from './failuresValidate';

const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
/** A file name stem: letters, digits, `-`, `_`, `.` (not first), nothing that walks folders. */
const isName = (v: unknown): v is string =>
  typeof v === 'string' && v.length <= DASHBOARD_LIMITS.name && /^[A-Za-z0-9_-][A-Za-z0-9_.-]*$/.test(v);
/** What an exported chart's data URL starts with. */
export const PNG_PREFIX = 'data:image/png;base64,';

/** The message if it is one the dashboard may send, else null. */
export function parseDashboardMessage(m: unknown): DashboardToHost | null {
  if (typeof m !== 'object' || m === null || Array.isArray(m)) return null;
  const r = m as Record<string, unknown>;
  switch (r.type) {
    case 'ready':
      return { type: 'ready' };
    case 'pickComparison':
      return { type: 'pickComparison' };
    case 'showFailures': {
      const filters = parseFilters(r.filters);
      return filters ? { type: 'showFailures', filters } : null;
    }
    case 'openPrediction':
      return isCount(r.id) && isCount(r.version) ? { type: 'openPrediction', id: r.id, version: r.version } : null;
    case 'openKey':
      return typeof r.key === 'string' && r.key.length > 0 && r.key.length <= DASHBOARD_LIMITS.key
        ? { type: 'openKey', key: r.key }
        : null;
    case 'exportPng': {
      const url = r.dataUrl;
      if (
        !isName(r.name) ||
        typeof url !== 'string' ||
        url.length > DASHBOARD_LIMITS.png ||
        !url.startsWith(PNG_PREFIX)
      )
        return null;
      // Base64 only: the host decodes it into the file as it is.
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(url.slice(PNG_PREFIX.length))) return null;
      return { type: 'exportPng', name: r.name, dataUrl: url };
    }
    case 'exportCsv':
      return isName(r.name) && typeof r.csv === 'string' && r.csv.length <= DASHBOARD_LIMITS.csv
        ? { type: 'exportCsv', name: r.name, csv: r.csv }
        : null;
    case 'rendered':
      return isCount(r.version) ? { type: 'rendered', version: r.version } : null;
    default:
      return null;
  }
}

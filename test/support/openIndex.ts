// An index of a results folder, synced, as the unit tests open it (one sql.js database each; close() frees it).
import { ResultIndex } from '../../src/core/index/resultIndex';
import { loadSqlJs } from '../../src/core/index/sqlite';

export async function openIndex(dir: string): Promise<ResultIndex> {
  const index = new ResultIndex(await loadSqlJs());
  index.setRoots([dir]);
  await index.sync();
  return index;
}

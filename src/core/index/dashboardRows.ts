// The index's side of the accuracy dashboard: its runs, questions and predictions, gathered from the
// database and the question table for dashboard/data.ts, which shapes them into what the webview draws.
import type { Database } from 'sql.js';
import { accuracyRow } from '../accuracyTable';
import type { DashboardData, DashboardSource } from '../dashboard/data';
import { buildDashboardData } from '../dashboard/data';
import type { Grader, PromptMode, Split, Stage } from '../model';
import type { PredictionColumns } from './predictionColumns';
import { selectAll } from './sqlite';

/** What the dashboard looks up beside the database (see ResultIndex). */
export interface DashboardLookups {
  dataVersion: number;
  columns: Pick<PredictionColumns, 'current'>;
  grader: (runId: number) => Grader;
  question: DashboardSource['question'];
}

/** Everything the accuracy dashboard draws, in columns. */
export function dashboardData(db: Database, lookups: DashboardLookups): DashboardData {
  const runs = selectAll(
    db,
    `SELECT r.id, f.path, m.name, r.prompt_mode, r.split, r.sampling_label, r.stage
     FROM runs r JOIN files f ON f.id = r.file_id JOIN models m ON m.id = r.model_id ORDER BY f.path`,
  ).map(([id, file, model, promptMode, split, samplingLabel, stage]) => ({
    id: Number(id),
    file: String(file),
    model: String(model),
    promptMode: promptMode as PromptMode,
    split: split as Split,
    samplingLabel: String(samplingLabel),
    stage: stage as Stage,
    grader: lookups.grader(Number(id)),
  }));
  return buildDashboardData(
    {
      version: lookups.dataVersion,
      runs,
      question: lookups.question,
      // The columns kept at insert (predictionColumns.ts): no step through every prediction in sql.js.
      predictions: lookups.columns.current(),
      tags: selectAll(db, 'SELECT prediction_id, tag FROM pred_tags ORDER BY prediction_id, tag').map(([id, tag]) => [
        Number(id),
        String(tag),
      ]),
      overriddenIds: selectAll(db, 'SELECT prediction_id FROM pred_marks WHERE overridden = 1').map(([id]) =>
        Number(id),
      ),
    },
    accuracyRow,
  );
}

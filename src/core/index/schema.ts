// The in-memory SQLite schema. Predictions hold only small columns (codes, letters, the judge's short
// reading) so the bulk insert stays close to the cost of parsing; response text lives beside the
// database in the index's memory (see ResultIndex), as measured in docs/benchmark.md.
//
// Facet columns on `predictions` are integer codes: the index into the constant arrays of model.ts
// (PERSPECTIVES, MOTION_TYPES, SOURCES, OUTCOMES). They repeat the question's taxonomy so that filters
// and facet counts never need a join; split, model and prompt mode are the run's (`run_id`). Question
// ids follow the benchmark files' order, so `ORDER BY question_id` lists predictions in benchmark order.

export const SCHEMA_VERSION = 1;

export const SCHEMA_SQL = `
CREATE TABLE files (
  id INTEGER PRIMARY KEY,
  path TEXT NOT NULL UNIQUE,
  root TEXT NOT NULL,
  kind TEXT NOT NULL,            -- judged | raw | questions | labels
  size INTEGER NOT NULL,
  mtime_ms REAL NOT NULL,
  records INTEGER NOT NULL,      -- records indexed from it
  status TEXT NOT NULL,          -- ok | warning | error
  problems TEXT NOT NULL         -- JSON array of messages
);
CREATE TABLE models (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE
);
CREATE TABLE runs (
  id INTEGER PRIMARY KEY,
  file_id INTEGER NOT NULL REFERENCES files(id),
  stage TEXT NOT NULL,           -- judged | raw
  split TEXT NOT NULL,
  prompt_mode TEXT NOT NULL,     -- cot | direct-output
  model_id INTEGER NOT NULL REFERENCES models(id),
  sampling_label TEXT NOT NULL,  -- e.g. 32frame, 1fps
  frames_kind TEXT NOT NULL,     -- frames | fps | unknown
  frames_n REAL,                 -- N for Nframe, fps for Nfps
  file_name TEXT NOT NULL,
  group_dir TEXT NOT NULL        -- folder holding {split}_mc_{prompt}/ (pairs real and synthetic runs)
);
CREATE TABLE datasets (
  id INTEGER PRIMARY KEY,
  path TEXT NOT NULL UNIQUE      -- the folder holding data/{split}_mc.json ('' when none is known)
);
CREATE TABLE questions (
  id INTEGER PRIMARY KEY,        -- unique per (dataset, split, qid): the index keeps that map itself
  dataset_id INTEGER NOT NULL REFERENCES datasets(id),
  split TEXT NOT NULL,
  qid TEXT NOT NULL,             -- validation_<n>; unique only together with split
  qnum INTEGER,                  -- its text, choices, answer and clip URL stay in the index's memory, like responses
  answer_letter TEXT,
  in_benchmark INTEGER NOT NULL, -- 1 when a benchmark questions file holds it
  source_rule INTEGER NOT NULL REFERENCES rules(id),      -- the rule that derived each value (or a labels file)
  perspective_rule INTEGER NOT NULL REFERENCES rules(id),
  motion_rule INTEGER NOT NULL REFERENCES rules(id),
  codes INTEGER NOT NULL         -- perspective | motion << 4 | source << 8 (model.ts codes), as repeated on its predictions
);
CREATE TABLE rules (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE      -- e.g. motion:rotation-keyword, labels-file:vlm4d-labels.json (docs/taxonomy.md)
);
CREATE TABLE predictions (
  id INTEGER PRIMARY KEY,
  run_id INTEGER NOT NULL REFERENCES runs(id),   -- split, model and prompt mode are the run's
  question_id INTEGER NOT NULL REFERENCES questions(id),
  chosen INTEGER,                -- the letter the judge extracted (raw runs: the answer-reading rule's), 0-3 for A-D, or NULL
  judge_correct INTEGER,         -- the judge's verdict: 1, 0, or NULL when no judge graded it
  rule_correct INTEGER,          -- raw runs only: the answer-reading rule's verdict (the run is "rule-graded"), else NULL
  outcome INTEGER NOT NULL,      -- OUTCOMES code of the verdict in force: override, else judge, else rule
  authors_slice INTEGER NOT NULL,-- the statistics script's slice: 0 real exo, 1 real ego, 2 synthetic directional, 3 synthetic FP
  perspective INTEGER NOT NULL,  -- the question's taxonomy, repeated so that counting needs no join
  motion INTEGER NOT NULL,
  source INTEGER NOT NULL
);
-- Room for the annotations store (tags, notes, verdict overrides), keyed by stable text keys so they
-- survive re-indexing: a prediction is "<split>/<prompt>/<model>_<sampling>/<qid>", a question "<split>/<qid>".
CREATE TABLE annotations (
  target_kind TEXT NOT NULL,     -- prediction | question
  target_key TEXT NOT NULL,
  tag TEXT,
  note TEXT,
  verdict_override INTEGER,
  PRIMARY KEY (target_kind, target_key, tag)
);
`;

export const AUTHORS_SLICE = { realExo: 0, realEgo: 1, synthDirectional: 2, synthFalsePositive: 3 } as const;

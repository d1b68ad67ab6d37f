// What marks a folder as holding VLM4D results, as globs for the editor (the activation events in
// package.json, the first look at a workspace folder, the file watchers), beside the folder names the
// directory walk (discovery.ts) never enters, so that the editor and the walk agree on both.

/**
 * Folders that never hold results and can be huge: dependencies, version control, caches of clips and of
 * Python tools. Output folders (`out/`, `output/`, `logs/`, `results/`: where lmms-eval's `--output_path`
 * and VLMEvalKit's `--work-dir` usually point) are walked like any other.
 */
export const SKIP_DIRS: readonly string[] = [
  'node_modules',
  '.git',
  'video_cache',
  '__pycache__',
  '.venv',
  '.mypy_cache',
  '.pytest_cache',
  '.ruff_cache',
  '.tox',
  '.ipynb_checkpoints',
  'dist',
];

/** The same folders as a glob that excludes everything under them. */
export const SKIP_GLOB = `**/{${SKIP_DIRS.join(',')}}/**`;

/**
 * lmms-eval samples files of a VLM4D task and VLMEvalKit prediction files of a VLM4D dataset: their names
 * hold the task or dataset name (see docs/harness-formats.md). resultsProbe.ts matches the same names.
 */
export const HARNESS_GLOBS: readonly string[] = [
  '**/*_samples_*[vV][lL][mM]4[dD]*.jsonl',
  '**/*_[vV][lL][mM]4[dD]*.{xlsx,tsv,json}',
];

/** Files that make a folder a results folder: the authors' layout, the benchmark's questions, a labels file, a harness file. */
export const RESULT_GLOBS: readonly string[] = [
  '**/*_mc_*/*.{json,jsonl}',
  '**/{real,synthetic}_mc.{json,jsonl}',
  '**/vlm4d-labels.json',
  ...HARNESS_GLOBS,
];

/** Every file a results folder is read from, for re-indexing on change (harness tables included). */
export const WATCH_GLOB = '**/*.{json,jsonl,xlsx,tsv,csv}';

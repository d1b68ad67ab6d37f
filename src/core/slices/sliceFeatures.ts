// The features a slice may combine, in the order slices list them. Field names are those of the failure
// list's rows (PredictionRow) and filters (FailureQuery), so that a slice reads as a side-panel filter.
export const SLICE_FEATURES = [
  'split',
  'perspective',
  'motion',
  'source',
  'model',
  'promptMode',
  'samplingLabel',
  'truthLabel',
  'chosenLabel',
] as const;
export type SliceFeature = (typeof SLICE_FEATURES)[number];

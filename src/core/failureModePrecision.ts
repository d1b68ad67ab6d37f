// The failure-mode detectors' precision as measured on the blind, hand-labelled sample in docs/failure-modes/
// (written by scripts/failure-mode-precision.ts; docs/failure-modes.md says how it was drawn and labelled).
// A detector missing here has not been measured.
import type { Detector } from './failureModes';

export interface MeasuredPrecision {
  /** Share of the sampled predictions it flags that the reviewers tagged with its tag. */
  precision: number;
  /** Wilson 95% interval. */
  low: number;
  high: number;
  /** Predictions flagged by it in the sample. */
  sample: number;
}

export const DETECTOR_PRECISION: Partial<Record<Detector, MeasuredPrecision>> = {};

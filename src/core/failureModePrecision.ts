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

export const DETECTOR_PRECISION: Partial<Record<Detector, MeasuredPrecision>> = {
  'direction-reversal': {
    precision: 1,
    low: 0.8864829086095221,
    high: 1,
    sample: 30,
  },
  'rotation-sense-reversed': {
    precision: 1,
    low: 0.8864829086095221,
    high: 1,
    sample: 30,
  },
  'missed-motion': {
    precision: 0.9,
    low: 0.7437855868473339,
    high: 0.9654007400402839,
    sample: 30,
  },
  'hallucinated-motion': {
    precision: 0.9,
    low: 0.7437855868473339,
    high: 0.9654007400402839,
    sample: 30,
  },
  'absent-object-answered': {
    precision: 0.9333333333333333,
    low: 0.7867618227892791,
    high: 0.9815233646723066,
    sample: 30,
  },
  'counting-error': {
    precision: 1,
    low: 0.8864829086095221,
    high: 1,
    sample: 30,
  },
  'reasoning-contradicts-answer': {
    precision: 0.4666666666666667,
    low: 0.30232127224128236,
    high: 0.6385798671847496,
    sample: 30,
  },
  'no-valid-answer': {
    precision: 0.9333333333333333,
    low: 0.7867618227892791,
    high: 0.9815233646723066,
    sample: 30,
  },
  'perspective-confusion': {
    precision: 0.9333333333333333,
    low: 0.7867618227892791,
    high: 0.9815233646723066,
    sample: 30,
  },
};

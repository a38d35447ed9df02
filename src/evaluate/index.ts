/**
 * Evaluation metrics: localisation (pointing game, energy-in-box, IoU), ROAD with NLI under two protocols, Average
 * Drop / Increase in Confidence, deletion / insertion, sparseness, temporal r, bootstrap intervals, CRE, flicker,
 * ground truth.
 */
export { boxArea, boxCoverage } from './box-coverage.js';
export { pixelBoxToNormalised } from './pixel-box.js';
export { pointingGame } from './pointing-game.js';
export { energyInBox } from './energy-in-box.js';
export { regionBoxIoU } from './region-box-iou.js';
export { mulberry32, seededRng, type Rng } from '../core/seeded-rng.js';
export { floatImage, fromRgbImage, type FloatImage } from './float-image.js';
export { conjugateGradient, type CgOptions, type CgResult, type CsrMatrix } from './conjugate-gradient.js';
export { NLI_NEIGHBOURS, nliSystem, noisyLinearImputation, type NliOptions, type NliSystem } from './noisy-linear-imputation.js';
export { resizeMapBilinear } from './resize-map.js';
export {
  ROAD_PERCENTILES, road, roadCombined, roadPerturbations,
  type ClassScorer, type RoadOptions, type RoadPerturbations, type RoadResult,
} from './road.js';
export { checkRoadProtocol, DEFAULT_ROAD_PROTOCOL, ROAD_PROTOCOLS, type RoadProtocol } from './road-protocol.js';
export {
  fairRemovalMasks, pgcRemovalMasks, relevanceOrder, removalMask, removalMasks, tieBreakRanks, type RemovalMasks,
} from './removal-masks.js';
export { cumulativeResidualEffect, median, nonEmptySubsets, type CreResult, type SubsetScore } from './cre.js';
export {
  parseGroundTruth, parseGroundTruthLine, readGroundTruth,
  type GroundTruthFrame, type GroundTruthObject,
} from './ground-truth.js';
export { FlickerMeter, regionIoU } from '../metacam/flicker.js';
export { BOOTSTRAP_DEFAULTS, createBootstrap, type BootstrapOptions, type Interval } from './bootstrap-ci.js';
export { METRICS, type MetricInfo, type MetricName, type MetricScores } from './evaluation-metrics.js';
export { faithfulnessForMaps, type FaithfulnessOptions, type FaithfulnessScores } from './faithfulness-batch.js';
export { confidenceDrop, confidenceIncreased, multiplyByMap } from './confidence-change.js';
export { curveAuc, DELETION_STEPS, deletionInsertionImages } from './deletion-insertion.js';
export { giniSparseness } from './sparseness.js';
export { pearsonR } from './pearson.js';
export { CALIBRATION_DEFAULTS, checkCalibrationOptions, runCalibration, type CalibrationOptions, type CalibrationProgress, type CalibrationResult, type CalibrationSubset } from './calibrate.js';
export { chooseSubset, type CalibrationPrimary, type ScoredSubset } from './calibration-choice.js';
export { calibrationProfile, type ProfileFacts } from './calibration-profile.js';

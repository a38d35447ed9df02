/** MetaCAM: adaptive top-k% thresholds, consensus, temporal smoothing, scene cuts, region statistics, flicker. */
export type { Box, ClassScore, ExplanationMaps, FrameExplanation, MemberThreshold, MergedMember } from '../core/frame-explanation.js';
export { distinctMembers, IDENTICAL_MAP_TOLERANCE, MergeTally, type DistinctMembers, type MergeCount } from './distinct-members.js';
export { quantile } from './quantile.js';
export { checkTopK, quantileLevel } from './top-k.js';
export { adaptiveThreshold, applyThreshold, type Thresholded, type ThresholdOptions } from './adaptive-threshold.js';
export { normaliseMinMax } from './normalise.js';
export { consensusMap, consensusWeights, sumMaps, type ConsensusContext } from './consensus.js';
export {
  checkProfile, checkProfileModel, loadProfile, profileMetaCamSettings, PROFILE_SCHEMA_VERSION,
  type LoadedProfile, type MetacamProfile,
} from './profile.js';
export {
  CAM_GROUPS, DEFAULT_GROUPS, PRESETS, groupsOf, resolveMembers,
  type MemberDescriptor, type MemberSelection, type MetacamPreset,
} from './groups.js';
export { ThresholdSmoother } from './threshold-smoother.js';
export { MapSmoother } from './map-smoother.js';
export { colourHistogram, histogramDistance } from './colour-histogram.js';
export { DEFAULT_SCENE_CUT_THRESHOLD, SceneCutDetector, type SceneCutOptions, type SceneCutResult } from './scene-cut-detector.js';
export { regionStats, type RegionStats } from './region-stats.js';
export { FlickerMeter, regionIoU } from './flicker.js';
export { classScore, topClasses } from './top-classes.js';
export { createMetaCam, type MetaCam, type MetaCamFrame, type MetaCamOptions, type MetaCamResult } from './create-metacam.js';

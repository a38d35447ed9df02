/**
 * The types every stage shares — what a frame is, what the explain engine hands on, what MetaCAM decides — and
 * the two value checks the stages' settings use. No stage logic lives here.
 */
export type { Frame, RgbImage } from './frame.js';
export { camMap, type CamMap } from './cam-map.js';
export type { FrameMaps } from './frame-maps.js';
export type { Box, ClassScore, ExplanationMaps, FrameExplanation, MemberThreshold, MergedMember } from './frame-explanation.js';
export { checkNumber, checkOneOf, definedOnly, isInRange, type NumberRange } from './checks.js';
export { toolVersion } from './version.js';

/**
 * The MetaCAM stage: settings in the factory, frames in the call. Per frame:
 *   1. scene cut? (colour-histogram distance of the model-size frame) → reset every smoother;
 *   2. each member i: τ_i = quantile_{1−k/100}(M̂_i), smoothed over time, T_i = M̂_i ⊙ 1[M̂_i ≥ τ̄_i];
 *   3. members whose map equals an earlier member's on this frame (distinct-members.ts) are left out of S, so
 *      an identical map votes once; S = Σ T_i over the distinct members, consensus = normalise(S), smoothed per
 *      pixel following the object's motion (map-smoother.ts), τ = its quantile, smoothed;
 *   4. MetaCAM = consensus ⊙ 1[consensus ≥ τ̄, or ≥ (1 − h)·τ̄ where it was in last frame's region]
 *      (region-hysteresis.ts), with area, bounding box and centroid.
 * State across frames: one ThresholdSmoother per member plus one for the consensus, the scene-cut detector's
 * previous histogram, the map smoother's map and frame, and the previous region; all cleared by reset().
 */
import type { CamMap } from '../core/cam-map.js';
import type { FrameMaps } from '../core/frame-maps.js';
import type { Frame } from '../core/frame.js';
import { MetacamError } from '../errors.js';
import { applyThreshold } from './adaptive-threshold.js';
import { consensusMap, consensusWeights } from './consensus.js';
import { distinctMembers } from './distinct-members.js';
import type { ExplanationMaps, FrameExplanation, MemberThreshold } from '../core/frame-explanation.js';
import { MapSmoother } from './map-smoother.js';
import { RegionHysteresis } from './region-hysteresis.js';
import { quantile } from './quantile.js';
import { regionStats } from './region-stats.js';
import { SceneCutDetector } from './scene-cut-detector.js';
import { ThresholdSmoother } from './threshold-smoother.js';
import { classScore, topClasses } from './top-classes.js';
import { quantileLevel } from './top-k.js';
import { resolveMetaCamSettings, type MetaCamSettings } from './metacam-settings.js';

export interface MetaCamOptions extends Partial<MetaCamSettings> {
  /** Member method ids (see resolveMembers). */
  readonly members: readonly string[];
  /** Each member's method group (`CamMethod.group`); needed by the `group` consensus rule. */
  readonly groups?: Readonly<Record<string, string>>;
}

export type MetaCamFrame = Pick<Frame, 'index' | 'ptsSeconds' | 'input' | 'dropped'>;

export interface MetaCamResult {
  readonly explanation: FrameExplanation;
  readonly maps: ExplanationMaps;
}

export interface MetaCam {
  readonly members: readonly string[];
  /** The resolved settings (defaults filled in). */
  readonly settings: MetaCamSettings;
  readonly topK: number;
  readonly smoothSeconds: number;
  explain(frame: MetaCamFrame, maps: FrameMaps, labels: readonly string[]): MetaCamResult;
  /** Forgets all temporal state (smoothers, scene-cut history). */
  reset(): void;
}

export function createMetaCam(options: MetaCamOptions): MetaCam {
  const members = [...(options.members ?? [])];
  if (members.length === 0) throw new MetacamError('E_ARG', 'MetaCAM needs at least one member method; pass --methods, --groups or --preset');
  if (new Set(members).size !== members.length) throw new MetacamError('E_ARG', `MetaCAM members are listed twice: ${members.join(', ')}`);
  const settings = resolveMetaCamSettings(options);
  const context = { groupOf: options.groups, weights: settings.weights };
  // Fails now, not on the first frame, when a group is missing or no member carries weight.
  if (!consensusWeights(members, settings.consensus, context).some((w) => w > 0)) {
    throw new MetacamError('E_ARG', `no MetaCAM member has a weight > 0 (members: ${members.join(', ')}; weights: ${JSON.stringify(settings.weights ?? {})}); is the profile for these members?`);
  }
  const { topK, binary, smoothSeconds } = settings;
  const q = quantileLevel(topK);
  const memberSmoothers = new Map(members.map((m) => [m, new ThresholdSmoother(smoothSeconds)]));
  const consensusSmoother = new ThresholdSmoother(smoothSeconds);
  const mapSmoother = new MapSmoother(settings.smoothMaps, settings.mapMotion);
  // Hysteresis is part of threshold smoothing: `--smooth 0 --smooth-maps 0` leaves no temporal state at all.
  const hysteresis = new RegionHysteresis(smoothSeconds > 0 ? settings.hysteresis : 0);
  const sceneCuts = new SceneCutDetector({ threshold: settings.sceneCutThreshold });

  function resetSmoothers(): void {
    for (const s of memberSmoothers.values()) s.reset();
    consensusSmoother.reset();
    mapSmoother.reset();
    hysteresis.reset();
  }

  function explain(frame: MetaCamFrame, frameMaps: FrameMaps, labels: readonly string[]): MetaCamResult {
    const started = performance.now();
    if (frameMaps.index !== frame.index) {
      throw new MetacamError('E_INTERNAL', `maps of frame ${frameMaps.index} were paired with frame ${frame.index}`);
    }
    const pts = frame.ptsSeconds;
    const { cut } = sceneCuts.update(frame.input);
    if (cut) resetSmoothers();

    for (const id of members) {
      if (!frameMaps.maps[id]) {
        throw new MetacamError('E_INTERNAL', `member '${id}' has no map for frame ${frame.index}; maps present: ${Object.keys(frameMaps.maps).join(', ') || 'none'}`);
      }
    }
    const { merged } = distinctMembers(members, frameMaps.maps);
    const left = new Set(merged.map((m) => m.id));
    const memberMaps: Record<string, CamMap> = {};
    const memberStats: Record<string, MemberThreshold> = {};
    const thresholded: CamMap[] = [];
    const voters: string[] = [];
    for (const id of members) {
      const map = frameMaps.maps[id]!;
      const tauRaw = quantile(map.data, q);
      const tauSmoothed = memberSmoothers.get(id)!.update(tauRaw, pts);
      const t = applyThreshold(map, tauSmoothed, { binary });
      memberMaps[id] = map;
      memberStats[id] = { tauRaw, tauSmoothed, areaPercent: t.areaPercent };
      // A merged member keeps its own τ (it is still drawn) but does not vote a second time.
      if (!left.has(id)) {
        thresholded.push(t.map);
        voters.push(id);
      }
    }

    const consensus = mapSmoother.update(consensusMap(thresholded, consensusWeights(voters, settings.consensus, { ...context, merged })), pts, frame.input);
    const tauRaw = quantile(consensus.data, q);
    const tauSmoothed = consensusSmoother.update(tauRaw, pts);
    const metacam = hysteresis.apply(consensus, tauSmoothed, binary).map;
    const region = regionStats(metacam);

    const explanation: FrameExplanation = {
      index: frame.index,
      ptsSeconds: pts,
      target: classScore(frameMaps.probabilities, frameMaps.classIndex, labels),
      top5: topClasses(frameMaps.probabilities, labels, 5),
      members: memberStats,
      merged,
      consensus: { tauRaw, tauSmoothed, areaPercent: region.areaPercent, bbox: region.bbox, centroid: region.centroid },
      sceneCut: cut,
      dropped: frame.dropped ?? 0,
      timings: { ...frameMaps.timings, metacam: performance.now() - started },
    };
    return { explanation, maps: { members: memberMaps, consensus, metacam } };
  }

  function reset(): void {
    resetSmoothers();
    sceneCuts.reset();
  }

  return { members, settings, topK, smoothSeconds, explain, reset };
}

/**
 * THE registry of CAM methods: everything else (CLI help, viewer menu, audit schema, benchmarks) reads it.
 * Order: the eleven original members by MetaCAM ensemble group (gradcam, hirescam, xgradcam, perturbation, eigen,
 * fullgrad), two each except FullGrad; then the newer, opt-in methods; the Random-CAM baseline last. `createLayerCam({layers})` builds the multi-layer LayerCAM variant (same id).
 */
import { MetacamError } from '../../errors.js';
import { ablationCam } from './ablationcam.js';
import { eigenCam } from './eigencam.js';
import { eigenGradCam } from './eigengradcam.js';
import { fem } from './fem.js';
import { finerCam } from './finercam.js';
import { fullGrad } from './fullgrad.js';
import { gradCam } from './gradcam.js';
import { gradCamElementWise } from './gradcam-elementwise.js';
import { gradCamPlusPlus } from './gradcam-plus-plus.js';
import { hiResCam } from './hirescam.js';
import { kpcaCam } from './kpca-cam.js';
import { layerCam } from './layercam.js';
import { randomCam } from './random-cam.js';
import { createRefineCam, refineCam } from './refinecam.js';
import { scoreCam } from './scorecam.js';
import { segEigenCam } from './segeigencam.js';
import { shapleyCam } from './shapleycam.js';
import { xGradCam } from './xgradcam.js';
import type { CamGroup, CamMethod } from './types.js';

export type { CamContext, CamGroup, CamMethod, CamModelAccess, CamOptions, TargetKind } from './types.js';
export { createLayerCam } from './layercam.js';
export { createRandomCam } from './random-cam.js';
export { createRefineCam } from './refinecam.js';

export const METHODS: readonly CamMethod[] = Object.freeze([
  gradCam,
  gradCamPlusPlus,
  hiResCam,
  gradCamElementWise,
  xGradCam,
  layerCam,
  scoreCam,
  ablationCam,
  eigenCam,
  eigenGradCam,
  fullGrad,
  // Newer methods of the reference library (opt-in: never picked by a preset or --groups until benched).
  fem,
  kpcaCam,
  segEigenCam,
  shapleyCam,
  finerCam,
  refineCam,
  // The sanity baseline: never an ensemble member by preset; `evaluate` reports it as the floor.
  randomCam,
]);

const BY_ID: ReadonlyMap<string, CamMethod> = new Map(METHODS.map((m) => [m.id, m]));

export function methodIds(): string[] {
  return METHODS.map((m) => m.id);
}

export function getMethod(id: string): CamMethod {
  const m = BY_ID.get(id);
  if (!m) throw new MetacamError('E_METHOD_UNKNOWN', `unknown CAM method '${id}'; valid methods: ${methodIds().join(', ')}`);
  return m;
}

/** How members are built beyond their id: extra target layers (`--layer a,b,target`) for RefineCAM. */
export interface MemberOptions {
  readonly extraLayers?: readonly string[];
}

/**
 * Methods for a list of ids, in the order given; duplicates collapse. Unknown ids throw E_METHOD_UNKNOWN.
 * With `extraLayers`, RefineCAM multiplies over them and the target layer; naming extra layers without
 * refinecam among the ids is an E_ARG (no other member would use them).
 */
export function getMethods(ids: readonly string[], options: MemberOptions = {}): CamMethod[] {
  const unknown = ids.filter((id) => !BY_ID.has(id));
  if (unknown.length) {
    throw new MetacamError(
      'E_METHOD_UNKNOWN',
      `unknown CAM method${unknown.length > 1 ? 's' : ''} ${unknown.map((u) => `'${u}'`).join(', ')}; valid methods: ${methodIds().join(', ')}`,
    );
  }
  const extra = options.extraLayers ?? [];
  if (extra.length && !ids.includes('refinecam')) {
    throw new MetacamError('E_ARG', `--layer lists several layers (${[...extra, '…'].join(',')}), which only refinecam uses; add refinecam to --methods or give one --layer`);
  }
  return [...new Set(ids)].map((id) => (id === 'refinecam' && extra.length ? createRefineCam({ layers: extra }) : BY_ID.get(id)!));
}

export function methodsInGroup(group: CamGroup): CamMethod[] {
  return METHODS.filter((m) => m.group === group);
}

/**
 * One line per method: id, title, group, cost per frame, and 'opt-in' where no preset or --groups selection
 * picks it (for --help, `metacam methods` and docs).
 */
export function methodsHelpText(): string {
  const width = (f: (m: CamMethod) => string): number => Math.max(...METHODS.map((m) => f(m).length));
  const [idW, titleW, groupW, costW] = [width((m) => m.id), width((m) => m.title), width((m) => m.group), width((m) => m.cost)];
  return METHODS.map((m) =>
    `  ${m.id.padEnd(idW)}  ${m.title.padEnd(titleW)}  ${m.group.padEnd(groupW)}  ${m.optIn ? m.cost.padEnd(costW) + '  opt-in' : m.cost}`,
  ).join('\n');
}

/**
 * The per-frame stage every job shares — the file pipeline, live preview, still images and evaluation: a
 * frame's member maps → MetaCAM (consensus, thresholds smoothed over time, scene cuts) → overlay. Settings in
 * the factory, frames in the call; one instance per stream, since it carries the smoothers' state.
 * `withMetaCam` (below) and `overlayFrames` (overlay/) are its two steps as RxJS operators.
 */
import { map, type OperatorFunction } from 'rxjs';
import type { Frame } from '../core/frame.js';
import type { FrameMaps } from '../core/frame-maps.js';
import type { CamMethod } from '../explain/methods/types.js';
import { createMetaCam } from '../metacam/create-metacam.js';
import type { MetaCamSettings } from '../metacam/metacam-settings.js';
import type { ExplanationMaps, FrameExplanation } from '../core/frame-explanation.js';
import { overlayItem, resolveOverlayOptions, type OverlayOptions, type WithOverlay } from '../overlay/index.js';

export interface MetaCamItem {
  readonly frame: Frame;
  readonly explanation: FrameExplanation;
  readonly maps: ExplanationMaps;
}

export type ExplainedItem = WithOverlay<MetaCamItem>;

export interface FrameStageOptions {
  readonly members: readonly CamMethod[];
  readonly labels: readonly string[];
  readonly metacam?: Partial<MetaCamSettings>;
  /** Overlay look; grid tiles are captioned with the members' titles unless `titles` says otherwise. */
  readonly overlay?: Partial<OverlayOptions>;
}

export interface FrameStage {
  readonly settings: MetaCamSettings;
  readonly overlay: OverlayOptions;
  /** Member maps → MetaCAM explanation (advances the temporal state). */
  explain(frame: Frame, maps: FrameMaps): MetaCamItem;
  /** Explanation → overlay, with the stage's overlay options or `overlay` (e.g. a viewer's choice), into a recycled buffer. */
  render(item: MetaCamItem, how?: { overlay?: Partial<OverlayOptions>; into?: Uint8Array }): ExplainedItem;
  /** Forgets the temporal state. */
  reset(): void;
}

/** Grid captions: each member's title by id. */
export function memberTitles(members: readonly CamMethod[]): Record<string, string> {
  return Object.fromEntries(members.map((m) => [m.id, m.title]));
}

/**
 * The members MetaCAM fuses: all but the sanity baseline (Random-CAM), which is drawn and scored beside them but
 * would only add noise to the consensus; a selection of baselines alone is fused as given.
 */
export function fusedMembers(members: readonly CamMethod[]): string[] {
  const real = members.filter((m) => m.group !== 'baseline');
  return (real.length ? real : members).map((m) => m.id);
}

export function createFrameStage(o: FrameStageOptions): FrameStage {
  const metacam = createMetaCam({ ...o.metacam, members: fusedMembers(o.members), groups: Object.fromEntries(o.members.map((m) => [m.id, m.group])) });
  const titles = memberTitles(o.members);
  const resolve = (overlay: Partial<OverlayOptions> = {}): OverlayOptions => resolveOverlayOptions({ ...overlay, titles: overlay.titles ?? titles });
  const overlay = resolve(o.overlay);
  return {
    settings: metacam.settings,
    overlay,
    explain: (frame, maps) => ({ frame, ...metacam.explain(frame, maps, o.labels) }),
    render: (item, how = {}) => overlayItem(item, how.overlay ? resolve({ ...o.overlay, ...how.overlay }) : overlay, how.into),
    reset: () => metacam.reset(),
  };
}

/**
 * RxJS operator: per-frame member maps (from `explainFrames`) → MetaCAM explanation with thresholds smoothed
 * over time. One stage (and so one smoother state) per subscription, so the operator can be reused across streams.
 */
export function withMetaCam(
  session: { readonly members: readonly CamMethod[]; readonly model: { readonly labels: readonly string[] } },
  settings: Partial<MetaCamSettings> = {},
): OperatorFunction<{ frame: Frame; maps: FrameMaps }, MetaCamItem> {
  return (source) => {
    const stage = createFrameStage({ members: session.members, labels: session.model.labels, metacam: settings });
    return source.pipe(map(({ frame, maps }) => stage.explain(frame, maps)));
  };
}

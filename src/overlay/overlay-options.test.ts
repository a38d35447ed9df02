import { describe, expect, it } from 'vitest';
import { MetacamError } from '../errors.js';
import { DEFAULT_OVERLAY_OPTIONS, outlineColorFor, resolveOverlayOptions, type OverlayOptions } from './overlay-options.js';

describe('resolveOverlayOptions', () => {
  it('fills defaults', () => {
    expect(resolveOverlayOptions()).toEqual({ colormap: 'jet', alpha: 0.5, show: 'metacam', layout: 'single' });
    expect(resolveOverlayOptions({ alpha: undefined })).toEqual(DEFAULT_OVERLAY_OPTIONS);
    expect(resolveOverlayOptions({ colormap: 'turbo', alpha: 1, show: 'raw', layout: 'grid' }).colormap).toBe('turbo');
  });

  it.each<[Partial<Record<keyof OverlayOptions, unknown>>, RegExp]>([
    [{ colormap: 'viridis' }, /colormap 'viridis' is not valid; valid: jet, turbo, inferno/],
    [{ alpha: 1.5 }, /alpha 1.5 is not valid; expected a number from 0 to 1/],
    [{ alpha: Number.NaN }, /alpha NaN/],
    [{ alpha: '0.5' }, /alpha 0.5 is not valid/],
    [{ show: 'heat' }, /show 'heat' is not valid; valid: metacam, raw/],
    [{ layout: 'mosaic' }, /layout 'mosaic' is not valid; valid: single, grid/],
    [{ titles: { gradcam: 3 } }, /titles must map member ids to strings/],
    [{ outlineColor: [0, 0, 300] }, /outlineColor\[2\] 300/],
    [{ outlineWidth: 1.5 }, /outlineWidth 1.5 is not valid; expected an integer/],
    [{ textScale: 0 }, /textScale 0/],
  ])('%j → E_ARG %s', (opts, message) => {
    try {
      resolveOverlayOptions(opts as Partial<OverlayOptions>);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(MetacamError);
      expect((e as MetacamError).code).toBe('E_ARG');
      expect((e as MetacamError).exitCode).toBe(2);
      expect((e as Error).message).toMatch(message);
    }
  });

  it('picks a contrasting outline colour per colormap', () => {
    expect(outlineColorFor(resolveOverlayOptions({ colormap: 'jet' }))).toEqual([255, 255, 255]);
    expect(outlineColorFor(resolveOverlayOptions({ colormap: 'inferno' }))).toEqual([0, 230, 255]);
    expect(outlineColorFor(resolveOverlayOptions({ outlineColor: [1, 2, 3] }))).toEqual([1, 2, 3]);
  });
});

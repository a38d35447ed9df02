/**
 * Visual check: renders a realistic overlay and a grid, writes them as PNGs with the real ffmpeg
 * (test-output/overlay-sample.png, test-output/overlay-grid.png, for a person to look at), decodes them back
 * and checks that what was written is exactly what was rendered and that it shows what it should.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { gridLayout, labelText, overlayFrame, regionMask } from '../../src/overlay/index.js';
import { explanation, explanationMaps, sampleMembers, sceneFrame, TITLES } from './fixtures.js';
import { readPng, writePng } from './write-png.js';

const outDir = fileURLToPath(new URL('../../test-output/', import.meta.url));

describe('overlay PNGs (real ffmpeg)', () => {
  const frame = sceneFrame(1280, 720);
  const maps = explanationMaps(sampleMembers());
  const ex = explanation('Neutral', 0.87);

  it('single MetaCAM overlay at 1280×720 from 7×7 maps round-trips through PNG and looks right', async () => {
    const out = overlayFrame(frame, ex, maps, { colormap: 'jet', alpha: 0.5, show: 'metacam', layout: 'single' });
    const path = `${outDir}overlay-sample.png`;
    await writePng(out, path);
    const back = await readPng(path, 1280, 720);
    expect(Buffer.compare(Buffer.from(back), Buffer.from(out.data))).toBe(0);

    const mask = regionMask(maps.metacam, 1280, 720);
    let changedInside = 0;
    let changedOutside = 0;
    let area = 0;
    for (let i = 0; i < 1280 * 720; i++) {
      const same = out.data[i * 3] === frame.data[i * 3] && out.data[i * 3 + 1] === frame.data[i * 3 + 1] && out.data[i * 3 + 2] === frame.data[i * 3 + 2];
      if (mask[i]) {
        area++;
        if (!same) changedInside++;
      } else if (!same) changedOutside++;
    }
    expect(area / (1280 * 720)).toBeGreaterThan(0.05);
    expect(area / (1280 * 720)).toBeLessThan(0.4);
    expect(changedInside / area).toBeGreaterThan(0.95);
    // Outside the region only the label box changes: "Neutral 0.87" at scale 3.
    const labelArea = ((labelText(ex).length * 6 - 1) * 3 + 6) * (10 * 3);
    expect(changedOutside).toBeLessThanOrEqual(labelArea);
    expect(changedOutside).toBeGreaterThan(labelArea * 0.9);
  });

  it('grid overlay (frame, MetaCAM, 6 members) round-trips through PNG with even dimensions', async () => {
    const out = overlayFrame(frame, ex, maps, { colormap: 'jet', alpha: 0.5, show: 'metacam', layout: 'grid', titles: TITLES });
    const g = gridLayout(1280, 720, 8);
    expect([out.width, out.height]).toEqual([g.width, g.height]);
    expect(out.width % 2).toBe(0);
    expect(out.height % 2).toBe(0);
    const path = `${outDir}overlay-grid.png`;
    await writePng(out, path);
    const back = await readPng(path, out.width, out.height);
    expect(Buffer.compare(Buffer.from(back), Buffer.from(out.data))).toBe(0);
  });
});

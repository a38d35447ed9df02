/**
 * Why: pure-JS rasterisation of a scene into an RGB24 buffer, with the ground truth taken from the pixels
 * actually drawn: each object's bbox is the tight box [x0, y0, x1, y1) of its filled pixels (x1, y1
 * exclusive), so "pixels in the box are the shape's colour" holds by construction. No anti-aliasing: a
 * shape's pixels are exactly its colour.
 */
import { renderBackground } from './background.js';
import type { Scene } from './scene.js';
import { SHAPE_LABELS, shapeTester } from './shape-geometry.js';

export interface GtObject {
  readonly class: number;
  readonly label: string;
  readonly bbox: [number, number, number, number];
  readonly target: boolean;
}

export interface RenderedScene {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array; // RGB24, row-major
  readonly objects: GtObject[];
}

export function renderScene(scene: Scene, width: number, height: number, out = new Uint8Array(width * height * 3)): RenderedScene {
  renderBackground(scene.background, width, height, out, Math.round(((scene.backgroundShift ?? 0) * width) / 256));
  const objects: GtObject[] = [];
  for (const s of scene.shapes) {
    const cx = s.cx * width, cy = s.cy * height, r = s.r * width;
    const inside = shapeTester({ cls: s.cls, cx, cy, r, angle: s.angle, color: s.color });
    let x0 = width, y0 = height, x1 = -1, y1 = -1;
    const ya = Math.max(0, Math.floor(cy - r - 1)), yb = Math.min(height - 1, Math.ceil(cy + r + 1));
    const xa = Math.max(0, Math.floor(cx - r - 1)), xb = Math.min(width - 1, Math.ceil(cx + r + 1));
    for (let y = ya; y <= yb; y++) {
      for (let x = xa; x <= xb; x++) {
        if (!inside(x + 0.5, y + 0.5)) continue;
        const i = (y * width + x) * 3;
        out[i] = s.color[0]; out[i + 1] = s.color[1]; out[i + 2] = s.color[2];
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        if (y > y1) y1 = y;
      }
    }
    if (x1 >= 0) objects.push({ class: s.cls, label: SHAPE_LABELS[s.cls]!, bbox: [x0, y0, x1 + 1, y1 + 1], target: s.target });
  }
  return { width, height, data: out, objects };
}

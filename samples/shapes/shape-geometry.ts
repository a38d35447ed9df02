/**
 * Why: the five testbed classes as exact point-in-shape tests, so rendering (no anti-aliasing) and the
 * ground-truth boxes (tight boxes of the very pixels drawn) agree by construction.
 * A shape is centred at (cx, cy) with size r (circumradius, in pixels) and rotation `angle` (radians).
 */
export const SHAPE_LABELS = ['circle', 'square', 'triangle', 'star', 'cross'] as const;
export type ShapeLabel = (typeof SHAPE_LABELS)[number];

export interface ShapeSpec {
  readonly cls: number; // index into SHAPE_LABELS
  readonly cx: number;
  readonly cy: number;
  readonly r: number;
  readonly angle: number;
  readonly color: readonly [number, number, number];
}

type Pt = readonly [number, number];

function regularPolygon(n: number, r: number, angle: number, innerRatio?: number): Pt[] {
  const pts: Pt[] = [];
  const count = innerRatio ? n * 2 : n;
  for (let i = 0; i < count; i++) {
    const rr = innerRatio && i % 2 === 1 ? r * innerRatio : r;
    const a = angle - Math.PI / 2 + (i * 2 * Math.PI) / count;
    pts.push([rr * Math.cos(a), rr * Math.sin(a)]);
  }
  return pts;
}

function insidePolygon(pts: readonly Pt[], x: number, y: number): boolean {
  let inside = false;
  for (let i = 0, j = pts.length - 1; i < pts.length; j = i++) {
    const [xi, yi] = pts[i]!;
    const [xj, yj] = pts[j]!;
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** A point test for one shape, with its polygon precomputed once. */
export function shapeTester(s: ShapeSpec): (x: number, y: number) => boolean {
  const cos = Math.cos(-s.angle);
  const sin = Math.sin(-s.angle);
  switch (s.cls) {
    case 0:
      return (x, y) => (x - s.cx) ** 2 + (y - s.cy) ** 2 <= s.r * s.r;
    case 1: {
      const h = s.r * Math.SQRT1_2;
      return (x, y) => {
        const dx = x - s.cx, dy = y - s.cy;
        const u = dx * cos - dy * sin, v = dx * sin + dy * cos;
        return Math.abs(u) <= h && Math.abs(v) <= h;
      };
    }
    case 2: {
      const pts = regularPolygon(3, s.r, s.angle);
      return (x, y) => insidePolygon(pts, x - s.cx, y - s.cy);
    }
    case 3: {
      const pts = regularPolygon(5, s.r, s.angle, 0.45);
      return (x, y) => insidePolygon(pts, x - s.cx, y - s.cy);
    }
    case 4: {
      const arm = s.r * 0.3;
      const len = s.r * 0.95;
      return (x, y) => {
        const dx = x - s.cx, dy = y - s.cy;
        const u = Math.abs(dx * cos - dy * sin), v = Math.abs(dx * sin + dy * cos);
        return (u <= len && v <= arm) || (v <= len && u <= arm);
      };
    }
    default:
      throw new RangeError(`shape class ${s.cls} is not one of 0..${SHAPE_LABELS.length - 1}`);
  }
}

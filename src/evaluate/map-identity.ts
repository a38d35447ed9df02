/**
 * Which maps of a frame are the same map, so a costly score (ROAD, deletion / insertion) is computed once per
 * content: a content key (FNV-1a over the float bits, two lanes) finds candidates, exact equality confirms them.
 */
import type { CamMap } from '../core/cam-map.js';

/** A content key of a map (FNV-1a over its float bits): equal maps, equal keys. */
export function contentKey(map: CamMap): string {
  const bits = new Uint32Array(map.data.buffer, map.data.byteOffset, map.data.length);
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  for (let i = 0; i < bits.length; i++) {
    h1 = Math.imul(h1 ^ bits[i]!, 0x01000193);
    h2 = Math.imul(h2 ^ bits[i]!, 0x5bd1e995) ^ (h2 >>> 13);
  }
  return `${map.width}x${map.height}:${(h1 >>> 0).toString(36)}:${(h2 >>> 0).toString(36)}`;
}

/** Exact equality of two maps (a hash match is confirmed before scores are shared). */
export function sameMap(a: CamMap, b: CamMap): boolean {
  if (a.width !== b.width || a.height !== b.height) return false;
  for (let i = 0; i < a.data.length; i++) if (a.data[i] !== b.data[i]) return false;
  return true;
}


/** For each key, the key of the first map with the same content (itself when it is the first). */
export function firstOfEachContent(maps: ReadonlyMap<string, CamMap>): Map<string, string> {
  const firstByContent = new Map<string, { key: string; map: CamMap }[]>();
  const out = new Map<string, string>();
  for (const [key, map] of maps) {
    const ck = contentKey(map);
    const candidates = firstByContent.get(ck) ?? [];
    const same = candidates.find((c) => sameMap(c.map, map));
    if (same) out.set(key, same.key);
    else {
      candidates.push({ key, map });
      firstByContent.set(ck, candidates);
      out.set(key, key);
    }
  }
  return out;
}

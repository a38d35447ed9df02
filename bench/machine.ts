/**
 * What the numbers were measured on: cores, CPU model, memory, Node, and the load average when the run began
 * and ended (the machine is shared; a high load explains noisy absolute figures, ratios within one run hold).
 */
import os from 'node:os';

export interface MachineFacts {
  readonly cores: number;
  readonly cpuModel: string;
  readonly totalMemoryMiB: number;
  readonly node: string;
  readonly platform: string;
  readonly loadAverageAtStart: readonly number[];
}

export function machineFacts(): MachineFacts {
  const cpus = os.cpus();
  return {
    cores: cpus.length,
    cpuModel: cpus[0]?.model?.trim() ?? 'unknown',
    totalMemoryMiB: Math.round(os.totalmem() / 2 ** 20),
    node: process.version,
    platform: `${os.platform()} ${os.arch()}`,
    loadAverageAtStart: os.loadavg().map((l) => Math.round(l * 100) / 100),
  };
}

/** Peak resident set size of this process so far, MiB (the kernel's high-water mark). */
export function peakRssMiB(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

/**
 * Milliseconds to allocate and fill a fresh 720p RGB24 buffer vs refilling a reused one (medians of 24). On a
 * loaded VM the first touch of fresh pages (page faults) costs far more than the copy itself; every frame the
 * pipeline decodes and every overlay it paints is such a fresh buffer.
 */
export function freshBufferProbe(): { freshMs: number; reusedMs: number } {
  const size = 1280 * 720 * 3;
  const chunk = new Uint8Array(65536).fill(7);
  const fill = (b: Uint8Array): void => {
    for (let off = 0; off < size; off += chunk.length) b.set(chunk.subarray(0, Math.min(chunk.length, size - off)), off);
  };
  const med = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1];
  const fresh: number[] = [];
  const reused: number[] = [];
  const keep: Uint8Array[] = [];
  const reuse = new Uint8Array(size);
  for (let i = 0; i < 24; i++) {
    let t0 = performance.now();
    const b = new Uint8Array(size);
    fill(b);
    fresh.push(performance.now() - t0);
    keep.push(b);
    if (keep.length > 8) keep.shift();
    t0 = performance.now();
    fill(reuse);
    reused.push(performance.now() - t0);
  }
  return { freshMs: Math.round(med(fresh) * 100) / 100, reusedMs: Math.round(med(reused) * 100) / 100 };
}

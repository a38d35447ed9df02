import { describe, expect, it } from 'vitest';
import { createProgress, formatProgress } from './progress.js';

describe('formatProgress', () => {
  it('shows done/total, fps and ETA', () => {
    expect(formatProgress({ done: 50, total: 100, elapsedSeconds: 10 }, 10)).toBe('█████░░░░░ 50/100  5.0 fps  ETA 00:10');
  });
  it('shows a running count when the total is unknown', () => {
    expect(formatProgress({ done: 30, total: null, elapsedSeconds: 61, label: 'live' })).toBe('live 30 frames  0.5 fps  01:01');
  });
  it('has no ETA before the first frame', () => {
    expect(formatProgress({ done: 0, total: 10, elapsedSeconds: 0 }, 4)).toBe('░░░░ 0/10  0.0 fps  ETA --:--');
  });
});

describe('createProgress', () => {
  it('prints plain lines at an interval when not a TTY, and a final line once', () => {
    const out: string[] = [];
    let t = 0;
    const p = createProgress({ write: (s: string) => out.push(s), isTTY: false }, 10, { plainEverySeconds: 5, now: () => t });
    t = 1; p.update(1);
    t = 6; p.update(6);
    t = 10; p.update(10);
    p.finish();
    p.finish();
    expect(out).toEqual(['██████████████░░░░░░░░░░ 6/10  1.0 fps  ETA 00:04\n', '████████████████████████ 10/10  1.0 fps  ETA 00:00\n']);
  });
  it('redraws in place on a TTY', () => {
    const out: string[] = [];
    let t = 0;
    const p = createProgress({ write: (s: string) => out.push(s), isTTY: true }, 2, { now: () => t });
    t = 1; p.update(1);
    t = 2; p.update(2);
    p.finish();
    expect(out.every((s) => s.startsWith('\r\x1b[2K'))).toBe(true);
    expect(out.at(-1)!.endsWith('\n')).toBe(true);
  });
});

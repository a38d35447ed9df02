/**
 * Progress reporting: a one-line bar redrawn in place on a TTY (frames done/total, fps, ETA), plain lines
 * every few seconds otherwise (CI logs, pipes). Formatting is pure and tested; the writer only decides when.
 */
export interface ProgressState {
  readonly done: number;
  readonly total: number | null;
  readonly elapsedSeconds: number;
  readonly label?: string;
}

function clock(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '--:--';
  const s = Math.round(seconds);
  const m = Math.floor(s / 60);
  const h = Math.floor(m / 60);
  const mm = String(m % 60).padStart(2, '0');
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${mm}:${ss}` : `${mm}:${ss}`;
}

export function formatProgress(p: ProgressState, width = 24): string {
  const fps = p.elapsedSeconds > 0 ? p.done / p.elapsedSeconds : 0;
  const head = p.label ? `${p.label} ` : '';
  if (p.total === null || p.total <= 0) {
    return `${head}${p.done} frames  ${fps.toFixed(1)} fps  ${clock(p.elapsedSeconds)}`;
  }
  const frac = Math.min(1, p.done / p.total);
  const filled = Math.round(frac * width);
  const bar = '█'.repeat(filled) + '░'.repeat(width - filled);
  const eta = fps > 0 ? (p.total - p.done) / fps : NaN;
  return `${head}${bar} ${p.done}/${p.total}  ${fps.toFixed(1)} fps  ETA ${clock(eta)}`;
}

export interface ProgressWriter {
  update(done: number): void;
  finish(): void;
}

export function createProgress(stream: NodeJS.WriteStream | { write(s: string): unknown; isTTY?: boolean }, total: number | null, opts: { label?: string; plainEverySeconds?: number; now?: () => number } = {}): ProgressWriter {
  const now = opts.now ?? (() => performance.now() / 1000);
  const start = now();
  const tty = Boolean((stream as { isTTY?: boolean }).isTTY);
  const every = opts.plainEverySeconds ?? 5;
  let lastPlain = start;
  let lastDraw = 0;
  let done = 0;
  let finished = false;
  const line = () => formatProgress({ done, total, elapsedSeconds: now() - start, label: opts.label });
  return {
    update(n: number) {
      done = n;
      const t = now();
      if (tty) {
        if (t - lastDraw < 0.1 && n !== total) return;
        lastDraw = t;
        stream.write(`\r\x1b[2K${line()}`);
      } else if (t - lastPlain >= every) {
        lastPlain = t;
        stream.write(`${line()}\n`);
      }
    },
    finish() {
      if (finished) return;
      finished = true;
      stream.write(tty ? `\r\x1b[2K${line()}\n` : `${line()}\n`);
    },
  };
}

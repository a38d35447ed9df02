/**
 * Ctrl-C / SIGTERM handling for long runs. The first signal aborts the run (the pipeline stops reading, finishes
 * the frames it holds, closes the video and the audit log); a second one runs the synchronous emergency hooks
 * (e.g. the audit footer) and exits at once with 130. Handlers are removed by dispose().
 */
export interface Interrupt {
  readonly signal: AbortSignal;
  /** Synchronous last-resort hook for a second signal, when there is no time for async clean-up. */
  onInterrupt(hook: () => void): void;
  dispose(): void;
}

export function interruptSignal(proc: NodeJS.Process = process): Interrupt {
  const controller = new AbortController();
  const hooks: (() => void)[] = [];
  const handler = (sig: NodeJS.Signals) => {
    if (!controller.signal.aborted) {
      proc.stderr.write(`\nmetacam: ${sig} received: finishing the frames in flight (press Ctrl-C again to stop at once)\n`);
      controller.abort(new Error(`interrupted by ${sig}`));
      return;
    }
    for (const h of hooks) {
      try { h(); } catch { /* best effort: we are exiting */ }
    }
    proc.exit(130);
  };
  proc.on('SIGINT', handler);
  proc.on('SIGTERM', handler);
  return {
    signal: controller.signal,
    onInterrupt: (hook) => hooks.push(hook),
    dispose: () => {
      proc.off('SIGINT', handler);
      proc.off('SIGTERM', handler);
    },
  };
}

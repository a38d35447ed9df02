/** The label drawn on an explained frame: "<class label> <score to 2 decimals>", e.g. "Neutral 0.87". */
import type { FrameExplanation } from '../core/frame-explanation.js';

export function labelText(explanation: FrameExplanation): string {
  const { label, score } = explanation.target;
  return `${label} ${Number.isFinite(score) ? score.toFixed(2) : '-'}`;
}

/**
 * Conformance of Score-CAM and Ablation-CAM (full budget: all 32 channels) with pytorch-grad-cam. They need only
 * forward passes (192 per variant and mode), which the wasm backend runs ≈ 6× faster than cpu here; its float32
 * kernels still match the reference to ~1e-5. CAM_CONFORMANCE_BACKEND=cpu runs them on cpu (≈ 6 min on a loaded machine; errors ≤ 1.3e-5).
 */
import { selectBackend } from '../../src/explain/backend/backend.js';
import { conformanceSuite } from './conformance-suite.js';

const backend = process.env.CAM_CONFORMANCE_BACKEND === 'cpu' ? 'cpu' : 'wasm';
conformanceSuite(['scorecam', 'ablationcam'], () => selectBackend(backend));

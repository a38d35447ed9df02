/** Conformance of the gradient and Eigen methods with pytorch-grad-cam, on the cpu backend (exact float32). */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { conformanceSuite } from './conformance-suite.js';

conformanceSuite(
  ['gradcam', 'hirescam', 'gradcam-elementwise', 'gradcam++', 'xgradcam', 'layercam', 'eigencam', 'eigengradcam'],
  () => tf.setBackend('cpu'),
);

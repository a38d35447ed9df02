/** Our method id → pytorch-grad-cam's class name, for the eleven-method reference data (layers and ONNX fixtures). */
export const REF_NAME: Readonly<Record<string, string>> = {
  gradcam: 'GradCAM',
  hirescam: 'HiResCAM',
  'gradcam-elementwise': 'GradCAMElementWise',
  'gradcam++': 'GradCAMPlusPlus',
  xgradcam: 'XGradCAM',
  layercam: 'LayerCAM',
  eigencam: 'EigenCAM',
  eigengradcam: 'EigenGradCAM',
  scorecam: 'ScoreCAM',
  ablationcam: 'AblationCAM',
};

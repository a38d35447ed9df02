import { describe, expect, it } from 'vitest';
import { modulePath } from './onnx-layers.js';

describe('modulePath: the PyTorch module path torch.onnx.export spells in a value name', () => {
  it.each([
    ['/features/features.18/features.18.2/Clip_output_0', 'features.18.2'],
    ['/features/features.16/conv/conv.0/conv.0.0/Conv_output_0', 'features.16.conv.0.0'],
    ['/features/features.16/Add_output_0', 'features.16'],
    ['/layer1/layer1.0/conv1/Conv_output_0', 'layer1.0.conv1'],
    ['/b3/b3.2/Relu_output_0', 'b3.2'],
    ['/Flatten_output_0', undefined],
    ['logits', undefined],
  ])('%s → %s', (value, path) => {
    expect(modulePath(value)).toBe(path);
  });
});

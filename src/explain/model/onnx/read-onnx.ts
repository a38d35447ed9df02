/**
 * Reads a `.onnx` file with the maintained protobuf schema package (`onnx-proto`, protobufjs). A missing file, a
 * file that is not an ONNX protobuf, or one without a graph are typed errors (exit 2) that say what was expected.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import onnxProto from 'onnx-proto';
import { MetacamError } from '../../../errors.js';

export type OnnxModelProto = onnxProto.onnx.ModelProto;

export function readOnnxFile(path: string): { proto: OnnxModelProto; bytes: Buffer } {
  if (!existsSync(path)) throw new MetacamError('E_MODEL_NOT_FOUND', `model file '${path}' does not exist`);
  if (!statSync(path).isFile()) throw new MetacamError('E_MODEL_NOT_FOUND', `model path '${path}' is not a file`);
  const bytes = readFileSync(path);
  return { proto: decodeOnnx(bytes, path), bytes };
}

export function decodeOnnx(bytes: Uint8Array, label: string): OnnxModelProto {
  let proto: OnnxModelProto;
  try {
    proto = onnxProto.onnx.ModelProto.decode(bytes);
  } catch (e) {
    throw new MetacamError(
      'E_MODEL_INVALID',
      `'${label}' is not a valid ONNX model (protobuf decoding failed: ${(e as Error).message}); export it again with torch.onnx.export`,
      { cause: e },
    );
  }
  const g = proto.graph;
  if (!g || (g.node?.length ?? 0) === 0 || (g.input?.length ?? 0) === 0 || (g.output?.length ?? 0) === 0) {
    throw new MetacamError('E_MODEL_INVALID', `'${label}' decodes as protobuf but holds no ONNX graph (no nodes, inputs or outputs); is it really an .onnx file?`);
  }
  return proto;
}

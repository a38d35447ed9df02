/**
 * `metacam image` on ONNX exports, through the real binary: the command line (module-path --layer,
 * torchvision preprocessing flags, --dump-maps) reproduces the reference maps and classes; --labels names the
 * classes; broken models and bad layers are typed errors with exit 2 and nothing written.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import onnxProto from 'onnx-proto';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { minMaxRelu, pearson } from '../methods/harness.js';
import { fixturePath, loadOnnxRefs, REF_METHOD } from '../methods/onnx-fixture.js';

const dir = mkdtempSync(join(tmpdir(), 'metacam-onnx-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const MNV2 = fixturePath('mnv2', 'model.onnx');
const TINY = fixturePath('tiny', 'model.onnx');
const TORCHVISION = ['--input-range', '0,1', '--mean', '0.485,0.456,0.406', '--std', '0.229,0.224,0.225'];
const EIGHT = ['gradcam', 'hirescam', 'gradcam-elementwise', 'gradcam++', 'xgradcam', 'eigencam', 'eigengradcam', 'layercam'];

interface Dump { layer: string; class: { index: number; label: string }; maps: Record<string, { width: number; height: number; data: number[] }> }

describe('metacam image --model model.onnx --dump-maps', () => {
  const TEN = [...EIGHT, 'scorecam', 'ablationcam'];
  // MobileNetV2 by module path with torchvision preprocessing; the tiny net by module path with all 10 methods.
  const CASES = [
    ['mnv2', 'argmax', ['--layer', 'features.18', ...TORCHVISION, '--methods', EIGHT.join(',')]],
    ['mnv2', 'fixed', ['--layer', 'features.18', ...TORCHVISION, '--methods', EIGHT.join(',')]],
    ['tiny', 'argmax', ['--layer', 'b3', '--input-range', '0,1', '--methods', TEN.join(','), '--max-channels', '32']],
    ['tiny', 'fixed', ['--layer', 'b3', '--input-range', '0,1', '--methods', TEN.join(','), '--max-channels', '32']],
  ] as const;
  it.each(CASES)('%s, %s target: the issue\'s command line reproduces the reference maps of img0', async (fixture, mode, flags) => {
    const refs = loadOnnxRefs(fixture);
    const dump = join(dir, `${fixture}-${mode}.json`);
    const out = join(dir, `${fixture}-${mode}.png`);
    const classFlags = mode === 'fixed' ? ['--class', String(refs.json.fixed_class)] : [];
    const r = await runCli(['image', fixturePath(fixture, 'img0.png'), '--model', fixturePath(fixture, 'model.onnx'), ...flags, ...classFlags, '--dump-maps', dump, '-o', out, '--backend', 'wasm']);
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(out)).toBe(true);
    const d = JSON.parse(readFileSync(dump, 'utf8')) as Dump;
    expect(d.layer).toBe(refs.json.target_value);
    expect(d.class.index).toBe(refs.json.target_modes[mode][0]);
    const ids = Object.keys(REF_METHOD).filter((id) => refs.json.methods[REF_METHOD[id]]);
    expect(Object.keys(d.maps).filter((k) => k !== 'metacam').sort()).toEqual([...ids].sort());
    for (const id of ids) {
      const ref = refs.json.methods[REF_METHOD[id]][mode].cam_raw;
      const per = ref.shape[1] * ref.shape[2];
      const raw = new Float32Array(refs.bin.buffer.slice(refs.bin.byteOffset + ref.offset, refs.bin.byteOffset + ref.offset + per * 4));
      let r0 = pearson(minMaxRelu(raw), d.maps[id].data);
      if (id.startsWith('eigen')) r0 = Math.max(r0, pearson(minMaxRelu(raw.map((v) => -v)), d.maps[id].data));
      expect(r0, id).toBeGreaterThanOrEqual(0.999);
    }
  });

  it('--labels labels.txt names the classes; a labels file of the wrong length is E_ARG', async () => {
    const labels = join(dir, 'labels.txt');
    writeFileSync(labels, `${Array.from({ length: 6 }, (_, i) => `shape-${i}`).join('\n')}\n`);
    const r = await runCli(['image', fixturePath('tiny', 'img0.png'), '--model', TINY, '--labels', labels, '--methods', 'gradcam', '-o', join(dir, 'tiny.png'), '--json', '--backend', 'wasm']);
    expect(r.code, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as { class: { label: string } }).class.label).toBe(`shape-${loadOnnxRefs('tiny').json.argmax[0]}`);
    writeFileSync(labels, 'a\nb\n');
    const bad = await runCli(['image', fixturePath('tiny', 'img0.png'), '--model', TINY, '--labels', labels, '-o', join(dir, 'never.png'), '--backend', 'wasm']);
    expect(bad.code, bad.stderr).toBe(2);
    expect(bad.stderr).toContain('error E_ARG:');
    expect(bad.stderr).toMatch(/2 labels, but the model has 6 classes/);
    expect(existsSync(join(dir, 'never.png'))).toBe(false);
  });
});

/** The tiny export, edited with the protobuf schema package and written back. */
function editedTiny(name: string, edit: (m: onnxProto.onnx.ModelProto) => void): string {
  const m = onnxProto.onnx.ModelProto.decode(readFileSync(TINY));
  edit(m);
  const path = join(dir, name);
  writeFileSync(path, onnxProto.onnx.ModelProto.encode(m).finish());
  return path;
}

describe('broken ONNX models and bad layers: typed errors, exit 2, nothing written', () => {
  const truncated = join(dir, 'truncated.onnx');
  writeFileSync(truncated, readFileSync(TINY).subarray(0, 5000));
  const cases: [string, () => string, string[], string, RegExp][] = [
    ['unsupported operator', () => editedTiny('celu.onnx', (m) => { m.graph!.node![1].opType = 'Celu'; }), [], 'E_MODEL_UNSUPPORTED', /'Celu' \(node '\/b1\/b1\.2\/Relu'\) is not supported; supported operators: .*Conv.*GlobalAveragePool/],
    ['missing file', () => join(dir, 'no-such-model.onnx'), [], 'E_MODEL_NOT_FOUND', /does not exist/],
    ['corrupt protobuf', () => truncated, [], 'E_MODEL_INVALID', /not a valid ONNX model/],
    ['wrong input rank', () => editedTiny('rank3.onnx', (m) => { m.graph!.input![0].type!.tensorType!.shape!.dim!.pop(); }), [], 'E_MODEL_INVALID', /\[\?,3,64\]; metacam explains image classifiers with an NCHW RGB input \[N,3,H,W\]/],
    ['unknown --layer', () => TINY, ['--layer', 'features.99'], 'E_LAYER_NOT_FOUND', /candidate layers: .*\/b3\/b3\.2\/Relu_output_0 \[32×32×32\]/],
    ['ambiguous --layer', () => TINY, ['--layer', 'b'], 'E_LAYER_NOT_FOUND', /ambiguous: it is a prefix of modules b1, b2, b3/],
    ['non-spatial --layer', () => TINY, ['--layer', '/gap/GlobalAveragePool_output_0'], 'E_LAYER_NOT_SPATIAL', /not a spatial map/],
  ];
  it.each(cases)('%s', async (_name, model, flags, code, message) => {
    const out = join(dir, `${code}-${_name.replace(/\W+/g, '-')}.png`);
    const dump = `${out}.json`;
    const r = await runCli(['image', fixturePath('tiny', 'img0.png'), '--model', model(), ...flags, '--methods', 'gradcam', '-o', out, '--dump-maps', dump, '--backend', 'wasm']);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(`error ${code}:`);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(existsSync(out)).toBe(false);
    expect(existsSync(dump)).toBe(false);
  });
});

describe('metacam explain --model model.onnx', () => {
  it('writes an explained video; the audit header records the format and the model sha256', async () => {
    const out = join(dir, 'sample.onnx.mp4');
    const audit = join(dir, 'sample.onnx.audit.jsonl');
    const r = await runCli(['explain', 'samples/sample.mp4', '--model', MNV2, ...TORCHVISION, '--max-frames', '12', '-o', out, '--audit', audit, '--backend', 'wasm']);
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(out)).toBe(true);
    const header = JSON.parse(readFileSync(audit, 'utf8').split('\n')[0]) as { type: string; model: { id: string; format: string; sha256: string }; layer: string };
    expect(header.type).toBe('header');
    expect(header.model.format).toBe('onnx');
    expect(header.model.sha256).toBe(createHash('sha256').update(readFileSync(MNV2)).digest('hex'));
    expect(header.layer).toBe('/features/features.18/features.18.2/Clip_output_0'); // the default layer
    const verify = await runCli(['audit', 'verify', audit]);
    expect(verify.code, verify.stderr + verify.stdout).toBe(0);
  });
});

import { describe, expect, it } from 'vitest';
import { MetacamError } from '../errors.js';
import { parseEvaluateArgs, parseExplainArgs, parseImageArgs, parseLiveArgs } from './args.js';

function code(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return e instanceof MetacamError ? e.code : `not a MetacamError: ${String(e)}`;
  }
  return undefined;
}

describe('parseExplainArgs', () => {
  it('fills defaults: realtime preset, k = 10, smoothing 0.5 s, jet at alpha 0.5, batch 8', () => {
    const o = parseExplainArgs(['in.mp4', '-o', 'out.mp4']);
    expect(o).toMatchObject({
      input: 'in.mp4', output: 'out.mp4', model: 'mobilenet-v2', preset: 'realtime', topK: 10, smoothSeconds: 0.5,
      colormap: 'jet', alpha: 0.5, show: 'metacam', layout: 'single', batch: 8, backend: 'auto', classChoice: 'auto',
    });
  });

  it.each([
    [['--class', '3'], { classChoice: 3 }],
    [['--class', 'Neutral'], { classChoice: 'Neutral' }],
    [['--methods', 'gradcam,hirescam'], { methods: ['gradcam', 'hirescam'], preset: undefined }],
    [['--method', 'scorecam'], { methods: ['scorecam'] }],
    [['--groups', 'gradcam,eigen'], { groups: ['gradcam', 'eigen'], preset: undefined }],
    [['--preset', 'full'], { preset: 'full' }],
    [['--target', 'finer', '--methods', 'gradcam,shapleycam'], { target: 'finer', methods: ['gradcam', 'shapleycam'] }],
    [['--target', 'softmax'], { target: 'softmax' }],
    [['--layer', 'conv3'], { layer: 'conv3' }],
    [['--layer', 'conv1,conv2,conv3', '--methods', 'refinecam'], { layer: 'conv3', extraLayers: ['conv1', 'conv2'] }],
    [['--top-k', '20', '--binary'], { topK: 20, binary: true }],
    [['--smooth', '0'], { smoothSeconds: 0 }],
    [[], { consensus: 'sum' }],
    [['--consensus', 'group'], { consensus: 'group' }],
    [['--input-range=-1,1', '--mean', '0.5,0.5,0.5', '--std', '0.2,0.2,0.2'], { inputRange: '-1,1', mean: [0.5, 0.5, 0.5], std: [0.2, 0.2, 0.2] }],
    [['--layout', 'grid', '--show', 'raw', '--colormap', 'turbo', '--alpha', '0.7'], { layout: 'grid', show: 'raw', colormap: 'turbo', alpha: 0.7 }],
    [['--audit', 'a.jsonl', '--stats', '--json'], { audit: 'a.jsonl', stats: true, json: true }],
  ])('%j → %j', (extra, expected) => {
    expect(parseExplainArgs(['in.mp4', '-o', 'out.mp4', ...extra])).toMatchObject(expected);
  });

  it.each([
    [[], 'no input'],
    [['a.mp4', 'b.mp4', '-o', 'o.mp4'], 'two inputs'],
    [['a.mp4'], 'no output'],
    [['a.mp4', '-o', 'o.avi'], 'not mp4'],
    [['a.mp4', '-o', 'o.mp4', '--top-k', '0'], 'k = 0'],
    [['a.mp4', '-o', 'o.mp4', '--top-k', '100'], 'k = 100'],
    [['a.mp4', '-o', 'o.mp4', '--top-k', 'ten'], 'k not a number'],
    [['a.mp4', '-o', 'o.mp4', '--alpha', '1.5'], 'alpha > 1'],
    [['a.mp4', '-o', 'o.mp4', '--batch', '0'], 'batch 0'],
    [['a.mp4', '-o', 'o.mp4', '--batch', '2.5'], 'batch not integer'],
    [['a.mp4', '-o', 'o.mp4', '--colormap', 'rainbow'], 'unknown colormap'],
    [['a.mp4', '-o', 'o.mp4', '--consensus', 'vote'], 'unknown consensus rule'],
    [['a.mp4', '-o', 'o.mp4', '--backend', 'cuda'], 'unknown backend'],
    [['a.mp4', '-o', 'o.mp4', '--input-range', '0,2'], 'unknown input range'],
    [['a.mp4', '-o', 'o.mp4', '--mean', '1,2'], 'mean needs 3 numbers'],
    [['a.mp4', '-o', 'o.mp4', '--method', 'a', '--methods', 'b'], 'method and methods'],
    [['a.mp4', '-o', 'o.mp4', '--preset', 'full', '--methods', 'gradcam'], 'preset and methods'],
    [['a.mp4', '-o', 'o.mp4', '--frobnicate'], 'unknown flag'],
    [['a.mp4', '-o', 'o.mp4', '--target', 'prob'], 'unknown target'],
  ])('%j is rejected (%s) with E_ARG', (argv) => {
    expect(code(() => parseExplainArgs(argv))).toBe('E_ARG');
  });

  it('names the flag and the valid range in the message', () => {
    expect(() => parseExplainArgs(['a.mp4', '-o', 'o.mp4', '--top-k', '100'])).toThrow(/--top-k must be a number strictly between 0 and 100/);
    expect(() => parseExplainArgs(['a.mp4', '-o', 'o.mp4', '--colormap', 'x'])).toThrow(/jet, turbo, inferno/);
  });

  it('several inputs with --out-dir: one run each, d/<name>.mp4 + d/<name>.audit.jsonl; the first is input/output', () => {
    const o = parseExplainArgs(['clips/a.mp4', 'b.mov', '--out-dir', 'd', '--queue', 'redis://h:1']);
    expect(o).toMatchObject({ input: 'clips/a.mp4', output: 'd/a.mp4', audit: 'd/a.audit.jsonl', outDir: 'd', queue: 'redis://h:1' });
    expect(o.runs).toEqual([
      { input: 'clips/a.mp4', output: 'd/a.mp4', audit: 'd/a.audit.jsonl' },
      { input: 'b.mov', output: 'd/b.mp4', audit: 'd/b.audit.jsonl' },
    ]);
    expect(parseExplainArgs(['a.mp4', '--out-dir', 'd']).runs).toHaveLength(1);
    expect(parseExplainArgs(['a.mp4', '-o', 'o.mp4']).runs).toBeUndefined();
  });

  it.each([
    [['a.mp4', 'b.mp4', '-o', 'o.mp4'], /several inputs write to --out-dir|need --out-dir/],
    [['a.mp4', 'b.mp4', '-o', 'o.mp4', '--out-dir', 'd'], /-o names one output; several inputs write to --out-dir d/],
    [['a.mp4', 'b.mp4'], /Several inputs \(a\.mp4 b\.mp4\) need --out-dir DIR/],
    [['a.mp4', '-o', 'o.mp4', '--out-dir', 'd'], /either -o out\.mp4 or --out-dir DIR/],
    [['x/a.mp4', 'y/a.mp4', '--out-dir', 'd'], /would both write d\/a\.mp4/],
    [['a.mp4', 'b.mp4', '--out-dir', 'd', '--audit', 'x.jsonl'], /--audit names one log/],
    [['a.mp4', 'b.mp4', '--out-dir', 'd', '--audit-thumbs', 't'], /--audit-thumbs cannot be combined with --out-dir/],
  ])('%j → E_ARG %s', (argv, message) => {
    expect(() => parseExplainArgs(argv)).toThrow(message);
    expect(code(() => parseExplainArgs(argv))).toBe('E_ARG');
  });

  it('takes defaults for the demo command', () => {
    expect(parseExplainArgs([], { model: 'shapes', input: 'samples/x.mp4', output: 'out/demo.mp4' })).toMatchObject({ input: 'samples/x.mp4', model: 'shapes' });
  });
});

describe('parseImageArgs', () => {
  it('parses dump-maps and methods', () => {
    expect(parseImageArgs(['x.png', '--methods', 'gradcam,eigencam', '--dump-maps', 'm.json'])).toMatchObject({ input: 'x.png', methods: ['gradcam', 'eigencam'], dumpMaps: 'm.json', output: undefined });
  });
});

describe('parseLiveArgs', () => {
  it('binds to loopback by default on port 8080', () => {
    expect(parseLiveArgs(['testsrc'])).toMatchObject({ source: 'testsrc', host: '127.0.0.1', port: 8080, token: undefined });
  });
  it('refuses a public bind without a token', () => {
    expect(code(() => parseLiveArgs(['testsrc', '--host', '0.0.0.0']))).toBe('E_ARG');
    expect(parseLiveArgs(['testsrc', '--host', '0.0.0.0', '--token', 's3cret'])).toMatchObject({ host: '0.0.0.0', token: 's3cret' });
  });
  it('parses --size', () => {
    expect(parseLiveArgs(['testsrc', '--size', '640x480'])).toMatchObject({ width: 640, height: 480 });
    expect(code(() => parseLiveArgs(['testsrc', '--size', '640']))).toBe('E_ARG');
  });
});

describe('parseEvaluateArgs', () => {
  it('takes a list of k and a JSON output path', () => {
    expect(parseEvaluateArgs(['c.mp4', '--ground-truth', 'c.gt.jsonl', '--top-k', '5,10', '--json', 'r.json', '--road'])).toMatchObject({
      input: 'c.mp4', groundTruth: 'c.gt.jsonl', topKs: [5, 10], jsonOut: 'r.json', road: true, cre: false, model: 'shapes', json: false,
    });
  });
  it('takes no ground truth (then only the box-free metrics are scored)', () => {
    expect(parseEvaluateArgs(['c.mp4', '--road'])).toMatchObject({ input: 'c.mp4', groundTruth: undefined, road: true });
    expect(parseEvaluateArgs(['c.mp4', '--smooth-maps', '0.3', '--consensus', 'group'])).toMatchObject({ smoothMaps: 0.3, consensus: 'group', smoothSeconds: 0.5 });
    expect(parseEvaluateArgs(['c.mp4'])).toMatchObject({ smoothMaps: 0.5, hysteresis: 0.2, mapMotion: 'follow', consensus: 'sum' });
    expect(parseEvaluateArgs(['c.mp4', '--hysteresis', '0', '--map-motion', 'static'])).toMatchObject({ hysteresis: 0, mapMotion: 'static' });
    expect(code(() => parseEvaluateArgs(['c.mp4', '--hysteresis', '1']))).toBe('E_ARG');
    expect(code(() => parseEvaluateArgs(['c.mp4', '--map-motion', 'warp']))).toBe('E_ARG');
    expect(code(() => parseEvaluateArgs([]))).toBe('E_ARG');
  });
});

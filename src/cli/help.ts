/** Help texts. The method list comes from the one registry, so --help never disagrees with the code. */
import { methodsHelpText } from '../explain/methods/index.js';

const MODEL_FLAGS = `Model and methods:
  -m, --model <name|path>        bundled model (see \`metacam models\`), a tfjs model.json (layers or graph
                                 model) or an ONNX export (model.onnx, e.g. from torch.onnx.export)
  --layer <name>                 target layer (default: the last 4-D layer before global pooling); for ONNX an
                                 ONNX value name or a PyTorch module path (features.18); \`metacam models inspect\`;
                                 --layer a,b,target: refinecam also multiplies in layers a and b
  --class auto|<index>|<label>   class to explain (default auto = the predicted class of each frame)
  --preset realtime|full         realtime (default): members needing no per-channel passes and no full
                                 backprop; full: all 11 methods (Score-/Ablation-CAM use --max-channels)
  --methods <a,b,…> | --method <id>   explicit members instead of a preset
  --groups <g,…>                 ensemble groups: gradcam, hirescam, xgradcam, perturbation, eigen, fullgrad
  --target logit|softmax|finer   what the gradient methods explain (default logit: the raw class score;
                                 finer: FinerCAM's score minus the 3 classes nearest it, weighted by softmax)
  --aug-smooth                   average each map over horizontal flip × input scale 0.9/1/1.1 (6× the cost)
  --eigen-smooth                 each map = first principal component of the terms it sums (weights methods,
                                 HiResCAM, Grad-CAM element-wise, LayerCAM); both off by default
  --max-channels <N>             channel budget for Score-CAM / Ablation-CAM (default 64: the N channels with
                                 the largest mean activation, as Faster-Score-CAM does)
  --top-k <k>                    keep the top k% of each map and of the consensus (0 < k < 100, default 10)
  --binary                       thresholded maps keep 1s instead of their values
  --consensus sum|group          sum (default): one vote per distinct member map; group: one vote per method
                                 group (its distinct members averaged) — see docs/metacam.md
  --profile <profile.json>       a calibration profile (\`metacam calibrate\`): sets the members, their weights
                                 (consensus 'weighted'), k and the layer; refuses a model with another sha256
  --batch <N>                    frames per forward/backward pass (default 8)
  --backend auto|tensorflow|wasm|cpu   (auto: tfjs-node-gpu, tfjs-node, wasm, cpu — first that loads)
  --input-range 0,1|-1,1|0,255, --mean r,g,b, --std r,g,b   preprocessing for your own model
                                 (torchvision: --input-range 0,1 --mean 0.485,0.456,0.406 --std 0.229,0.224,0.225)
  --labels <labels.txt>          class names, one per line, for any model`;

const OVERLAY_FLAGS = `Overlay:
  --show metacam|raw             the MetaCAM region (default) or the unthresholded consensus
  --layout single|grid           one overlaid frame, or one labelled tile per member + MetaCAM
  --colormap jet|turbo|inferno   (default jet)     --alpha <0..1> heatmap opacity (default 0.5)`;

const TIME_FLAGS = `Time:
  --smooth <seconds>             time constant of the threshold smoother (default 0.5; 0 disables it and the hysteresis)
  --hysteresis <0..0.9>          a pixel in the region leaves only below (1 − h)·τ (default 0.2; 0 = none)
  --smooth-maps <seconds>        time constant of the consensus-map smoother (default 0.5; 0 disables)
  --map-motion follow|static     map smoothing follows the object's motion (default) or averages in place
                                 (--smooth 0 --smooth-maps 0: no temporal smoothing at all)
  --scene-cut <0..1>             histogram distance that counts as a scene cut (resets the smoothers)`;

export function explainHelp(command: 'explain' | 'demo'): string {
  const usage = command === 'demo'
    ? 'Usage: metacam demo [-o out/demo.mp4] [--audit out/demo.audit.jsonl] [options of explain]\n  Explains the bundled sample clip with the bundled model.'
    : 'Usage: metacam explain <in.mp4> -o <out.mp4> [options]\n       metacam explain <a.mp4> <b.mp4> … --out-dir <dir> [options]';
  return [usage, '', MODEL_FLAGS, '', OVERLAY_FLAGS, '', TIME_FLAGS, '',
    `Output:
  -o, --output <out.mp4>         H.264 MP4, same frame count and fps as the input, audio copied through
  --out-dir <dir>                one or several inputs: <dir>/<name>.mp4 and <dir>/<name>.audit.jsonl each
                                 (inputs need different file names); one model load, inputs one after another
                                 (with --queue: every input's segments enqueued at once); --json prints
                                 { outDir, runs: [one summary per input] }
  --audit <log.jsonl>            tamper-evident frame-by-frame audit log (verify: metacam audit verify)
  --audit-thumbs <dir>           also save an overlay thumbnail every --audit-thumbs-every frames (default 25)
  --json                         print one JSON summary on stdout      --stats  print flicker and scene cuts
  --max-frames <N>               stop after N frames                  --verbose  stack traces on errors
  --in-process                   run inference on the main thread (default: a worker thread, so decoding,
                                 inference and encoding overlap)
  --queue <redis://host:port>    explain in segments on \`metacam worker\`s through BullMQ (docs/scale-out.md);
                                 input and output must be on a folder the workers see at the same path
                                 (a shared folder); a worker that cannot see them fails the run saying so
  --segment-seconds <S>          segment length for --queue (default 30; each segment also
                                 explains ≈ 9 × --smooth seconds before it, to warm the smoother)`,
    '', 'Methods (group, cost per frame; opt-in = only by name in --methods):', methodsHelpText()].join('\n');
}

export function workerHelp(): string {
  return `Usage: metacam worker --redis <redis://host:port> [--concurrency N] [--lock-seconds S]
  Takes segment jobs of \`metacam explain … --queue\` from Redis, explains them with the same pipeline, and joins
  finished runs. Input and output paths must be reachable here at the same path (a shared folder).
  --redis <url>                  redis:// or rediss:// (TLS); a password in the URL is never printed
  --concurrency <N>              segments at once in this process (default 1)
  --lock-seconds <S>             how long a dead worker's segment waits before another worker redoes it (default 30)`;
}

export function queueHelp(): string {
  return `Usage: metacam queue clean --redis <redis://host:port> [--json]
  Removes finished runs of \`metacam explain … --queue\` (completed or failed, with their segments) from Redis.
  Runs still going are kept. A finished run's jobs are what lets the same command again reuse it: after a clean,
  it starts over.`;
}

export function imageHelp(): string {
  return ['Usage: metacam image <in.png|in.jpg> [-o out.png] [--dump-maps maps.json] [options]', '', MODEL_FLAGS, '', OVERLAY_FLAGS, '',
    '  --dump-maps <maps.json>        every member\'s low-res map (after ReLU and min-max; refinecam at its finest layer) and the MetaCAM map', '', 'Methods (group, cost per frame; opt-in = only by name in --methods):', methodsHelpText()].join('\n');
}

export function calibrateHelp(): string {
  return `Usage: metacam calibrate <clip> [-g <clip.gt.jsonl>] -m <model> -o <profile.json> [options]

Fits MetaCAM on a calibration clip: on --frames evenly spaced frames, MetaCAM is built from every non-empty
subset of the method groups present (identical maps vote once) and each is scored — ROAD always, the pointing
game with ground truth — with 95 % bootstrap intervals; CRE per group comes from the subsets' ROAD. The chosen
subset has the best pointing game (with -g) or ROAD (without); ties: higher ROAD, then fewer members. Its members
get weight 1. The profile (schemas/metacam-profile.schema.json) is what --profile reads. Calibrate on a clip you
will not report on (samples/shapes/clip.mp4, not heldout.mp4). See docs/metacam.md, "Calibration".

  -g, --ground-truth <file>   JSON Lines boxes as for \`metacam evaluate\` (optional)
  -o, --output <file>         the profile (JSON)
  --frames <N>                frames scored, evenly spaced (default 24)
  --top-k <k>                 k of every threshold (default 10)
  --road-protocol fair|pgc    (default fair; see \`metacam evaluate --help\`)
  --preset / --methods / --groups   the candidate members (default --preset full)
  -m, --model, --layer, --batch, --backend, --max-channels, --binary   as for \`metacam explain\`
  --json                      print a one-line JSON summary instead of the table`;
}

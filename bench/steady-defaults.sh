#!/usr/bin/env bash
# Issue 15 "steady by default": flicker and pointing game of the streamed MetaCAM (as `explain` draws it) for
# temporal smoothing off vs on. Usage: bench/steady-defaults.sh <clip.mp4> <gt.jsonl|-> <model> <out-dir> <label> [smooth smoothMaps]...
# Each pair "S M" runs `metacam evaluate --preset realtime --top-k 10 --smooth S --smooth-maps M` and writes
# <out-dir>/<label>-s<S>-m<M>.json; one line per run (with `uptime`) goes to <out-dir>/runs.log.
# EXTRA='--map-motion static' (say) adds flags to every run; put them in the label too.
set -euo pipefail
clip=$1; gt=$2; model=$3; out=$4; label=$5; shift 5
mkdir -p "$out"
while [ $# -ge 2 ]; do
  s=$1; m=$2; shift 2
  gtargs=(); [ "$gt" != "-" ] && gtargs=(-g "$gt")
  start=$(uptime)
  node bin/metacam.js evaluate "$clip" "${gtargs[@]}" -m "$model" --preset realtime --top-k 10 --smooth "$s" --smooth-maps "$m" ${EXTRA:-} \
    --json "$out/$label-s$s-m$m.json" > /dev/null 2>&1
  node -e '
    const r = require(process.argv[1]); const m = r.results.metacam["10"];
    const f = (v, ci) => v === undefined ? "-" : `${v.toFixed(4)} [${ci[0].toFixed(3)}, ${ci[1].toFixed(3)}]`;
    console.log([process.argv[2], `frames ${r.frames}`, `smooth ${r.smoothSeconds}`, `smoothMaps ${r.smoothMaps}`,
      `flickerSmoothed ${f(m.flickerSmoothed, m.flickerSmoothedCi)}`, `pointingGameSmoothed ${f(m.pointingGameSmoothed, m.pointingGameSmoothedCi)}`].join(" | "));
  ' "$(realpath "$out/$label-s$s-m$m.json")" "$label" | tee -a "$out/runs.log"
  echo "  load at start: ${start##*load average: }; at end: $(uptime | sed 's/.*load average: //')" | tee -a "$out/runs.log"
done

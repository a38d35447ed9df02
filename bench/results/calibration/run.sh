#!/usr/bin/env bash
# Calibrates the full preset on the calibration clip (never heldout.mp4) for each testbed model, recording the
# load before and after and the wall time. Run from the repository root.
set -euo pipefail
out=bench/results/calibration
for model in "$@"; do
  log="$out/$model-full-k10.log"
  echo "before: $(uptime)" > "$log"
  start=$(date +%s.%N)
  node bin/metacam.js calibrate samples/shapes/clip.mp4 -g samples/shapes/clip.gt.jsonl -m "$model" --preset full \
    --top-k 10 --road-protocol fair -o "$out/$model-full-k10.profile.json" >> "$log" 2>&1
  end=$(date +%s.%N)
  echo "wall: $(echo "$end - $start" | bc) s" >> "$log"
  echo "after: $(uptime)" >> "$log"
done

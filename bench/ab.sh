#!/bin/bash
# A/B for hold-memory: alternate one run in each checkout (each with node_modules and `npm run build`
# done), N rounds, and print each run's "Runway vs bare" ratio and CPU figures. Alternating matters:
# this VM's speed drifts by up to 2x over minutes, the ratio much less.
#   bench/ab.sh 3 /path/to/before /path/to/after     (logs: /tmp/ab-<dir name>-<round>.log)
set -euo pipefail
rounds=$1
shift
for i in $(seq 1 "$rounds"); do
  for dir in "$@"; do
    log="/tmp/ab-$(basename "$dir")-$i.log"
    (cd "$dir" && timeout 400 node bin/run-ts.js bench/hold-memory.ts --releases 1000 --seconds 30 --compiled 1 >"$log" 2>&1)
    ratio=$(grep -oE 'Runway vs bare +[0-9.]+×' "$log" | grep -oE '[0-9.]+×' || echo '?')
    cpu=$(grep -oE 'CPU per sample +worker [0-9.]+ ms, redis [0-9.]+ ms' "$log" | sed 's/CPU per sample *//' || echo '?')
    bare=$(grep -oE '= [0-9.]+ ms per sample' "$log" | head -1 || echo '?')
    echo "$(basename "$dir") round $i: $ratio  $cpu  bare $bare"
  done
done

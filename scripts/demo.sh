#!/usr/bin/env bash
# npm run demo: from nothing to a benchmark report.
#   deps → .venv (pyspark) → 16 MB of skewed data over 60 days → the smoke grid (pre and post, local mode) → report.
# Prints where the data, the run and the report are. Outputs go to demo-out/ (git-ignored).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
ensure_node_modules
ensure_java
cd "$ROOT"
npm run --silent setup

OUT="$ROOT/demo-out"
DATA="$OUT/data"
RUN="$OUT/runs/$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$OUT/runs"

if [ -f "$DATA/_manifest.json" ]; then
  say "reusing $DATA (delete it to regenerate)"
else
  say "generating 16 MB of interactions over 60 days into $DATA"
  node bin/gen.js --scale 16mb --days 60 --out "$DATA" --overwrite
fi

say "running the smoke grid (bench/grids/smoke.json) on local mode"
node bin/bench.js run --configs bench/grids/smoke.json --data "$DATA" --out "$RUN" --keep-outputs
node bin/bench.js compare "$RUN"
node bin/bench.js report "$RUN" --screenshot >/dev/null
# The product analyst's page, from the first post job's output tables (kept by --keep-outputs).
POST_OUT="$(ls -d "$RUN"/outputs/*-post-r* 2>/dev/null | head -n 1 || true)"
if [ -n "$POST_OUT" ]; then
  node bin/bench.js insights "$POST_OUT" --report "$RUN/insights.html" --manifest "$DATA/_manifest.json" >/dev/null
fi

cat <<TXT

data:        $DATA
run:         $RUN   (runs.jsonl, summary.csv, eventlogs/, logs/)
report:      $RUN/report.html
screenshot:  $RUN/report.png
insights:    $RUN/insights.html   (from ${POST_OUT:-no post output})
compare:     node bin/bench.js compare $RUN
TXT

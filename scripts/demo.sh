#!/usr/bin/env bash
# npm run demo: from nothing to a benchmark report.
#   deps → .venv (pyspark) → 16 MB of skewed data over 60 days → the demo grid (one configuration, local mode: the floor,
#   pre and post jobs) → compare → report + screenshot → the insights page.
# Prints where the data, the run and the report are. Outputs go to demo-out/ (git-ignored).
# A failed run inside the grid still gets its report (the grid goes on, the report shows the failure); the demo then
# exits non-zero after printing where everything is.
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

say "running the demo grid (bench/grids/demo.json) on local mode: floor, pre and post"
status=0
node bin/bench.js run --configs bench/grids/demo.json --jobs floor,pre,post --data "$DATA" --out "$RUN" --keep-outputs || status=$?
[ -f "$RUN/runs.jsonl" ] || die "bench run wrote no run record under $RUN (exit $status)"
node bin/bench.js compare "$RUN" || status=1
node bin/bench.js report "$RUN" --screenshot >/dev/null || status=1
# The product analyst's page, from the first post job's output tables (kept by --keep-outputs).
POST_OUT="$(ls -d "$RUN"/outputs/*-post-r* 2>/dev/null | head -n 1 || true)"
if [ -n "$POST_OUT" ]; then
  node bin/bench.js insights "$POST_OUT" --report "$RUN/insights.html" --manifest "$DATA/_manifest.json" >/dev/null || status=1
fi

cat <<TXT

data:        $DATA
run:         $RUN   (runs.jsonl, summary.csv, eventlogs/, logs/)
report:      $RUN/report.html
screenshot:  $RUN/report.png
insights:    $RUN/insights.html   (from ${POST_OUT:-no post output})
compare:     node bin/bench.js compare $RUN
TXT
[ "$status" = 0 ] || die "a run in the demo grid failed (exit $status): see $RUN/report.html and $RUN/logs/"

#!/usr/bin/env bash
# npm run bench:jobs: floor, pre and post under the conditions of 1 TB (Spark's default 10 MB broadcast threshold, so
# metadata joins are sort-merge joins) on `gen --scale S --days 30` for each scale, one `bench run` per dataset (the
# three jobs of one dataset share one run, so their ratios are measured together), then `bench compare`: the "x floor"
# column is post/floor (and pre/floor), the speed-up line pre/post.
#   npm run bench:jobs                                   # 256mb and 2gb
#   BENCH_JOBS_SCALES="16mb 256mb" npm run bench:jobs    # other scales
#   BENCH_JOBS_JOBS=floor,post npm run bench:jobs        # leave pre out (pre at 2 GB takes tens of minutes on 2 cores)
#   BENCH_JOBS_REPEAT=3 npm run bench:jobs               # runs per job (interleaved floor, pre, post, floor, …); medians
#   BENCH_JOBS_SCALES="256mb:3 2gb:1" npm run bench:jobs # a repeat per scale (scale:repeat)
# The grid (bench-jobs.grid.json) fixes no shuffle partition count, so each job keeps its own choice, as it would at
# 1 TB: pre Spark's default 200 with AQE coalescing, post one partition of events per 64 MiB of input. A fixed 8 (the
# grid until 2026-12-02) made post spill 59 GiB at 2 GB (results/2026-12-02-jobs-2gb).
# The data's window is pinned (BENCH_JOBS_END, default 2026-11-30): gen's default window ends today, so an unpinned
# dataset would change from one day to the next.
# The daily run (BENCH_JOBS_DAILY=0 leaves it out): post with --silver, as a scheduler runs it each day. Its silver
# folder (<data>.silver) is filled by one untimed post run first; then floor and post --silver --recompute-since <end>
# (yesterday's 29 days read from silver, the new day deduplicated) share a second bench run: its "x floor" is the
# daily run against the same floor. Runs: results/<UTC date>-jobs-<scale>-daily/. BENCH_JOBS_DAILY=only: the daily
# run alone.
# Data: $BENCH_JOBS_DATA/<scale>-30d-<end> (default .cache/bench-jobs), generated once and reused (delete to regenerate).
# Runs: results/<UTC date>-jobs-<scale>/ (runs.jsonl, summary.csv, event logs; the dataset's _manifest.json copied).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
npm run --silent setup
SCALES="${BENCH_JOBS_SCALES:-256mb 2gb}"
JOBS="${BENCH_JOBS_JOBS:-floor,pre,post}"
REPEAT="${BENCH_JOBS_REPEAT:-1}"
END="${BENCH_JOBS_END:-2026-11-30}"
DATA_ROOT="${BENCH_JOBS_DATA:-$ROOT/.cache/bench-jobs}"
GRID="$ROOT/spark-jobs/tools/bench-jobs.grid.json"
STAMP="$(date -u +%Y-%m-%d)"
status=0
for entry in $SCALES; do
  scale="${entry%%:*}"
  repeat="$REPEAT"
  [ "$entry" != "$scale" ] && repeat="${entry#*:}"
  data="$DATA_ROOT/$scale-30d-$END"
  if [ ! -f "$data/_manifest.json" ]; then
    echo "[bench-jobs] generating gen --scale $scale --days 30 --end $END into $data" >&2
    node bin/gen.js --scale "$scale" --days 30 --end "$END" --out "$data" --overwrite
  fi
  run="$ROOT/results/$STAMP-jobs-$scale"
  [ -e "$run" ] && run="$run-$(date -u +%H%M%S)"
  if [ "${BENCH_JOBS_DAILY:-1}" != "only" ]; then
    echo "[bench-jobs] $scale: $JOBS × $repeat → $run" >&2
    node bin/bench.js run --configs "$GRID" --jobs "$JOBS" --repeat "$repeat" --data "$data" --out "$run" || status=1
    cp "$data/_manifest.json" "$run/_manifest.json" 2>/dev/null || true
    echo "== $scale (gen --scale $scale --days 30 --end $END): x floor = job / floor; speed-up = pre / post =="
    node bin/bench.js compare "$run" || status=1
  fi
  if [ "${BENCH_JOBS_DAILY:-1}" != "0" ]; then
    silver="$data.silver"
    rm -rf "$silver" "$data.prime-out"
    echo "[bench-jobs] $scale: filling $silver (one untimed post --silver run)" >&2
    PATH="$ROOT/.venv/bin:$PATH" spark-submit --master local[2] --driver-memory 8g --conf spark.ui.enabled=false \
      spark-jobs/post_optimization.py --interactions "$data/interactions" --metadata "$data/metadata" \
      --out "$data.prime-out" --output-format parquet --silver "$silver" >&2 || status=1
    rm -rf "$data.prime-out"
    daily_grid="$(mktemp --suffix=.json)"
    node -e 'const fs=require("fs");const g=JSON.parse(fs.readFileSync(process.argv[1],"utf8"));
      g.jobs=["floor","post"];g.configs=g.configs.map(c=>({...c,postJob:{silver:process.argv[2],recomputeSince:process.argv[3]}}));
      fs.writeFileSync(process.argv[4],JSON.stringify(g,null,2));' "$GRID" "$silver" "$END" "$daily_grid"
    daily="$run-daily"
    echo "[bench-jobs] $scale daily: floor,post --silver --recompute-since $END × $repeat → $daily" >&2
    node bin/bench.js run --configs "$daily_grid" --jobs floor,post --repeat "$repeat" --data "$data" --out "$daily" || status=1
    cp "$data/_manifest.json" "$daily/_manifest.json" 2>/dev/null || true
    rm -f "$daily_grid"
    echo "== $scale daily (post --silver, one new day of 30): x floor = daily post / floor =="
    node bin/bench.js compare "$daily" || status=1
  fi
done
exit "$status"

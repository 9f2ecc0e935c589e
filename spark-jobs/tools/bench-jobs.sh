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
#   BENCH_JOBS_SCALES="256mb 2gb:1:16g" npm run bench:jobs   # and a heap per scale (scale:repeat:heap; the default)
#   BENCH_JOBS_MEMORY=12g npm run bench:jobs             # the heap of every job where a scale names none (default 8g)
# The heap is the one local JVM's (--driver-memory), the same for floor, pre and post of a dataset. At 2 GB pre needs
# more than 8g (on 8g it failed after 31 min: a sort-merge join's sorter could not get memory from the hash aggregate
# above it, results/2026-12-02-jobs-2gb-115140), so the default gives 2 GB 16g, for all three jobs alike.
# The grid (bench-jobs.grid.json) fixes no shuffle partition count, so each job keeps its own choice, as it would at
# 1 TB: pre Spark's default 200 with AQE coalescing, post one partition of events per 64 MiB of input. A fixed 8 (the
# grid until 2026-12-02) made post spill 59 GiB at 2 GB (results/2026-12-02-jobs-2gb).
# The data's window is pinned (BENCH_JOBS_END, default 2026-11-30): gen's default window ends today, so an unpinned
# dataset would change from one day to the next.
# The daily run (BENCH_JOBS_DAILY=0 leaves it out, =only runs it alone): post with --silver, as a scheduler runs it
# each day. One untimed post run fills its silver folder (<data>.silver) first; then the bench run holds, beside the
# grid's configuration, the same one with postJob {silver, recomputeSince: <end>} running floor and post only (29
# dates' session pieces read from silver, the newest date deduplicated again): its "x floor" is the daily run against
# a floor measured in the same run, interleaved with the cold runs.
# Data: $BENCH_JOBS_DATA/<scale>-30d-<end> (default .cache/bench-jobs), generated once and reused (delete to regenerate).
# Runs: results/<UTC date>-jobs-<scale>/ (runs.jsonl, summary.csv, event logs; the dataset's _manifest.json copied).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
SCALES="${BENCH_JOBS_SCALES:-256mb 2gb:1:16g}"
JOBS="${BENCH_JOBS_JOBS:-floor,pre,post}"
REPEAT="${BENCH_JOBS_REPEAT:-1}"
END="${BENCH_JOBS_END:-2026-11-30}"
DAILY="${BENCH_JOBS_DAILY:-1}"
MEMORY="${BENCH_JOBS_MEMORY:-8g}"
DATA_ROOT="${BENCH_JOBS_DATA:-$ROOT/.cache/bench-jobs}"
GRID="$ROOT/spark-jobs/tools/bench-jobs.grid.json"
STAMP="$(date -u +%Y-%m-%d)"
# Each entry with its defaults filled in ("scale repeat heap"), all checked before anything is installed or run.
entries=()
for entry in $SCALES; do
  IFS=: read -r scale repeat heap <<<"$entry"
  repeat="${repeat:-$REPEAT}"
  heap="${heap:-$MEMORY}"
  if ! [[ "$repeat" =~ ^[1-9][0-9]*$ && "$heap" =~ ^[1-9][0-9]*[mMgG]$ ]]; then
    echo "bench-jobs: '$entry' is not scale[:repeat[:heap]] (e.g. 2gb:1:16g)" >&2
    exit 2
  fi
  entries+=("$scale $repeat $heap")
done
npm run --silent setup
status=0
for entry in "${entries[@]}"; do
  read -r scale repeat heap <<<"$entry"
  data="$DATA_ROOT/$scale-30d-$END"
  if [ ! -f "$data/_manifest.json" ]; then
    echo "[bench-jobs] generating gen --scale $scale --days 30 --end $END into $data" >&2
    node bin/gen.js --scale "$scale" --days 30 --end "$END" --out "$data" --overwrite
  fi
  run="$ROOT/results/$STAMP-jobs-$scale"
  [ -e "$run" ] && run="$run-$(date -u +%H%M%S)"
  jobs="$JOBS"
  silver="$data.silver"
  if [ "$DAILY" != 0 ]; then
    rm -rf "$silver" "$data.prime-out"
    echo "[bench-jobs] $scale: filling $silver (one untimed post --silver run)" >&2
    PATH="$ROOT/.venv/bin:$PATH" spark-submit --master 'local[2]' --driver-memory "$heap" --conf spark.ui.enabled=false \
      spark-jobs/post_optimization.py --interactions "$data/interactions" --metadata "$data/metadata" \
      --out "$data.prime-out" --output-format parquet --silver "$silver" >&2 || status=1
    rm -rf "$data.prime-out"
    [ "$DAILY" = "only" ] && jobs="floor,post"
  fi
  # The run's grid: the scale's heap for every job; with the daily run, each configuration again with post's silver
  # flags, running floor and post only (DAILY=only: those alone).
  grid="$(mktemp --suffix=.json)"
  node -e 'const fs=require("fs");const [src,heap,silver,end,mode,out]=process.argv.slice(1);
    const g=JSON.parse(fs.readFileSync(src,"utf8"));g.base.executorMemory=heap;
    const daily=g.configs.map(c=>({...c,jobs:["floor","post"],postJob:{...c.postJob,silver,recomputeSince:end}}));
    g.configs=mode==="0"?g.configs:mode==="only"?daily:[...g.configs,...daily];fs.writeFileSync(out,JSON.stringify(g,null,2));' \
    "$GRID" "$heap" "$silver" "$END" "$DAILY" "$grid"
  echo "[bench-jobs] $scale: $jobs × $repeat, heap $heap (daily: $DAILY) → $run" >&2
  node bin/bench.js run --configs "$grid" --jobs "$jobs" --repeat "$repeat" --data "$data" --out "$run" || status=1
  rm -f "$grid"
  cp "$data/_manifest.json" "$run/_manifest.json" 2>/dev/null || true
  echo "== $scale (gen --scale $scale --days 30 --end $END): x floor = job / floor at its configuration; speed-up = pre / post; the postJob={silver…} rows are the daily run =="
  node bin/bench.js compare "$run" || status=1
done
exit "$status"

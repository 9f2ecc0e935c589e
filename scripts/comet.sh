#!/usr/bin/env bash
# Apache DataFusion Comet, the optional native engine of a bench grid ("engine": "comet"): one jar (the Spark plugin
# with its Rust library for Linux amd64/arm64 inside, ~99 MB), fetched from Maven Central into .cache/jars/ and
# verified against Maven Central's .sha1. Never fetched by set-up: only a grid that names the engine needs it.
#
#   bash scripts/comet.sh            fetch (idempotent; instant when the jar is there)
#   bash scripts/comet.sh fetch      the same
#   bash scripts/comet.sh jar        print the jar's path (whether or not it has been fetched)
#   bash scripts/comet.sh bench      the Comet study (docs/benchmarks.md "Comet"): floor and post under spark, comet and
#                                    comet with its Arrow cache in ONE bench run (bench/grids/comet-256mb.json, interleaved, COMET_BENCH_REPEAT=3) on
#                                    gen --scale 256mb --days 30 --end 2026-11-30 (COMET_BENCH_DATA, generated when
#                                    missing), then bench compare (x floor, comet vs spark) and the fallback reasons
#                                    Comet logged (fallbacks.txt in the run folder). COMET_BENCH_JOBS_DIR: the jobs to
#                                    run (default spark-jobs). Run it on a quiet machine: its ratios are wall times.
#   bash scripts/comet.sh fallbacks RUN_DIR   just the fallback count of a run folder
#
# Why this artifact: Comet publishes one jar per Spark minor and Scala version
# (org.apache.datafusion:comet-spark-spark<major.minor>_<scala>); pyspark 4.1.1 in .venv is Spark 4.1 on Scala 2.13,
# and 1.2.0 is the first and only Comet release for Spark 4.1 on Maven Central (maven-metadata.xml, 2026-12), marked
# experimental for 4.1 in Comet's installation guide. The settings that turn it on live in
# bench/harness/run/engine.ts (the one place bench adds them; docs/benchmarks.md "Comet" shows them for spark-submit).
set -euo pipefail
source "$(dirname "$0")/lib.sh"


# "major.minor scala" of the pyspark in .venv (or SPARK_VERSION / SCALA_VERSION when set, e.g. before the venv exists).
spark_line() {
  if [ -n "${SPARK_VERSION:-}" ]; then echo "${SPARK_VERSION%.*} ${SCALA_VERSION:-2.13}"; return; fi
  local jar
  jar=$(ls "$VENV"/lib/python3*/site-packages/pyspark/jars/spark-core_*.jar 2>/dev/null | head -n1 || true)
  [ -n "$jar" ] || die "no spark-core jar in .venv's pyspark: run npm run setup first"
  basename "$jar" | sed -E 's/^spark-core_([0-9.]+)-([0-9]+\.[0-9]+)\..*\.jar$/\2 \1/'
}

# group:artifact:version of the Comet jar for a Spark line.
artifact_for() {
  case "$1 $2" in
    "4.1 2.13") echo org.apache.datafusion:comet-spark-spark4.1_2.13:1.2.0 ;;
    *) die "no pinned Comet release for Spark $1 / Scala $2: pick one from $MAVEN/org/apache/datafusion/ and add it to scripts/comet.sh" ;;
  esac
}



# The reasons Comet gave for running parts of a plan on Spark, counted over a run's logs (spark.comet.explain.fallback.enabled).
# Then every node of those logged plans by name: Comet* ran natively, the rest on Spark (most of those carry no reason:
# their input was not native).
fallbacks() { # run folder
  grep -ohE '^ *[:|+ -]*[A-Za-z]+[A-Za-z ]* \[COMET: [^]]*\]' "$1"/logs/*.log 2>/dev/null | sed -E 's/^[ :|+-]*//' | sort | uniq -c | sort -rn
  echo "-- nodes of the plans above, by name --"
  awk '/WARN CometExecRule: Comet cannot execute/ { inplan = 1; next } inplan && /^Comet accelerated/ { inplan = 0 } inplan' "$1"/logs/*.log 2>/dev/null |
    sed -E 's/^[ :|+-]*//' | awk 'NF { print $1 }' | sort | uniq -c | sort -rn
}

bench() {
  local end=2026-11-30 data run
  data=${COMET_BENCH_DATA:-$ROOT/.cache/bench-jobs/256mb-30d-$end}
  bash "$0" fetch
  if [ ! -f "$data/_manifest.json" ]; then
    say "generating gen --scale 256mb --days 30 --end $end into $data"
    node "$ROOT/bin/gen.js" --scale 256mb --days 30 --end "$end" --out "$data" --overwrite
  fi
  run="$ROOT/results/$(date -u +%Y-%m-%d)-comet-256mb"
  [ -e "$run" ] && run="$run-$(date -u +%H%M%S)"
  local status=0
  node "$ROOT/bin/bench.js" run --configs "$ROOT/bench/grids/comet-256mb.json" --repeat "${COMET_BENCH_REPEAT:-3}" --data "$data" \
    --jobs-dir "${COMET_BENCH_JOBS_DIR:-$ROOT/spark-jobs}" --out "$run" || status=1
  cp "$data/_manifest.json" "$run/_manifest.json" 2>/dev/null || true
  fallbacks "$run" > "$run/fallbacks.txt"
  echo "== gen --scale 256mb --days 30 --end $end: x floor = job / floor (same engine); comet vs spark = spark median / comet median =="
  node "$ROOT/bin/bench.js" compare "$run" || status=1
  echo "== what ran on Spark under comet, and why (count of plan nodes over all runs; $run/fallbacks.txt) =="
  cat "$run/fallbacks.txt"
  return "$status"
}

case "${1:-fetch}" in
  fetch | jar) ;;
  bench) cd "$ROOT" && bench; exit ;;
  fallbacks) fallbacks "${2:?usage: comet.sh fallbacks RUN_DIR}"; exit ;;
  *) echo "usage: comet.sh [fetch|jar|bench|fallbacks RUN_DIR]" >&2; exit 2 ;;
esac
line=$(spark_line) # a failure here stops the script (set -e), with spark_line's message
gav=$(artifact_for ${line})
if [ "${1:-fetch}" = jar ]; then jar_path "$gav"; else fetch_jar "$gav"; fi

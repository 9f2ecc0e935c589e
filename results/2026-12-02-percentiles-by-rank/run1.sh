#!/usr/bin/env bash
# run1.sh NAME JOBS_DIR DATA OUT_ROOT: one spark-submit of post as bench-jobs' grid launches it (local[2], 8 GB, AQE
# on, broadcast threshold Spark's default), event log kept; appends "NAME rc wall" to OUT_ROOT/walls.txt.
# JOBS_DIR is a spark-jobs/ folder (a copy of the repository's at the commit to measure); VENV defaults to .venv.
set -u
name=$1; jobs=$2; data=$3; root=$4
V="${VENV:-$(pwd)/.venv}"; export PATH="$V/bin:$PATH"
out="$root/$name-$(date +%H%M%S)"; mkdir -p "$out/ev"
s=$(date +%s.%N)
"$V/bin/spark-submit" --master 'local[2]' --driver-memory 8g --conf spark.ui.enabled=false \
  --conf spark.sql.adaptive.enabled=true --conf spark.eventLog.enabled=true --conf "spark.eventLog.dir=$out/ev" \
  --conf "spark.pyspark.python=$V/bin/python" --conf "spark.pyspark.driver.python=$V/bin/python" \
  "$jobs/post_optimization.py" --interactions "$data/interactions" --metadata "$data/metadata" --out "$out/o" \
  > "$out/log" 2>&1
rc=$?
echo "$name rc=$rc wall=$(echo "$(date +%s.%N) - $s" | bc) load=$(cut -d' ' -f1 /proc/loadavg) $(date +%T)" | tee -a "$root/walls.txt"

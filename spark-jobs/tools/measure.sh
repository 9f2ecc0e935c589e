#!/usr/bin/env bash
# Pre and post on the same data, each through spark-submit with an uncompressed event log (for `node bin/bench.js analyze`).
# Broadcast joins are disabled by threshold (explicit broadcast hints still apply): at real scale metadata is ~100 GB,
# so small generated metadata must not get a broadcast join the real one never would.
#   bash spark-jobs/tools/measure.sh DATA_DIR WORK_DIR
set -u
cd /work/main
export SPARK_HOME=$(.venv/bin/python -c 'import pyspark,os;print(os.path.dirname(pyspark.__file__))') PYSPARK_PYTHON=/work/main/.venv/bin/python
D=${1:?usage: measure.sh DATA_DIR WORK_DIR}; W=${2:?usage: measure.sh DATA_DIR WORK_DIR}; mkdir -p $W/ev-pre $W/ev-post
for job in pre post; do
  /usr/bin/time -f "$job wall %e s maxrss %M KB" .venv/bin/spark-submit --master 'local[2]' --driver-memory 2g \
    --conf spark.ui.showConsoleProgress=false --conf spark.sql.autoBroadcastJoinThreshold=-1 \
    --conf spark.eventLog.enabled=true --conf spark.eventLog.dir=$W/ev-$job --conf spark.eventLog.compress=false \
    spark-jobs/${job}_optimization.py --interactions $D/interactions --metadata $D/metadata --out $W/out-$job
  echo "$job rc=$?"
done

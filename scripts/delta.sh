#!/usr/bin/env bash
# Delta Lake for the .venv's Spark: delta-spark built for Spark 4.1 and what it needs beyond Spark's own jars, fetched
# from Maven Central into .cache/jars/ (each verified against Maven Central's .sha1, skipped when present) and copied
# into the venv's pyspark/jars/, so every Spark this repository starts (spark-submit, `python job.py`, a local Spark
# Connect server, the test session) can read and write Delta without --packages and without resolving at run time.
#
#   bash scripts/delta.sh          fetch + install (idempotent; well under a second when done)
#
# Why these versions: Delta 4.1.0 is the release built on Spark 4.1 (its release notes; delta-spark 4.0.x is for
# Spark 4.0, and 4.1.0 is documented as incompatible with Spark >= 4.1.2). From 4.1.0 on, the Maven artifact carries
# the Spark version: delta-spark_4.1_2.13. Its pom adds delta-storage and unitycatalog-client (and jsr305, log4j and
# slf4j, which pyspark already ships). The Python side (delta-spark==4.1.0) is pinned in spark-jobs/pyproject.toml.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

ARTIFACTS=(
  io.delta:delta-spark_4.1_2.13:4.1.0
  io.delta:delta-storage:4.1.0
  io.unitycatalog:unitycatalog-client:0.4.0
)


case "${1:-fetch}" in
  fetch)
    spark_jars=$(ls -d "$VENV"/lib/python3*/site-packages/pyspark/jars 2>/dev/null | head -n1 || true)
    [ -n "$spark_jars" ] || die "no pyspark in .venv: run npm run setup first"
    for gav in "${ARTIFACTS[@]}"; do
      fetch_jar "$gav"
      jar=$(jar_path "$gav")
      cmp -s "$jar" "$spark_jars/${jar##*/}" || cp "$jar" "$spark_jars/${jar##*/}"
    done
    ;;
  *) echo "usage: delta.sh [fetch]" >&2; exit 2 ;;
esac

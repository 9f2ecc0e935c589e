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

JARS_DIR="$ROOT/.cache/jars"
MAVEN=${MAVEN_CENTRAL:-https://repo1.maven.org/maven2}
ARTIFACTS=(
  io.delta:delta-spark_4.1_2.13:4.1.0
  io.delta:delta-storage:4.1.0
  io.unitycatalog:unitycatalog-client:0.4.0
)

fetch_one() {
  local gav=$1 g a v url dest tmp want have
  g=${gav%%:*}; a=${gav#*:}; a=${a%%:*}; v=${gav##*:}
  dest="$JARS_DIR/$a-$v.jar"
  [ -s "$dest" ] && return 0
  url="$MAVEN/${g//.//}/$a/$v/$a-$v.jar"
  say "downloading $a-$v.jar from Maven Central"
  tmp="$dest.part"
  curl -sSfL --retry 3 -o "$tmp" "$url" || { rm -f "$tmp"; die "download failed: $url"; }
  want=$(curl -sSfL --retry 3 "$url.sha1" | cut -c1-40) || { rm -f "$tmp"; die "download failed: $url.sha1"; }
  have=$(sha1sum "$tmp" | cut -c1-40)
  [ "$want" = "$have" ] || { rm -f "$tmp"; die "$a-$v.jar: sha1 $have does not match Maven Central's $want"; }
  mv "$tmp" "$dest"
}

case "${1:-fetch}" in
  fetch)
    spark_jars=$(ls -d "$VENV"/lib/python3*/site-packages/pyspark/jars 2>/dev/null | head -n1 || true)
    [ -n "$spark_jars" ] || die "no pyspark in .venv: run npm run setup first"
    mkdir -p "$JARS_DIR"
    for gav in "${ARTIFACTS[@]}"; do
      fetch_one "$gav"
      a=${gav#*:}; a=${a%%:*}; v=${gav##*:}
      cmp -s "$JARS_DIR/$a-$v.jar" "$spark_jars/$a-$v.jar" || cp "$JARS_DIR/$a-$v.jar" "$spark_jars/$a-$v.jar"
    done
    ;;
  *) echo "usage: delta.sh [fetch]" >&2; exit 2 ;;
esac

#!/usr/bin/env bash
# Apache DataFusion Comet, the optional native engine of a bench grid ("engine": "comet"): one jar (the Spark plugin
# with its Rust library for Linux amd64/arm64 inside, ~99 MB), fetched from Maven Central into .cache/jars/ and
# verified against Maven Central's .sha1. Never fetched by set-up: only a grid that names the engine needs it.
#
#   bash scripts/comet.sh            fetch (idempotent; instant when the jar is there)
#   bash scripts/comet.sh fetch      the same
#   bash scripts/comet.sh jar        print the jar's path (whether or not it has been fetched)
#
# Why this artifact: Comet publishes one jar per Spark minor and Scala version
# (org.apache.datafusion:comet-spark-spark<major.minor>_<scala>); pyspark 4.1.1 in .venv is Spark 4.1 on Scala 2.13,
# and 1.2.0 is the first and only Comet release for Spark 4.1 on Maven Central (maven-metadata.xml, 2026-12), marked
# experimental for 4.1 in Comet's installation guide. The settings that turn it on live in
# bench/harness/run/engine.ts (the one place bench adds them; docs/benchmarks.md "Comet" shows them for spark-submit).
set -euo pipefail
source "$(dirname "$0")/lib.sh"

JARS_DIR="$ROOT/.cache/jars"
MAVEN=${MAVEN_CENTRAL:-https://repo1.maven.org/maven2}

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

jar_path() { # group:artifact:version -> local path
  local a=${1#*:}; a=${a%%:*}; local v=${1##*:}
  echo "$JARS_DIR/$a-$v.jar"
}

fetch() {
  local gav=$1 g a v url dest tmp want have
  g=${gav%%:*}; a=${gav#*:}; a=${a%%:*}; v=${gav##*:}
  dest=$(jar_path "$gav")
  [ -s "$dest" ] && return 0
  mkdir -p "$JARS_DIR"
  url="$MAVEN/${g//.//}/$a/$v/$a-$v.jar"
  say "downloading $a-$v.jar from Maven Central"
  tmp="$dest.part"
  curl -sSfL --retry 3 -o "$tmp" "$url" || { rm -f "$tmp"; die "download failed: $url"; }
  want=$(curl -sSfL --retry 3 "$url.sha1" | cut -c1-40) || { rm -f "$tmp"; die "download failed: $url.sha1"; }
  have=$(sha1sum "$tmp" | cut -c1-40)
  [ "$want" = "$have" ] || { rm -f "$tmp"; die "$a-$v.jar: sha1 $have does not match Maven Central's $want"; }
  mv "$tmp" "$dest" # only a verified jar ever has the final name
}

case "${1:-fetch}" in
  fetch | jar) ;;
  *) echo "usage: comet.sh [fetch|jar]" >&2; exit 2 ;;
esac
line=$(spark_line) # a failure here stops the script (set -e), with spark_line's message
gav=$(artifact_for ${line})
if [ "${1:-fetch}" = jar ]; then jar_path "$gav"; else fetch "$gav"; fi

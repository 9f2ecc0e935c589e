#!/usr/bin/env bash
# The jars Spark needs to read and write s3a:// paths: hadoop-aws matching the Hadoop inside pyspark, and the AWS SDK
# v2 bundle (plus the analytics-accelerator library) that hadoop-aws's pom declares as compile dependencies.
# Fetched from Maven Central into .cache/jars/, each verified against Maven Central's .sha1, skipped when present.
#
#   bash scripts/hadoop-aws.sh            fetch (idempotent; well under a second when done)
#   bash scripts/hadoop-aws.sh jars       print the comma-separated list for spark-submit --jars
#   bash scripts/hadoop-aws.sh classpath  print the colon-separated list (spark.driver/executor.extraClassPath)
#   bash scripts/hadoop-aws.sh submit-args  print spark-submit arguments, one per line: the jars on the driver and
#                                         executor class paths, and the s3a --conf settings for the store in AWS_ENDPOINT_URL (path-style, TLS from the URL)
#                                         with the keys from AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY when set
#
# Why these versions: pyspark 4.1.1 ships hadoop-client-api-3.4.2.jar, so hadoop-aws must be 3.4.2 (mixing Hadoop
# versions gives NoSuchMethodError at the first S3 call). hadoop-aws-3.4.2.pom pins software.amazon.awssdk:bundle
# through hadoop-project-3.4.2.pom's aws-java-sdk-v2.version = 2.29.52, and analyticsaccelerator-s3 1.2.1.
# The bundle is ~640 MB: it is downloaded once and kept in .cache/jars/.
set -euo pipefail
source "$(dirname "$0")/lib.sh"


# Hadoop version of the pyspark in .venv (or HADOOP_VERSION when set, e.g. before the venv exists).
hadoop_version() {
  if [ -n "${HADOOP_VERSION:-}" ]; then echo "$HADOOP_VERSION"; return; fi
  local jar
  jar=$(ls "$VENV"/lib/python3*/site-packages/pyspark/jars/hadoop-client-api-*.jar 2>/dev/null | head -n1 || true)
  [ -n "$jar" ] || die "no hadoop-client-api jar in .venv's pyspark: run npm run setup first"
  basename "$jar" | sed -E 's/^hadoop-client-api-(.*)\.jar$/\1/'
}

# group:artifact:version per Hadoop version, read from hadoop-aws's pom (and hadoop-project's for the versions).
artifacts_for() {
  case "$1" in
    3.4.2) printf '%s\n' \
      org.apache.hadoop:hadoop-aws:3.4.2 \
      software.amazon.awssdk:bundle:2.29.52 \
      software.amazon.s3.analyticsaccelerator:analyticsaccelerator-s3:1.2.1 ;;
    *) die "no pinned hadoop-aws artifacts for Hadoop $1: read hadoop-aws-$1.pom and add them to scripts/hadoop-aws.sh" ;;
  esac
}



list_jars() { # separator
  local hv; hv=$(hadoop_version)
  artifacts_for "$hv" | while read -r gav; do jar_path "$gav"; done | paste -sd"$1"
}

case "${1:-fetch}" in
  fetch)
    mkdir -p "$JARS_DIR"
    hv=$(hadoop_version)
    for gav in $(artifacts_for "$hv"); do fetch_jar "$gav"; done
    ;;
  jars) list_jars , ;;
  classpath) list_jars : ;;
  submit-args)
    # Class paths, not --jars: --jars makes every executor (even local mode's) copy the 640 MB bundle into its work
    # folder at start (measured: a 100-row s3a job took 58 s with --jars, 38 s this way, load average ~11). This
    # needs the jars at the same path on every host: true for local and a one-host standalone cluster; use --jars or
    # --packages on a real cluster (docs/deploy.md).
    cp=$(list_jars :)
    printf '%s\n' --driver-class-path "$cp" --conf "spark.executor.extraClassPath=$cp"
    if [ -n "${AWS_ENDPOINT_URL:-}" ]; then
      case "$AWS_ENDPOINT_URL" in https://*) ssl=true ;; *) ssl=false ;; esac
      printf '%s\n' --conf "spark.hadoop.fs.s3a.endpoint=$AWS_ENDPOINT_URL" \
        --conf spark.hadoop.fs.s3a.path.style.access=true \
        --conf "spark.hadoop.fs.s3a.connection.ssl.enabled=$ssl"
    fi
    printf '%s\n' --conf "spark.hadoop.fs.s3a.endpoint.region=${AWS_REGION:-us-east-1}"
    if [ -n "${AWS_ACCESS_KEY_ID:-}" ]; then
      # Passed as Hadoop settings so executors on other hosts get them too (they do not inherit our environment).
      printf '%s\n' --conf "spark.hadoop.fs.s3a.access.key=$AWS_ACCESS_KEY_ID" \
        --conf "spark.hadoop.fs.s3a.secret.key=${AWS_SECRET_ACCESS_KEY:-}"
    fi
    ;;
  *) echo "usage: hadoop-aws.sh [fetch|jars|classpath|submit-args]" >&2; exit 2 ;;
esac

#!/usr/bin/env bash
# npm test: installs what it needs, runs the static checks (scripts/check.sh), then both test tiers of both languages:
# the fast tier (no Spark, no MinIO, no Chromium) and the integration tier (README "Tests").
#   bash scripts/test.sh          check + fast + integration (npm test, .ci/run)
#   bash scripts/test.sh --fast   the fast tier only, no checks (npm run test:fast: on every change)
# Every part always runs; the exit code is non-zero if any failed.
# After the checks, the four tiers run in two lanes side by side (vitest fast then integration; pytest fast then
# spark), each line prefixed with its tier's name. Each lane keeps one Spark application at a time; a tiny Spark job
# is mostly single-threaded driver work (JVM start, planning, py4j, Python), so one lane alone is expected to leave
# much of the second core idle. Each tier's time is printed: against the serial order (TEST_SERIAL=1 runs the four
# tiers one after the other) the total shows what the overlap saved.
set -uo pipefail
source "$(dirname "$0")/lib.sh"
FAST=0
for arg in "$@"; do
  case "$arg" in
    --fast) FAST=1 ;;
    *) printf 'test.sh: unknown option %s (use --fast)\n' "$arg" >&2; exit 2 ;;
  esac
done
ensure_node_modules
if [ "$FAST" = 1 ]; then bash "$ROOT/scripts/setup.sh" || exit 1; else bash "$ROOT/scripts/setup.sh" --with-s3 || exit 1; fi
say "set-up (npm packages, .venv and, without --fast, the S3 jars and MinIO): $SECONDS s"
cd "$ROOT"
status=0
timed() {
  local name=$1 start=$SECONDS
  shift
  "$@" || status=1
  say "$name: $((SECONDS - start)) s"
}
if [ "$FAST" = 1 ]; then
  timed "vitest fast" npx --no-install vitest run --project fast
  timed "pytest fast" bash "$ROOT/scripts/pytest.sh" -m "not spark"
  say "total: $SECONDS s"
  exit $status
fi
timed "check" bash "$ROOT/scripts/check.sh"
# One tier, its output line by line behind its name (`pytest spark | ...`), its time; the exit code is the tier's.
tier() {
  local name=$1 start=$SECONDS
  shift
  "$@" 2>&1 | sed -u "s/^/$name | /"
  local code=${PIPESTATUS[0]}
  say "$name: $((SECONDS - start)) s"
  return "$code"
}
vitest_fast() { tier "vitest fast" npx --no-install vitest run --project fast; }
vitest_integration() { tier "vitest integration" npx --no-install vitest run --project integration; }
pytest_fast() { tier "pytest fast" bash "$ROOT/scripts/pytest.sh" -m "not spark"; }
pytest_spark() { tier "pytest spark" bash "$ROOT/scripts/pytest.sh" -m spark --durations=12; }
if [ "${TEST_SERIAL:-0}" = 1 ]; then
  for t in vitest_fast pytest_fast vitest_integration pytest_spark; do "$t" || status=1; done
else
  # Two lanes, one per language, of about the same length, each with one Spark application at a time (the fresh
  # clone of 5b33d4d: vitest fast 25 s + integration 376 s before test/s3/bench-run.test.ts joined e2e; pytest fast
  # 3 s + spark 406 s before two job runs and two spark-submits left it).
  (
    s=0
    pytest_fast || s=1
    pytest_spark || s=1
    exit $s
  ) &
  lane=$!
  vitest_fast || status=1
  vitest_integration || status=1
  wait "$lane" || status=1
fi
say "total: $SECONDS s"
exit $status

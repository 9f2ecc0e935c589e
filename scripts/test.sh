#!/usr/bin/env bash
# npm test: installs what it needs, runs the static checks (scripts/check.sh), then both test tiers of both languages:
# the fast tier (no Spark, no MinIO, no Chromium) and the integration tier (README "Tests").
#   bash scripts/test.sh          check + fast + integration (npm test, .ci/run)
#   bash scripts/test.sh --fast   the fast tier only, no checks (npm run test:fast: on every change)
# Every part always runs; the exit code is non-zero if any failed.
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
if [ "$FAST" = 0 ]; then timed "check" bash "$ROOT/scripts/check.sh"; fi
timed "vitest fast" npx --no-install vitest run --project fast
timed "pytest fast" bash "$ROOT/scripts/pytest.sh" -m "not spark"
if [ "$FAST" = 0 ]; then
  timed "vitest integration" npx --no-install vitest run --project integration
  timed "pytest integration" bash "$ROOT/scripts/pytest.sh" -m spark --durations=12
fi
say "total: $SECONDS s"
exit $status

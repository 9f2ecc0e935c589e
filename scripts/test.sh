#!/usr/bin/env bash
# npm test: installs what it needs, then runs every test: vitest (TypeScript) and pytest (PySpark).
# Both suites always run; the exit code is non-zero if either failed.
set -uo pipefail
source "$(dirname "$0")/lib.sh"
ensure_node_modules
bash "$ROOT/scripts/setup.sh" --with-s3 || exit 1
cd "$ROOT"
status=0
npx vitest run || status=1
bash "$ROOT/scripts/pytest.sh" || status=1
exit $status

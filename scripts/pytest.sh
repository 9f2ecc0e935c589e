#!/usr/bin/env bash
# Runs the PySpark tests in .venv. pytest's exit 5 (no tests collected) is a failure here: a suite that ran nothing
# proves nothing.
set -uo pipefail
source "$(dirname "$0")/lib.sh"
export PYSPARK_PYTHON="$VENV/bin/python" PYSPARK_DRIVER_PYTHON="$VENV/bin/python"
cd "$ROOT"
"$VENV/bin/python" -m pytest -q spark-jobs/tests "$@"

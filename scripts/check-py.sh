#!/usr/bin/env bash
# The Python checks (pinned in spark-jobs/pyproject.toml's dev extra): ruff lint, ruff format, mypy, over spark-jobs/
# and test/s3/*.py. No Spark starts. Exit non-zero on the first failing check, naming it.
#   bash scripts/check-py.sh          (scripts/check.sh calls it)
set -uo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
[ -x "$VENV/bin/ruff" ] && [ -x "$VENV/bin/mypy" ] || npm run --silent setup || die "set-up failed"
paths=(spark-jobs test/s3/*.py)
"$VENV/bin/ruff" check "${paths[@]}" || die "ruff check failed (fix: $VENV/bin/ruff check --fix ${paths[*]})"
"$VENV/bin/ruff" format --check "${paths[@]}" || die "ruff format --check failed (fix: $VENV/bin/ruff format ${paths[*]})"
(cd spark-jobs && "$VENV/bin/mypy") || die "mypy failed (files: [tool.mypy] in spark-jobs/pyproject.toml)"
say "ok: ruff check, ruff format --check, mypy"

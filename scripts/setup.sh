#!/usr/bin/env bash
# npm run setup: the Python side of the project. Creates .venv at the repo root with the pinned pyspark and the
# Python test tools (spark-jobs/pyproject.toml), checks Java, installs Chromium (reports and their screenshots).
# Idempotent: a stamp of the inputs makes a second run take well under a second.
#
#   bash scripts/setup.sh            what the jobs, the demo and the reports need
#   bash scripts/setup.sh --with-s3  also what only the S3 tests need: hadoop-aws + the AWS SDK bundle (~640 MB from
#                                    Maven Central) and a MinIO server built from the Go module proxy (minutes, once)
set -euo pipefail
source "$(dirname "$0")/lib.sh"

WITH_S3=0
for arg in "$@"; do
  case "$arg" in
    --with-s3) WITH_S3=1 ;;
    *) printf 'setup.sh: unknown option %s (use --with-s3)\n' "$arg" >&2; exit 2 ;;
  esac
done

ensure_java

PY=${PYTHON:-python3}
command -v "$PY" >/dev/null || die "python3 not found: install Python 3.10+ (apt-get install -y python3 python3-venv)"

stamp_inputs() { cat "$ROOT/spark-jobs/pyproject.toml" "$ROOT/scripts/setup.sh"; }
want=$(stamp_inputs | sha256sum | cut -c1-16)
have=$(cat "$VENV/.setup-stamp" 2>/dev/null || true)

if [ "$want" != "$have" ] || [ ! -x "$VENV/bin/python" ]; then
  say "creating the Python environment in .venv (pinned pyspark, pytest, ruff, duckdb)"
  [ -x "$VENV/bin/python" ] || "$PY" -m venv "$VENV" || die "python3 -m venv failed: install python3-venv"
  log="$VENV/setup.log"
  "$VENV/bin/python" -m pip install -q --disable-pip-version-check --upgrade pip >"$log" 2>&1
  "$VENV/bin/python" -m pip install -q --disable-pip-version-check -e "$ROOT/spark-jobs[dev]" >>"$log" 2>&1 \
    || { tail -n 30 "$log" >&2; die "pip install failed (full log: $log)"; }
  echo "$want" > "$VENV/.setup-stamp"
fi

# Chromium (Debian's package) for the tests that open our HTML reports in a real browser. Browser downloads
# (npx playwright install) cannot work offline; the distribution package can.
if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    say "installing chromium (Debian package) for the report tests"
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; } >/dev/null 2>&1 \
      || die "apt-get install chromium failed: install it by hand (apt-get install -y chromium)"
  else
    die "chromium not found: the report tests need it. Install it with: sudo apt-get install -y chromium"
  fi
fi

# Spark finds its own Python through these; the jobs never depend on a system pyspark.
"$VENV/bin/python" -c 'import pyspark' 2>/dev/null || die ".venv has no pyspark: delete .venv and run npm run setup again"
# Delta Lake jars into the venv's Spark (the jobs' default output format; ~8 MB, sha1-checked, skipped when present).
bash "$ROOT/scripts/delta.sh" fetch
# S3 paths: hadoop-aws + AWS SDK v2 bundle for s3a:// (Maven Central, sha1-checked) and a MinIO server binary built
# from the Go module proxy, for the S3 tests only (the demo never reads S3). Skipped in milliseconds when in .cache/.
if [ "$WITH_S3" = 1 ]; then
  bash "$ROOT/scripts/hadoop-aws.sh" fetch
  bash "$ROOT/scripts/s3-server.sh" install
fi

say "ready: $("$VENV/bin/python" -c 'import pyspark; print("pyspark", pyspark.__version__)'), $(java -version 2>&1 | head -n1)"

# Shared helpers for the scripts in this folder. Sourced, never run.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"

say() { printf '[%s] %s\n' "$(basename "$0")" "$*" >&2; }
die() { say "error: $*"; exit 1; }

# npm packages: install when node_modules is missing or older than the lockfile.
ensure_node_modules() {
  if [ ! -f "$ROOT/node_modules/.package-lock.json" ] || [ "$ROOT/package-lock.json" -nt "$ROOT/node_modules/.package-lock.json" ]; then
    say "installing npm packages (npm ci)"
    (cd "$ROOT" && npm ci --no-audit --no-fund >/dev/null) || die "npm ci failed"
  fi
}

# Java: pyspark 4 needs 17 or 21. Say exactly what to install when it is missing.
ensure_java() {
  if ! command -v java >/dev/null 2>&1; then
    die "java not found: pyspark 4 needs Java 17 or 21. Install it with: apt-get install -y openjdk-17-jre-headless (or set JAVA_HOME)"
  fi
  local major
  major=$(java -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n1)
  case "$major" in
    17|21) ;;
    *) die "java $major found, pyspark 4 needs Java 17 or 21. Install it with: apt-get install -y openjdk-17-jre-headless" ;;
  esac
}

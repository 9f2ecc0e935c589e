# Shared helpers for the scripts in this folder. Sourced, never run.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
JARS_DIR="$ROOT/.cache/jars"
MAVEN=${MAVEN_CENTRAL:-https://repo1.maven.org/maven2}

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

# Maven Central jars (hadoop-aws.sh, delta.sh, comet.sh): group:artifact:version -> .cache/jars/artifact-version.jar,
# verified against Maven Central's .sha1 before it gets its final name; skipped when present.
jar_path() {
  local a=${1#*:}; a=${a%%:*}; local v=${1##*:}
  echo "$JARS_DIR/$a-$v.jar"
}
fetch_jar() {
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
  mv "$tmp" "$dest"
}

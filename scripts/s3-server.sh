#!/usr/bin/env bash
# A real S3-compatible server (MinIO, built from source with the Go module proxy) for the tests, bound to 127.0.0.1.
#
#   bash scripts/s3-server.sh install   build MinIO into .cache/bin/minio (minutes the first time; skipped when present)
#   bash scripts/s3-server.sh start     start on a free port (or S3_PORT); data in .cache/minio-data; prints env lines
#   bash scripts/s3-server.sh stop      stop the server started by `start` (by its pid, nothing else)
#   bash scripts/s3-server.sh status    "running <port>" and exit 0, or "stopped" and exit 1
#   bash scripts/s3-server.sh env       export lines: AWS_ENDPOINT_URL, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_REGION
#
# State lives in .cache/minio.pid and .cache/minio.port; S3_STATE_DIR moves state and data elsewhere (tests that need
# their own server). It never binds anything but 127.0.0.1 and never touches a process it did not start.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

# Pinned: the commit `go install github.com/minio/minio@latest` resolved to on 2026-02-12 (MinIO has no semver tags,
# so the module proxy only knows pseudo-versions). Builds with Go 1.24+.
MINIO_VERSION=v0.0.0-20260212201848-7aac2a2c5b7c
BIN="$ROOT/.cache/bin/minio"
STATE=${S3_STATE_DIR:-$ROOT/.cache}
PIDFILE="$STATE/minio.pid"
PORTFILE="$STATE/minio.port"
DATA="$STATE/minio-data"
LOG="$STATE/minio.log"
USER_=minioadmin
PASS=minioadmin

install() {
  # The stamp is written only after a successful build: an interrupted one, or a new pin, builds again.
  if [ -x "$BIN" ] && [ "$(cat "$BIN.version" 2>/dev/null)" = "$MINIO_VERSION" ]; then return 0; fi
  rm -f "$BIN" "$BIN.version"
  command -v go >/dev/null || die "go not found: MinIO is built from source. Install Go 1.24+ (https://go.dev/dl/)"
  mkdir -p "$ROOT/.cache/bin"
  say "building MinIO $MINIO_VERSION with $(go version | cut -d' ' -f3) (several minutes, once)"
  local log="$ROOT/.cache/minio-build.log"
  GOBIN="$ROOT/.cache/bin" go install "github.com/minio/minio@$MINIO_VERSION" >"$log" 2>&1 \
    || { tail -n 20 "$log" >&2; die "go install minio failed (full log: $log)"; }
  echo "$MINIO_VERSION" > "$BIN.version"
}

running_pid() {
  local pid
  pid=$(cat "$PIDFILE" 2>/dev/null || true)
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && [ "$(readlink "/proc/$pid/exe" 2>/dev/null || true)" = "$BIN" ] && echo "$pid"
  return 0
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

print_env() {
  local port; port=$(cat "$PORTFILE")
  echo "export AWS_ENDPOINT_URL=http://127.0.0.1:$port"
  echo "export AWS_ACCESS_KEY_ID=$USER_"
  echo "export AWS_SECRET_ACCESS_KEY=$PASS"
  echo "export AWS_REGION=us-east-1"
}

start() {
  install
  if [ -n "$(running_pid)" ]; then print_env; return 0; fi
  mkdir -p "$DATA"
  # Reuse the last port when asked to (S3_REUSE_PORT=1): a restart after a fault must come back on the same endpoint.
  local port
  if [ -n "${S3_PORT:-}" ]; then port=$S3_PORT
  elif [ "${S3_REUSE_PORT:-0}" = 1 ] && [ -s "$PORTFILE" ]; then port=$(cat "$PORTFILE")
  else port=$(free_port); fi
  MINIO_ROOT_USER=$USER_ MINIO_ROOT_PASSWORD=$PASS MINIO_BROWSER=off MINIO_UPDATE=off \
    MINIO_CI_CD=1 \
    setsid "$BIN" server --quiet --address "127.0.0.1:$port" "$DATA" >"$LOG" 2>&1 < /dev/null &
  local pid=$!
  echo "$pid" > "$PIDFILE"
  echo "$port" > "$PORTFILE"
  # Ready when the health endpoint answers (usually well under a second).
  local i
  for i in $(seq 1 100); do
    if curl -sf "http://127.0.0.1:$port/minio/health/live" >/dev/null 2>&1; then print_env; return 0; fi
    kill -0 "$pid" 2>/dev/null || { tail -n 20 "$LOG" >&2; die "minio exited at start (log: $LOG)"; }
    sleep 0.1
  done
  kill "$pid" 2>/dev/null || true
  die "minio did not answer on 127.0.0.1:$port within 10 s (log: $LOG)"
}

stop() {
  local pid; pid=$(running_pid)
  if [ -z "$pid" ]; then rm -f "$PIDFILE"; return 0; fi
  kill "$pid" 2>/dev/null || true
  local i
  for i in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null || true
  rm -f "$PIDFILE"
}

case "${1:-}" in
  install) install ;;
  start) start ;;
  stop) stop ;;
  status)
    pid=$(running_pid)
    if [ -n "$pid" ]; then echo "running $(cat "$PORTFILE")"; else echo stopped; exit 1; fi ;;
  env) [ -s "$PORTFILE" ] || die "no server state: run scripts/s3-server.sh start"; print_env ;;
  *) echo "usage: s3-server.sh install|start|stop|status|env" >&2; exit 2 ;;
esac

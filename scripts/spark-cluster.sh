#!/usr/bin/env bash
# A real Spark standalone cluster on 127.0.0.1 from the pyspark install: one master and two workers (1 core, small
# memory each), on free ports. State (URLs, ports, pids, logs) in .cache/spark-cluster/state.json, logs beside it.
#   bash scripts/spark-cluster.sh start    # prints the master URL (spark://127.0.0.1:PORT); idempotent
#   bash scripts/spark-cluster.sh status   # prints the master URL and live workers; exit 3 when not running
#   bash scripts/spark-cluster.sh stop     # stops the workers and the master, removes the state file
# Env: SPARK_CLUSTER_DIR (state folder), SPARK_CLUSTER_WORKER_MEMORY (default 1g), SPARK_CLUSTER_WORKER_CORES
# (default 1; 2 lets one executor take 2 cores, as the sweep grid's 1 × 2 layout needs).
# Other tests kill a worker on purpose: read its pid from state.json (.workers[i].pid).
set -euo pipefail
source "$(dirname "$0")/lib.sh"

DIR="${SPARK_CLUSTER_DIR:-$ROOT/.cache/spark-cluster}"
STATE="$DIR/state.json"
PY="$VENV/bin/python"
SPARK_CLASS="$VENV/bin/spark-class"
WORKER_MEMORY="${SPARK_CLUSTER_WORKER_MEMORY:-1g}"
WORKER_CORES="${SPARK_CLUSTER_WORKER_CORES:-1}"
export SPARK_LOCAL_IP=127.0.0.1
# spark-class finds its home with whatever python3 is on PATH, which may lack pyspark: point it at the venv's.
[ -x "$PY" ] && SPARK_HOME="${SPARK_HOME:-$("$PY" -c 'import os, pyspark; print(os.path.dirname(pyspark.__file__))')}" && export SPARK_HOME
export SPARK_DAEMON_MEMORY=256m   # the master and worker daemons themselves; executors get WORKER_MEMORY

free_port() { "$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }
state_get() { "$PY" -c 'import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2], {}, d))' "$STATE" "$1"; }
alive() { [ -n "$1" ] && kill -0 "$1" 2>/dev/null; }
alive_workers() { # how many workers the master reports ALIVE, from its JSON endpoint
  curl -fsS "http://127.0.0.1:$1/json/" 2>/dev/null | "$PY" -c 'import json,sys; print(json.load(sys.stdin).get("aliveworkers", 0))' 2>/dev/null || echo 0
}

stop_pids() {
  local pid
  for pid in "$@"; do alive "$pid" && kill -TERM "$pid" 2>/dev/null || true; done
  for _ in $(seq 1 30); do
    local any=0
    for pid in "$@"; do alive "$pid" && any=1; done
    [ "$any" = 0 ] && return 0
    sleep 0.5
  done
  for pid in "$@"; do alive "$pid" && kill -KILL "$pid" 2>/dev/null || true; done
}

cmd_status() {
  if [ ! -f "$STATE" ] || ! alive "$(state_get masterPid)"; then echo "not running"; return 3; fi
  echo "$(state_get masterUrl)  workers alive: $(alive_workers "$(state_get masterWebUiPort)")/2  state: $STATE"
}

cmd_start() {
  ensure_java
  [ -x "$SPARK_CLASS" ] || die "$SPARK_CLASS missing: run npm run setup"
  if [ -f "$STATE" ] && alive "$(state_get masterPid)"; then state_get masterUrl; return 0; fi
  mkdir -p "$DIR"
  rm -f "$STATE"
  local mport mui
  mport=$(free_port); mui=$(free_port)
  local pids=()
  # On any failure below, stop what was started: never leave a JVM behind.
  trap 'stop_pids "${pids[@]}"; rm -f "$STATE"' ERR
  nohup "$SPARK_CLASS" org.apache.spark.deploy.master.Master --host 127.0.0.1 --port "$mport" --webui-port "$mui" \
    >"$DIR/master.log" 2>&1 </dev/null &
  pids+=($!)
  local master_pid=$!
  local workers_json="" i wport wui
  for i in 1 2; do
    wport=$(free_port); wui=$(free_port)
    mkdir -p "$DIR/worker$i"
    nohup "$SPARK_CLASS" org.apache.spark.deploy.worker.Worker --host 127.0.0.1 --port "$wport" --webui-port "$wui" \
      --cores "$WORKER_CORES" --memory "$WORKER_MEMORY" --work-dir "$DIR/worker$i" "spark://127.0.0.1:$mport" \
      >"$DIR/worker$i.log" 2>&1 </dev/null &
    pids+=($!)
    workers_json+="${workers_json:+, }{\"pid\": $!, \"port\": $wport, \"webUiPort\": $wui, \"log\": \"$DIR/worker$i.log\", \"workDir\": \"$DIR/worker$i\"}"
  done
  local n=0
  for _ in $(seq 1 120); do
    n=$(alive_workers "$mui")
    [ "$n" = 2 ] && break
    for pid in "${pids[@]}"; do alive "$pid" || { say "a daemon died; see $DIR/*.log"; false; }; done
    sleep 0.5
  done
  [ "$n" = 2 ] || { say "workers did not register within 60 s; see $DIR/*.log"; false; }
  trap - ERR
  cat >"$STATE.tmp" <<JSON
{"masterUrl": "spark://127.0.0.1:$mport", "masterPid": $master_pid, "masterPort": $mport, "masterWebUiPort": $mui,
 "masterWebUiUrl": "http://127.0.0.1:$mui", "masterLog": "$DIR/master.log", "workers": [$workers_json],
 "startedAt": "$(date -u +%Y-%m-%dT%H:%M:%SZ)"}
JSON
  mv "$STATE.tmp" "$STATE"
  echo "spark://127.0.0.1:$mport"
}

cmd_stop() {
  if [ ! -f "$STATE" ]; then echo "not running"; return 0; fi
  local wpids
  wpids=$(state_get '" ".join(str(w["pid"]) for w in workers)')
  # shellcheck disable=SC2086
  stop_pids $wpids
  stop_pids "$(state_get masterPid)"
  rm -f "$STATE"
  echo "stopped"
}

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac

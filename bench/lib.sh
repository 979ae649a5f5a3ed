# Shared helpers of the benchmark drivers (bench/run.sh, bench/postgres.sh); sourced, not run.
#
# The sourcing script sets, before it calls any of these: WORK (a scratch directory), BENCH_BASE_PORT,
# START_TIMEOUT_S, BENCH_OUT (may be empty), and optionally BENCH_LOG_TAG (the log prefix), STOP_GRACE_S (how long a
# process gets to stop after SIGTERM) and LOG_REDACT (a secret that `start` must not log). It owns its own cleanup
# (which calls stop_pid for every pid in PIDS) and traps.

PIDS=()
SUMMARY=()
FAILED=()

log() { printf '[%s %(%H:%M:%S)T] %s\n' "${BENCH_LOG_TAG:-bench}" -1 "$*"; }
die() { log "ERROR: $*"; exit 1; }

# stop_pid PID : SIGTERM, up to STOP_GRACE_S seconds for a graceful shutdown, then SIGKILL.
stop_pid() {
  local pid=$1 grace=${STOP_GRACE_S:-15} i
  kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < grace * 10; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    log "pid $pid did not stop within $grace s, killing it"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
}

forget() {
  local keep=() p
  for p in "${PIDS[@]}"; do [[ $p == "$1" ]] || keep+=("$p"); done
  PIDS=("${keep[@]+"${keep[@]}"}")
}

# free_port : sets PORT to the next free TCP port on 127.0.0.1 at or after NEXT_PORT (nothing accepts a connection).
NEXT_PORT=${BENCH_BASE_PORT:?}
free_port() {
  local p=$NEXT_PORT
  while (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; do p=$((p + 1)); done
  NEXT_PORT=$((p + 1))
  PORT=$p
}

# start NAME LOGFILE CMD... : runs CMD in the background, records its pid in PIDS and LAST_PID.
start() {
  local name=$1 logfile=$2 shown; shift 2
  "$@" >"$logfile" 2>&1 &
  LAST_PID=$!
  PIDS+=("$LAST_PID")
  shown="$*"
  [[ -z ${LOG_REDACT:-} ]] || shown=${shown//"$LOG_REDACT"/***}
  log "started $name (pid $LAST_PID): $shown"
}

# stop PID : stops one process started by start() and forgets it.
stop() { stop_pid "$1"; forget "$1"; }

# wait_healthy URL PID LOGFILE : until URL/healthz answers 200; dies when the process exits or START_TIMEOUT_S passes.
wait_healthy() {
  local url=$1 pid=$2 logfile=$3 deadline=$((SECONDS + START_TIMEOUT_S))
  while ((SECONDS < deadline)); do
    if ! kill -0 "$pid" 2>/dev/null; then
      tail -n 40 "$logfile" >&2 || true
      die "process $pid exited before $url/healthz answered"
    fi
    if [[ $(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "$url/healthz" || true) == 200 ]]; then
      return 0
    fi
    sleep 0.05
  done
  tail -n 40 "$logfile" >&2 || true
  die "$url/healthz did not answer 200 within ${START_TIMEOUT_S}s"
}

# field LINE KEY : value of key=value in a summary line.
field() { sed -n "s/.*[[:space:]:]$2=\([^[:space:]]*\).*/\1/p" <<<"$1" | head -n 1; }

# record LINE : keeps a machine-readable summary line (and appends it to BENCH_OUT when set).
record() { SUMMARY+=("$1"); [[ -z $BENCH_OUT ]] || printf '%s\n' "$1" >>"$BENCH_OUT"; }

# run_fg OUTFILE CMD... : runs a client in the background (so that a signal to the script is handled at once, not
# after the client ends), streams its output, waits for it; sets RC to its exit code.
run_fg() {
  local out=$1 pid tail_pid; shift
  : >"$out"
  "$@" >"$out" 2>&1 &
  pid=$!
  PIDS+=("$pid")
  tail -n +1 -s 0.1 --pid="$pid" -f "$out" &
  tail_pid=$!
  PIDS+=("$tail_pid")
  RC=0
  wait "$pid" || RC=$?
  wait "$tail_pid" || true
  forget "$pid"
  forget "$tail_pid"
}

# run_tool LABEL CMD... : runs a client to completion, sets LINE to its last `name: key=value` line and records it.
# A failing client is reported in FAILED, the run goes on, and the script exits non-zero at the end.
run_tool() {
  local label=$1; shift
  local out=$WORK/$label.out
  run_fg "$out" "$@"
  LINE=$(grep -E '^[a-z-]+: [a-z_0-9]+=' "$out" | tail -n 1 || true)
  [[ -n $LINE ]] || LINE="$label: no_summary=1"
  record "$label $LINE"
  if ((RC != 0)); then
    log "WARNING: $label failed with exit code $RC"
    FAILED+=("$label (exit code $RC)")
  fi
}

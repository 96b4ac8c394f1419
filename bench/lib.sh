# shellcheck shell=bash
# Shell helpers for bench/page (sourced; bench/run and bench/live keep their own copies unchanged).
# The same conventions as bench/live: every process a script starts goes into STARTED and is stopped
# on exit (TERM, then KILL after 15 s); the server runs on core APP_CPU, load and probes on LOAD_CPU.
#
# The sourcing script sets LOG_TAG (its name in log lines) and, before calling the helpers that need
# them: APP_CPU, LOAD_CPU, READY_TIMEOUT, WRK_THREADS, WRK_TIMEOUT, BASE, BENCH_PATH, WORK.

log() { printf '[%s] %s\n' "${LOG_TAG:-bench}" "$*" >&2; }
die() { log "error: $*"; exit 1; }

STARTED=() # pids this script started and has not reaped yet

alive() {
    local stat
    stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
    stat=${stat##*) }
    [[ ${stat%% *} != Z ]]
}

forget() {
    local keep=() pid
    for pid in "${STARTED[@]}"; do [[ $pid == "$1" ]] || keep+=("$pid"); done
    STARTED=("${keep[@]}")
}

# stop_pid PID : TERM, then KILL after 15 s; reaps the child and forgets it.
stop_pid() {
    local pid=$1 deadline=$((SECONDS + 15))
    if alive "$pid"; then
        kill -TERM "$pid" 2>/dev/null || true
        while alive "$pid"; do
            if ((SECONDS >= deadline)); then
                log "pid $pid ignored TERM; killing it"
                kill -KILL "$pid" 2>/dev/null || true
                break
            fi
            sleep 0.1
        done
    fi
    wait "$pid" 2>/dev/null || true
    forget "$pid"
}

# cleanup : stops everything in STARTED and removes WORK (installed as the EXIT trap by the script).
cleanup() {
    local pid
    for pid in "${STARTED[@]}"; do stop_pid "$pid"; done
    [[ -z ${WORK:-} ]] || rm -rf "$WORK"
}

rand_hex() { od -An -tx1 -N"$1" /dev/urandom | tr -d ' \n'; }

# free_port [EXCEPT] : a loopback port nothing listens on (and not EXCEPT).
free_port() {
    local port
    for _ in $(seq 200); do
        # Below the kernel's ephemeral range (ip_local_port_range, 32768-60999 by default): a port there can be
        # the local end of a client connection (wrk's, in TIME_WAIT) and then refuses the bind although nothing listens.
        port=$((20000 + RANDOM % 12000))
        [[ $port != "${1:-}" ]] || continue
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            echo "$port"
            return 0
        fi
    done
    die "no free loopback port found"
}

# start_pinned LOG DIR CMD... : runs CMD in DIR on core APP_CPU; sets STARTED_PID (CMD's own pid:
# the subshell execs taskset, which execs CMD, so /proc/STARTED_PID is the server's).
start_pinned() {
    local log=$1 dir=$2
    shift 2
    (cd "$dir" && exec taskset -c "$APP_CPU" "$@") >"$log" 2>&1 &
    STARTED_PID=$!
    STARTED+=("$STARTED_PID")
}

# wait_ready URL PID : polls URL until it answers 2xx; fails when PID exits or after READY_TIMEOUT s.
wait_ready() {
    local url=$1 pid=$2 deadline=$((SECONDS + READY_TIMEOUT))
    until curl -fsS -o /dev/null --max-time 2 "$url" 2>/dev/null; do
        alive "$pid" || { log "the process exited before $url answered"; return 1; }
        ((SECONDS < deadline)) || { log "$url did not answer within ${READY_TIMEOUT}s"; return 1; }
        sleep 0.2
    done
}

# field FILE PREFIX KEY : one key=value from the first line of FILE starting with PREFIX.
field() {
    grep -m1 "^$2 " "$1" | tr ' ' '\n' | sed -n "s/^$3=//p"
}

# start_wrk OUT SCRIPT CONNECTIONS SECONDS [ENV=VALUE...] : wrk on core LOAD_CPU against BASE + BENCH_PATH
# in the background; sets WRK_PID.
start_wrk() {
    local out=$1 script=$2 connections=$3 seconds=$4
    shift 4
    env SID_NONCE="$(rand_hex 4)" "$@" taskset -c "$LOAD_CPU" wrk -t"$WRK_THREADS" -c"$connections" -d"${seconds}s" \
        --timeout "${WRK_TIMEOUT}s" --latency -s "$script" "$BASE" -- "$BENCH_PATH" >"$out" 2>&1 &
    WRK_PID=$!
    STARTED+=("$WRK_PID")
}

# wait_wrk OUT : waits for WRK_PID and checks its BENCH_RESULT line.
wait_wrk() {
    local status=0
    wait "$WRK_PID" || status=$?
    forget "$WRK_PID"
    ((status == 0)) || { log "wrk failed (exit $status); see $1"; return 1; }
    grep -q '^BENCH_RESULT ' "$1" || { log "wrk printed no BENCH_RESULT line; see $1"; return 1; }
}

# cpu_ticks PID : the process's user + system CPU time in clock ticks (/proc/PID/stat fields 14, 15).
cpu_ticks() {
    local stat
    stat=$(cat "/proc/$1/stat")
    stat=${stat##*) }
    awk '{ print $12 + $13 }' <<<"$stat"
}

# pass_or_fail VALUE OP LIMIT : prints PASS or FAIL (OP is <= or >=; an empty or nan VALUE fails).
pass_or_fail() {
    if [[ -n $1 && $1 != nan && $1 != NaN ]] && awk -v a="$1" -v b="$3" -v op="$2" 'BEGIN { exit !((op == "<=") ? a <= b : a >= b) }'; then
        echo PASS
    else
        echo FAIL
    fi
}

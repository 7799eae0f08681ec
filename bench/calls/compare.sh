#!/usr/bin/env bash
# Calls per second, INVITE..BYE with no hold time over UDP, three ways in one run on this machine:
#   direct    SIPp UAC -> SIPp UAS
#   kamailio  SIPp UAC -> Kamailio (transaction-stateful record-routing proxy, ../shared/peers config) -> UAS
#   b2bua     SIPp UAC -> FeatureB2bua (Release) -> UAS
# Scenarios: ../shared/peers/sipp/uac.xml and uas.xml (the peers' basic call).
# REPEATS times (default 3), and inside each repeat, per rate, the three paths one after the other, so that
# drift of this shared machine hits all three alike. At the end a summary per path: the highest rate that
# passed in every repeat, and per rate the runs that passed, the median achieved rate and the median server
# CPU-s per 1000 calls.
# Then memory per active call of the B2BUA, on a fresh server: warm-up, idle PSS, then calls with a hold time
# (MEM_RATE calls/s, MEM_HOLD_MS ms, bounded -m) until a plateau of active calls; the server's PSS
# (/proc/PID/smaps_rollup) is sampled every second with the active calls from GET /api/calls;
# (plateau PSS - idle PSS) / active calls is printed in KiB.
# SIPp sockets get 4 MiB buffers (-buff_size): with the 208 KiB default, bursts overflow them on this machine
# (RcvbufErrors in /proc/net/snmp) and every path fails at random.
# A rate passes when both SIPp ends report zero failed calls and the UAC achieved >= 95 % of it. After a failed
# run the script waits DRAIN_SECONDS (34) so the server's leftover retransmissions do not hit the next run.
# The B2BUA's upstream probes are off: an OPTIONS to the SIPp UAS is an unexpected message there, a failed call.
# Every run is bounded (-m, -timeout, and timeout(1) around SIPp, whose -timeout does not stop a UAC still
# waiting on calls); loopback only; every process started here is stopped by its PID on exit.
#   REPEATS=3 RATES="1000 2000 3000 4000" SECONDS_PER_RATE=8 bench/calls/compare.sh
#   PATHS="kamailio b2bua" SKIP_MEMORY=1 ...   (subset of paths; no memory run)
#   B2BUA_ARGS="--Features:Disabled:0=hold ..." (more settings for the B2BUA, word-split)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
peers="${PEERS_DIR:-$root/../shared/peers}"
rates="${RATES:-1000 2000 3000 4000}"
seconds="${SECONDS_PER_RATE:-8}"
repeats="${REPEATS:-3}"
paths="${PATHS:-direct kamailio b2bua}"
mem_rate="${MEM_RATE:-150}"
mem_hold_ms="${MEM_HOLD_MS:-20000}"
scenarios="${SCENARIOS_DIR:-$peers/sipp}"
work="$(mktemp -d)"
uas_port=5080 kam_port=5070 b2bua_port=5072 http_port=9072
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
}
trap cleanup EXIT
command -v sipp >/dev/null || { echo "sipp missing: apt-get install sip-tester" >&2; exit 2; }
[ -r "$scenarios/uac.xml" ] && [ -r "$scenarios/uas.xml" ] || { echo "no scenarios in $scenarios" >&2; exit 2; }

source "$here/sipp_runs.sh"
pss_kib() { awk '/^Pss:/ {print $2}' "/proc/$1/smaps_rollup"; }

start_b2bua() { # name -> sets b2bua (PID)
  dotnet "$root/src/FeatureB2bua/bin/Release/net10.0/FeatureB2bua.dll" \
    "--Sip:Listen:0=udp:127.0.0.1:$b2bua_port" "--Sip:Listen:1=tcp:127.0.0.1:$b2bua_port" "--urls=http://127.0.0.1:$http_port" \
    "--Storage:ConnectionString=Data Source=$work/$1.db" "--Routing:Trusted:0=127.0.0.0/8" \
    "--Routing:Routes:0:Pattern=^service$" "--Routing:Routes:0:Targets:0=sip:127.0.0.1:$uas_port" "--Routing:Probe:Interval=00:00:00" \
    "--Logging:LogLevel:Default=Warning" ${B2BUA_ARGS:-} >"$work/$1.log" 2>&1 &
  b2bua=$!; pids+=("$b2bua")
  local i
  for i in $(seq 100); do curl -fs "http://127.0.0.1:$http_port/healthz" >/dev/null 2>&1 && return 0; sleep 0.2; done
  echo "the B2BUA did not come up, see $work/$1.log" >&2; exit 1
}

stop_pid() { kill "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }

warm_up() { # the JIT compiles the call path during the first few hundred calls: 400 calls, not reported
  local saved=$seconds; seconds=4
  run_rate warm-up "" "-rsa 127.0.0.1:$b2bua_port" 100 0 >/dev/null
  seconds=$saved
}

echo "# $(date -u +%FT%TZ) $(nproc) cores; load at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# REPEATS=$repeats RATES=\"$rates\" SECONDS_PER_RATE=$seconds PATHS=\"$paths\""
dotnet build "$root/src/FeatureB2bua" -c Release -nologo -v q >/dev/null

kam="" b2bua=""
if [[ " $paths " == *" kamailio "* ]]; then
  command -v kamailio >/dev/null || { echo "kamailio missing: apt-get install kamailio" >&2; exit 2; }
  kamailio -f "$peers/kamailio/kamailio-proxy.cfg" -DD -E -l "udp:127.0.0.1:$kam_port" -n 2 -m 512 -M 16 \
    -P "$work/kamailio.pid" -Y "$work" -w "$work" >"$work/kamailio.log" 2>&1 </dev/null &
  kam=$!; pids+=("$kam"); sleep 2
fi
if [[ " $paths " == *" b2bua "* ]]; then
  start_b2bua b2bua
  warm_up
fi

echo
echo "| repeat | path | target rate | calls | completed | failed | achieved | server CPU-s / 1k calls | verdict |"
echo "|---|---|---|---|---|---|---|---|---|"
for rep in $(seq "$repeats"); do
  for rate in $rates; do
    for path in $paths; do
      case $path in
        direct) run_rate direct "" "" "$rate" "$rep" ;;
        kamailio) run_rate kamailio "$kam" "-rsa 127.0.0.1:$kam_port" "$rate" "$rep" ;;
        b2bua) run_rate b2bua "$b2bua" "-rsa 127.0.0.1:$b2bua_port" "$rate" "$rep" ;;
      esac
    done
  done
done
echo "# load at end of ladder: $(cut -d' ' -f1-3 /proc/loadavg)"
[ -n "$kam" ] && stop_pid "$kam"
[ -n "$b2bua" ] && stop_pid "$b2bua"

echo
summarise "$paths" "$repeats"

if [ "${SKIP_MEMORY:-0}" != 1 ]; then
  echo
  echo "# memory per active call: fresh B2BUA, $mem_rate calls/s held ${mem_hold_ms} ms; load now: $(cut -d' ' -f1-3 /proc/loadavg)"
  start_b2bua b2bua-mem
  warm_up
  sleep 5
  idle=$(pss_kib "$b2bua")
  hold_s=$((mem_hold_ms / 1000))
  mem_calls=$((mem_rate * (hold_s + 10)))   # the plateau (rate x hold) lasts ~10 s
  dir="$work/memory"; mkdir -p "$dir"
  timeout -k 5 $((hold_s * 2 + 80)) sipp -sf "$scenarios/uas.xml" -t u1 -i 127.0.0.1 -p "$uas_port" -ci 127.0.0.1 -cp 5081 -buff_size 4194304 -m "$mem_calls" \
    -timeout $((hold_s * 2 + 60))s -nostdin >"$dir/uas.out" 2>&1 &
  uas=$!; pids+=("$uas")
  sleep 0.3
  timeout -k 5 $((hold_s * 2 + 70)) sipp -sf "$scenarios/uac.xml" -t u1 -i 127.0.0.1 -p 5090 -ci 127.0.0.1 -cp 5091 -buff_size 4194304 -s service \
    -rsa "127.0.0.1:$b2bua_port" -r "$mem_rate" -m "$mem_calls" -l $((mem_rate * (hold_s + 5))) -d "$mem_hold_ms" \
    -timeout $((hold_s * 2 + 50))s -nostdin -trace_stat -stf "$dir/uac.csv" -fd 1 "127.0.0.1:$uas_port" >"$dir/uac.out" 2>&1 &
  uac=$!; pids+=("$uac")
  : >"$dir/samples.tsv"
  while kill -0 "$uac" 2>/dev/null; do
    pss=$(pss_kib "$b2bua")   # PSS first, so the JSON of the answer below is not in it
    active=$(curl -fs --max-time 5 "http://127.0.0.1:$http_port/api/calls" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))' || echo 0)
    printf '%s\t%s\n' "$pss" "$active" >>"$dir/samples.tsv"
    sleep 1
  done
  wait "$uac" 2>/dev/null || true; wait "$uas" 2>/dev/null || true
  python3 - "$dir/samples.tsv" "$idle" "$dir/uac.csv" "$mem_rate" "$hold_s" <<'PY'
import csv, sys
samples, idle, uac_csv, rate, hold = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
rows = [tuple(map(int, l.split())) for l in open(samples) if l.strip()]
peak_active = max(a for _, a in rows)
plateau = [(p, a) for p, a in rows if a >= 0.9 * peak_active]
pss = max(p for p, _ in plateau)
active = max(a for _, a in plateau)
last = list(csv.DictReader(open(uac_csv), delimiter=';'))[-1]
print("| idle PSS | plateau PSS | active calls at plateau (GET /api/calls) | per active call | failed calls |")
print("|---|---|---|---|---|")
print(f"| {idle/1024:.1f} MiB | {pss/1024:.1f} MiB | {active} (expected ~{rate * hold}) | {(pss - idle) / active:.1f} KiB | {last.get('FailedCall(C)')} |")
PY
  stop_pid "$b2bua"
fi
echo "# load at end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "raw output: $work" >&2

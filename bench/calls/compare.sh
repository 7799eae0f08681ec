#!/usr/bin/env bash
# Calls per second, INVITE..BYE with no hold time over UDP, three ways in one run on this machine:
#   direct    SIPp UAC -> SIPp UAS
#   kamailio  SIPp UAC -> Kamailio (transaction-stateful record-routing proxy, ../shared/peers config) -> UAS
#   b2bua     SIPp UAC -> FeatureB2bua (Release) -> UAS
# SIPp sockets get 4 MiB buffers (-buff_size): with the 208 KiB default, bursts overflow them on this machine
# (RcvbufErrors in /proc/net/snmp) and every path fails at random.
# A rate passes when both SIPp ends report zero failed calls and the UAC achieved >= 95 % of it.
# Every run is bounded (-m, -timeout); every process started here is stopped by its PID on exit.
#   RATES="500 1000 2000 3000" SECONDS_PER_RATE=10 bench/calls/compare.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
peers="${PEERS_DIR:-$root/../shared/peers}"
rates="${RATES:-500 1000 2000 3000}"
seconds="${SECONDS_PER_RATE:-10}"
scenarios="$root/tests/FeatureB2bua.Tests/Interop/Scenarios"
work="$(mktemp -d)"
uas_port=5080 kam_port=5070 b2bua_port=5072
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT
command -v sipp >/dev/null || { echo "sipp missing: apt-get install sip-tester" >&2; exit 2; }

tree_ticks() { # utime+stime of a process and its children, in clock ticks
  local total=0 p
  for p in "$1" $(pgrep -P "$1" 2>/dev/null || true); do
    [ -r "/proc/$p/stat" ] && total=$((total + $(awk '{print $14 + $15}' "/proc/$p/stat")))
  done
  echo "$total"
}
hz=$(getconf CLK_TCK)

run_rate() { # label server_pid rsa rate
  local label=$1 server=$2 rsa=$3 rate=$4 calls=$(( $4 * seconds )) dir="$work/$1-$4"
  mkdir -p "$dir"
  sipp -sf "$scenarios/call-uas.xml" -t u1 -i 127.0.0.1 -p "$uas_port" -ci 127.0.0.1 -cp 5081 -buff_size 4194304 -m "$calls" \
    -timeout $((seconds * 3 + 20))s -nostdin -trace_stat -stf "$dir/uas.csv" -fd 1 >"$dir/uas.out" 2>&1 &
  local uas=$!
  sleep 0.3
  local before=0
  [ -n "$server" ] && before=$(tree_ticks "$server")
  local started; started=$(date +%s.%N)
  sipp -sf "$scenarios/call-uac.xml" -t u1 -i 127.0.0.1 -p 5090 -ci 127.0.0.1 -cp 5091 -buff_size 4194304 -s service $rsa \
    -r "$rate" -m "$calls" -l $((rate * 4)) -d 0 -timeout $((seconds * 3 + 10))s -nostdin \
    -trace_stat -stf "$dir/uac.csv" -fd 1 "127.0.0.1:$uas_port" >"$dir/uac.out" 2>&1 || true
  local ended; ended=$(date +%s.%N)
  local after=0
  [ -n "$server" ] && after=$(tree_ticks "$server")
  wait "$uas" 2>/dev/null || true
  python3 - "$dir" "$label" "$rate" "$calls" "$started" "$ended" "$before" "$after" "$hz" "${server:-}" <<'PY'
import csv, sys
d, label, rate, calls, t0, t1, c0, c1, hz, server = sys.argv[1:]
def last(path):
    try:
        rows = list(csv.DictReader(open(path), delimiter=';'))
        return rows[-1] if rows else {}
    except FileNotFoundError:
        return {}
uac, uas = last(f"{d}/uac.csv"), last(f"{d}/uas.csv")
ok = int(uac.get('SuccessfulCall(C)', 0)); failed = int(uac.get('FailedCall(C)', 0)) + int(uas.get('FailedCall(C)', 0))
elapsed = float(t1) - float(t0)
achieved = ok / elapsed if elapsed > 0 else 0
cpu = (int(c1) - int(c0)) / int(hz)
verdict = "pass" if failed == 0 and ok == int(calls) and achieved >= 0.95 * int(rate) else "FAIL"
cpu_text = f"{cpu / max(ok, 1) * 1000:.3f}" if server else "-"
print(f"| {label} | {rate} | {calls} | {ok} | {failed} | {achieved:.0f}/s | {cpu_text} | {verdict} |", flush=True)
PY
}

echo "| path | target rate | calls | completed | failed | achieved | server CPU-s / 1k calls | verdict |"
echo "|---|---|---|---|---|---|---|---|"

[ "${SKIP_DIRECT:-0}" = 1 ] || for rate in $rates; do run_rate direct "" "" "$rate"; done

if command -v kamailio >/dev/null; then
  kamailio -f "$peers/kamailio/kamailio-proxy.cfg" -DD -E -l "udp:127.0.0.1:$kam_port" -n 2 -m 512 -M 16 \
    -P "$work/kamailio.pid" -Y "$work" -w "$work" >"$work/kamailio.log" 2>&1 </dev/null &
  kam=$!; pids+=("$kam"); sleep 2
  for rate in $rates; do run_rate kamailio "$kam" "-rsa 127.0.0.1:$kam_port" "$rate"; done
  kill "$kam"; wait "$kam" 2>/dev/null || true
else
  echo "| kamailio | - | - | - | - | - | - | not installed (apt-get install kamailio) |"
fi

dotnet build "$root/src/FeatureB2bua" -c Release -nologo -v q >/dev/null
dotnet "$root/src/FeatureB2bua/bin/Release/net10.0/FeatureB2bua.dll" \
  "--Sip:Listen:0=udp:127.0.0.1:$b2bua_port" "--Sip:Listen:1=tcp:127.0.0.1:$b2bua_port" "--urls=http://127.0.0.1:9072" \
  "--Storage:ConnectionString=Data Source=$work/b2bua.db" "--Routing:Trusted:0=127.0.0.0/8" \
  "--Routing:Routes:0:Pattern=^service$" "--Routing:Routes:0:Targets:0=sip:127.0.0.1:$uas_port" \
  "--Logging:LogLevel:Default=Warning" >"$work/b2bua.log" 2>&1 &
b2bua=$!; pids+=("$b2bua")
for _ in $(seq 50); do curl -fs http://127.0.0.1:9072/healthz >/dev/null 2>&1 && break; sleep 0.2; done
# Warm-up, not reported: the JIT compiles the call path during the first few hundred calls.
seconds_saved=$seconds; seconds=4
run_rate warm-up "" "-rsa 127.0.0.1:$b2bua_port" 100 >/dev/null
seconds=$seconds_saved
for rate in $rates; do run_rate b2bua "$b2bua" "-rsa 127.0.0.1:$b2bua_port" "$rate"; done
echo "raw output: $work" >&2

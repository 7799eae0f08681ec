#!/usr/bin/env bash
# The highest flood rate from one source at which legitimate calls from another still all complete (issue 8).
# Per flood rate, on a fresh B2BUA (bans from the last step must not carry over):
#   flood       SIPp from 127.0.0.3 sends INVITEs only (tests/.../flood-invite-uac.xml) at the rate, SECONDS long
#   legitimate  SIPp UAC on 127.0.0.1 (a trusted PBX, Routing:Trusted) -> B2BUA -> SIPp UAS, CALLS calls at CALL_RATE
# A step passes when the legitimate UAC and UAS report every call successful and none failed. The server's CPU
# over the step (utime+stime from /proc) and the flood rate SIPp achieved are printed; the summary is the highest
# achieved flood rate below which every step passed.
# GATE=off runs the same ladder with Security:Flood:Enabled=false, for the figure without the gate.
# Every run is bounded (-m, -timeout, timeout(1)); loopback only; every process started here is stopped by PID.
#   FLOOD_RATES="2000 5000 10000 20000" SECONDS_PER_RATE=8 CALLS=200 CALL_RATE=25 bench/flood/flood.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
scenarios="$root/tests/FeatureB2bua.Tests/Interop/Scenarios"
rates="${FLOOD_RATES:-2000 5000 10000 20000}"
seconds="${SECONDS_PER_RATE:-8}"
calls="${CALLS:-200}"
call_rate="${CALL_RATE:-25}"
gate="${GATE:-on}"
work="$(mktemp -d)"
uas_port=5180 b2bua_port=5172 http_port=9172
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
}
trap cleanup EXIT
command -v sipp >/dev/null || { echo "sipp missing: apt-get install sip-tester" >&2; exit 2; }
hz=$(getconf CLK_TCK)
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
gate_args=""
[ "$gate" = off ] && gate_args="--Security:Flood:Enabled=false"

start_b2bua() { # step -> sets b2bua (PID)
  dotnet "$root/src/FeatureB2bua/bin/Release/net10.0/FeatureB2bua.dll" \
    "--Sip:Listen:0=udp:127.0.0.1:$b2bua_port" "--urls=http://127.0.0.1:$http_port" \
    "--Storage:ConnectionString=Data Source=$work/$1.db" "--Routing:Trusted:0=127.0.0.1/32" \
    "--Routing:Routes:0:Pattern=^service$" "--Routing:Routes:0:Targets:0=sip:127.0.0.1:$uas_port" "--Routing:Probe:Interval=00:00:00" \
    "--Logging:LogLevel:Default=Warning" $gate_args >"$work/$1.log" 2>&1 &
  b2bua=$!; pids+=("$b2bua")
  local i
  for i in $(seq 100); do curl -fs "http://127.0.0.1:$http_port/healthz" >/dev/null 2>&1 && return 0; sleep 0.2; done
  echo "the B2BUA did not come up, see $work/$1.log" >&2; exit 1
}

echo "# $(date -u +%FT%TZ) $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); load at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# GATE=$gate FLOOD_RATES=\"$rates\" SECONDS_PER_RATE=$seconds CALLS=$calls CALL_RATE=$call_rate"
dotnet build "$root/src/FeatureB2bua" -c Release -nologo -v q >/dev/null
echo
echo "| flood target | flood achieved | legitimate ok | failed | server CPU % | banned | verdict |"
echo "|---|---|---|---|---|---|---|"
best=0 broken=0
for rate in $rates; do
  dir="$work/$rate"; mkdir -p "$dir"
  start_b2bua "step-$rate"
  # Warm-up: the JIT compiles the call path in the first calls, which would otherwise count against the first step.
  timeout -k 5 40 sipp -sf "$scenarios/call-uas.xml" -t u1 -i 127.0.0.1 -p "$uas_port" -buff_size 4194304 -m 50 -timeout 30s -nostdin >/dev/null 2>&1 &
  warm=$!; pids+=("$warm"); sleep 0.3
  timeout -k 5 40 sipp -sf "$scenarios/call-uac.xml" -t u1 -i 127.0.0.1 -p 5190 -buff_size 4194304 -s service -rsa "127.0.0.1:$b2bua_port" \
    -r 50 -m 50 -d 0 -timeout 30s -nostdin "127.0.0.1:$uas_port" >/dev/null 2>&1 || true
  wait "$warm" 2>/dev/null || true

  timeout -k 5 $((seconds * 3 + 40)) sipp -sf "$scenarios/call-uas.xml" -t u1 -i 127.0.0.1 -p "$uas_port" -buff_size 4194304 -m "$calls" \
    -timeout $((seconds * 3 + 30))s -nostdin -trace_stat -stf "$dir/uas.csv" -fd 1 >/dev/null 2>&1 &
  uas=$!; pids+=("$uas")
  before=$(ticks "$b2bua"); t0=$(date +%s.%N)
  timeout -k 5 $((seconds + 20)) sipp -sf "$scenarios/flood-invite-uac.xml" -t u1 -i 127.0.0.3 -p 5191 -buff_size 4194304 -s service \
    -r "$rate" -m $((rate * seconds)) -timeout $((seconds + 10))s -nostdin -trace_stat -stf "$dir/flood.csv" -fd 1 "127.0.0.1:$b2bua_port" >/dev/null 2>&1 &
  flood=$!; pids+=("$flood")
  sleep 0.5
  timeout -k 5 $((seconds * 3 + 30)) sipp -sf "$scenarios/call-uac.xml" -t u1 -i 127.0.0.1 -p 5190 -buff_size 4194304 -s service -rsa "127.0.0.1:$b2bua_port" \
    -r "$call_rate" -m "$calls" -d 0 -timeout $((seconds * 3 + 20))s -nostdin -trace_stat -stf "$dir/uac.csv" -fd 1 "127.0.0.1:$uas_port" >/dev/null 2>&1 || true
  wait "$flood" 2>/dev/null || true
  t1=$(date +%s.%N); after=$(ticks "$b2bua")
  wait "$uas" 2>/dev/null || true
  banned=$(curl -fs "http://127.0.0.1:$http_port/api/bans" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
  kill "$b2bua" 2>/dev/null || true; wait "$b2bua" 2>/dev/null || true
  verdict=$(python3 - "$dir" "$calls" "$t0" "$t1" "$before" "$after" "$hz" "$rate" "$banned" <<'PY'
import csv, sys
d, calls, t0, t1, c0, c1, hz, rate, banned = sys.argv[1:]
def last(path):
    try:
        rows = list(csv.DictReader(open(path), delimiter=';'))
        return rows[-1] if rows else {}
    except FileNotFoundError:
        return {}
uac, uas, flood = last(f"{d}/uac.csv"), last(f"{d}/uas.csv"), last(f"{d}/flood.csv")
ok = int(uac.get('SuccessfulCall(C)', 0)); failed = int(uac.get('FailedCall(C)', 0)) + int(uas.get('FailedCall(C)', 0))
sent = int(flood.get('SuccessfulCall(C)', 0))
# SIPp's own elapsed time for the flood (ElapsedTime(C), h:m:s, maybe with :us), so the achieved rate is its own.
parts = [float(x) for x in (flood.get('ElapsedTime(C)') or '0:0:0').split(':')]
elapsed = parts[0] * 3600 + parts[1] * 60 + parts[2] + (parts[3] / 1e6 if len(parts) > 3 else 0)
achieved = sent / elapsed if elapsed > 0 else 0
cpu = (int(c1) - int(c0)) / int(hz) / (float(t1) - float(t0)) * 100
verdict = "pass" if failed == 0 and ok == int(calls) else "FAIL"
print(f"| {rate}/s | {achieved:.0f}/s | {ok}/{calls} | {failed} | {cpu:.0f} | {banned} | {verdict} |", file=sys.stderr)
print(f"{verdict} {achieved:.0f}")
PY
  )
  set -- $verdict
  if [ "$1" = pass ] && [ "$broken" = 0 ]; then best=$2; else broken=1; fi
  # The B2BUA is gone; SIPp's leftovers too. A pause lets the kernel's socket buffers drain before the next step.
  sleep 2
done 2>&1
echo
echo "Highest flood rate with every legitimate call completed (GATE=$gate): ${best}/s"

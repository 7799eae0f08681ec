#!/usr/bin/env bash
# CPU profile of the B2BUA under call load: perf record -g (cpu-clock, the VM has no hardware counters) on the
# server process, with DOTNET_PerfMapEnabled=1 so JIT-compiled frames have names (/tmp/perf-PID.map), and
# DOTNET_EnableWriteXorExecute=0, without which JIT code runs from a double-mapped memfd perf cannot name.
# RATE calls/s (INVITE..BYE, no hold) for SECONDS s after a warm-up; prints the top self and inclusive frames.
#   RATE=1000 SECONDS_TO_RUN=12 OUT=/tmp/prof bench/calls/profile.sh
# Bounded (-m, -timeout); loopback only; every process started here is stopped by its PID on exit.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
peers="${PEERS_DIR:-$root/../shared/peers}"
scenarios="$peers/sipp"
rate="${RATE:-1000}" seconds="${SECONDS_TO_RUN:-12}"
out="${OUT:-$(mktemp -d)}"
uas_port=5080 b2bua_port=5072 http_port=9072
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done; }
trap cleanup EXIT
dotnet build "$root/src/FeatureB2bua" -c Release -nologo -v q >/dev/null
DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0 dotnet "$root/src/FeatureB2bua/bin/Release/net10.0/FeatureB2bua.dll" \
  "--Sip:Listen:0=udp:127.0.0.1:$b2bua_port" "--urls=http://127.0.0.1:$http_port" \
  "--Storage:ConnectionString=Data Source=$out/b2bua.db" "--Routing:Trusted:0=127.0.0.0/8" \
  "--Routing:Routes:0:Pattern=^service$" "--Routing:Routes:0:Targets:0=sip:127.0.0.1:$uas_port" "--Routing:Probe:Interval=00:00:00" \
  "--Logging:LogLevel:Default=Warning" >"$out/b2bua.log" 2>&1 &
b2bua=$!; pids+=("$b2bua")
for _ in $(seq 100); do curl -fs "http://127.0.0.1:$http_port/healthz" >/dev/null 2>&1 && break; sleep 0.2; done

load() { # rate calls
  timeout -k 5 $(( $2 / $1 * 3 + 40 )) sipp -sf "$scenarios/uas.xml" -t u1 -i 127.0.0.1 -p "$uas_port" -ci 127.0.0.1 -cp 5081 -buff_size 4194304 -m "$2" \
    -timeout $(( $2 / $1 * 3 + 20 ))s -nostdin >"$out/uas.out" 2>&1 &
  local uas=$!; pids+=("$uas"); sleep 0.3
  timeout -k 5 $(( $2 / $1 * 3 + 30 )) sipp -sf "$scenarios/uac.xml" -t u1 -i 127.0.0.1 -p 5090 -ci 127.0.0.1 -cp 5091 -buff_size 4194304 -s service \
    -rsa "127.0.0.1:$b2bua_port" -r "$1" -m "$2" -l $(( $1 * 4 )) -d 0 -timeout $(( $2 / $1 * 3 + 10 ))s -nostdin \
    "127.0.0.1:$uas_port" >"$out/uac.out" 2>&1 || true
  wait "$uas" 2>/dev/null || true
}
load 200 2000    # warm-up: tiered JIT settles
load "$rate" $((rate * seconds)) &
loader=$!; pids+=("$loader")
sleep 1
perf record -F 999 -g -e cpu-clock -p "$b2bua" -o "$out/perf.data" -- sleep $((seconds - 2)) 2>"$out/perf-record.log"
wait "$loader" 2>/dev/null || true
grep -E "Successful call|Failed call" "$out/uac.out" | tail -2
report() { perf report -i "$out/perf.data" --stdio -g none "$@" 2>/dev/null | grep -vE '^(#|$)' || true; }
report --no-children --sort dso | head -20 >"$out/dso.txt"
report --no-children --sort dso,symbol | head -80 >"$out/self.txt"
report --children --sort symbol | head -150 >"$out/children.txt"
echo "== by DSO"; cat "$out/dso.txt"
echo "== self"; head -40 "$out/self.txt"
echo "== inclusive"; head -80 "$out/children.txt"
echo "output: $out" >&2

#!/usr/bin/env bash
# OPTIONS load against the B2BUA: SIPp sends OPTIONS at each rate for a fixed time over UDP and over TCP and
# the table shows what came back 200 OK and what the server's CPU cost was. Every run is bounded by -m and
# -timeout, and the server this script starts is stopped by its PID on exit.
#   RATES="1000 2000 4000" SECONDS_PER_RATE=10 bench/sipp/options-load.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
rates="${RATES:-1000 2000 4000 8000}"
seconds="${SECONDS_PER_RATE:-10}"
port="${PORT:-5072}"
scenario="$root/tests/FeatureB2bua.Tests/Interop/Scenarios/options-uac.xml"
work="$(mktemp -d)"
command -v sipp >/dev/null || { echo "sipp missing: apt-get install sip-tester" >&2; exit 2; }

dotnet build "$root/src/FeatureB2bua" -c Release -nologo -v q >/dev/null
dotnet "$root/src/FeatureB2bua/bin/Release/net10.0/FeatureB2bua.dll" \
  "--Sip:Listen:0=udp:127.0.0.1:$port" "--Sip:Listen:1=tcp:127.0.0.1:$port" \
  "--urls=http://127.0.0.1:$((port + 4000))" "--Logging:LogLevel:Default=Warning" >"$work/server.log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true' EXIT
for _ in $(seq 50); do
  curl -fs "http://127.0.0.1:$((port + 4000))/healthz" >/dev/null 2>&1 && break
  sleep 0.2
done

cpu_ticks() { awk '{print $14 + $15}' "/proc/$server/stat"; }
hz=$(getconf CLK_TCK)

echo "| transport | target rate | sent | 200 OK | failed | achieved rate | server CPU-s / 1k |"
echo "|---|---|---|---|---|---|---|"
for transport in u1 t1; do
  for rate in $rates; do
    calls=$((rate * seconds))
    stats="$work/$transport-$rate.csv"
    before=$(cpu_ticks)
    started=$(date +%s.%N)
    sipp -sf "$scenario" -t "$transport" -i 127.0.0.1 -p 0 -ci 127.0.0.1 -r "$rate" -m "$calls" -l $((rate * 2)) \
      -timeout $((seconds * 3 + 10))s -nostdin -trace_stat -stf "$stats" -fd 1 "127.0.0.1:$port" \
      >"$work/$transport-$rate.out" 2>&1 || true
    ended=$(date +%s.%N)
    after=$(cpu_ticks)
    python3 - "$stats" "$transport" "$rate" "$calls" "$started" "$ended" "$before" "$after" "$hz" <<'PY'
import csv, sys
path, transport, rate, calls, t0, t1, c0, c1, hz = sys.argv[1:]
rows = list(csv.DictReader(open(path), delimiter=';'))
last = rows[-1]
ok, failed = int(last['SuccessfulCall(C)']), int(last['FailedCall(C)'])
elapsed = float(t1) - float(t0)
cpu = (int(c1) - int(c0)) / int(hz)
name = {'u1': 'UDP', 't1': 'TCP'}[transport]
print(f"| {name} | {rate} | {calls} | {ok} | {failed} | {ok / elapsed:.0f}/s | {cpu / max(ok, 1) * 1000:.3f} |")
PY
  done
done

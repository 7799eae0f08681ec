#!/usr/bin/env bash
# REGISTER load with digest authentication: the script provisions USERS subscribers, starts the Release server
# on loopback, and SIPp runs REGISTER -> 401 -> REGISTER with credentials -> 200 at each rate for a fixed time,
# cycling through the users. The table shows what came back 200 OK and what the server's CPU cost was. Every
# run is bounded by -m and -timeout, and the server this script starts is stopped by its PID on exit.
#   RATES="200 500 1000 2000" SECONDS_PER_RATE=10 USERS=10000 bench/sipp/register-load.sh
# SIPp 3.6.1 computes MD5 digests only and always digests uri="sip:<server ip>:<port>", so the server offers MD5
# first and its domain is 127.0.0.1 (see tests/FeatureB2bua.Tests/Interop/SippRegistrarTests.cs).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
rates="${RATES:-200 500 1000 2000}"
seconds="${SECONDS_PER_RATE:-10}"
users="${USERS:-10000}"
port="${PORT:-5072}"
http=$((port + 4000))
scenario="$root/tests/FeatureB2bua.Tests/Interop/Scenarios/register-auth.xml"
command -v sipp >/dev/null || { echo "sipp missing: apt-get install sip-tester" >&2; exit 2; }
work="$(mktemp -d)"
server=""
cleanup() {
  if [ -n "$server" ]; then
    kill "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

python3 - "$users" "$work/subscribers.json" "$work/users.csv" <<'PY'
import json, sys
count, provisioning, csv = int(sys.argv[1]), sys.argv[2], sys.argv[3]
names = [(f"user{i:06d}", f"bench-{i:06d}") for i in range(1, count + 1)]
json.dump({"subscribers": [{"user": u, "password": p} for u, p in names]}, open(provisioning, "w"))
with open(csv, "w") as f:
    f.write("SEQUENTIAL\n")
    f.writelines(f"{u};127.0.0.1;{p}\n" for u, p in names)
PY

dotnet build "$root/src/FeatureB2bua" -c Release -m:1 -nologo -v q >/dev/null
dotnet "$root/src/FeatureB2bua/bin/Release/net10.0/FeatureB2bua.dll" \
  "--Sip:Listen:0=udp:127.0.0.1:$port" "--Sip:Listen:1=tcp:127.0.0.1:$port" "--Sip:Domain=127.0.0.1" \
  "--Auth:Algorithms:0=Md5" "--Auth:Algorithms:1=Sha256" \
  "--Provisioning:File=$work/subscribers.json" "--Storage:ConnectionString=Data Source=$work/b2bua.db" \
  "--urls=http://127.0.0.1:$http" "--Logging:LogLevel:Default=Warning" >"$work/server.log" 2>&1 &
server=$!
# Provisioning runs before the listeners open, so /healthz answers once every subscriber is stored.
for _ in $(seq 600); do
  curl -fs "http://127.0.0.1:$http/healthz" >/dev/null 2>&1 && break
  kill -0 "$server" 2>/dev/null || { cat "$work/server.log" >&2; exit 1; }
  sleep 0.2
done

cpu_ticks() { awk '{print $14 + $15}' "/proc/$server/stat"; }
hz=$(getconf CLK_TCK)

echo "| target rate | registrations | 200 OK | failed | achieved rate | server CPU-s / 1k registrations |"
echo "|---|---|---|---|---|---|"
for rate in $rates; do
  calls=$((rate * seconds))
  stats="$work/$rate.csv"
  before=$(cpu_ticks)
  started=$(date +%s.%N)
  status=0
  sipp -sf "$scenario" -inf "$work/users.csv" -t u1 -i 127.0.0.1 -p 0 -r "$rate" -m "$calls" -l $((rate * 2)) \
    -timeout $((seconds * 3 + 10))s -nostdin -trace_stat -stf "$stats" -fd 1 -trace_err -error_file "$work/$rate.err" "127.0.0.1:$port" \
    >"$work/$rate.out" 2>&1 || status=$?
  ended=$(date +%s.%N)
  after=$(cpu_ticks)
  # SIPp exits 0 when every call passed, 1 when some failed; anything else stopped the run itself.
  [ "$status" -le 1 ] || { tail -n 3 "$work/$rate.err"; echo; } >&2
  python3 - "$stats" "$rate" "$calls" "$started" "$ended" "$before" "$after" "$hz" "$status" <<'PY'
import csv, sys
path, rate, calls, t0, t1, c0, c1, hz, status = sys.argv[1:]
if int(status) > 1:
    print(f"| {rate} | {calls} | - | - | SIPp stopped with exit code {status} | - |")
    sys.exit(0)
last = list(csv.DictReader(open(path), delimiter=';'))[-1]
ok, failed = int(last['SuccessfulCall(C)']), int(last['FailedCall(C)'])
elapsed = float(t1) - float(t0)
cpu = (int(c1) - int(c0)) / int(hz)
print(f"| {rate} | {calls} | {ok} | {failed} | {ok / elapsed:.0f}/s | {cpu / max(ok, 1) * 1000:.3f} |")
PY
done

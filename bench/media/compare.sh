#!/usr/bin/env bash
env_seconds=$SECONDS # SECONDS=15 in the environment presets bash's own SECONDS counter: read it before it ticks
# RTP relayed per second and relay CPU-seconds per million packets relayed, at LEVELS concurrent calls, three ways
# in one run on this machine:
#   crelay     bench/media/udp_relay.c, our plain relay in C (single thread, epoll, one recvfrom/sendto per
#              packet, latching per side like an anchor): the floor. Built here with gcc -O2 into the temp dir.
#   rtpengine  rtpengine (Debian package rtpengine-daemon), userspace forwarding only (table = -1, no kernel
#              module), the peers' config ../shared/peers/rtpengine/rtpengine.conf (2 threads, ng on 5095,
#              media 20000-24999); N offer/answer sessions set up over ng by the peers' tools/rtpengine_ng.py.
#   b2bua      FeatureB2bua (Release) with its media anchor (Media:Address=127.0.0.1, Media:PortMin..PortMax =
#              MEDIA_PORT_MIN..MEDIA_PORT_MAX): N SIPp calls (bench/media/uac.xml -> B2BUA -> uas.xml), held
#              while the media runs, then BYE. The caller offers rtpgen's side A (127.0.0.1:A_PORT), the callee
#              answers with side B (127.0.0.1:B_PORT); the SDP the B2BUA put in the 200 OK seen by the caller (where
#              A must send) and in the INVITE seen by the callee (where B must send) are logged by the scenarios
#              and become rtpgen's session file. If those are A_PORT/B_PORT themselves, the B2BUA is not
#              anchoring (SDP passed through): the script refuses, unless ALLOW_PASSTHROUGH=1, which runs the path
#              as "b2bua-passthrough" (rtpgen A and B talk straight to each other: a check of the harness only).
# Load: ../shared/peers/c/rtpgen.c (built here), 50 packets/s each way per call, 172-byte packets (12-byte RTP
# header + 160 bytes PCMU 20 ms), one socket per side for all calls (streams told apart by SSRC), for WARMUP_SECONDS
# (not counted: the relay latches, the JIT compiles) and then RUN_SECONDS measured (SECONDS=15 in the environment
# works too). Per run: offered pps (what rtpgen sent, both directions), relayed pps (what came back), loss %,
# latency avg/p99 (rtpgen, same clock; its histogram ends at 100 ms, so a p99 of 100050 reads ">= 100 ms"), CPU-s of the relay's process tree over the measured run (/proc utime+stime,
# threads included), CPU-s per million packets relayed, and as checks of the load itself rtpgen's own CPU use
# (near 1.0 = the generator is the bottleneck, pin it: GEN_CPUS), UDP receive-buffer drops of the whole machine
# (/proc/net/snmp RcvbufErrors) and the CPU that processes outside the bench took meanwhile (machine busy cores from
# /proc/stat minus relay and rtpgen): on a shared 2-core box a run with others near 1 core measures the neighbours.
# REPEATS times (default 3), and inside each repeat, per level, the paths one after the other, so that drift of
# this shared machine hits all alike; at the end the median per path and level, markdown for bench/RESULTS.md,
# with the machine line, and the issue's targets checked (b2bua: no loss where crelay has none; CPU-s per
# million packets no worse than rtpengine's).
# Every process started here is stopped by its PID on exit; every step is bounded (timeout(1), SIPp -timeout,
# udp_relay -t, rtpgen -d); loopback only. rtpengine is installed with apt-get if missing; if it cannot be
# installed or started, the rtpengine path is skipped and the reason printed.
#   bench/media/compare.sh                                    (LEVELS="200 500 1000" REPEATS=3 RUN_SECONDS=15)
#   LEVELS="200 500" REPEATS=1 PATHS="crelay rtpengine" bench/media/compare.sh
#   GEN_CPUS=0 RELAY_CPUS=1 bench/media/compare.sh            (taskset: rtpgen on core 0, the relay on core 1)
#   ALLOW_PASSTHROUGH=1 PATHS=b2bua bench/media/compare.sh    (a B2BUA without anchor: harness check only)
#   QUIET_CORES=0.3 QUIET_WAIT=60 ...   (before each run wait up to 60 s for the rest of the machine to use < 0.3 cores)
# Other knobs: WARMUP_SECONDS=3 SETUP_RATE=200 (calls/s) PPS_PER_STREAM=50 PACKET_SIZE=172 A_PORT=26200 B_PORT=26202
# CRELAY_BASE=12000 MEDIA_PORT_MIN=14000 MEDIA_PORT_MAX=18999 B2BUA_PORT=5172 HTTP_PORT=9172 UAS_PORT=5180 UAC_PORT=5190
# MEDIA_INACTIVITY_SECONDS=600 (far above the ~15 s a call waits for its first packet) SKIP_BUILD=1 PEERS_DIR=...
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
peers="${PEERS_DIR:-$root/../shared/peers}"
levels="${LEVELS:-200 500 1000}"
repeats="${REPEATS:-3}"
paths="${PATHS:-crelay rtpengine b2bua}"
if [ -n "${RUN_SECONDS:-}" ]; then seconds=$RUN_SECONDS; elif [ "$env_seconds" -gt 0 ]; then seconds=$env_seconds; else seconds=15; fi
warmup="${WARMUP_SECONDS:-3}"
pps="${PPS_PER_STREAM:-50}"
size="${PACKET_SIZE:-172}"
setup_rate="${SETUP_RATE:-200}"          # calls/s while setting up the b2bua calls
gen_cpus="${GEN_CPUS:-}" relay_cpus="${RELAY_CPUS:-}"
quiet_cores="${QUIET_CORES:-}" quiet_wait="${QUIET_WAIT:-60}"  # wait (at most QUIET_WAIT s) for the machine to be this idle
allow_passthrough="${ALLOW_PASSTHROUGH:-0}"
a_port="${A_PORT:-26200}" b_port="${B_PORT:-26202}"
crelay_base="${CRELAY_BASE:-12000}"    # below the ephemeral ports (32768-60999), where anything may hold a port
media_min="${MEDIA_PORT_MIN:-14000}" media_max="${MEDIA_PORT_MAX:-18999}"
b2bua_port="${B2BUA_PORT:-5172}" http_port="${HTTP_PORT:-9172}" uas_port="${UAS_PORT:-5180}" uac_port="${UAC_PORT:-5190}"
drain=1
work="$(mktemp -d)"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
}
trap cleanup EXIT
forget() { local p keep=(); for p in "${pids[@]}"; do [ "$p" = "$1" ] || keep+=("$p"); done; pids=("${keep[@]}"); }
stop_pid() { kill "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; forget "$1"; } # forgotten: no stale PID killed later
log() { echo "# $*" >&2; }
udp_busy() { ss -Hlun "sport = :$1" 2>/dev/null | grep -q .; }

# ---- tools -----------------------------------------------------------------------------------------------------
command -v gcc >/dev/null || { echo "gcc missing: apt-get install gcc libc6-dev" >&2; exit 2; }
[ -r "$peers/c/rtpgen.c" ] || { echo "no rtpgen.c in $peers/c (PEERS_DIR)" >&2; exit 2; }
gcc -O2 -Wall -std=gnu11 -o "$work/udp_relay" "$here/udp_relay.c"
gcc -O2 -Wall -std=gnu11 -o "$work/rtpgen" "$peers/c/rtpgen.c"
gen=("$work/rtpgen")
[ -n "$gen_cpus" ] && gen=(taskset -c "$gen_cpus" "$work/rtpgen")
# RELAY_CPUS: the relay runs under taskset from its start (so .NET and rtpengine size their threads for those cores)
on_relay_cpus=(); [ -n "$relay_cpus" ] && on_relay_cpus=(taskset -c "$relay_cpus")
for p in "$a_port" "$b_port"; do udp_busy "$p" && { echo "UDP $p (rtpgen) is in use: another bench running?" >&2; exit 2; }; done

tree_ticks() { # utime+stime of a process and all its descendants (threads are in the process's own line)
  local total=0 p todo=("$1")
  while [ ${#todo[@]} -gt 0 ]; do
    p=${todo[0]}; todo=("${todo[@]:1}")
    [ -r "/proc/$p/stat" ] && total=$((total + $(sed 's/.*) //' "/proc/$p/stat" | awk '{print $12 + $13}')))
    todo+=($(pgrep -P "$p" 2>/dev/null || true))
  done
  echo "$total"
}
hz=$(getconf CLK_TCK)
rcvbuf_errors() { awk '/^Udp:/ && $2 ~ /^[0-9]/ {print $6}' /proc/net/snmp; }
busy_jiffies() { awk '/^cpu / {print $2 + $3 + $4 + $7 + $8 + $9, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9}' /proc/stat; }

wait_quiet() { # QUIET_CORES set: up to QUIET_WAIT s until the machine's busy cores over 1 s are below it
  [ -n "$quiet_cores" ] || return 0
  local end=$(( $(date +%s) + quiet_wait )) m0 m1
  while :; do
    m0=$(busy_jiffies); sleep 1; m1=$(busy_jiffies)
    python3 -c 'import os,sys; b0,a0,b1,a1=map(int,sys.argv[1:5]); sys.exit((b1-b0)/max(a1-a0,1)*os.cpu_count() >= float(sys.argv[5]))' \
      $m0 $m1 "$quiet_cores" && return 0
    [ "$(date +%s)" -lt "$end" ] || { log "machine still busy after ${quiet_wait} s, running anyway"; return 0; }
  done
}

# measure LABEL LEVEL REPEAT SESSIONS_FILE RELAY_PID: warm-up, then the measured rtpgen run; one row
measure() {
  local label=$1 n=$2 rep=$3 sess=$4 relay=$5 dir="$work/$1-$2-r$3"
  mkdir -p "$dir"
  wait_quiet
  timeout -k 5 $((warmup + 20)) "${gen[@]}" -m both -a "$a_port" -b "$b_port" -f "$sess" -R "$pps" -s "$size" \
    -d "$warmup" -w "$drain" -B 64 -g 1000 >"$dir/warmup.txt" 2>&1 || true
  local t0 d0 m0 t1 d1 m1
  t0=$(tree_ticks "$relay"); d0=$(rcvbuf_errors); m0=$(busy_jiffies)
  timeout -k 5 $((seconds + 20)) "${gen[@]}" -m both -a "$a_port" -b "$b_port" -f "$sess" -R "$pps" -s "$size" \
    -d "$seconds" -w "$drain" -B 64 -g 1000 >"$dir/rtpgen.txt" 2>"$dir/rtpgen.err" || true
  t1=$(tree_ticks "$relay"); d1=$(rcvbuf_errors); m1=$(busy_jiffies)
  kill -0 "$relay" 2>/dev/null || echo "relay $relay of $label died during the run" >"$dir/note"
  python3 - "$dir" "$label" "$n" "$rep" "$((t1 - t0))" "$hz" "$((d1 - d0))" "$m0" "$m1" "$seconds" "$drain" "$work/runs.tsv" <<'PY'
import os, sys
d, label, n, rep, ticks, hz, drops, m0, m1, secs, drain, tsv = sys.argv[1:]
n, secs, drain = int(n), float(secs), float(drain)
try:
    g = dict(kv.split("=", 1) for kv in open(d + "/rtpgen.txt").read().split()[1:] if "=" in kv)
except (OSError, ValueError):
    g = {}
sent, rcvd, send_s = int(g.get("sent", 0)), int(g.get("rcvd", 0)), float(g.get("send_s", 0))
offered = sent / send_s if send_s else 0
relayed = float(g.get("rx_pps", 0))
loss = 100.0 * (sent - rcvd) / sent if sent else 100.0
cpu = int(ticks) / int(hz)
per_m = cpu / rcvd * 1e6 if rcvd else float("nan")
util = cpu / (secs + drain)
gen_util = float(g.get("cpu_s", 0)) / (secs + drain)
(b0, a0), (b1, a1) = (map(int, m0.split()), map(int, m1.split()))
busy = (b1 - b0) / (a1 - a0) * os.cpu_count() if a1 > a0 else 0
others = max(0.0, busy - util - gen_util)   # CPU of processes outside this bench (SIPp idles while calls are held)
lat_avg, lat_p99 = float(g.get("lat_avg_us", 0)), int(g.get("lat_p99_us<", 0))
note = open(d + "/note").read().strip() if os.path.exists(d + "/note") else ""
if not g:
    note = (note + "; " if note else "") + "rtpgen printed nothing, see " + d
print(f"| {rep} | {label} | {n} | {offered:.0f} | {relayed:.0f} | {loss:.4f} | {cpu:.2f} | {util:.2f} | {per_m:.2f} "
      f"| {lat_avg:.0f} / {lat_p99} | {gen_util:.2f} | {int(drops)} | {others:.2f} | {note} |", flush=True)
with open(tsv, "a") as f:
    f.write("\t".join(str(x) for x in (label, n, rep, f"{offered:.1f}", f"{relayed:.1f}", sent, rcvd, f"{loss:.4f}",
        f"{cpu:.3f}", f"{util:.3f}", f"{per_m:.4f}", f"{lat_avg:.1f}", lat_p99, f"{gen_util:.3f}", drops,
        f"{others:.3f}", note or "-")) + "\n")
PY
}

# ---- crelay ----------------------------------------------------------------------------------------------------
run_crelay() { # level repeat
  local n=$1 rep=$2 sess="$work/crelay-$1-r$2.sessions"
  "${on_relay_cpus[@]}" "$work/udp_relay" -n "$n" -p "$crelay_base" -f "$sess" -a "127.0.0.1:$a_port" -b "127.0.0.1:$b_port" \
    -t $((warmup + seconds + 30)) >"$work/crelay-$n-r$rep.out" 2>&1 &
  local relay=$!; pids+=("$relay")
  local i; for i in $(seq 50); do [ -s "$sess" ] && break; sleep 0.1; done
  if [ ! -s "$sess" ]; then
    echo "| $rep | crelay | $n | - | - | - | - | - | - | - | - | - | - | udp_relay did not start: $(tail -1 "$work/crelay-$n-r$rep.out") |"
    stop_pid "$relay"; return
  fi
  measure crelay "$n" "$rep" "$sess" "$relay"
  stop_pid "$relay"
}

# ---- rtpengine -------------------------------------------------------------------------------------------------
rtpe="" rtpe_skip=""
start_rtpengine() {
  if ! command -v rtpengine >/dev/null; then
    log "rtpengine missing: apt-get install rtpengine-daemon"
    { DEBIAN_FRONTEND=noninteractive timeout 300 apt-get install -y --no-install-recommends rtpengine-daemon ||
      { DEBIAN_FRONTEND=noninteractive timeout 300 apt-get update -q &&
        DEBIAN_FRONTEND=noninteractive timeout 300 apt-get install -y --no-install-recommends rtpengine-daemon; }; } \
      >"$work/apt.log" 2>&1 || { rtpe_skip="apt-get install rtpengine-daemon failed: $(tail -1 "$work/apt.log")"; return; }
  fi
  for p in 5094 5095 5096; do udp_busy "$p" && { rtpe_skip="UDP $p (rtpengine ng/CLI) already in use"; return; }; done
  # the peers' config: userspace only (table = -1), ng 127.0.0.1:5095, CLI 5094, media 20000-24999, 2 threads
  "${on_relay_cpus[@]}" rtpengine --config-file="$peers/rtpengine/rtpengine.conf" --config-section=rtpengine \
    --pidfile="$work/rtpengine.pid" >"$work/rtpengine.log" 2>&1 </dev/null &
  rtpe=$!; pids+=("$rtpe")
  local i; for i in $(seq 100); do udp_busy 5095 && break; kill -0 "$rtpe" 2>/dev/null || break; sleep 0.1; done
  if ! kill -0 "$rtpe" 2>/dev/null || ! timeout 15 python3 "$peers/tools/rtpengine_ng.py" ping >/dev/null 2>&1; then
    rtpe_skip="rtpengine did not start or does not answer ng ping: $(tail -3 "$work/rtpengine.log" | tr '\n' ' ')"
    stop_pid "$rtpe"; rtpe=""; return
  fi
  log "rtpengine $(rtpengine --version 2>&1 | head -1) pid $rtpe, userspace only (table = -1)"
}
run_rtpengine() { # level repeat
  local n=$1 rep=$2 sess="$work/rtpengine-$1-r$2.sessions" tag="m$$-$1-$2"
  if ! timeout 120 python3 "$peers/tools/rtpengine_ng.py" setup "$n" "$sess" --tag "$tag" --a-port "$a_port" \
      --b-port "$b_port" >"$work/rtpengine-$n-r$rep.setup" 2>&1; then
    echo "| $rep | rtpengine | $n | - | - | - | - | - | - | - | - | - | - | ng setup failed: $(tail -1 "$work/rtpengine-$n-r$rep.setup") |"
    return
  fi
  measure rtpengine "$n" "$rep" "$sess" "$rtpe"
  timeout 120 python3 "$peers/tools/rtpengine_ng.py" delete "$n" --tag "$tag" >"$work/rtpengine-$n-r$rep.delete" 2>&1 || true
}

# ---- b2bua -----------------------------------------------------------------------------------------------------
b2bua="" b2bua_label=b2bua
start_b2bua() {
  command -v sipp >/dev/null || { echo "sipp missing: apt-get install sip-tester" >&2; exit 2; }
  for p in "$b2bua_port" "$uas_port" "$uac_port" $((uas_port + 1)) $((uac_port + 1)); do
    udp_busy "$p" && { echo "UDP $p is in use (B2BUA_PORT/UAS_PORT/UAC_PORT)" >&2; exit 2; }
  done
  [ "${SKIP_BUILD:-0}" = 1 ] || dotnet build "$root/src/FeatureB2bua" -c Release -nologo -v q -m:1 >"$work/build.log" 2>&1 ||
    { tail -20 "$work/build.log" >&2; exit 1; }
  "${on_relay_cpus[@]}" dotnet "$root/src/FeatureB2bua/bin/Release/net10.0/FeatureB2bua.dll" \
    "--Sip:Listen:0=udp:127.0.0.1:$b2bua_port" "--urls=http://127.0.0.1:$http_port" \
    "--Storage:ConnectionString=Data Source=$work/b2bua.db" "--Routing:Trusted:0=127.0.0.0/8" \
    "--Routing:Routes:0:Pattern=^service$" "--Routing:Routes:0:Targets:0=sip:127.0.0.1:$uas_port" "--Routing:Probe:Interval=00:00:00" \
    "--Media:Address=127.0.0.1" "--Media:PortMin=$media_min" "--Media:PortMax=$media_max" \
    "--Media:InactivityTimeoutSeconds=${MEDIA_INACTIVITY_SECONDS:-600}" "--Logging:LogLevel:Default=Warning" >"$work/b2bua.log" 2>&1 &
  b2bua=$!; pids+=("$b2bua")
  local i
  for i in $(seq 150); do curl -fs "http://127.0.0.1:$http_port/healthz" >/dev/null 2>&1 && break; sleep 0.2; done
  curl -fs "http://127.0.0.1:$http_port/healthz" >/dev/null 2>&1 || { echo "the B2BUA did not come up, see $work/b2bua.log" >&2; exit 1; }
}

# calls_up NAME N HOLD_S: N calls through the B2BUA, held HOLD_S s; waits until every call is up and writes
# $work/NAME.sessions. Sets uac/uas (PIDs). Returns 1 (reason in $work/NAME.why) if the calls did not come up.
calls_up() {
  local name=$1 n=$2 hold=$3 dir="$work/$1"
  mkdir -p "$dir"
  local total=$(( n / setup_rate + hold + 30 ))
  timeout -k 5 $((total + 20)) sipp -sf "$here/uas.xml" -t u1 -i 127.0.0.1 -p "$uas_port" -ci 127.0.0.1 -cp $((uas_port + 1)) \
    -buff_size 4194304 -m "$n" -timeout "${total}s" -nostdin -key media_addr 127.0.0.1 -key b_port "$b_port" \
    -trace_logs -log_file "$dir/uas_logs.log" -trace_err -error_file "$dir/uas.err" >"$dir/uas.out" 2>&1 &
  uas=$!; pids+=("$uas")
  sleep 0.3
  timeout -k 5 $((total + 15)) sipp -sf "$here/uac.xml" -t u1 -i 127.0.0.1 -p "$uac_port" -ci 127.0.0.1 -cp $((uac_port + 1)) \
    -buff_size 4194304 -s service -rsa "127.0.0.1:$b2bua_port" -r "$setup_rate" -m "$n" -l "$n" -d $((hold * 1000)) \
    -timeout "${total}s" -nostdin -key media_addr 127.0.0.1 -key a_port "$a_port" \
    -trace_logs -log_file "$dir/uac_logs.log" -trace_err -error_file "$dir/uac.err" "127.0.0.1:$uas_port" >"$dir/uac.out" 2>&1 &
  uac=$!; pids+=("$uac"); uac_started=$(date +%s)
  local deadline=$(( $(date +%s) + n / setup_rate + 8 )) a=0 b=0
  while [ "$(date +%s)" -lt "$deadline" ]; do
    a=$(grep -c '^A ' "$dir/uac_logs.log" 2>/dev/null || true); b=$(grep -c '^B ' "$dir/uas_logs.log" 2>/dev/null || true)
    [ "${a:-0}" -ge "$n" ] && [ "${b:-0}" -ge "$n" ] && break
    kill -0 "$uac" 2>/dev/null || break
    sleep 0.5
  done
  # last line of NAME.why: "anchored", "passthrough", or why the calls are not usable
  python3 - "$dir" "$n" "$a_port" "$b_port" "$work/$name.sessions" >"$work/$name.why" 2>&1 <<'PY' || return 1
import sys
d, n, a_port, b_port, out = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
def read(path, who):   # "<who> <Call-ID> c=IN IP4 <ip> m=audio <port>"; last line per Call-ID wins
    calls = {}
    try:
        for line in open(path):
            f = line.split()
            if len(f) == 7 and f[0] == who and f[2] == "c=IN" and f[5] == "m=audio":
                calls[f[1]] = (f[4], int(f[6]))
    except FileNotFoundError:
        pass
    return list(calls.values())
A, B = read(d + "/uac_logs.log", "A"), read(d + "/uas_logs.log", "B")   # A: where side A sends; B: where B sends
if len(A) < n or len(B) < n:
    sys.exit(f"only {len(A)} answers at the caller and {len(B)} offers at the callee of {n} calls came up in time "
             f"(SIPp errors: {d}/uac.err, {d}/uas.err)")
ips = {ip for ip, _ in A + B}
if ips != {"127.0.0.1"}:
    sys.exit(f"the B2BUA's SDP points at {sorted(ips)}; rtpgen sends to 127.0.0.1 only (Media:Address=127.0.0.1)")
through = sum(p == b_port for _, p in A) + sum(p == a_port for _, p in B)
if through == 2 * n:
    print("passthrough")
elif through:
    sys.exit(f"{through} of {2 * n} SDP ports are rtpgen's own (not anchored) and the rest are not: mixed, refusing")
else:
    pa, pb = {p for _, p in A}, {p for _, p in B}
    if len(pa) < n or len(pb) < n or pa & pb:
        print(f"warning: anchor ports not distinct per call and side ({len(pa)} A, {len(pb)} B, {len(pa & pb)} shared)")
    print("anchored")
with open(out, "w") as f:   # not paired by call (Call-IDs differ per leg): each anchor port still gets one stream
    for (_, pa_), (_, pb_) in zip(A[:n], B[:n]):
        f.write(f"{pa_} {pb_}\n")
PY
}
calls_down() { # waits for SIPp to finish the calls (BYE at the end of the hold); sets calls_outcome
  local rc_uac=0 rc_uas=0
  wait "$uac" 2>/dev/null || rc_uac=$?; forget "$uac"
  wait "$uas" 2>/dev/null || rc_uas=$?; forget "$uas"
  if [ "$rc_uac" = 0 ] && [ "$rc_uas" = 0 ]; then calls_outcome=ok; else calls_outcome="SIPp exit $rc_uac/$rc_uas (failed calls)"; fi
}
b2bua_probe() { # 20 calls: JIT warm-up of the call path, and is the B2BUA anchoring at all?
  local mode
  if ! calls_up probe 20 2; then echo "b2bua probe calls failed: $(cat "$work/probe.why")" >&2; exit 1; fi
  mode=$(tail -1 "$work/probe.why"); calls_down
  if [ "$mode" = passthrough ]; then
    if [ "$allow_passthrough" = 1 ]; then
      b2bua_label=b2bua-passthrough
      log "the B2BUA passes the SDP through (no media anchor): running it as b2bua-passthrough (ALLOW_PASSTHROUGH=1);"
      log "rtpgen side A sends straight to side B, the B2BUA relays nothing: a check of the harness, not of the anchor"
    else
      echo "REFUSED: the B2BUA passed the SDP through unchanged (the ports in its 200 OK and INVITE are rtpgen's own," >&2
      echo "$a_port/$b_port): there is no media anchor to measure. Set ALLOW_PASSTHROUGH=1 to run the path anyway" >&2
      echo "as a harness check (media goes directly between rtpgen's sockets), or PATHS without b2bua." >&2
      exit 3
    fi
  fi
}
run_b2bua() { # level repeat
  local n=$1 rep=$2 name="b2bua-$1-r$2"
  # hold: setup + waiting for the ports + warm-up + measured run + drains + margin; the BYEs come after the run
  local quiet=0; [ -n "$quiet_cores" ] && quiet=$quiet_wait
  local hold=$(( n / setup_rate + 8 + quiet + warmup + drain + seconds + drain + 4 ))
  if ! calls_up "$name" "$n" "$hold"; then
    echo "| $rep | $b2bua_label | $n | - | - | - | - | - | - | - | - | - | - | calls did not come up: $(tail -1 "$work/$name.why") |"
    stop_pid "$uac"; stop_pid "$uas"; return
  fi
  grep -q '^warning' "$work/$name.why" && log "$name: $(grep '^warning' "$work/$name.why")"
  measure "$b2bua_label" "$n" "$rep" "$work/$name.sessions" "$b2bua"
  [ "$(date +%s)" -lt $((uac_started + hold)) ] || log "$name: the first calls' hold ended before the run did (BYE during the run)"
  calls_down
  [ "$calls_outcome" = ok ] || log "$name: $calls_outcome, see $work/$name"
}

# ---- the run ---------------------------------------------------------------------------------------------------
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
machine="$(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), load average before: $load_before"
echo "# $(date -u +%FT%TZ) $machine"
echo "# LEVELS=\"$levels\" REPEATS=$repeats PATHS=\"$paths\" RUN_SECONDS=$seconds WARMUP_SECONDS=$warmup ${pps} pps each way per call, ${size}-byte packets GEN_CPUS=${gen_cpus:--} RELAY_CPUS=${relay_cpus:--}"
active=""
for path in $paths; do
  case $path in
    crelay) active+=" crelay" ;;
    rtpengine) start_rtpengine; if [ -n "$rtpe_skip" ]; then echo "# rtpengine path skipped: $rtpe_skip"; else active+=" rtpengine"; fi ;;
    b2bua) start_b2bua; b2bua_probe; active+=" b2bua" ;;
    *) echo "unknown path $path (crelay rtpengine b2bua)" >&2; exit 2 ;;
  esac
done

echo
echo "| repeat | path | calls | offered pps | relayed pps | loss % | relay CPU-s | relay CPU util | CPU-s / 1M pkts | latency avg / p99 us | rtpgen CPU util | UDP rcvbuf drops | others' CPU (cores) | note |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
for rep in $(seq "$repeats"); do
  for n in $levels; do
    for path in $active; do
      "run_$path" "$n" "$rep"
      sleep 1
    done
  done
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
[ -n "$rtpe" ] && stop_pid "$rtpe"
[ -n "$b2bua" ] && stop_pid "$b2bua"

echo
echo "Media relay, $(date -u +%F), $machine; load average after: $load_after."
echo "RUN_SECONDS=$seconds measured after ${warmup} s warm-up, ${pps} pps each way per call, ${size}-byte packets, REPEATS=$repeats, medians (loss: median [max])."
echo
python3 - "$work/runs.tsv" "$active" "$b2bua_label" <<'PY'
import math, os, statistics, sys
tsv, active, b2bua_label = sys.argv[1], sys.argv[2].split(), sys.argv[3]
rows = [l.rstrip("\n").split("\t") for l in open(tsv)] if os.path.exists(tsv) else []
order = [b2bua_label if p == "b2bua" else p for p in active]
med = lambda xs: statistics.median(xs) if xs else float("nan")
print("| path | calls | runs | offered pps | relayed pps | loss % | relay CPU util | CPU-s / 1M pkts | latency avg / p99 us | rtpgen CPU util | others' CPU (cores) |")
print("|---|---|---|---|---|---|---|---|---|---|---|")
table = {}
for path in order:
    for n in sorted({int(r[1]) for r in rows if r[0] == path}):
        rs = [r for r in rows if r[0] == path and int(r[1]) == n]
        col = lambda i: [float(r[i]) for r in rs if not math.isnan(float(r[i]))]
        loss = col(7)
        table[(path, n)] = (med(loss), max(loss) if loss else float("nan"), med(col(10)))
        print(f"| {path} | {n} | {len(rs)} | {med(col(3)):.0f} | {med(col(4)):.0f} | {med(loss):.4f} [{max(loss):.4f}] "
              f"| {med(col(9)):.2f} | {med(col(10)):.2f} | {med(col(11)):.0f} / {med(col(12)):.0f} | {med(col(13)):.2f} | {med(col(15)):.2f} |")
print()
if "b2bua" in active and b2bua_label != "b2bua":
    print("- b2bua ran as b2bua-passthrough (no anchor in the B2BUA): its figures are rtpgen talking to itself, no target check.")
elif "b2bua" in active:
    for n in sorted({k[1] for k in table if k[0] == "b2bua"}):
        b = table[("b2bua", n)]
        if ("crelay", n) in table:
            c = table[("crelay", n)]
            if c[1] == 0:
                print(f"- {n} calls, no loss where crelay has none: {'**met**' if b[1] == 0 else '**not met**'} (b2bua max loss {b[1]:.4f} %)")
            else:
                print(f"- {n} calls: crelay itself lost packets (max {c[1]:.4f} %), no loss target at this level")
        if ("rtpengine", n) in table:
            r = table[("rtpengine", n)]
            print(f"- {n} calls, CPU-s / 1M pkts no worse than rtpengine: {'**met**' if b[2] <= r[2] else '**not met**'} "
                  f"(b2bua {b[2]:.2f}, rtpengine {r[2]:.2f})")
PY
echo
echo "raw output: $work" >&2

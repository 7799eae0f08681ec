#!/usr/bin/env bash
# Calls per second through Kamailio (ops/kamailio/kamailio.cfg as shipped) with one and with two B2BUA nodes, in one
# run on this machine, INVITE..BYE with no hold time over UDP:
#   one-node    SIPp UAC -> Kamailio (dispatcher list: node1)        -> node1        -> SIPp UAS (the PBX)
#   two-nodes   SIPp UAC -> Kamailio (dispatcher list: node1, node2) -> node1 | node2 -> SIPp UAS
# Both Kamailio instances and both nodes run throughout; per repeat and rate the two paths run one after the other, so
# drift of this shared machine hits both alike (bench/calls/sipp_runs.sh: the SIPp runs, pass rule and summary).
# Scenarios: ../shared/peers/sipp/uac.xml and uas.xml. "server CPU-s / 1k calls" counts Kamailio and the node(s) of
# the path. Each node keeps its own SQLite file unless B2BUA_ARGS names a shared store, e.g.
#   B2BUA_ARGS="--Storage:Provider=postgres --Storage:ConnectionString=Host=127.0.0.1;Port=5432;Database=b2bua;Username=b2bua;Password=..."
# Every run is bounded (-m, -timeout, timeout(1)); loopback only; every process started here is stopped by its PID.
#   REPEATS=3 RATES="500 1000 1500 2000" SECONDS_PER_RATE=8 bench/cluster/cluster.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
peers="${PEERS_DIR:-$root/../shared/peers}"
rates="${RATES:-500 1000 1500 2000}"
seconds="${SECONDS_PER_RATE:-8}"
repeats="${REPEATS:-3}"
scenarios="${SCENARIOS_DIR:-$peers/sipp}"
paths="one-node two-nodes"
work="$(mktemp -d)"
uas_port=5080 kam_one_port=5068 kam_two_port=5069 node_ports=(5071 5072) http_ports=(9071 9072)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
}
trap cleanup EXIT
command -v sipp >/dev/null || { echo "sipp missing: apt-get install sip-tester" >&2; exit 2; }
command -v kamailio >/dev/null || { echo "kamailio missing: apt-get install kamailio" >&2; exit 2; }
[ -r "$scenarios/uac.xml" ] && [ -r "$scenarios/uas.xml" ] || { echo "no scenarios in $scenarios" >&2; exit 2; }
source "$root/bench/calls/sipp_runs.sh"

start_node() { # index -> appends the node's PID to nodes
  local port=${node_ports[$1]} http=${http_ports[$1]}
  dotnet "$root/src/FeatureB2bua/bin/Release/net10.0/FeatureB2bua.dll" \
    "--Sip:Listen:0=udp:127.0.0.1:$port" "--Sip:Listen:1=tcp:127.0.0.1:$port" "--urls=http://127.0.0.1:$http" \
    "--Cluster:NodeId=node$(($1 + 1))" "--Storage:ConnectionString=Data Source=$work/node$1.db" "--Auth:NonceSecret=cluster-bench" \
    "--Routing:Trusted:0=127.0.0.0/8" "--Routing:Routes:0:Pattern=^service$" "--Routing:Routes:0:Targets:0=sip:127.0.0.1:$uas_port" \
    "--Routing:Probe:Interval=00:00:00" "--Security:Flood:Exempt:0=127.0.0.1/32" "--Logging:LogLevel:Default=Warning" \
    ${B2BUA_ARGS:-} >"$work/node$1.log" 2>&1 &
  local pid=$!; pids+=("$pid"); nodes+=("$pid")
  local i
  for i in $(seq 100); do curl -fs "http://127.0.0.1:$http/readyz" >/dev/null 2>&1 && return 0; sleep 0.2; done
  echo "node $1 did not come up, see $work/node$1.log" >&2; exit 1
}

start_kamailio() { # name port node-count -> sets kam (PID)
  local dir="$work/$1" i
  mkdir -p "$dir"
  for ((i = 0; i < $3; i++)); do echo "1 sip:127.0.0.1:${node_ports[$i]} 0 0 duid=node$((i + 1))"; done >"$dir/dispatcher.list"
  kamailio -f "$root/ops/kamailio/kamailio.cfg" -DD -E -n "${KAM_CHILDREN:-4}" -m 512 -M 16 -Y "$dir" -w "$dir" -P "$dir/kamailio.pid" \
    -A "LISTEN=udp:127.0.0.1:$2" -A "DS_LIST=\"$dir/dispatcher.list\"" -A "CTL_SOCKET=\"unix:$dir/ctl\"" >"$dir/kamailio.log" 2>&1 </dev/null &
  kam=$!; pids+=("$kam")
  for i in $(seq 50); do
    [ "$(kamcmd -s "unix:$dir/ctl" dispatcher.list 2>/dev/null | grep -c 'FLAGS: A')" = "$3" ] && return 0
    sleep 0.2
  done
  echo "kamailio $1 does not see its $3 node(s) active, see $dir" >&2; exit 1
}

warm_up() { # the JIT compiles each node's call path during its first few hundred calls: 400 calls per node, not reported
  local saved=$seconds port; seconds=4
  for port in "${node_ports[@]}"; do run_rate warm-up "" "-rsa 127.0.0.1:$port" 100 0 >/dev/null; done
  seconds=$saved
}

echo "# $(date -u +%FT%TZ) $(nproc) cores; load at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# REPEATS=$repeats RATES=\"$rates\" SECONDS_PER_RATE=$seconds"
dotnet build "$root/src/FeatureB2bua" -c Release -nologo -v q >/dev/null
nodes=()
start_node 0
start_node 1
warm_up
start_kamailio one "$kam_one_port" 1; kam_one=$kam
start_kamailio two "$kam_two_port" 2; kam_two=$kam

echo
echo "| repeat | path | target rate | calls | completed | failed | achieved | server CPU-s / 1k calls | verdict |"
echo "|---|---|---|---|---|---|---|---|---|"
for rep in $(seq "$repeats"); do
  for rate in $rates; do
    run_rate one-node "$kam_one ${nodes[0]}" "-rsa 127.0.0.1:$kam_one_port" "$rate" "$rep"
    run_rate two-nodes "$kam_two ${nodes[0]} ${nodes[1]}" "-rsa 127.0.0.1:$kam_two_port" "$rate" "$rep"
  done
done
echo "# load at end of ladder: $(cut -d' ' -f1-3 /proc/loadavg)"
for i in 0 1; do
  echo "# node$((i + 1)) answered calls: $(curl -fs "http://127.0.0.1:${http_ports[$i]}/metrics" | awk '/^b2bua_calls_total\{.*result="answered"/ {s += $2} END {print s + 0}')"
done

echo
summarise "$paths" "$repeats"
echo "raw output: $work" >&2

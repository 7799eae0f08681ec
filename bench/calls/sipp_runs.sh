# Shared by bench/calls/compare.sh and bench/cluster/cluster.sh (sourced): one SIPp UAC/UAS run at a rate, and the
# summary per path of all runs. The caller sets seconds, scenarios, uas_port, work and the pids array; runs are appended
# to $work/runs.tsv.

# utime+stime of processes and their children, in clock ticks; several PIDs (a balancer and its nodes) are summed
tree_ticks() {
  local total=0 p root
  for root in "$@"; do
    for p in "$root" $(pgrep -P "$root" 2>/dev/null || true); do
      [ -r "/proc/$p/stat" ] && total=$((total + $(awk '{print $14 + $15}' "/proc/$p/stat")))
    done
  done
  echo "$total"
}
hz=$(getconf CLK_TCK)

run_rate() { # label "server PIDs" rsa rate repeat
  local label=$1 server=$2 rsa=$3 rate=$4 rep=$5 calls=$(( $4 * seconds )) dir="$work/$1-$4-r$5"
  mkdir -p "$dir"
  timeout -k 5 $((seconds * 2 + 35)) sipp -sf "$scenarios/uas.xml" -t u1 -i 127.0.0.1 -p "$uas_port" -ci 127.0.0.1 -cp 5081 -buff_size 4194304 -m "$calls" \
    -timeout $((seconds * 3 + 20))s -nostdin -trace_stat -stf "$dir/uas.csv" -fd 1 -trace_err -error_file "$dir/uas.err" >"$dir/uas.out" 2>&1 &
  local uas=$!; pids+=("$uas")
  sleep 0.3
  local before=0
  [ -n "$server" ] && before=$(tree_ticks $server)
  local started; started=$(date +%s.%N)
  timeout -k 5 $((seconds * 2 + 25)) sipp -sf "$scenarios/uac.xml" -t u1 -i 127.0.0.1 -p 5090 -ci 127.0.0.1 -cp 5091 -buff_size 4194304 -s service $rsa \
    -r "$rate" -m "$calls" -l $((rate * 4)) -d 0 -timeout $((seconds * 3 + 10))s -nostdin \
    -trace_stat -stf "$dir/uac.csv" -fd 1 -trace_err -error_file "$dir/uac.err" "127.0.0.1:$uas_port" >"$dir/uac.out" 2>&1 || true
  local ended; ended=$(date +%s.%N)
  local after=0
  [ -n "$server" ] && after=$(tree_ticks $server)
  wait "$uas" 2>/dev/null || true
  local verdict_file="$dir/verdict"
  python3 - "$dir" "$label" "$rate" "$calls" "$started" "$ended" "$before" "$after" "$hz" "${server:-}" "$rep" "$work/runs.tsv" <<'PY'
import csv, sys
d, label, rate, calls, t0, t1, c0, c1, hz, server, rep, tsv = sys.argv[1:]
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
cpu_per_k = cpu / max(ok, 1) * 1000 if server else None
cpu_text = f"{cpu_per_k:.3f}" if server else "-"
print(f"| {rep} | {label} | {rate} | {calls} | {ok} | {failed} | {achieved:.0f}/s | {cpu_text} | {verdict} |", flush=True)
open(f"{d}/verdict", "w").write(verdict)
if label != "warm-up":
    with open(tsv, "a") as f:
        f.write(f"{label}\t{rate}\t{rep}\t{ok}\t{failed}\t{achieved:.1f}\t{'' if cpu_per_k is None else f'{cpu_per_k:.4f}'}\t{verdict}\n")
PY
  # After a failed run the server still retransmits requests and responses of that run's unfinished
  # transactions (Timer B/F, 64*T1 = 32 s): they would land on the next run's SIPp as unexpected messages.
  if [ "$(cat "$verdict_file" 2>/dev/null)" = FAIL ] && [ "$label" != warm-up ]; then sleep "${DRAIN_SECONDS:-34}"; fi
}

summarise() { # "paths" repeats: per path and rate, the runs that passed, median achieved rate and CPU
  python3 - "$work/runs.tsv" "$2" "$1" <<'PY'
import statistics, sys
tsv, repeats, paths = sys.argv[1], int(sys.argv[2]), sys.argv[3].split()
rows = [l.rstrip("\n").split("\t") for l in open(tsv)]
print(f"| path | target rate | runs passed | median achieved | median server CPU-s / 1k calls | failed calls (sum) |")
print("|---|---|---|---|---|---|")
best = {}
for path in paths:
    mine = [r for r in rows if r[0] == path]
    for rate in sorted({int(r[1]) for r in mine}):
        runs = [r for r in mine if int(r[1]) == rate]
        passed = sum(r[7] == "pass" for r in runs)
        ach = statistics.median(float(r[5]) for r in runs)
        cpus = [float(r[6]) for r in runs if r[6]]
        cpu = f"{statistics.median(cpus):.3f}" if cpus else "-"
        failed = sum(int(r[4]) for r in runs)
        print(f"| {path} | {rate} | {passed}/{len(runs)} | {ach:.0f}/s | {cpu} | {failed} |")
        if passed == len(runs) == repeats:
            best[path] = max(best.get(path, 0), rate)
print()
for path in paths:
    print(f"- highest rate passing in all {repeats} repeats, {path}: **{best.get(path, 'none')}**")
PY
}

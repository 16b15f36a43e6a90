#!/usr/bin/env bash
# The cluster at N hosts (issue 13; docs/benchmarks.md "Scale: N hosts"): N separate `bin/mgmt run`
# processes on loopback, ideal cluster size 5 (so most hosts are clients), each managing its own
# directory, exporting two files and collecting everyone's. Hosts are started one at a time; after
# each start the clock runs until every running host holds all 2·k files (k hosts so far), so the
# last start gives the headline "last host's start → full exchange" and the others show how that
# grows with k. Then, with all N up: CPU (% of one core, from /proc/PID/stat) and VmRSS of every
# host over an idle minute, and store put / watch latency through two observer members
# (dev.mgmt.bench.ScaleStoreProbe). It kills only the processes it started, on any exit.
#
# Usage: bench/cluster-scale.sh [-n "5 10 25 50"] [-r reps=1] [-i idle-seconds=60] [-p puts=200]
#                               [-m host-jvm-opts="-Xmx96m -Xss512k"] [-a "more mgmt run flags"]
#                               [-t wait-per-start=120]
#                               [-g docs/img/cluster-scale.svg]
#        SKIP_BUILD=1 bench/cluster-scale.sh ...   # reuse the last build
# Host logs (-v) and the raw figures go to bench/target/cluster-scale/<date-time>/.
set -euo pipefail
# All in one function, parsed whole before it runs: editing this file during a run is harmless.
main() {

cd "$(dirname "$0")/.."
root=$(pwd)
sizes="5 10 25 50"; reps=1; idle=60; puts=200; hostopts="-Xmx96m -Xss512k"; timeout=120; plot=""; more=""
local OPTIND opt
while getopts n:r:i:p:m:a:t:g:h opt; do
  case $opt in
    n) sizes=$OPTARG ;; r) reps=$OPTARG ;; i) idle=$OPTARG ;; p) puts=$OPTARG ;;
    m) hostopts=$OPTARG ;; a) more=$OPTARG ;; t) timeout=$OPTARG ;; g) plot=$OPTARG ;;
    *) sed -n '2,16p' "$0"; exit 2 ;;
  esac
done

probe() { python3 "$root/bench/scale/probe.py" "$@"; }
out="$root/bench/target/cluster-scale/$(date +%Y%m%d-%H%M%S)"
mkdir -p "$out"
tmp=$(mktemp -d /tmp/mgmt-scale.XXXXXX)
pids=()

stop_hosts() {
  ((${#pids[@]})) || return 0
  kill "${pids[@]}" 2>/dev/null || true
  for _ in $(seq 50); do
    local live=0
    for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null && live=1; done
    ((live)) || break
    sleep 0.1
  done
  kill -9 "${pids[@]}" 2>/dev/null || true
  wait "${pids[@]}" 2>/dev/null || true
  pids=()
}
cleanup() { stop_hosts; rm -rf "$tmp"; }
trap cleanup EXIT
trap 'exit 130' INT TERM

if [[ -z "${SKIP_BUILD:-}" ]]; then
  echo ">> mvn -o -q -B -Pbench -pl bench,mgmt-cli -am package -DskipTests"
  mvn -o -q -B -Pbench -pl bench,mgmt-cli -am package -DskipTests
fi
bin/mgmt --version >/dev/null   # builds the class-data archive once, before the clock runs
{
  echo ">> machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name:[[:space:]]*//p' | head -1)," \
       "$(free -g | awk '/^Mem:/ {print $2 " GiB RAM"}'); $(java -version 2>&1 | head -1)"
  echo ">> commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- mgmt-* || echo ' (modified)');" \
       "host JVM options: $hostopts; more flags: ${more:-none}; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$out/machine.txt"
printf 'N\trep\tk\tjoin_ms\texchange_ms\tload1\tcpu_ms_per_host\n' >"$out/joins.tsv"
printf 'N\trep\texchange_ms\tcpu_mean\tcpu_max\tcpu_voter\tcpu_client\trss_mean\trss_max\tput_p50\tput_p99\twatch_p50\twatch_p99\tload1\tstatus\n' >"$out/results.tsv"

graph() { # host dir
  cat <<EOF
graph: scale-$1
resources:
  file:
  - name: dir-$1
    path: $2/
    state: exists
  - name: "@@$1-a"
    path: $2/$1-a
    content: "exported by $1 (a)\n"
    state: exists
  - name: "@@$1-b"
    path: $2/$1-b
    content: "exported by $1 (b)\n"
    state: exists
collect:
- kind: file
  pattern: $2/
EOF
}

run_once() { # N rep
  local n=$1 rep=$2 dir="$out/n$1-r$2" files="$tmp/n$1-r$2"
  mkdir -p "$dir" "$files"
  mapfile -t ports < <(probe ports "$n")
  local seeds="" k res status="ok" last=""
  local -a dirs=() hostpids=()
  for ((k = 1; k <= n; k++)); do
    local h="h$k" d="$files/h$k"
    # Each graph file in a directory of its own, as on a real host: the graph-file watch sees
    # every change in its directory, and here every host writes its log next to the others.
    mkdir -p "$dir/$h"
    graph "$h" "$d" >"$dir/$h/$h.yaml"
    local -a args=(run --yaml "$dir/$h/$h.yaml" --hostname "$h" --listen "127.0.0.1:${ports[k-1]}"
                   --ideal-cluster-size 5 --converged-timeout -1 -v --color never --state-dir "$files/state")
    [[ -n $seeds ]] && args+=(--seeds "$seeds")
    # shellcheck disable=SC2206 # a list of flags
    [[ -n $more ]] && args+=($more)
    local before=0; ((k > 1)) && before=$(probe ticks "$(IFS=,; echo "${hostpids[*]}")")
    ((k == n && k > 1)) && probe threads "$(IFS=,; echo "${hostpids[*]}")" >"$dir/threads-before-last.json"
    local t0; t0=$(date +%s%N)
    MGMT_JAVA_OPTS="$hostopts" bin/mgmt "${args[@]}" >"$dir/$h.log" 2>&1 &
    pids+=($!); hostpids+=($!)
    dirs=("$d" "${dirs[@]}")
    ((k <= 3)) && seeds="${seeds:+$seeds,}127.0.0.1:${ports[k-1]}"
    local pidlist; pidlist=$(IFS=,; echo "${hostpids[*]}")
    res=$(probe await "$t0" "$timeout" $((2 * k)) "$pidlist" "${dirs[@]}") || { status="k=$k: $res"; break; }
    read -r _ last own <<<"$res"
    # CPU the hosts already running spent on this join (the new host's start aside)
    local others=0; ((k > 1)) && others=$(probe ticks "$(IFS=,; echo "${hostpids[*]:0:k-1}")")
    local cost=$(((others - before) / (k > 1 ? k - 1 : 1)))
    if ((k == n && k > 1)); then
      probe threads-since "$dir/threads-before-last.json" "$(IFS=,; echo "${hostpids[*]:0:k-1}")" >"$dir/last-join-threads.txt"
    fi
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$n" "$rep" "$k" "$own" "$last" "$(cut -d' ' -f1 /proc/loadavg)" "$cost" \
      >>"$out/joins.tsv"
    printf '   N=%-3s k=%-3s started → own graph %6s ms, → all %3s hosts hold %4s files %6s ms (load %s;' \
      "$n" "$k" "$own" "$k" $((2 * k)) "$last" "$(cut -d' ' -f1 /proc/loadavg)"
    printf ' CPU per running host %s ms)\n' "$cost"
  done
  local cpu_mean="" cpu_max="" cpu_v="" cpu_c="" rss_mean="" rss_max="" pw="- - - -" load=""
  if [[ $status == ok ]]; then
    sleep 10   # the chooser's last promotions and the JIT settle
    load=$(cut -d' ' -f1 /proc/loadavg)
    local pidlist; pidlist=$(IFS=,; echo "${hostpids[*]}")
    probe idle "$idle" "$pidlist" >"$dir/idle.txt"
    bin/mgmt cluster status --json --seeds "$seeds" >"$dir/status.json" 2>"$dir/status.err" || true
    local voters; voters=$(python3 -c 'import json,sys; print(" ".join(json.load(open(sys.argv[1]))["voters"]))' \
                           "$dir/status.json" 2>/dev/null || true)
    # PID → host name: hostpids[i] is h(i+1)
    read -r cpu_mean cpu_max cpu_v cpu_c rss_mean rss_max < <(python3 - "$dir/idle.txt" "$voters" "${hostpids[@]}" <<'PY'
import sys
rows = [l.split() for l in open(sys.argv[1])]
voters = set(sys.argv[2].split())
host = {p: "h%d" % (i + 1) for i, p in enumerate(sys.argv[3:])}
cpu = [float(r[1]) for r in rows]; rss = [float(r[2]) for r in rows]
v = [float(r[1]) for r in rows if host[r[0]] in voters]; c = [float(r[1]) for r in rows if host[r[0]] not in voters]
m = lambda xs: "%.2f" % (sum(xs) / len(xs)) if xs else "-"
print(m(cpu), "%.2f" % max(cpu), m(v), m(c), "%.0f" % (sum(rss) / len(rss)), "%.0f" % max(rss))
PY
    )
    pw=$(java $hostopts --add-opens java.base/java.util.concurrent.atomic=ALL-UNNAMED \
           -cp bench/target/benchmarks.jar dev.mgmt.bench.ScaleStoreProbe "$seeds" "$puts" 2>"$dir/probe.err" \
         | sed -n 's/^put \([^ ]*\) \([^ ]*\) [^ ]* watch \([^ ]*\) \([^ ]*\) .*/\1 \2 \3 \4/p') || true
    [[ -n $pw ]] || pw="- - - -"
  else
    load=$(cut -d' ' -f1 /proc/loadavg)
    echo "   N=$n rep=$rep FAILED: $status (logs in $dir)"
  fi
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$n" "$rep" "${last:-}" "$cpu_mean" "$cpu_max" \
    "$cpu_v" "$cpu_c" "$rss_mean" "$rss_max" $pw "$load" "$status" >>"$out/results.tsv"
  [[ -s $dir/last-join-threads.txt ]] && { echo "   CPU the $((n - 1)) other hosts spent on the last join, by thread:"; sed 's/^/     /' "$dir/last-join-threads.txt"; }
  stop_hosts
}

for n in $sizes; do
  for ((rep = 1; rep <= reps; rep++)); do
    echo ">> N=$n, repetition $rep (load average $(cut -d' ' -f1-3 /proc/loadavg))"
    run_once "$n" "$rep"
  done
done

echo
echo "Last host's start → every host holds all 2·N files; idle CPU (% of one core, over ${idle}s) and"
echo "VmRSS per host; store put/watch (ms) through observers. Raw figures: $out"
column -t -s $'\t' "$out/results.tsv"

if [[ -n $plot ]] && command -v gnuplot >/dev/null; then
  gnuplot -e "joins='$out/joins.tsv'; results='$out/results.tsv'; set output '$plot'" bench/scale/plot.gp \
    && echo ">> plot: $plot"
fi
}
main "$@"; exit $?

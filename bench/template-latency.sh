#!/usr/bin/env bash
# Reactive templates across real `mgmt run` processes (issue 14; docs/benchmarks.md "Template
# latency"): three hosts on loopback run a file whose content is '{{ kv "bench" "none" }}'; a
# writer joined through host A puts 200 distinct values into the key, one at a time, and clocks
# each until host B's (and host C's) file holds exactly that value. Prints p50/p90/p99/max as a
# Markdown table, and last one row to paste into docs/benchmarks.md (labelled with the commit).
#
# Usage: bench/template-latency.sh [changes=200] [warmup=30] [hostopts="-Xmx256m ..."] [label=TEXT]
#        (the hosts run with bin/mgmt's JVM options, -XX:TieredStopAtLevel=1 -XX:+UseSerialGC;
#        hostopts come after them: hostopts="-XX:TieredStopAtLevel=4 -XX:-UseSerialGC -XX:+UseG1GC"
#        runs them with java's defaults)
#        SKIP_BUILD=1 bench/template-latency.sh ...        # reuse the last build
# Host logs (-v) are kept in bench/target/template-latency/<date-time>/. About a minute.
set -euo pipefail

cd "$(dirname "$0")/.."
if [[ -z "${SKIP_BUILD:-}" ]]; then
  echo ">> mvn -o -q -B -Pbench -pl bench,mgmt-cli -am package -DskipTests"
  mvn -o -q -B -Pbench -pl bench,mgmt-cli -am package -DskipTests
fi
echo ">> machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name:[[:space:]]*//p' | head -1)," \
     "$(free -g | awk '/^Mem:/ {print $2 " GiB RAM"}')"
java -version 2>&1 | head -1
echo ">> load average before the run: $(cut -d' ' -f1-3 /proc/loadavg)"

TMP=$(mktemp -d -t mgmt-template-latency.XXXXXX)
LABEL="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD -- 2>/dev/null || echo '+changes'), $(date -u +%Y-%m-%d)"
BENCH_PID=
cleanup() {
  # The benchmark kills its hosts itself; this is for when it could not (killed with -9).
  if [[ -n "$BENCH_PID" ]] && kill -0 "$BENCH_PID" 2>/dev/null; then
    kill "$BENCH_PID" 2>/dev/null || true
    wait "$BENCH_PID" 2>/dev/null || true
  fi
  if [[ -f "$TMP/pids" ]]; then
    while read -r pid; do
      # Only a process of this run: its command line names this run's directory.
      if [[ -n "$pid" ]] && grep -qF "$TMP" "/proc/$pid/cmdline" 2>/dev/null; then
        kill -9 "$pid" 2>/dev/null || true
      fi
    done < "$TMP/pids"
  fi
  rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

java ${JAVA_OPTS:-} --add-opens java.base/java.util.concurrent.atomic=ALL-UNNAMED \
  -cp bench/target/benchmarks.jar dev.mgmt.bench.TemplateLatencyBenchmark jar=mgmt-cli/target/mgmt.jar tmp="$TMP" label="$LABEL" "$@" &
BENCH_PID=$!
wait "$BENCH_PID"

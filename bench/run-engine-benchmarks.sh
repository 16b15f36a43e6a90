#!/usr/bin/env bash
# Engine overhead benchmarks (DESIGN.md section 9): compile + first convergence of 1k/10k/100k
# noop vertices in three shapes (JMH), and heap per idle vertex (its own JVM).
# Results go to docs/benchmarks.md by hand; raw JMH JSON lands in bench/target/.
#
# Usage: bench/run-engine-benchmarks.sh            # everything, a few minutes on 2 cores
#        SIZES="1000 10000" bench/run-engine-benchmarks.sh
#        SKIP_BUILD=1 SKIP_JMH=1 SKIP_FOOTPRINT=1 HISTO=1 PHASES=1 ...
#          HISTO=1: classes that grew while the engine ran, per vertex
#          PHASES=1: where one op's time goes (start / converge / close) for each work scheduler
# Run it on a quiet machine: the figures are wall times on 2 cores; the load average is printed.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)
JAR="$ROOT/bench/target/benchmarks.jar"
OUT="$ROOT/bench/target"
SIZES=${SIZES:-"1000 10000 100000"}
SHAPES=${SHAPES:-"wide,deep,random"}
FOOTPRINT_SIZES=${FOOTPRINT_SIZES:-"10000 100000"}
ADD_OPENS="--add-opens java.base/java.util.concurrent.atomic=ALL-UNNAMED"

if [[ -z "${SKIP_BUILD:-}" ]]; then
  echo ">> mvn -q -B -Pbench -pl bench -am package -DskipTests"
  mvn -q -B -Pbench -pl bench -am package -DskipTests
fi

echo ">> machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name:[[:space:]]*//p' | head -1)," \
     "$(free -g | awk '/^Mem:/ {print $2 " GiB RAM"}')"
java -version 2>&1 | head -1
echo ">> load average before the run: $(cut -d' ' -f1-3 /proc/loadavg)"

# Iterations per size: each op is timed alone (SingleShotTime), so small graphs get more of them.
iterations() {
  case "$1" in
    1000)   echo "-wi 30 -i 30" ;;
    10000)  echo "-wi 10 -i 10" ;;
    *)      echo "-wi 2 -i 5" ;;
  esac
}

if [[ -z "${SKIP_JMH:-}" ]]; then
  for n in $SIZES; do
    echo ">> java -jar bench/target/benchmarks.jar EngineStartupBenchmark -p n=$n -p shape=$SHAPES $(iterations "$n") -f 1 -rf json -rff bench/target/jmh-startup-$n.json"
    # shellcheck disable=SC2046
    java -jar "$JAR" EngineStartupBenchmark -p n="$n" -p shape="$SHAPES" $(iterations "$n") -f 1 \
      -rf json -rff "$OUT/jmh-startup-$n.json" > "$OUT/jmh-startup-$n.log" 2>&1 \
      || { tail -40 "$OUT/jmh-startup-$n.log"; exit 1; }
    grep -E '^(Benchmark|EngineStartup)' "$OUT/jmh-startup-$n.log" || true
  done
fi

# The table, from the JSON of this run (or of the last one, with SKIP_JMH=1).
if ls "$OUT"/jmh-startup-*.json > /dev/null 2>&1; then
  echo
  echo "== Engine startup: compile + first convergence + close (SingleShotTime, 1 fork)"
  echo "   mean ± 99.9% error, then median and min of the samples (other load only adds time: min is the idle-machine view)"
  printf '%-7s %8s %10s %10s %10s %10s %8s %10s %10s\n' shape n "mean ms" "±" "median ms" "min ms" samples "µs/vtx" "µs/vtx min"
  for n in $SIZES; do
    [[ -f "$OUT/jmh-startup-$n.json" ]] || continue
    jq -r '.[] | (.primaryMetric.rawData | add | sort) as $s |
                 [.params.shape, .params.n, .primaryMetric.score, .primaryMetric.scoreError,
                  $s[($s | length) / 2 | floor], $s[0], ($s | length)] | @tsv' "$OUT/jmh-startup-$n.json"
  done | awk -F'\t' '{ err = ($4 == "NaN") ? "-" : sprintf("%.1f", $4);
                       printf "%-7s %8d %10.1f %10s %10.1f %10.1f %8d %10.1f %10.1f\n", $1, $2, $3, err, $5, $6, $7,
                              $3 * 1000 / $2, $6 * 1000 / $2 }'
fi

if [[ -z "${SKIP_FOOTPRINT:-}" ]]; then
  echo
  echo "== Heap per idle vertex (own JVM, G1, -Xmx2g; baseline = graph value built, engine not started)"
  echo ">> java $ADD_OPENS -Xms2g -Xmx2g -cp bench/target/benchmarks.jar dev.mgmt.bench.IdleVertexFootprint $FOOTPRINT_SIZES ${HISTO:+--histo}"
  # shellcheck disable=SC2086
  java $ADD_OPENS -Xms2g -Xmx2g -cp "$JAR" dev.mgmt.bench.IdleVertexFootprint $FOOTPRINT_SIZES ${HISTO:+--histo}
fi

if [[ -n "${PHASES:-}" ]]; then
  echo
  echo "== Where one op goes: start (compile + install + most of the run) / converge / close, by work scheduler"
  for n in 10000 100000; do
    for w in elastic fixed immediate; do
      if [[ $n -eq 10000 ]]; then reps="warmup=15 runs=15"; else reps="warmup=2 runs=3"; fi
      # shellcheck disable=SC2086
      java $ADD_OPENS -Xms2g -Xmx2g -cp "$JAR" dev.mgmt.bench.StartupPhases n=$n work=$w $reps
    done
  done
fi
echo ">> load average after the run: $(cut -d' ' -f1-3 /proc/loadavg)"

#!/usr/bin/env bash
# The overhead of mgmt-metrics: the engine benchmark (compile + first convergence + close of
# N=10,000 noop vertices, JMH EngineStartupBenchmark) and drift repair (DriftRepairLatency),
# each without metrics (the engine builds no events) and with EngineMetrics bound to a
# PrometheusMeterRegistry, alternating sides round by round in one run (A B, B A, ...).
# Then the meters' own CPU per op (MetricsCpuPerOp: one op's events replayed into a binding),
# a steadier figure than a difference of wall times on a busy machine.
# Prints the table for docs/benchmarks.md and one row to paste; raw data in bench/target/.
#
# Usage: bench/metrics-overhead.sh
#        ROUNDS=4 N=10000 SHAPES=wide,deep,random WRITES=500 WARMUP=100 SKIP_BUILD=1 bench/metrics-overhead.sh
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)
JAR="$ROOT/bench/target/benchmarks.jar"
OUT="$ROOT/bench/target"
ROUNDS=${ROUNDS:-3}
N=${N:-10000}
SHAPES=${SHAPES:-"wide,deep,random"}
WRITES=${WRITES:-500}
WARMUP=${WARMUP:-100}

if [[ -z "${SKIP_BUILD:-}" ]]; then
  echo ">> mvn -q -B -Pbench -pl bench -am package -DskipTests"
  mvn -q -B -Pbench -pl bench -am package -DskipTests
fi
echo ">> machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name:[[:space:]]*//p' | head -1)," \
     "$(free -g | awk '/^Mem:/ {print $2 " GiB RAM"}')"
java -version 2>&1 | head -1
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
echo ">> load average before the run: $LOAD_BEFORE"
rm -f "$OUT"/metrics-engine-*.json "$OUT"/metrics-drift-*.latency "$OUT"/metrics-drift-*.apply

engine() {
  java -jar "$JAR" EngineStartupBenchmark -p n="$N" -p shape="$SHAPES" -p metrics="$1" -wi 5 -i 10 -f 1 \
    -rf json -rff "$OUT/metrics-engine-$1-$2.json" > "$OUT/metrics-engine-$1-$2.log" 2>&1 \
    || { tail -40 "$OUT/metrics-engine-$1-$2.log"; exit 1; }
}
drift() {
  java -Xms256m -Xmx256m -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Dmgmt.bench.metrics="$1" \
    -cp "$JAR" dev.mgmt.bench.DriftRepairLatency "$WRITES" "$WARMUP" --raw="$OUT/metrics-drift-$1-$2" \
    > "$OUT/metrics-drift-$1-$2.log" 2>&1 || { tail -40 "$OUT/metrics-drift-$1-$2.log"; exit 1; }
}

for r in $(seq 1 "$ROUNDS"); do
  if (( r % 2 )); then sides="none prometheus"; else sides="prometheus none"; fi
  for s in $sides; do echo ">> round $r: engine, metrics=$s"; engine "$s" "$r"; done
  for s in $sides; do echo ">> round $r: drift, metrics=$s"; drift "$s" "$r"; done
done
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
for shape in ${SHAPES//,/ }; do
  java -Xms2g -Xmx2g -cp "$JAR" dev.mgmt.bench.MetricsCpuPerOp "$shape" "$N" > "$OUT/metrics-cpu-$shape.log" 2>&1 \
    || { tail -20 "$OUT/metrics-cpu-$shape.log"; exit 1; }
done

# Engine: every sample of every round pooled per shape and side; median and min (ms).
engine_stats() { # side shape -> "median min count"
  jq -s -r --arg shape "$2" '[.[][] | select(.params.shape == $shape) | .primaryMetric.rawData[][]] | sort
      | "\(.[length / 2 | floor]) \(.[0]) \(length)"' "$OUT"/metrics-engine-"$1"-*.json
}
# Drift: every repair of every round pooled; nearest-rank percentile in ms.
pct() { # p files...
  local p=$1; shift
  cat "$@" | sort -n | awk -v p="$p" '{ v[NR] = $1 } END { r = int(p / 100 * NR + 0.999999); if (r < 1) r = 1;
                                                         printf "%.3f", v[r] / 1e6 }'
}
over() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%+.1f %%", (b / a - 1) * 100 }'; }

echo
echo "== Metrics overhead, $ROUNDS rounds alternating; load average $LOAD_BEFORE before, $LOAD_AFTER after"
printf '%-44s %14s %14s %10s\n' measurement none prometheus overhead
ROW=""
for shape in ${SHAPES//,/ }; do
  read -r n_med n_min n_cnt <<< "$(engine_stats none "$shape")"
  read -r p_med p_min p_cnt <<< "$(engine_stats prometheus "$shape")"
  printf '%-44s %14s %14s %10s\n' "engine $N $shape: median ms ($n_cnt / $p_cnt ops)" \
    "$(printf %.1f "$n_med")" "$(printf %.1f "$p_med")" "$(over "$n_med" "$p_med")"
  printf '%-44s %14s %14s %10s\n' "engine $N $shape: min ms" \
    "$(printf %.1f "$n_min")" "$(printf %.1f "$p_min")" "$(over "$n_min" "$p_min")"
  cpu=$(sed -n 's/.* median \([0-9.]*\) ms.*/\1/p' "$OUT/metrics-cpu-$shape.log")
  printf '%-44s %14s %14s %10s\n' "engine $N $shape: meters' own CPU per op, ms" "" "$cpu" \
    "$(awk -v a="$n_med" -v b="$cpu" 'BEGIN { printf "%.1f %%", b / a * 100 }')"
  ROW="$ROW | $(printf %.1f "$n_med") / $(printf %.1f "$p_med") ($(over "$n_med" "$p_med"); meters $cpu ms)"
done
for p in 50 90 99; do
  a=$(pct "$p" "$OUT"/metrics-drift-none-*.latency)
  b=$(pct "$p" "$OUT"/metrics-drift-prometheus-*.latency)
  printf '%-44s %14s %14s %10s\n' "drift repair p$p ms ($((ROUNDS * WRITES)) each)" "$a" "$b" "$(over "$a" "$b")"
  [[ $p == 90 ]] || ROW="$ROW | $a / $b ($(over "$a" "$b"))"
done
a=$(pct 50 "$OUT"/metrics-drift-none-*.apply)
b=$(pct 50 "$OUT"/metrics-drift-prometheus-*.apply)
printf '%-44s %14s %14s %10s\n' "of which the apply, p50 ms" "$a" "$b" "$(over "$a" "$b")"
echo
echo "Row to paste (date | load | engine ${SHAPES//,/, } medians ms none / prometheus | drift p50 | drift p99):"
echo "| $(date -u +%Y-%m-%d) | $LOAD_BEFORE → $LOAD_AFTER$ROW |"

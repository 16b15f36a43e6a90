#!/usr/bin/env bash
# Old engine against new, side by side, in one run on one machine, with the same benchmark code.
#
#   OLD = a git ref (BASE_REF, default 30c0a6a: the last commit before the engine rewrite),
#         checked out in a temporary `git worktree`;
#   NEW = the work tree as it is now (tracked and untracked, not ignored, files; copied to a
#         temporary directory so that edits or builds going on in the work tree during the run
#         change nothing), or a second ref with NEW_REF=<ref>.
# Both sides get the work tree's bench/src and bench/pom.xml, so the same benchmark sources are
# compiled against each side's own engine; each side is built with the reactor
# (mvn -B -q -o -Pbench -pl bench -am package -DskipTests, again without -o if a dependency is missing;
# never install). Then every measurement runs in rounds, old and new alternately (the order
# flips every round: old new, new old, ...), so that load changes hit both sides, and the script
# prints a Markdown table: measurement | old | new | target.
#
# Measurements:
#   1. Compile + first convergence (JMH FirstConvergenceBenchmark.startConverge, SingleShotTime,
#      one fork per side per round): Engine.builder().build(), start(graph),
#      awaitConverged(...) of noop vertices; close() runs after the timed op and is reported on
#      its own rows. Random DAG 10,000 and 100,000 vertices, a 100,000-deep chain.
#   2. Engine heap per idle vertex (IdleVertexFootprint, its own JVM per side and round),
#      random DAG (and wide) at 10,000 and 100,000 vertices.
#   3. Drift repair latency of one file resource (DriftRepairLatency, the bench-module copy of
#      what bench/drift-repair-latency.sh runs), samples of all rounds pooled;
#      files go to DRIFT_DIR, which should be on ext4 (checked and printed).
#
# Usage: bench/engine-compare.sh                    # 6 to 10 minutes on 2 cores, builds included
#        QUICK=1 bench/engine-compare.sh            # smoke run, about 2.5 minutes
#        BASE_REF=<ref> NEW_REF=<ref> bench/engine-compare.sh   # two commits, no work tree
#
# Default: 4 rounds; startup 10k -wi 10 -i 10 (40 timed ops per side), 100k -wi 2 -i 4 (16 per
# side); heap 1 round, random and wide; drift 4 rounds x 300 writes after 100 warm-up writes.
# QUICK=1: 2 rounds; 10k -wi 5 -i 5, 100k -wi 1 -i 2; heap random only; drift 2 x 200 after 50.
# Figures from QUICK=1 are for checking the script: on 2 shared cores the same engine on both
# sides differed by up to 40 % there.
# Other knobs (environment): ROUNDS, SMALL_ITERS, BIG_ITERS, FOOTPRINT_SHAPES, FOOTPRINT_SIZES,
#   FOOTPRINT_ROUNDS, DRIFT_ROUNDS, DRIFT_WRITES, DRIFT_WARMUP, DRIFT_DIR, SKIP_STARTUP=1,
#   SKIP_FOOTPRINT=1, SKIP_DRIFT=1, TMP_ROOT (default /var/tmp), KEEP=1 (keep the temporary
#   trees), OUT (raw results; default bench/target/engine-compare-<date>).
# Run it on a quiet machine; the load average before and after is printed.
set -euo pipefail

MAIN=$(cd "$(dirname "$0")/.." && pwd)
BASE_REF=${BASE_REF:-30c0a6a}
NEW_REF=${NEW_REF:-}
TMP_ROOT=${TMP_ROOT:-/var/tmp}

if [[ -n "${QUICK:-}" ]]; then
  ROUNDS=${ROUNDS:-2}
  SMALL_ITERS=${SMALL_ITERS:-"-wi 5 -i 5"}
  BIG_ITERS=${BIG_ITERS:-"-wi 1 -i 2"}
  FOOTPRINT_SHAPES=${FOOTPRINT_SHAPES:-random}
  FOOTPRINT_ROUNDS=${FOOTPRINT_ROUNDS:-1}
  DRIFT_ROUNDS=${DRIFT_ROUNDS:-2}
  DRIFT_WRITES=${DRIFT_WRITES:-200}
  DRIFT_WARMUP=${DRIFT_WARMUP:-50}
else
  ROUNDS=${ROUNDS:-4}
  SMALL_ITERS=${SMALL_ITERS:-"-wi 10 -i 10"}
  BIG_ITERS=${BIG_ITERS:-"-wi 2 -i 4"}
  FOOTPRINT_SHAPES=${FOOTPRINT_SHAPES:-random,wide}
  FOOTPRINT_ROUNDS=${FOOTPRINT_ROUNDS:-1}   # the figure is deterministic to a few bytes
  DRIFT_ROUNDS=${DRIFT_ROUNDS:-4}
  DRIFT_WRITES=${DRIFT_WRITES:-300}
  DRIFT_WARMUP=${DRIFT_WARMUP:-100}
fi
FOOTPRINT_SIZES=${FOOTPRINT_SIZES:-"10000 100000"}
# shape:n:target-ms of the startup measurement
STARTUP_CASES=${STARTUP_CASES:-"random:10000:60 random:100000:1000 deep:100000:500"}
ADD_OPENS="--add-opens java.base/java.util.concurrent.atomic=ALL-UNNAMED"
FOOTPRINT_TARGET=400      # bytes per idle vertex
DRIFT_P50_TARGET=1.5      # ms
DRIFT_P99_TARGET=5        # ms

OUT=${OUT:-"$MAIN/bench/target/engine-compare-$(date -u +%Y%m%d-%H%M%S)"}
mkdir -p "$OUT"
exec > >(tee "$OUT/output.txt") 2>&1
WORK=$(mktemp -d "$TMP_ROOT/engine-compare.XXXXXX")
DRIFT_DIR=${DRIFT_DIR:-"$WORK/drift"}
WORKTREES=()

cleanup() {
  local rc=$?
  if [[ -n "${KEEP:-}" ]]; then
    echo ">> KEEP=1: left $WORK (remove with: git -C $MAIN worktree remove --force <dir>; rm -rf $WORK)"
  else
    for wt in "${WORKTREES[@]}"; do
      git -C "$MAIN" worktree remove --force "$wt" 2>/dev/null || true
    done
    rm -rf "$WORK"
  fi
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

say() { printf '%s\n' "$*"; }
run() { say ">> $*"; "$@"; }

# ---------------------------------------------------------------- sides
# A git ref checked out in a temporary worktree, with the work tree's bench sources and pom.
checkout_ref() { # dir ref
  git -C "$MAIN" worktree add -q --detach "$1" "$2"
  WORKTREES+=("$1")
}
# The work tree as it is: tracked files (as they are on disk) and untracked, not ignored ones.
snapshot_worktree() { # dir
  mkdir -p "$1"
  (cd "$MAIN" && git ls-files -z -co --exclude-standard \
     | while IFS= read -r -d '' f; do [[ -e $f ]] && printf '%s\0' "$f"; done \
     | tar --null -T - -cf -) | tar -C "$1" -xf -
}
same_bench_sources() { # dir
  rm -rf "$1/bench/src"
  cp -a "$NEW_DIR/bench/src" "$1/bench/src"
  cp "$NEW_DIR/bench/pom.xml" "$1/bench/pom.xml"
}
build() { # side dir
  local log="$OUT/build-$1.log" t0=$SECONDS
  say ">> (cd $2 && mvn -B -q -o -Pbench -pl bench -am package -DskipTests)"
  if ! (cd "$2" && mvn -B -q -o -Pbench -pl bench -am package -DskipTests) > "$log" 2>&1; then
    if grep -q -E 'offline mode|has not been downloaded' "$log"; then
      say "   a dependency is missing offline; again online:"
      say ">> (cd $2 && mvn -B -q -Pbench -pl bench -am package -DskipTests)"
      (cd "$2" && mvn -B -q -Pbench -pl bench -am package -DskipTests) > "$log" 2>&1 \
        || { tail -30 "$log"; say "!! the $1 side does not build (log: $log)"; exit 1; }
    else
      grep -E '^\[ERROR\]' "$log" | head -20 || tail -30 "$log"
      say "!! the $1 side does not build (log: $log)"; exit 1
    fi
  fi
  say "   built in $((SECONDS - t0)) s: $2/bench/target/benchmarks.jar"
}
engine_digest() { # dir: one hash over the engine's compiled classes
  (cd "$1/mgmt-engine/target/classes" && find . -type f | LC_ALL=C sort | xargs sha256sum | sha256sum | cut -c1-12)
}

OLD_DIR="$WORK/old"
NEW_DIR="$WORK/new"
OLD_SHA=$(git -C "$MAIN" rev-parse --short "$BASE_REF^{commit}")
if [[ -n "$NEW_REF" ]]; then
  NEW_SHA=$(git -C "$MAIN" rev-parse --short "$NEW_REF^{commit}")
  NEW_LABEL="new ($NEW_REF = $NEW_SHA)"
  checkout_ref "$NEW_DIR" "$NEW_REF"
  # the bench sources still come from the work tree
  rm -rf "$NEW_DIR/bench/src" && cp -a "$MAIN/bench/src" "$NEW_DIR/bench/src" && cp "$MAIN/bench/pom.xml" "$NEW_DIR/bench/pom.xml"
  NEW_DESC="ref $NEW_REF ($NEW_SHA), with the work tree's bench/src and bench/pom.xml"
else
  NEW_SHA=$(git -C "$MAIN" rev-parse --short HEAD)
  NEW_LABEL="new (work tree)"
  snapshot_worktree "$NEW_DIR"
  NEW_DESC="work tree: HEAD $NEW_SHA + $(git -C "$MAIN" status --porcelain | wc -l) changed/untracked paths ($(git -C "$MAIN" status --porcelain -- mgmt-engine | wc -l) under mgmt-engine), copied at $(date -u +%H:%M:%SZ)"
fi
OLD_LABEL="old ($BASE_REF)"
checkout_ref "$OLD_DIR" "$BASE_REF"
same_bench_sources "$OLD_DIR"

say "# Engine compare: $OLD_LABEL vs $NEW_LABEL"
say
say "- date: $(date -u '+%Y-%m-%d %H:%M UTC')"
say "- machine: $(nproc) cores (nproc), $(lscpu | sed -n 's/^Model name:[[:space:]]*//p' | head -1)," \
    "$(awk '/^MemTotal/ {printf "%.1f GiB RAM", $2 / 1048576}' /proc/meminfo), kernel $(uname -r)"
say "- java: $(java -version 2>&1 | tr '\n' ' ' | sed 's/ *$//')"
say "- old: $BASE_REF = $OLD_SHA (git worktree $OLD_DIR), with the work tree's bench/src and bench/pom.xml"
say "- new: $NEW_DESC ($NEW_DIR)"
say "- raw results: $OUT"
say "- load average before the run: $(cut -d' ' -f1-3 /proc/loadavg)"
say

# ---------------------------------------------------------------- build
build old "$OLD_DIR"
build new "$NEW_DIR"
OLD_JAR="$OLD_DIR/bench/target/benchmarks.jar"
NEW_JAR="$NEW_DIR/bench/target/benchmarks.jar"
OLD_ENGINE=$(engine_digest "$OLD_DIR"); NEW_ENGINE=$(engine_digest "$NEW_DIR")
say "   engine classes: old $OLD_ENGINE, new $NEW_ENGINE (sha256 over mgmt-engine/target/classes)"
if [[ "$OLD_ENGINE" == "$NEW_ENGINE" ]]; then
  say "!! old and new engine classes are identical: both columns measure the same engine"
fi
say "- load average after the build: $(cut -d' ' -f1-3 /proc/loadavg)"
jar_of() { if [[ $1 == old ]]; then echo "$OLD_JAR"; else echo "$NEW_JAR"; fi; }
sides_of_round() { if (( $1 % 2 )); then echo "old new"; else echo "new old"; fi; }

# ---------------------------------------------------------------- statistics
# numbers, one per line, on stdin -> "n min median max p50 p90 p99" (p = nearest rank)
stats() {
  sort -g | awk '{ x[NR] = $1 } END {
    if (NR == 0) { print "0 nan nan nan nan nan nan"; exit }
    med = (NR % 2) ? x[(NR + 1) / 2] : (x[NR / 2] + x[NR / 2 + 1]) / 2
    printf "%d %s %s %s %s %s %s\n", NR, x[1], med, x[NR], x[r(50)], x[r(90)], x[r(99)] }
    function r(p,  k) { k = p / 100 * NR; k = (k == int(k)) ? k : int(k) + 1; return k < 1 ? 1 : k }'
}
# a number for the table: thousands separators, 1 decimal below 100, 2 below 10 if asked
fmt() { awk -v x="$1" -v d="${2:-}" 'BEGIN {
  if (x == "nan" || x == "") { print "-"; exit }
  if (d != "") s = sprintf("%." d "f", x); else if (x < 100) s = sprintf("%.1f", x); else s = sprintf("%.0f", x)
  split(s, p, "."); i = p[1]; o = ""
  while (length(i) > 3) { o = "," substr(i, length(i) - 2) o; i = substr(i, 1, length(i) - 3) }
  print i o (length(p) > 1 ? "." p[2] : "") }'; }
verdict() { awk -v x="$1" -v t="$2" 'BEGIN { if (x == "nan" || x == "") print ""; else if (x + 0 <= t + 0) print ", met"; else print ", **not met**" }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a + 0 > 0 && b != "nan") printf "; %.2f× old", b / a }'; }

ROWS=()   # "measurement|old|new|target"
row() { ROWS+=("$1|$2|$3|$4"); }

# ---------------------------------------------------------------- 1. compile + first convergence
if [[ -z "${SKIP_STARTUP:-}" ]]; then
  say
  say "## 1. Compile + first convergence (JMH SingleShotTime; ${ROUNDS} rounds x 1 fork per side;" \
      "10k: $SMALL_ITERS, 100k: $BIG_ITERS per fork)"
  for c in $STARTUP_CASES; do
    IFS=: read -r shape n target <<< "$c"
    if (( n >= 100000 )); then iters=$BIG_ITERS; else iters=$SMALL_ITERS; fi
    for r in $(seq 1 "$ROUNDS"); do
      for side in $(sides_of_round "$r"); do
        base="$OUT/startup-$shape-$n-$side-r$r"
        say ">> java -jar $(jar_of "$side") 'FirstConvergenceBenchmark.startConverge\$' -p n=$n -p shape=$shape $iters -f 1" \
            "-jvmArgsPrepend -Dmgmt.bench.closeLog=$OUT/close-$shape-$n-$side.txt -rf json -rff $base.json"
        # shellcheck disable=SC2086
        java -jar "$(jar_of "$side")" 'FirstConvergenceBenchmark.startConverge$' -p n="$n" -p shape="$shape" $iters -f 1 \
          -jvmArgsPrepend "-Dmgmt.bench.closeLog=$OUT/close-$shape-$n-$side.txt" -rf json -rff "$base.json" \
          > "$base.log" 2>&1 || { tail -40 "$base.log"; say "!! JMH failed ($side, $shape $n, round $r)"; exit 1; }
        jq -r '.[0].primaryMetric.rawData[][]' "$base.json" >> "$OUT/startup-$shape-$n-$side.txt"
        read -r k lo med hi _ <<< "$(jq -r '.[0].primaryMetric.rawData[][]' "$base.json" | stats)"
        say "   $side, round $r: median $(fmt "$med") ms, min $(fmt "$lo"), max $(fmt "$hi") ($k ops)"
      done
    done
    read -r ko lo_o med_o hi_o _ <<< "$(stats < "$OUT/startup-$shape-$n-old.txt")"
    read -r kn lo_n med_n hi_n _ <<< "$(stats < "$OUT/startup-$shape-$n-new.txt")"
    if [[ $shape == deep ]]; then what="$(fmt "$n" 0)-deep chain"; else what="$(fmt "$n" 0) vertices, $shape"; fi
    what="compile + first convergence, $what: median ms (min–max, ops)"
    row "$what" \
        "$(fmt "$med_o") ($(fmt "$lo_o")–$(fmt "$hi_o"), $ko)$(verdict "$med_o" "$target")" \
        "$(fmt "$med_n") ($(fmt "$lo_n")–$(fmt "$hi_n"), $kn)$(verdict "$med_n" "$target")$(ratio "$med_o" "$med_n")" \
        "≤ $(fmt "$target" 0) ms"
  done
  for c in $STARTUP_CASES; do
    IFS=: read -r shape n _ <<< "$c"
    read -r ko _ med_o hi_o _ <<< "$(awk '{print $3}' "$OUT/close-$shape-$n-old.txt" 2>/dev/null | stats)"
    read -r kn _ med_n hi_n _ <<< "$(awk '{print $3}' "$OUT/close-$shape-$n-new.txt" 2>/dev/null | stats)"
    row "close() after it (not timed above), $(fmt "$n" 0) $shape: median ms (max)" \
        "$(fmt "$med_o") ($(fmt "$hi_o"))" "$(fmt "$med_n") ($(fmt "$hi_n"))$(ratio "$med_o" "$med_n")" "–"
  done
fi

# ---------------------------------------------------------------- 2. heap per idle vertex
if [[ -z "${SKIP_FOOTPRINT:-}" ]]; then
  say
  say "## 2. Engine heap per idle vertex (IdleVertexFootprint, own JVM, $FOOTPRINT_ROUNDS round(s) per side)"
  for r in $(seq 1 "$FOOTPRINT_ROUNDS"); do
    for side in $(sides_of_round "$r"); do
      # shellcheck disable=SC2086
      run java $ADD_OPENS -Xms2g -Xmx2g -cp "$(jar_of "$side")" dev.mgmt.bench.IdleVertexFootprint \
        --shapes="$FOOTPRINT_SHAPES" $FOOTPRINT_SIZES > "$OUT/footprint-$side-r$r.txt" 2>&1 \
        || { cat "$OUT/footprint-$side-r$r.txt"; say "!! IdleVertexFootprint failed ($side)"; exit 1; }
      sed "s/^/   $side: /" "$OUT/footprint-$side-r$r.txt"
    done
  done
  for shape in ${FOOTPRINT_SHAPES//,/ }; do
    for n in $FOOTPRINT_SIZES; do
      cell() { # side
        cat "$OUT"/footprint-"$1"-r*.txt | awk -v s="$shape" -v n="$n" '$1 == s && $2 == n {print $3}' | stats
      }
      read -r ko lo_o med_o hi_o _ <<< "$(cell old)"
      read -r kn lo_n med_n hi_n _ <<< "$(cell new)"
      span() { if [[ $1 -gt 1 ]]; then echo " ($(fmt "$2" 0)–$(fmt "$3" 0))"; fi; }
      # threads the engine added (after a warm-up run) and still had when idle, largest of the rounds
      threads() {
        cat "$OUT"/footprint-"$1"-r*.txt | awk -v s="$shape" -v n="$n" '$1 == s && $2 == n {print $6}' | sort -g | tail -1 \
          | awk '$1 != 0 {printf " (%+d threads)", $1}'
      }
      row "engine heap per idle vertex, $(fmt "$n" 0) vertices, $shape: bytes" \
          "$(fmt "$med_o" 0)$(span "$ko" "$lo_o" "$hi_o")$(threads old)$(verdict "$med_o" "$FOOTPRINT_TARGET")" \
          "$(fmt "$med_n" 0)$(span "$kn" "$lo_n" "$hi_n")$(threads new)$(verdict "$med_n" "$FOOTPRINT_TARGET")$(ratio "$med_o" "$med_n")" \
          "≤ $FOOTPRINT_TARGET B"
    done
  done
fi

# ---------------------------------------------------------------- 3. drift repair latency
if [[ -z "${SKIP_DRIFT:-}" ]]; then
  say
  mkdir -p "$DRIFT_DIR"
  FS=$(df -T "$DRIFT_DIR" | awk 'NR == 2 {print $2}')
  say "## 3. Drift repair latency (DriftRepairLatency; $DRIFT_ROUNDS rounds x $DRIFT_WRITES writes after $DRIFT_WARMUP warm-up writes, per side; pooled)"
  say "   directory: $DRIFT_DIR, file system: $FS ($(df "$DRIFT_DIR" | awk 'NR == 2 {print $1}'))"
  [[ "$FS" == ext4 ]] || say "!! $DRIFT_DIR is on $FS, not ext4: set DRIFT_DIR to a directory on ext4"
  for r in $(seq 1 "$DRIFT_ROUNDS"); do
    for side in $(sides_of_round "$r"); do
      run java -Xms256m -Xmx256m -cp "$(jar_of "$side")" dev.mgmt.bench.DriftRepairLatency \
        "$DRIFT_WRITES" "$DRIFT_WARMUP" "$DRIFT_DIR/$side" --raw="$OUT/drift-$side-r$r" > "$OUT/drift-$side-r$r.txt" 2>&1 \
        || { cat "$OUT/drift-$side-r$r.txt"; say "!! DriftRepairLatency failed ($side)"; exit 1; }
      sed -n 's/^  p50/   '"$side"': p50/p' "$OUT/drift-$side-r$r.txt"
    done
  done
  for side in old new; do
    read -r k _ _ mx p50 p90 p99 <<< "$(cat "$OUT"/drift-"$side"-r*.latency | awk '{print $1 / 1e6}' | stats)"
    read -r ka _ _ _ a50 _ a99 <<< "$(cat "$OUT"/drift-"$side"-r*.apply | awk '{print $1 / 1e6}' | stats)"
    printf -v "D_$side" '%s' "$k $mx $p50 $p90 $p99 $ka $a50 $a99"
  done
  read -r k_o mx_o p50_o p90_o p99_o ka_o a50_o a99_o <<< "$D_old"
  read -r k_n mx_n p50_n p90_n p99_n ka_n a50_n a99_n <<< "$D_new"
  row "drift repair latency p50, $FS: ms ($k_o / $k_n writes)" \
      "$(fmt "$p50_o" 2)$(verdict "$p50_o" "$DRIFT_P50_TARGET")" "$(fmt "$p50_n" 2)$(verdict "$p50_n" "$DRIFT_P50_TARGET")$(ratio "$p50_o" "$p50_n")" \
      "≤ $DRIFT_P50_TARGET ms"
  row "drift repair latency p99, $FS: ms" \
      "$(fmt "$p99_o" 2)$(verdict "$p99_o" "$DRIFT_P99_TARGET")" "$(fmt "$p99_n" 2)$(verdict "$p99_n" "$DRIFT_P99_TARGET")$(ratio "$p99_o" "$p99_n")" \
      "≤ $DRIFT_P99_TARGET ms"
  row "drift repair latency p90 / max: ms" "$(fmt "$p90_o" 2) / $(fmt "$mx_o" 1)" "$(fmt "$p90_n" 2) / $(fmt "$mx_n" 1)" "–"
  row "of which the apply, as the engine times it, p50 / p99: ms" \
      "$(fmt "$a50_o" 2) / $(fmt "$a99_o" 2)" "$(fmt "$a50_n" 2) / $(fmt "$a99_n" 2)" "–"
fi

# ---------------------------------------------------------------- table
say
say "- load average after the run: $(cut -d' ' -f1-3 /proc/loadavg)"
say
say "| measurement | $OLD_LABEL | $NEW_LABEL | target |"
say "|---|---:|---:|---|"
for r in "${ROWS[@]}"; do
  IFS='|' read -r a b c d <<< "$r"
  say "| $a | $b | $c | $d |"
done
say
say "Startup: one op = Engine.builder().build() + start(graph) + awaitConverged(...), noop vertices," \
    "graph value prebuilt, close() after the op and untimed (own rows); JMH SingleShotTime, -Xms2g -Xmx2g," \
    "$ROUNDS rounds of one fork per side, 10k: $SMALL_ITERS, 100k: $BIG_ITERS per fork." \
    "Heap: (used heap after 5 GCs, engine converged and idle 1 s - same with only the graph value) / N." \
    "Drift: outside write returned -> desired content read back, 1 file resource, ${DRIFT_ROUNDS} x $DRIFT_WRITES writes per side pooled," \
    "nearest-rank percentiles. Rounds alternate old/new (order flipped each round)."
say "Raw results: $OUT"

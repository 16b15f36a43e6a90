#!/usr/bin/env bash
# Whole-process cost of reading a YAML graph: `mgmt run --noop --converged-timeout 0` of graphs
# of N file resources (content and mode, under one directory resource that exists), two jars side by side,
# alternating, median of RUNS. Nothing is written (noop).
#   bench/yaml-load.sh OLD.jar NEW.jar [SIZES] [RUNS]
# e.g. bench/yaml-load.sh /tmp/old/mgmt.jar mgmt-cli/target/mgmt.jar "100 1000 10000" 5
set -euo pipefail
old="$1"; new="$2"; sizes="${3:-100 1000 10000}"; runs="${4:-5}"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
mkdir "$work/out"   # the files' directory exists: each file would be created
opts=(--add-opens java.base/java.util.concurrent.atomic=ALL-UNNAMED -XX:TieredStopAtLevel=1 -XX:+UseSerialGC)

graph() { # N -> a graph file
  local n="$1" f="$work/g$1.yaml"
  {
    echo "graph: load$n"
    echo "resources:"
    echo "  file:"
    echo "  - name: dir"
    echo "    path: $work/out/"
    for ((i = 0; i < n; i++)); do
      echo "  - name: f$i"
      echo "    path: $work/out/f$i"
      echo "    content: \"file $i\\n\""
      echo "    mode: \"0644\""
    done
  } > "$f"
  echo "$f"
}

ms() { # jar graph -> wall milliseconds of one run
  local t0 t1
  t0=$(date +%s%N)
  java "${opts[@]}" -jar "$1" run --yaml "$2" --noop --converged-timeout 0 >/dev/null 2>&1 || { echo "run failed: $1 $2" >&2; exit 1; }
  t1=$(date +%s%N)
  echo $(((t1 - t0) / 1000000))
}

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR + 1) / 2)]}'; }

printf '%-10s %12s %12s\n' resources "old (ms)" "new (ms)"
for n in $sizes; do
  g="$(graph "$n")"
  o=(); w=()
  ms "$old" "$g" >/dev/null; ms "$new" "$g" >/dev/null   # warm the page cache
  for ((r = 0; r < runs; r++)); do
    if ((r % 2 == 0)); then o+=("$(ms "$old" "$g")"); w+=("$(ms "$new" "$g")")
    else w+=("$(ms "$new" "$g")"); o+=("$(ms "$old" "$g")"); fi
  done
  printf '%-10s %12s %12s\n' "$n" "$(printf '%s\n' "${o[@]}" | median)" "$(printf '%s\n' "${w[@]}" | median)"
done

#!/usr/bin/env bash
# Finding 7 of the security issue, measured: a rogue member writes around the limits (raw
# through the store) against a real `mgmt run` leader; prints the leader's heap before, at the
# peak and after each attack (jcmd GC.heap_info).
#
# Usage: bench/rogue-heap.sh [leader -Xmx=2g]
#        ROGUE_OPTS="-Drogue.mb=300 -Drogue.concurrent=true" bench/rogue-heap.sh   # also N x 1 MB at once
#        SKIP_BUILD=1 bench/rogue-heap.sh      # reuse the last build
set -euo pipefail

cd "$(dirname "$0")/.."
CP_FILE=mgmt-cluster/target/bench.classpath
if [[ -z "${SKIP_BUILD:-}" ]]; then
  echo ">> mvn -q -B -pl mgmt-cli -am package -DskipTests, and mgmt-cluster's test classpath"
  mvn -q -B -pl mgmt-cli -am package -DskipTests
  mvn -q -B -pl mgmt-cluster -am test-compile dependency:build-classpath \
      -Dmdep.outputFile="$(pwd)/$CP_FILE" -Dmdep.includeScope=test
fi
exec java ${JAVA_OPTS:-} ${ROGUE_OPTS:-} --add-opens java.base/java.util.concurrent.atomic=ALL-UNNAMED \
  -Dorg.slf4j.simpleLogger.defaultLogLevel=error \
  -cp "mgmt-cluster/target/test-classes:mgmt-cluster/target/classes:$(cat "$CP_FILE")" \
  dev.mgmt.cluster.internal.RogueHeap mgmt-cli/target/mgmt.jar "${1:-2g}"

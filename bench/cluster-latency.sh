#!/usr/bin/env bash
# mgmt-cluster store latency (DESIGN.md section 6): put / get / watch-event latency with three
# hosts in ONE JVM on loopback, and a single host's cold start to its first write.
#
# Usage: bench/cluster-latency.sh [puts=1000] [warmup=300]
#        SKIP_BUILD=1 bench/cluster-latency.sh        # reuse the last build
#        LOG=debug bench/cluster-latency.sh 10 5     # where start-up time goes
set -euo pipefail

cd "$(dirname "$0")/.."
CP_FILE=mgmt-cluster/target/bench.classpath
if [[ -z "${SKIP_BUILD:-}" ]]; then
  echo ">> mvn -q -B -pl mgmt-cluster -am test-compile dependency:build-classpath"
  mvn -q -B -pl mgmt-cluster -am test-compile dependency:build-classpath \
      -Dmdep.outputFile="$(pwd)/$CP_FILE" -Dmdep.includeScope=test
fi
echo ">> machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name:[[:space:]]*//p' | head -1)," \
     "$(free -g | awk '/^Mem:/ {print $2 " GiB RAM"}')"
java -version 2>&1 | head -1
echo ">> load average before the run: $(cut -d' ' -f1-3 /proc/loadavg)"
exec java ${JAVA_OPTS:-} --add-opens java.base/java.util.concurrent.atomic=ALL-UNNAMED \
  -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Dorg.slf4j.simpleLogger.log.dev.mgmt.cluster=${LOG:-warn} \
  -cp "mgmt-cluster/target/test-classes:mgmt-cluster/target/classes:$(cat "$CP_FILE")" \
  dev.mgmt.cluster.bench.StoreLatency "$@"

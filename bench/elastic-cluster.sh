#!/usr/bin/env bash
# Elastic membership of real `mgmt run` processes (DESIGN.md sections 6 and 9): time to grow
# 1 -> 3 -> 5 voters, to replace a kill -9'd follower voter, and the write stall when the
# leader's process is kill -9'd. Every host is its own JVM on a free loopback port; this
# program watches them through an observer member and kills every process it started on exit.
#
# Usage: bench/elastic-cluster.sh [rounds=3] [replace=4] [failover=10] [phases=grow,arrive,replace,failover]
#                                 [hostopts="-Xmx256m"] [timeline=first|all|none]
#        SKIP_BUILD=1 bench/elastic-cluster.sh ...        # reuse the last build
# Host logs (-v) are kept in bench/target/elastic-cluster/<date-time>/. About 7 minutes with the defaults.
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
exec java ${JAVA_OPTS:-} --add-opens java.base/java.util.concurrent.atomic=ALL-UNNAMED \
  -cp bench/target/benchmarks.jar dev.mgmt.bench.ElasticClusterBenchmark jar=mgmt-cli/target/mgmt.jar "$@"

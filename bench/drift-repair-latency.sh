#!/bin/sh
# Drift repair latency of the file resource: an outside write to a managed file, until the
# desired content is back on disk; p50/p99/max over 1,000 writes (after 200 warm-up writes).
#
#   bench/drift-repair-latency.sh [writes] [warmup] [directory] [--raw=PREFIX]
#
# The directory defaults to a fresh one under $TMPDIR (or /tmp); pass one to measure another
# file system. Builds bench/target/benchmarks.jar first (no install needed).
set -eu
cd "$(dirname "$0")/.."
mvn -q -B -Pbench -pl bench -am package -DskipTests
echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p')"
java -version 2>&1 | head -1
if [ $# -ge 3 ]; then mkdir -p "$3"; fi
echo "file system: $(df -T "${3:-${TMPDIR:-/tmp}}" | awk 'NR==2 {print $2}')"
exec java -Xms256m -Xmx256m \
    -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
    -cp bench/target/benchmarks.jar dev.mgmt.bench.DriftRepairLatency "$@"

#!/usr/bin/env bash
# Builds and tests this consumer project the way a user would, against the mgmt artifacts
# installed in the local repository (run `mvn install` at the top first; .ci/run does):
#   1. the README's Java example is this project's src/main/java/example/Hello.java, verbatim;
#   2. the tests (the example, and a test with MgmtEngineExtension) pass on each JUnit of
#      JUNIT_VERSIONS (default: 5.11.4, the oldest we support, and 6.1.3), imported through
#      junit-bom; and on the oldest one without junit-bom, mgmt-test declared first, where a
#      JUnit that mgmt-test brought along would win over the project's own;
#   3. `mvn exec:java` prints the example's result and ends without waiting for a thread the
#      engine left behind (exec:java waits up to 15 s for daemon threads, then warns).
# Extra Maven arguments go in MVN_ARGS, e.g. MVN_ARGS='-o -Dmaven.repo.local=/tmp/m2'.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
read -r -a mvn_args <<< "${MVN_ARGS:-}"
mvn=(mvn -B -ntp -Dstyle.color=never -f "$here/pom.xml" "${mvn_args[@]}")

echo ">> README's Java example = test/consumer/src/main/java/example/Hello.java"
# The fenced block right after the marker comment that names the file.
readme_block="$(awk '/<!-- test\/consumer\/src\/main\/java\/example\/Hello.java -->/ {found=1; next}
                     found && /^```java/ {inside=1; next}
                     inside && /^```/ {exit}
                     inside {print}' "$root/README.md")"
if ! diff -u <(printf '%s\n' "$readme_block") "$here/src/main/java/example/Hello.java"; then
  echo "README.md's Java example differs from test/consumer/src/main/java/example/Hello.java" >&2
  exit 1
fi

for v in ${JUNIT_VERSIONS:-5.11.4 6.1.3}; do
  echo ">> consumer tests on JUnit $v"
  "${mvn[@]}" -q -Djunit.version="$v" clean verify
done
oldest="${JUNIT_VERSIONS:-5.11.4}"; oldest="${oldest%% *}"
echo ">> consumer tests on JUnit $oldest, without junit-bom"
"${mvn[@]}" -q -Djunit.version="$oldest" -Dno.junit.bom clean verify

echo ">> mvn compile exec:java"
out="$("${mvn[@]}" compile exec:java 2>&1)" || { printf '%s\n' "$out"; exit 1; }
printf '%s\n' "$out" | grep -v '^\[INFO\]' || true
if ! printf '%s\n' "$out" | grep -qx 'hello: converged'; then
  echo "exec:java did not print 'hello: converged'" >&2
  exit 1
fi
if printf '%s\n' "$out" | grep -q 'still alive\|did not finish despite'; then
  echo "exec:java had to wait for threads the engine left behind" >&2
  exit 1
fi
echo ">> consumer OK"

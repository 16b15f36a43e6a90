#!/usr/bin/env bash
# Side by side with Puppet, Ansible and CFEngine on this machine (docs/benchmarks.md, "Side by
# side"). Installs puppet, ansible, cfengine3 and gnuplot-nox from Debian's packages when they
# are missing (as root), builds bin/mgmt's jar and the benchmark jar, then runs
# bench/peers/peers.py with the arguments given, e.g.
#
#   bench/peers/run.sh                                   # N = 100, 1,000, 10,000; 3 runs each (~40 min)
#   bench/peers/run.sh --sizes 100,1000 --reps 1         # a quick look
#   bench/peers/run.sh --max ansible-playbook=100        # Ansible only at 100 files
#
# Results: bench/target/peers/<date-time>/ (results.json, table.md, peers.png, runs.log).
# Managed trees and policies go under /var/tmp/mgmt-peers (--work), which is wiped first.
set -euo pipefail
cd "$(dirname "$0")/../.."

need=()
command -v puppet >/dev/null || need+=(puppet)
command -v ansible-playbook >/dev/null || need+=(ansible)
command -v cf-agent >/dev/null || need+=(cfengine3)
command -v gnuplot >/dev/null || need+=(gnuplot-nox)
if ((${#need[@]})); then
  if [[ $(id -u) -ne 0 ]]; then
    echo "peers: ${need[*]} missing; run as root (apt-get install) or install them first" >&2
    exit 2
  fi
  echo ">> apt-get install ${need[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${need[@]}" >/dev/null \
    || { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
           --no-install-recommends "${need[@]}" >/dev/null; }
fi
# cf-agent wants a key pair even for local runs; make one once.
if [[ ! -f /var/lib/cfengine3/ppkeys/localhost.priv ]] && command -v cf-key >/dev/null; then
  cf-key >/dev/null
fi

if [[ -z "${SKIP_BUILD:-}" ]]; then
  echo ">> mvn -q -B -ntp -DskipTests -Pbench -pl mgmt-cli,bench -am package"
  mvn -q -B -ntp -Dstyle.color=never -DskipTests -Pbench -pl mgmt-cli,bench -am package
fi
exec python3 bench/peers/peers.py "$@"

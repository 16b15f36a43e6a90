#!/usr/bin/env bash
# Runs mgmt's own example graphs (examples/yaml/ of a tag of github:purpleidea/mgmt) under
# `mgmt run --noop --converged-timeout 0`, one at a time, and says which load and converge.
#
# Usage: tools/mgmt-examples.sh MGMT_GIT_DIR [GRAPH.yaml ...]
#   MGMT_GIT_DIR  a clone of github:purpleidea/mgmt (bare or not); only `git show` reads it
#   GRAPH.yaml    run only these (names in examples/yaml/); default: all
# Environment:
#   MGMT_TAG=0.0.15        the tag whose examples/yaml/ is run
#   MGMT=bin/mgmt          the command run as `$MGMT run --yaml G --noop ...`
#   GRAPH_TIMEOUT=60       seconds a graph may take before it counts as not converged
#   KEEP=1                 keep the scratch directory (graphs, logs) and print where it is
# Exit: 0 when every graph of our kinds loaded and converged; 1 when one did not; 2 on a usage
# error; 77 when none failed but some could not be run on this machine (each line says why).
#
# mgmt is GPL-3.0: the graphs are read with `git show` into a scratch directory, never copied
# into this repository. Nothing on the machine changes: each graph runs in private mount,
# network and UTS namespaces with its own empty /tmp (holding the directories mgmt's test
# harness makes, such as /tmp/mgmt) and its own --state-dir; daemons the graphs need (a systemd user manager for
# svc, a private systemd-hostnamed for hostname) are started under the scratch directory and
# stopped by PID at the end, also on Ctrl-C. A graph with a kv runs as a one-host cluster on
# the namespace's own loopback; without a network namespace (no `ip`) it is not run.
set -uo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tag="${MGMT_TAG:-0.0.15}"
mgmt="${MGMT:-$root/bin/mgmt}"
graph_timeout="${GRAPH_TIMEOUT:-60}"
ours=" file exec svc pkg noop msg timer hostname user group kv "

usage() { sed -n '4,14p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2; exit 2; }
[[ $# -ge 1 && $1 != -h && $1 != --help ]] || usage
repo="$1"; shift
git -C "$repo" rev-parse --git-dir >/dev/null 2>&1 \
  || { echo "mgmt-examples: $repo is not a git directory (a clone of github:purpleidea/mgmt)" >&2; exit 2; }
git -C "$repo" rev-parse -q --verify "refs/tags/$tag" >/dev/null \
  || { echo "mgmt-examples: $repo has no tag $tag (git -C $repo fetch --tags)" >&2; exit 2; }

# The command by its absolute path, since each graph runs with another /tmp and may be elsewhere.
mgmt_cmd="$(command -v "$mgmt")" || { echo "mgmt-examples: $mgmt: no such command" >&2; exit 2; }
[[ $mgmt_cmd == /* ]] || mgmt_cmd="$PWD/$mgmt_cmd"
case "$(realpath "$mgmt_cmd")" in /tmp/*)
  echo "mgmt-examples: $mgmt is under /tmp, which each graph sees empty; put it elsewhere" >&2; exit 2 ;;
esac
mgmt="$mgmt_cmd"

# Why a kind of mgmt's is not run: what it manages, which we do not have.
missing_kind() {
  case "$1" in
    augeas) echo "kind augeas (edits config files through Augeas lenses)" ;;
    aws:ec2) echo "kind aws:ec2 (Amazon EC2 instances)" ;;
    nspawn) echo "kind nspawn (systemd-nspawn containers)" ;;
    virt) echo "kind virt (libvirt virtual machines)" ;;
    *) echo "kind $1" ;;
  esac
}

# The kinds a graph uses: the keys of its top-level `resources:` map, read from the block
# style mgmt's examples are written in (awk, so a fresh machine needs no YAML library).
kinds_of() {
  awk '
    /^[ \t]*(#|$)/ { next }
    /^[^ \t-]/ { inres = ($0 ~ /^resources:[ \t]*(#.*)?$/); indent = -1; next }
    inres {
      match($0, /^ */); n = RLENGTH
      if (indent < 0) indent = n
      if (n == indent && $0 ~ /^ *[^ #-][^ ]*:[ \t]*(#.*)?$/) {
        k = substr($0, n + 1); sub(/:[ \t]*(#.*)?$/, "", k); printf "%s ", k
      }
    }' "$1"
}

# --- scratch directory, and the cleanup of everything this script starts -------------------
scratch="$(mktemp -d "${TMPDIR:-/tmp}/mgmt-examples.XXXXXX")" || exit 2
chmod 755 "$scratch"
run_pid=""       # the namespace running the current graph
daemon_pids=()   # systemd --user, the hostnamed bus

descendants() { # PIDs under $1, deepest first
  local c
  for c in $(cat /proc/"$1"/task/*/children 2>/dev/null); do descendants "$c"; echo "$c"; done
}
stop_tree() { # ends $1 and what it started: TERM, up to 10 s, then KILL
  local pid="$1" kids i
  kill -0 "$pid" 2>/dev/null || return 0
  kids="$(descendants "$pid")"
  kill -TERM "$pid" 2>/dev/null
  for i in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$pid" $kids 2>/dev/null
  wait "$pid" 2>/dev/null
}
cleanup() {
  trap - EXIT INT TERM
  [[ -n $run_pid ]] && stop_tree "$run_pid"
  local p
  for p in ${daemon_pids[@]+"${daemon_pids[@]}"}; do stop_tree "$p"; done
  if [[ ${KEEP:-} == 1 ]]; then echo "mgmt-examples: kept $scratch" >&2; else rm -rf "$scratch"; fi
}
trap cleanup EXIT
trap 'echo; echo "mgmt-examples: interrupted" >&2; exit 130' INT
trap 'echo; echo "mgmt-examples: terminated" >&2; exit 143' TERM

# --- the graphs ------------------------------------------------------------------------------
mkdir -p "$scratch/graphs" "$scratch/logs" "$scratch/runs"
mapfile -t paths < <(git -C "$repo" ls-tree --name-only "$tag" examples/yaml/ | grep '\.yaml$')
if [[ $# -gt 0 ]]; then
  wanted=" $* "
  mapfile -t paths < <(for p in "${paths[@]}"; do [[ $wanted == *" ${p##*/} "* ]] && echo "$p"; done)
fi
for w in "$@"; do
  [[ " ${paths[*]##*/} " == *" $w "* ]] || { echo "mgmt-examples: no graph $w in $tag:examples/yaml/" >&2; exit 2; }
done
[[ ${#paths[@]} -gt 0 ]] || { echo "mgmt-examples: no graphs in $tag:examples/yaml/" >&2; exit 2; }
for p in "${paths[@]}"; do git -C "$repo" show "$tag:$p" >"$scratch/graphs/${p##*/}"; done

# --- what this machine can give the graphs -----------------------------------------------------
# Every run needs root: the private mount namespace gives it its own /tmp.
no_ns=""
if [[ $(id -u) != 0 ]]; then no_ns="not root: each graph runs in a private mount namespace (its own /tmp)"
elif ! command -v unshare >/dev/null; then no_ns="'unshare' is not installed (util-linux)"
fi
# Without `ip` the private network namespace would have no loopback; share the machine's then.
# The cluster graphs (kv) are not run then: their one-host cluster listens on 127.0.0.1:7946,
# which on the machine's own loopback may be a real mgmt's or another run's.
net_ns=1; no_net_ns=""
if ! command -v ip >/dev/null; then
  net_ns=""
  no_net_ns="no private network namespace ('ip' is not installed, iproute2): its cluster would listen on"
  no_net_ns+=" this machine's 127.0.0.1:7946"
fi
if [[ -z $no_ns ]] && ! err="$(unshare --mount --uts ${net_ns:+--net} true 2>&1)"; then
  no_ns="cannot make private namespaces here: $err"  # root in a container without CAP_SYS_ADMIN
fi

no_pkg=""
if ! { command -v dpkg-query && command -v apt-cache; } >/dev/null \
   && [[ -z ${DBUS_SYSTEM_BUS_ADDRESS:-} && ! -S /var/run/dbus/system_bus_socket ]]; then
  no_pkg="pkg needs apt (dpkg-query, apt-cache) or PackageKit on the system bus"
fi

# svc: a real systemd user manager, started as the svc tests' SystemdUserManager does: in a
# private mount namespace where a tmpfs on /run/systemd says "booted with systemd"; never
# `systemd --system`, whose tmpfiles rules empty /tmp. mgmt's examples/purpleidea.service is
# its user unit. svc1.yaml has no `session: true`, so it asks the system bus for systemd: the
# svc resource takes that from DBUS_SYSTEM_BUS_ADDRESS, which is pointed at this manager's bus.
svc_dir="$scratch/systemd"; svc_state=""  # "" not tried; ok; or why not
start_systemd_user() {
  [[ -n $svc_state ]] && return
  local t
  for t in nsenter systemctl; do command -v "$t" >/dev/null || { svc_state="svc needs '$t'"; return; }; done
  [[ -x /lib/systemd/systemd ]] || { svc_state="svc needs /lib/systemd/systemd (apt-get install systemd)"; return; }
  [[ -d /run/systemd ]] || { svc_state="svc needs /run/systemd to mount a private tmpfs over"; return; }
  mkdir -p "$svc_dir/home/.config/systemd/user" "$svc_dir/home/.local/share" "$svc_dir/xdg"
  chmod 700 "$svc_dir/xdg"
  git -C "$repo" show "$tag:examples/purpleidea.service" >"$svc_dir/home/.config/systemd/user/purpleidea.service" \
    || { svc_state="svc: $tag has no examples/purpleidea.service"; return; }
  svc_env=(HOME="$svc_dir/home" XDG_CONFIG_HOME="$svc_dir/home/.config" XDG_DATA_HOME="$svc_dir/home/.local/share"
           XDG_RUNTIME_DIR="$svc_dir/xdg" DBUS_SESSION_BUS_ADDRESS="unix:path=$svc_dir/xdg/bus"
           DBUS_SYSTEM_BUS_ADDRESS="unix:path=$svc_dir/xdg/bus")
  env "${svc_env[@]}" setsid unshare --mount --propagation private /bin/sh -c \
    'mount -t tmpfs tmpfs /run/systemd && mkdir -p /run/systemd/system && exec /lib/systemd/systemd --user' \
    >"$svc_dir/systemd.log" 2>&1 </dev/null &
  daemon_pids+=($!)
  for t in $(seq 100); do
    [[ -S $svc_dir/xdg/bus && -S $svc_dir/xdg/systemd/private ]] && { svc_state=ok; return; }
    kill -0 "$!" 2>/dev/null || break; sleep 0.1
  done
  svc_state="systemd --user did not start: $(tail -n 1 "$svc_dir/systemd.log")"
}

# hostname: a private systemd-hostnamed, activated by a private "system" bus that runs in its
# own UTS and mount namespaces (the name it sets is the namespace's, the /etc it writes a copy
# on a tmpfs), so this machine's name never changes even without --noop.
host_dir="$scratch/hostnamed"; host_state=""
start_hostnamed() {
  [[ -n $host_state ]] && return
  command -v dbus-daemon >/dev/null || { host_state="hostname needs dbus-daemon"; return; }
  [[ -x /lib/systemd/systemd-hostnamed ]] || { host_state="hostname needs /lib/systemd/systemd-hostnamed"; return; }
  mkdir -p "$host_dir/etc" "$host_dir/services"
  printf '[D-BUS Service]\nName=org.freedesktop.hostname1\nExec=/lib/systemd/systemd-hostnamed\nUser=root\n' \
    >"$host_dir/services/org.freedesktop.hostname1.service"
  cat >"$host_dir/bus.conf" <<EOT
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>system</type>
  <listen>unix:path=$host_dir/bus.sock</listen>
  <auth>EXTERNAL</auth>
  <servicedir>$host_dir/services</servicedir>
  <policy context="default">
    <allow user="*"/><allow own="*"/><allow send_type="method_call"/>
    <allow send_destination="*" eavesdrop="true"/><allow eavesdrop="true"/>
  </policy>
</busconfig>
EOT
  # dbus-daemon starts hostnamed detached (its parent becomes PID 1), so the bus is the init of
  # a PID namespace: when unshare ends, --kill-child ends the bus, and the kernel everything in it.
  D="$host_dir" setsid unshare --pid --fork --kill-child --uts --mount --propagation private /bin/bash -c '
    set -e
    mount -t tmpfs -o mode=0755 mgmt-examples-etc "$D/etc"; cp -a /etc/. "$D/etc/"; mount --bind "$D/etc" /etc
    hostname mgmt-examples
    exec dbus-daemon --config-file="$D/bus.conf" --nofork' >"$host_dir/bus.log" 2>&1 </dev/null &
  daemon_pids+=($!)
  local i
  for i in $(seq 100); do
    [[ -S $host_dir/bus.sock ]] && { host_state=ok; return; }
    kill -0 "$!" 2>/dev/null || break; sleep 0.1
  done
  host_state="the private hostnamed bus did not start: $(tail -n 1 "$host_dir/bus.log")"
}

# Runs inside the graph's namespaces: a fresh /tmp (with this scratch directory still at its
# path) holding the directories mgmt's test harness makes, a loopback, the graph's fixtures,
# then mgmt.
cat >"$scratch/in-namespace.sh" <<'EOT'
set -e
mount -t tmpfs -o mode=1777 mgmt-examples-tmp "$RUN/tmp"
case "$SCRATCH" in /tmp/*)
  mkdir -p "$RUN/tmp/${SCRATCH#/tmp/}"; mount --bind "$SCRATCH" "$RUN/tmp/${SCRATCH#/tmp/}" ;;
esac
mount --move "$RUN/tmp" /tmp
# mgmt's file resource makes no missing parent directory, so its test harness makes them before
# it runs these graphs: /tmp/mgmt (test/test-shell.sh), /tmp/mgmtA.. for the cluster graphs
# (test/shell/t3.sh; etcd1d/e use D and E), /tmp/mgmt/a/b/c for deep-dirs.yaml
# (test/shell/file-move-upper-dir.sh).
mkdir -p /tmp/mgmt/a/b/c /tmp/mgmtA /tmp/mgmtB /tmp/mgmtC /tmp/mgmtD /tmp/mgmtE
[ -z "$NET_NS" ] || ip link set lo up
if [ "$FIXTURE" = some_dir ]; then
  # file2.yaml copies the tree /var/lib/mgmt/files/some_dir/: make one, on an overlay of /var/lib.
  mkdir -p "$RUN/var/up" "$RUN/var/work"
  mount -t overlay mgmt-examples-var -o "lowerdir=/var/lib,upperdir=$RUN/var/up,workdir=$RUN/var/work" /var/lib
  mkdir -p /var/lib/mgmt/files/some_dir/sub
  echo "a file of some_dir" >/var/lib/mgmt/files/some_dir/f1
  echo "a file in a subdirectory" >/var/lib/mgmt/files/some_dir/sub/f2
fi
if [ "$FIXTURE" = accounts ]; then
  # user and group graphs: what the shadow tools write is private, as in private-accounts.sh, so
  # that even a run without --noop could not change this machine's accounts: /etc is a copy on
  # a tmpfs (they rename over /etc/passwd, which a bind mount of the file alone would refuse),
  # /home an empty tmpfs (homes, usermod --uid re-owning them), and /var an overlay whose
  # changes go to a tmpfs (lastlog, faillog, mail spools).
  mkdir -p "$RUN/etc" "$RUN/var"
  mount -t tmpfs -o mode=0755 mgmt-examples-etc "$RUN/etc"; cp -a /etc/. "$RUN/etc/"; mount --bind "$RUN/etc" /etc
  mount -t tmpfs -o mode=0755 mgmt-examples-home /home
  mount -t tmpfs -o mode=0755 mgmt-examples-var "$RUN/var"; mkdir "$RUN/var/up" "$RUN/var/work"
  mount -t overlay mgmt-examples-var -o "lowerdir=/var,upperdir=$RUN/var/up,workdir=$RUN/var/work" /var
fi
exec timeout -k 5 "$GRAPH_TIMEOUT" "$MGMT" run --yaml "$GRAPH" --noop --converged-timeout 0 --state-dir "$RUN/state" $MGMT_ARGS
EOT

# The first line that says what went wrong, in the user's words.
first_error() {
  awk -v g="$2" '
    /is invalid; nothing was applied:$/ { inv = 1; next }
    inv { sub(/^[ \t]+/, ""); sub("^[^ ]*/" g ":", g ":"); print; exit }
    / WARN / || / 0 failed/ { next }
    tolower($0) ~ /fail|error|cannot|refused|exception|not found|no such/ { print; exit }
    { last = $0 }
    END { if (!inv && last != "") print last }' "$1" | head -n 1
}

# Build the jar (if sources changed) and its class-data archive once, outside the namespaces.
if [[ -z $no_ns ]] && ! "$mgmt" --version >"$scratch/logs/version.log" 2>&1; then
  echo "mgmt-examples: $mgmt does not run: $(tail -n 1 "$scratch/logs/version.log")" >&2; exit 2
fi

echo "mgmt's examples/yaml/ at $tag ($(git -C "$repo" rev-parse --short "$tag^{commit}")), with $mgmt:"
n_ours=0; n_ok=0; n_failed=0; n_unrun=0; n_skipped=0
for p in "${paths[@]}"; do
  name="${p##*/}"; graph="$scratch/graphs/$name"
  read -r -a kinds <<<"$(kinds_of "$graph")"
  skip=""
  for k in "${kinds[@]}"; do [[ -z $skip && $ours != *" $k "* ]] && skip="$(missing_kind "$k")"; done
  if [[ -n $skip ]]; then
    printf '  %-10s %-17s needs %s, which mgmt for the JVM does not have\n' skipped "$name" "$skip"
    n_skipped=$((n_skipped + 1)); continue
  fi
  n_ours=$((n_ours + 1))

  env_add=(); fixture=""; unrun="$no_ns"; args=""
  [[ $name == file2.yaml ]] && fixture=some_dir
  for k in "${kinds[@]}"; do
    [[ -n $unrun ]] && break
    case "$k" in
      pkg) unrun="$no_pkg" ;;
      user | group) fixture=accounts ;;
      svc) start_systemd_user; [[ $svc_state == ok ]] && env_add+=("${svc_env[@]}") || unrun="$svc_state" ;;
      # kv keeps its key in the cluster's store: mgmt runs its etcd on every host, we start a
      # one-host cluster on the namespace's own loopback (mgmt run has one only when asked).
      kv) unrun="$no_net_ns"; args="--listen 127.0.0.1:7946" ;;
      hostname) start_hostnamed
        [[ $host_state == ok ]] && env_add+=(DBUS_SYSTEM_BUS_ADDRESS="unix:path=$host_dir/bus.sock") || unrun="$host_state" ;;
    esac
  done
  if [[ -n $unrun ]]; then
    printf '  %-10s %-17s %s\n' "not run" "$name" "$unrun"
    n_unrun=$((n_unrun + 1)); continue
  fi

  run="$scratch/runs/${name%.yaml}"; log="$scratch/logs/${name%.yaml}.log"
  mkdir -p "$run/tmp" "$run/state"
  env ${env_add[@]+"${env_add[@]}"} RUN="$run" SCRATCH="$scratch" NET_NS="$net_ns" FIXTURE="$fixture" GRAPH="$graph" \
      MGMT="$mgmt" MGMT_ARGS="$args" GRAPH_TIMEOUT="$graph_timeout" \
    unshare --mount --propagation private --uts ${net_ns:+--net} /bin/sh "$scratch/in-namespace.sh" \
    >"$log" 2>&1 </dev/null &
  run_pid=$!
  wait "$run_pid"; rc=$?; run_pid=""
  if [[ $rc == 0 ]]; then
    printf '  %-10s %s\n' converged "$name"; n_ok=$((n_ok + 1)); continue
  fi
  n_failed=$((n_failed + 1))
  if [[ $rc == 124 || $rc == 137 ]]; then why="did not converge within ${graph_timeout}s"
  else why="$(first_error "$log" "$name")"; fi
  if [[ $rc != 2 && $rc != 12[5-7] ]]; then  # 2: invalid graph or usage; 125-127: mgmt did not start
    printf '  %-10s %-17s did not converge: %s\n' loaded "$name" "$why"
  else
    printf '  %-10s %-17s %s\n' failed "$name" "$why"
  fi
done

echo "$n_ok of $n_ours graphs load and converge under --noop" \
     "($n_failed failed, $n_unrun not run here; $n_skipped skipped: features mgmt for the JVM does not have)"
[[ $n_failed -gt 0 ]] && exit 1
[[ $n_unrun -gt 0 ]] && exit 77
exit 0

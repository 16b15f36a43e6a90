#!/usr/bin/env python3
"""Helpers for bench/cluster-scale.sh: free ports, waiting for files, CPU and memory of PIDs.

  probe.py ports N                         N free loopback ports, one a line
  probe.py await START_NS TIMEOUT_S COUNT PIDS DIR...
      Polls every 10 ms until every DIR holds COUNT files (dot files aside). Prints
      "ok ALL_MS OWN_MS": ms from START_NS (a time.time_ns() value) until the last DIR got
      there, and until the first DIR (the new host's) held 2 files (its own graph ran);
      "timeout ..." or "died PID" (a PID in the comma-separated PIDS exited) and exits 1.
  probe.py ticks PIDS                      CPU time of the PIDs together, in ms (utime + stime)
  probe.py threads PIDS > SNAPSHOT          per-thread CPU ticks of the PIDs, to compare later with
  probe.py threads-since SNAPSHOT PIDS      CPU ms per host since SNAPSHOT, by thread name (top 12)
  probe.py idle SECONDS PIDS               CPU % of one core per PID over SECONDS, and VmRSS:
      one line per PID, "PID CPU_PERCENT RSS_MIB".
"""
import os
import socket
import sys
import time


def ports(n):
    # Below the kernel's ephemeral range: another cluster on this machine picks its ports with
    # bind(0) from that range, and a host of it that was killed is still heartbeated at its port
    # for seconds. A host of ours on such a port would merge the two clusters' membership.
    import random
    low = int(open("/proc/sys/net/ipv4/ip_local_port_range").read().split()[0])
    socks = []
    for port in random.sample(range(max(1024, low - 12000), low), 4 * n):
        s = socket.socket()
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            s.close()
            continue
        socks.append(s)
        if len(socks) == n:
            break
    for s in socks:
        print(s.getsockname()[1])
        s.close()


def count(d):
    try:
        return sum(1 for e in os.scandir(d) if not e.name.startswith(".") and e.is_file(follow_symlinks=False))
    except FileNotFoundError:
        return 0


def alive(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split(")")[-1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def wait(start_ns, timeout_s, want, pids, dirs):
    done = {}
    own = None
    deadline = start_ns + int(timeout_s * 1e9)
    pids = [p for p in pids.split(",") if p]
    last_alive = 0
    while True:
        now = time.time_ns()
        if own is None and count(dirs[0]) >= 2:
            own = now
        for d in dirs:
            if d not in done and count(d) >= want:
                done[d] = now
        if len(done) == len(dirs):
            print("ok %.0f %.0f" % ((max(done.values()) - start_ns) / 1e6, ((own or now) - start_ns) / 1e6))
            return 0
        if now > deadline:
            short = {os.path.basename(d.rstrip("/")): count(d) for d in dirs if d not in done}
            print("timeout %d of %d hosts hold %d files; short: %s" % (len(done), len(dirs), want,
                  " ".join(f"{k}={v}" for k, v in sorted(short.items()))))
            return 1
        if now - last_alive > 200_000_000:
            last_alive = now
            for p in pids:
                if not alive(p):
                    print(f"died {p}")
                    return 1
        time.sleep(0.01)


def cpu_ticks(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime, stime (fields 14, 15 of the whole line)


def rss_mib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0


def idle(seconds, pids):
    pids = [p for p in pids.split(",") if p]
    hz = os.sysconf("SC_CLK_TCK")
    t0 = time.monotonic()
    before = {p: cpu_ticks(p) for p in pids}
    time.sleep(seconds)
    elapsed = time.monotonic() - t0
    for p in pids:
        print("%s %.2f %.0f" % (p, 100.0 * (cpu_ticks(p) - before[p]) / hz / elapsed, rss_mib(p)))


def thread_ticks(pids):
    out = {}
    for p in pids:
        try:
            tasks = os.listdir(f"/proc/{p}/task")
        except FileNotFoundError:
            continue
        for t in tasks:
            try:
                with open(f"/proc/{p}/task/{t}/stat") as f:
                    s = f.read()
            except FileNotFoundError:
                continue
            name = s[s.index("(") + 1:s.rindex(")")]
            fields = s.rsplit(")", 1)[1].split()
            out[f"{p}/{t}"] = (name, int(fields[11]) + int(fields[12]))
    return out


def threads_since(snapshot, pids):
    import collections
    import json
    import re
    before = json.load(open(snapshot))
    now = thread_ticks(pids)
    by = collections.Counter()
    for key, (name, ticks) in now.items():
        # Thread names end in a number per pool member; comm is cut at 15 characters.
        by[re.sub(r"[-_]?\d+$", "", name)] += ticks - before.get(key, [name, 0])[1]
    ms = 1000 / os.sysconf("SC_CLK_TCK") / len(pids)
    print("total %.0f ms per host" % (sum(by.values()) * ms))
    for name, v in [x for x in by.most_common(12) if x[1] > 0]:
        print("  %-16s %5.0f ms" % (name, v * ms))


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "ports":
        ports(int(sys.argv[2]))
    elif cmd == "await":
        sys.exit(wait(int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]), sys.argv[5], sys.argv[6:]))
    elif cmd == "ticks":
        print(sum(cpu_ticks(p) for p in sys.argv[2].split(",") if p and alive(p)) * 1000 // os.sysconf("SC_CLK_TCK"))
    elif cmd == "threads":
        import json
        json.dump(thread_ticks([p for p in sys.argv[2].split(",") if p]), sys.stdout)
    elif cmd == "threads-since":
        threads_since(sys.argv[2], [p for p in sys.argv[3].split(",") if p])
    elif cmd == "idle":
        idle(float(sys.argv[2]), sys.argv[3])
    else:
        sys.exit(__doc__)

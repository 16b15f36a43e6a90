#!/usr/bin/env python3
"""Side-by-side benchmark: mgmt for the JVM against Puppet, Ansible and CFEngine on the same
machine in the same run. Started by bench/peers/run.sh, which installs the peers and builds
our jars first; see docs/benchmarks.md, "Side by side with Puppet, Ansible and CFEngine".

Every measured run is a whole process, timed from its start to its exit, except "mgmt
(embedded)": one warm JVM (dev.mgmt.bench.PeerWorkloadServer) that runs a fresh engine per
measurement. Repetitions alternate the order of the tools (A B C, C B A, ...) so a drift in
the machine's speed falls on all of them alike. Each run is checked afterwards (every file's
content and mode), so a tool that fails cannot look fast.
"""

import argparse
import datetime
import json
import os
import platform
import random
import shutil
import subprocess
import sys
import time

import workloads as W

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
MGMT = os.path.join(REPO, "bin", "mgmt")
BENCH_JAR = os.path.join(REPO, "bench", "target", "benchmarks.jar")

PROCESS = "mgmt"
EMBEDDED = "mgmt (embedded)"
PUPPET, ANSIBLE, CFENGINE = "puppet apply", "ansible-playbook", "cf-agent"
# How often each peer runs by default when it runs as an agent: its drift repair waits that long.
INTERVALS = {
    PUPPET: (1800, "puppet agent's default runinterval, 30 min"),
    CFENGINE: (300, "cf-execd's default schedule, every 5 min"),
    ANSIBLE: (None, "no agent: as often as cron or an operator runs the playbook"),
}
RUN_TIMEOUT = 3600


def log(msg):
    print(f"[{datetime.datetime.now():%H:%M:%S}] {msg}", file=sys.stderr, flush=True)


class Tool:
    """A peer run as a whole process: `argv(policy)` and the policy text for each workload."""

    def __init__(self, name, ext, files, dag, argv, env=None, ok=(0,)):
        self.name, self.ext, self.files, self.dag = name, ext, files, dag
        self.argv, self.env, self.ok = argv, env or {}, ok

    def run(self, policy, logfile):
        env = dict(os.environ, **self.env)
        t0 = time.perf_counter()
        with open(logfile, "ab") as out:
            out.write(f"\n==== {' '.join(self.argv(policy))}\n".encode())
            out.flush()
            p = subprocess.run(self.argv(policy), stdout=out, stderr=subprocess.STDOUT, env=env,
                               timeout=RUN_TIMEOUT, cwd=os.path.dirname(policy))
        t = time.perf_counter() - t0
        if p.returncode not in self.ok:
            raise RuntimeError(f"{self.name} exited {p.returncode} on {policy}; see {logfile}")
        return t


def tools(work):
    return {
        PROCESS: Tool(PROCESS, "yaml", W.mgmt_files, W.mgmt_dag,
                      lambda f: [MGMT, "run", "--yaml", f, "--converged-timeout", "0"]),
        PUPPET: Tool(PUPPET, "pp", W.puppet_files, W.puppet_dag,
                     lambda f: ["puppet", "apply", "--color=false", "--detailed-exitcodes", f], ok=(0, 2)),
        ANSIBLE: Tool(ANSIBLE, "yml", W.ansible_files, W.ansible_dag,
                      lambda f: ["ansible-playbook", "-c", "local", "-i", "localhost,", f],
                      env={"ANSIBLE_NOCOLOR": "1", "ANSIBLE_RETRY_FILES_ENABLED": "0",
                           "ANSIBLE_PYTHON_INTERPRETER": "/usr/bin/python3",
                           "ANSIBLE_LOCALHOST_WARNING": "0", "ANSIBLE_LOCAL_TEMP": os.path.join(work, "ansible-tmp")}),
        CFENGINE: Tool(CFENGINE, "cf", W.cfengine_files, W.cfengine_dag,
                       lambda f: ["cf-agent", "--no-lock", "--inform", "-f", f]),
    }


class Embedded:
    """The warm JVM: one line per command on stdin, one answer line on stdout."""

    def __init__(self, logfile):
        self.log = open(logfile, "ab")
        self.p = subprocess.Popen(["java", "-Xms1g", "-Xmx2g", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                                   "--add-opens", "java.base/java.util.concurrent.atomic=ALL-UNNAMED",
                                   "-cp", BENCH_JAR, "dev.mgmt.bench.PeerWorkloadServer", MGMT],
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.log, text=True)
        self.expect("ready")

    def expect(self, what):
        line = self.p.stdout.readline().strip()
        if not line.startswith(what):
            raise RuntimeError(f"embedded engine said {line!r}; see {self.log.name}")
        return line[len(what):].split()

    def ask(self, *cmd):
        self.p.stdin.write(" ".join(cmd) + "\n")
        self.p.stdin.flush()
        return [float(x) for x in self.expect("ok")]

    def close(self):
        self.p.stdin.close()
        self.p.wait(timeout=120)


def verify(root, n):
    """Every file has its content and mode 0644."""
    _, files = W.tree(n)
    for i, p in files:
        path = os.path.join(root, p)
        with open(path, "rb") as f:
            if f.read() != W.content(i, n).encode():
                raise RuntimeError(f"{path}: wrong content after the run")
        if os.stat(path).st_mode & 0o7777 != 0o644:
            raise RuntimeError(f"{path}: mode {oct(os.stat(path).st_mode & 0o7777)} after the run")


def machine():
    def out(*cmd):
        try:
            return subprocess.run(cmd, capture_output=True, text=True, timeout=120).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            return "?"
    model = next((l.split(":", 1)[1].strip() for l in out("lscpu").splitlines() if l.startswith("Model name")), "?")
    mem = next((l.split()[1] for l in out("free", "-g").splitlines() if l.startswith("Mem:")), "?")
    java = subprocess.run(["java", "-version"], capture_output=True, text=True).stderr.splitlines()[0]
    return {
        "cpus": os.cpu_count(), "model": model, "memory_gib": mem, "kernel": platform.release(),
        "java": java, "puppet": out("puppet", "--version"),
        "ansible": out("ansible-playbook", "--version").splitlines()[0] if shutil.which("ansible-playbook") else "?",
        "cfengine": out("cf-agent", "--version"), "loadavg_before": open("/proc/loadavg").read().split()[:3],
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="100,1000,10000", help="N files, comma-separated")
    ap.add_argument("--reps", type=int, default=3, help="measured runs per tool and workload (median)")
    ap.add_argument("--tools", default=",".join([PROCESS, EMBEDDED, PUPPET, ANSIBLE, CFENGINE]))
    ap.add_argument("--max", default="ansible-playbook=1000,puppet apply=10000",
                    help="largest N per tool, e.g. 'ansible-playbook=100'")
    ap.add_argument("--ansible-reps", type=int, default=None,
                    help="runs for Ansible above 100 files (default: --reps); it takes minutes per run")
    ap.add_argument("--drift-writes", type=int, default=1000, help="outside writes per drift measurement of ours")
    ap.add_argument("--drift-warmup", type=int, default=200,
                    help="repairs before those, not counted (a running agent has compiled its repair path)")
    ap.add_argument("--dag", default="4x5", help="exec DAG width x depth")
    ap.add_argument("--work", default="/var/tmp/mgmt-peers", help="where the policies and managed trees go")
    ap.add_argument("--out", default=os.path.join(REPO, "bench", "target", "peers",
                                                  datetime.datetime.now().strftime("%Y%m%d-%H%M%S")))
    a = ap.parse_args()

    sizes = [int(x) for x in a.sizes.split(",")]
    names = [t.strip() for t in a.tools.split(",")]
    limits = {k.strip(): int(v) for k, v in (kv.split("=") for kv in a.max.split(",") if kv)}
    width, depth = (int(x) for x in a.dag.split("x"))
    os.makedirs(a.out, exist_ok=True)
    if os.path.exists(a.work):
        log(f"removing the last run's trees in {a.work}")
        shutil.rmtree(a.work, ignore_errors=True)
        # ext4 steers new inodes away from ones freed in the last seconds, at a cost per file.
        time.sleep(40)
    os.makedirs(os.path.join(a.work, "ansible-tmp"))
    all_tools = tools(a.work)
    peers = {n: all_tools[n] for n in names if n in all_tools}
    runlog = os.path.join(a.out, "runs.log")
    results = {"machine": machine(), "command": " ".join(sys.argv), "sizes": sizes, "reps": a.reps,
               "ansible_reps": a.ansible_reps,
               "dag": [width, depth], "intervals": {k: v for k, v in INTERVALS.items()},
               "first": {}, "idle": {}, "repair": {}, "drift": {}, "dag_runs": {}}
    log(f"machine: {json.dumps(results['machine'])}")
    embedded = Embedded(os.path.join(a.out, "embedded.log")) if EMBEDDED in names else None

    def slug(name):
        return {PROCESS: "mgmt", EMBEDDED: "mgmt-embedded"}.get(name, name.split()[0].split("-")[0])

    def root(name, n, tag):
        return os.path.join(a.work, "trees", slug(name), f"{n}-{tag}")

    def policy(name, kind, n, tag):
        """The tool's policy for a workload; each first run gets a tree of its own (see below)."""
        d = os.path.join(a.work, "policies", slug(name))
        os.makedirs(d, exist_ok=True)
        tool = all_tools[PROCESS if name == EMBEDDED else name]
        path = os.path.join(d, f"{kind}-{n}-{tag}.{tool.ext}")
        # The tree's parent exists for every tool (Puppet and mgmt create one level, not more).
        os.makedirs(os.path.dirname(root(name, n, tag)), exist_ok=True)
        if not os.path.exists(path):
            text = tool.files(n, root(name, n, tag)) if kind == "files" else tool.dag(width, depth)
            with open(path, "w") as f:
                f.write(text)
        return path

    def run(name, kind, n, tag="dag"):
        """One measured run of a tool (seconds)."""
        if name == EMBEDDED:
            converge_ms, _close_ms = embedded.ask("converge", policy(name, kind, n, tag))
            return converge_ms / 1000
        return peers[name].run(policy(name, kind, n, tag), runlog)

    def order(rep, names_at_n):
        return names_at_n if rep % 2 == 0 else list(reversed(names_at_n))

    def reps_for(name, n):
        return a.ansible_reps if (name == ANSIBLE and n > 100 and a.ansible_reps) else a.reps

    # One untimed run of each tool on the smallest workload: first-run set-up (Puppet's and
    # CFEngine's state directories, the page cache, our jar) is not what is measured.
    for name in names:
        log(f"warm-up: {name}")
        for w in range(4 if name == EMBEDDED else 1):
            run(name, "files", sizes[0], f"warm{w}")

    for n in sizes:
        at_n = [x for x in names if n <= limits.get(x, 1 << 30)]
        for phase in ("first", "idle"):
            for rep in range(a.reps):
                for name in order(rep, at_n):
                    if rep >= reps_for(name, n):
                        continue
                    # A first run writes a tree of its own: no tree is deleted while the clock
                    # runs, because ext4 then makes every new file skip the inodes freed in the
                    # last seconds, which costs more than the run itself at 10,000 files.
                    tag = f"r{rep}" if phase == "first" else f"r{reps_for(name, n) - 1}"
                    t = run(name, "files", n, tag)
                    verify(root(name, n, tag), n)
                    results[phase].setdefault(name, {}).setdefault(str(n), []).append(t)
                    log(f"{phase} N={n} {name}: {t:.3f} s")
        # Drift: the peers repair one changed file on their next run; time that run.
        for rep in range(a.reps):
            for name in order(rep, at_n):
                if name in (PROCESS, EMBEDDED) or rep >= reps_for(name, n):
                    continue
                tag = f"r{reps_for(name, n) - 1}"
                path = os.path.join(root(name, n, tag), W.tree(n)[1][random.randrange(n)][1])
                with open(path, "w") as f:
                    f.write("drifted\n")
                t = run(name, "files", n, tag)
                verify(root(name, n, tag), n)
                results["repair"].setdefault(name, {}).setdefault(str(n), []).append(t)
                log(f"repair run N={n} {name}: {t:.3f} s")
        # Ours: the engine keeps running and repairs on the event; time from the write.
        if embedded is not None:
            for name, cmd in ((EMBEDDED, "drift"), (PROCESS, "drift-process")):
                if name not in names:
                    continue
                tag = f"r{a.reps - 1}"
                p50, p90, p99, mx = embedded.ask(cmd, policy(name, "files", n, tag), root(name, n, tag),
                                                 str(a.drift_writes), str(a.drift_warmup))
                results["drift"].setdefault(name, {})[str(n)] = {"p50_us": p50, "p90_us": p90, "p99_us": p99,
                                                                 "max_us": mx, "writes": a.drift_writes,
                                                                 "warmup": a.drift_warmup}
                log(f"drift N={n} {name}: p50 {p50 / 1000:.2f} ms, p99 {p99 / 1000:.2f} ms, max {mx / 1000:.2f} ms")

    for rep in range(a.reps):
        for name in order(rep, names):
            t = run(name, "dag", 0)
            results["dag_runs"].setdefault(name, []).append(t)
            log(f"dag {width}x{depth} {name}: {t:.3f} s")

    if embedded is not None:
        embedded.close()
    results["machine"]["loadavg_after"] = open("/proc/loadavg").read().split()[:3]
    with open(os.path.join(a.out, "results.json"), "w") as f:
        json.dump(results, f, indent=1)
    import report
    report.write(results, a.out)
    log(f"results in {a.out}")


if __name__ == "__main__":
    try:
        main()
    except (RuntimeError, ValueError, subprocess.TimeoutExpired) as e:
        # A tool that failed or a bad argument: one line, not a traceback; the log has the rest.
        print(f"peers: {e}", file=sys.stderr)
        sys.exit(1)

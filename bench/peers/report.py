"""Tables (Markdown) and the plot (PNG through gnuplot) of a side-by-side run.

    python3 bench/peers/report.py bench/target/peers/<run>/results.json   # re-render a run
"""

import json
import os
import shutil
import statistics
import subprocess
import sys

PROCESS, EMBEDDED = "mgmt", "mgmt (embedded)"
ORDER = [PROCESS, EMBEDDED, "puppet apply", "ansible-playbook", "cf-agent"]


def med(xs):
    return statistics.median(xs) if xs else None


def secs(t):
    if t is None:
        return "—"
    if t < 1:
        return f"{t * 1000:.0f} ms"
    return f"{t:.2f} s" if t < 10 else f"{t:.1f} s"


def ratio(a, b):
    if a is None or b is None or b == 0:
        return ""
    r = a / b
    return f"{r:.0f}×" if r >= 10 else f"{r:.1f}×"


def tools_in(results):
    seen = set(results["first"]) | set(results["dag_runs"])
    return [t for t in ORDER if t in seen]


def files_table(results, phase):
    tools = tools_in(results)
    out = ["| N | " + " | ".join(tools) + " |", "|---:|" + "---:|" * len(tools)]
    for n in results["sizes"]:
        n = str(n)
        ours = med(results[phase].get(PROCESS, {}).get(n, []))
        warm = med(results[phase].get(EMBEDDED, {}).get(n, []))
        cells = []
        for t in tools:
            m = med(results[phase].get(t, {}).get(n, []))
            if m is None:
                cells.append("not run")
            elif t in (PROCESS, EMBEDDED):
                cells.append(f"**{secs(m)}**")
            else:
                rs = [r for r in (ratio(m, ours), ratio(m, warm)) if r]
                cells.append(f"{secs(m)} ({' / '.join(rs)})" if rs else secs(m))
        out.append(f"| {int(n):,} | " + " | ".join(cells) + " |")
    return "\n".join(out)


def repair_table(results):
    out = ["| N | tool | until a changed file is correct again |", "|---:|---|---|"]
    for n in results["sizes"]:
        n = str(n)
        for t in tools_in(results):
            if t in results["drift"] and n in results["drift"][t]:
                d = results["drift"][t][n]
                out.append(f"| {int(n):,} | {t} | **p50 {d['p50_us'] / 1000:.2f} ms, p99 {d['p99_us'] / 1000:.2f} ms**, "
                           f"max {d['max_us'] / 1000:.1f} ms ({d['writes']} writes after {d.get('warmup', 0)} not counted, "
                           f"measured from the write) |")
            elif t in results["repair"] and n in results["repair"][t]:
                interval, why = results["intervals"][t]
                run = med(results["repair"][t][n])
                wait = f"{interval // 60} min" if interval else "next run"
                out.append(f"| {int(n):,} | {t} | up to {wait} + {secs(run)} run ({why}) |")
    return "\n".join(out)


def dag_table(results):
    w, d = results["dag"]
    critical = d * 0.2
    out = [f"| tool | wall time, median | ÷ critical path ({critical:.1f} s) | ÷ ours (whole process) |",
           "|---|---:|---:|---:|"]
    ours = med(results["dag_runs"].get(PROCESS, []))
    for t in tools_in(results):
        m = med(results["dag_runs"].get(t, []))
        if m is not None:
            out.append(f"| {t} | {secs(m)} | {m / critical:.2f} | {ratio(m, ours) if t != PROCESS else '1'} |")
    return "\n".join(out)


def markdown(results):
    m = results["machine"]
    w, d = results["dag"]
    return "\n\n".join([
        f"Machine: {m['cpus']} cores ({m['model']}), {m['memory_gib']} GiB, Linux {m['kernel']}; {m['java']}; "
        f"Puppet {m['puppet']}, {m['ansible']}, {m['cfengine'].splitlines()[0] if m['cfengine'] else '?'}. "
        f"Load average {' '.join(m['loadavg_before'])} before, {' '.join(m.get('loadavg_after', ['?']))} after.",
        f"Command: `{results['command']}`; median of {results['reps']} runs per cell"
        + (f" ({results['ansible_reps']} for Ansible above 100 files)" if results.get("ansible_reps") else "") + ".",
        "**First run** (N files with content and mode, from nothing). Peers: median, then "
        "(× ours as a whole process / × ours embedded).\n\n" + files_table(results, "first"),
        "**Idle re-run** (nothing changed).\n\n" + files_table(results, "idle"),
        "**Drift repair** (one file changed from outside).\n\n" + repair_table(results),
        f"**Exec DAG** (width {w}, depth {d}, `sleep 0.2` each).\n\n" + dag_table(results),
    ]) + "\n"


def plot(results, out):
    gnuplot = shutil.which("gnuplot")
    if not gnuplot:
        print("gnuplot not installed: no plot", file=sys.stderr)
        return None
    tools = [t for t in tools_in(results) if t in results["first"]]
    for i, t in enumerate(tools):
        with open(os.path.join(out, f"plot-{i}.dat"), "w") as f:
            for n in results["sizes"]:
                a, b = med(results["first"][t].get(str(n), [])), med(results["idle"].get(t, {}).get(str(n), []))
                if a is not None:
                    f.write(f"{n} {a} {b if b is not None else 'NaN'}\n")
    png = os.path.join(out, "peers.png")
    few = f"; Ansible above 100 files: {results['ansible_reps']}" if results.get("ansible_reps") else ""
    lines = lambda col: ", ".join(f"'{out}/plot-{i}.dat' using 1:{col} with linespoints lw 2 title '{t}'"
                                  for i, t in enumerate(tools))
    script = f"""
set terminal pngcairo size 1200,500 font ',11'
set output '{png}'
set multiplot layout 1,2 title 'Time against N files, median of {results["reps"]} runs{few} (lower is better; log scales)'
set logscale xy
set xlabel 'N files'
set ylabel 'seconds'
set grid
set key top left
set xrange [70:14000]
set title 'First run (from nothing)'
plot {lines(2)}
set title 'Idle re-run (nothing changed)'
plot {lines(3)}
unset multiplot
"""
    subprocess.run([gnuplot], input=script, text=True, check=True)
    return png


def write(results, out):
    md = markdown(results)
    with open(os.path.join(out, "table.md"), "w") as f:
        f.write(md)
    print(md)
    png = plot(results, out)
    if png:
        print(f"plot: {png}")


if __name__ == "__main__":
    path = sys.argv[1]
    with open(path) as f:
        write(json.load(f), os.path.dirname(os.path.abspath(path)))

"""The same workloads written for each tool: mgmt's YAML, a Puppet manifest, an Ansible
playbook and a CFEngine policy.

Files: N files in a tree of directories of 100 files each (d000/f00000.txt ...), each with
one line of content and mode 0644, under a root of the tool's own. Exec DAG: WIDTH x DEPTH
commands `sleep 0.2`, where every command of a layer depends on every command of the layer
before (critical path DEPTH x 0.2 s, sum WIDTH x DEPTH x 0.2 s). The commands differ only in
an environment variable because Puppet and CFEngine identify an exec by its command line.
"""

import json

FILES_PER_DIR = 100
SLEEP = 0.2


def content(i, n):
    return f"file {i} of {n}, managed by the side-by-side benchmark\n"


def tree(n):
    """(directories, [(index, relative path)]) of the N-file workload."""
    dirs = [f"d{d:03d}" for d in range((n + FILES_PER_DIR - 1) // FILES_PER_DIR)]
    files = [(i, f"d{i // FILES_PER_DIR:03d}/f{i:05d}.txt") for i in range(n)]
    return dirs, files


def dag(width, depth):
    """[(layer, index, command)] in layer order."""
    return [(l, w, f"/usr/bin/env BENCH_STEP={l}.{w} /bin/sleep {SLEEP}")
            for l in range(depth) for w in range(width)]


def q(s):
    """A double-quoted string valid in YAML, Puppet and CFEngine (no $, @ or backslashes in ours)."""
    return json.dumps(s)


# ---- mgmt ----

def mgmt_files(n, root):
    dirs, files = tree(n)
    out = [f"graph: files-{n}", f"comment: {n} files with content and mode", "resources:", "  file:"]
    out += [f"  - name: {root}/\n    path: {root}/\n    state: exists"]
    out += [f"  - name: {root}/{d}/\n    path: {root}/{d}/\n    state: exists" for d in dirs]
    out += [f"  - name: {root}/{p}\n    path: {root}/{p}\n    content: {q(content(i, n))}\n"
            f"    mode: \"0644\"\n    state: exists" for i, p in files]
    # Parent directories come first through autoedges, as in mgmt.
    return "\n".join(out) + "\n"


def mgmt_dag(width, depth):
    steps = dag(width, depth)
    out = [f"graph: dag-{width}x{depth}", "comment: sleep 0.2 in layers", "resources:", "  exec:"]
    out += [f"  - name: s{l}.{w}\n    cmd: {cmd}" for l, w, cmd in steps]
    out += ["edges:"]
    for l, w, _ in steps:
        if l == 0:
            continue
        for p in range(width):
            out += [f"- name: s{l - 1}.{p}-s{l}.{w}\n  from: {{kind: exec, name: s{l - 1}.{p}}}\n"
                    f"  to: {{kind: exec, name: s{l}.{w}}}"]
    return "\n".join(out) + "\n"


# ---- Puppet (puppet apply) ----

def puppet_files(n, root):
    dirs, files = tree(n)
    out = [f"file {{ {q(root)}: ensure => directory }}"]
    out += [f"file {{ {q(root + '/' + d)}: ensure => directory }}" for d in dirs]
    # Puppet autorequires a file's parent directory.
    out += [f"file {{ {q(root + '/' + p)}: ensure => file, mode => '0644', content => {q(content(i, n))} }}"
            for i, p in files]
    return "\n".join(out) + "\n"


def puppet_dag(width, depth):
    out = []
    for l, w, cmd in dag(width, depth):
        req = "" if l == 0 else ", require => [" + ", ".join(
            f"Exec['s{l - 1}.{p}']" for p in range(width)) + "]"
        out.append(f"exec {{ 's{l}.{w}': command => {q(cmd)}{req} }}")
    return "\n".join(out) + "\n"


# ---- Ansible (ansible-playbook -c local -i localhost,) ----

def ansible_files(n, root):
    dirs, files = tree(n)
    play = [{
        "hosts": "localhost",
        "gather_facts": False,
        "tasks": [
            {"name": "directories", "ansible.builtin.file": {"path": "{{ item }}", "state": "directory"},
             "loop": [root] + [f"{root}/{d}" for d in dirs]},
            {"name": "files",
             "ansible.builtin.copy": {"dest": "{{ item.dest }}", "content": "{{ item.content }}", "mode": "0644"},
             "loop": [{"dest": f"{root}/{p}", "content": content(i, n)} for i, p in files]},
        ],
    }]
    # JSON is YAML; a playbook this size is written fastest this way.
    return json.dumps(play, indent=1) + "\n"


def ansible_dag(width, depth):
    tasks = [{"name": f"s{l}.{w}", "ansible.builtin.command": cmd} for l, w, cmd in dag(width, depth)]
    return json.dumps([{"hosts": "localhost", "gather_facts": False, "tasks": tasks}], indent=1) + "\n"


# ---- CFEngine (cf-agent -K -f) ----

CF_HEAD = """body common control
{
  bundlesequence => { "main" };
}

body perms bench_mode
{
  mode => "0644";
}

bundle agent main
{
"""


def cfengine_files(n, root):
    dirs, files = tree(n)
    out = [CF_HEAD, "  files:"]
    out += [f"    {q(root + '/.')} create => \"true\";"]
    out += [f"    {q(root + '/' + d + '/.')} create => \"true\";" for d in dirs]
    # CFEngine's content attribute is the whole file; $(const.n) is its newline.
    out += [f"    {q(root + '/' + p)} create => \"true\", perms => bench_mode, "
            f"content => {q(content(i, n).rstrip(chr(10)) + '$(const.n)')};" for i, p in files]
    out += ["}"]
    return "\n".join(out) + "\n"


def cfengine_dag(width, depth):
    out = [CF_HEAD, "  commands:"]
    # cf-agent runs the promises of a bundle in order, one at a time.
    out += [f"    {q(cmd)};" for _, _, cmd in dag(width, depth)]
    out += ["}"]
    return "\n".join(out) + "\n"

#!/usr/bin/env python3
"""Runs a benchmark command and records how much CPU *other* processes used while it ran.

usage: python3 bench/run_monitored.py LOG_PREFIX -- COMMAND...

The machine these figures come from is shared, so a JMH score alone cannot say whether it was
measured on idle cores. This writes
  LOG_PREFIX.log       the command's output, each line prefixed with seconds since the start
  LOG_PREFIX.load.tsv  once a second: seconds, CPU used by other processes (% of one core), the busiest
and prints, per benchmark and parameter set, the mean and max foreign CPU during its measurement
iterations (warmup excluded). Foreign CPU = CPU time of every process outside the command's process
tree (from /proc/<pid>/stat), so JMH's own forks are never counted.
"""
import os
import subprocess
import sys
import threading
import time

HZ = os.sysconf("SC_CLK_TCK")


def procs():
    out = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat") as f:
                s = f.read()
            r = s.rindex(")")
            comm = s[s.index("(") + 1:r]
            fields = s[r + 2:].split()
            ppid, ticks, start = int(fields[1]), int(fields[11]) + int(fields[12]), int(fields[19])
            out[int(d)] = (ppid, ticks, comm, start)
        except (OSError, ValueError, IndexError):
            pass
    return out


def tree(ps, root):
    mine, changed = {root, os.getpid()}, True
    while changed:
        changed = False
        for pid, (ppid, *_rest) in ps.items():
            if ppid in mine and pid not in mine:
                mine.add(pid)
                changed = True
    return mine


def monitor(root, t0, path, stop):
    prev = {}
    with open(path, "w") as f:
        f.write("t_s\tforeign_cpu_pct\tbusiest\n")
        last, first = time.time(), True
        while not stop.is_set():
            time.sleep(1.0)
            now = time.time()
            ps = procs()
            mine = tree(ps, root)
            foreign, busiest = 0, (0, "")
            for pid, (ppid, ticks, comm, start) in ps.items():
                key = (pid, start)
                old = prev.get(key)
                prev[key] = ticks
                if pid in mine:
                    continue
                # a process first seen now started during the interval: all its CPU time falls in it
                d = ticks - old if old is not None else (ticks if not first else 0)
                if d > 0:
                    foreign += d
                    busiest = max(busiest, (d, comm))
            first = False
            pct = 100.0 * foreign / HZ / (now - last)
            last = now
            f.write(f"{now - t0:.1f}\t{pct:.0f}\t{busiest[1]}\n")
            f.flush()


def main():
    prefix, cmd = sys.argv[1], sys.argv[sys.argv.index("--") + 1:]
    t0 = time.time()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1)
    stop = threading.Event()
    th = threading.Thread(target=monitor, args=(p.pid, t0, prefix + ".load.tsv", stop), daemon=True)
    th.start()
    lines = []
    with open(prefix + ".log", "w") as log:
        for line in p.stdout:
            t = time.time() - t0
            lines.append((t, line.rstrip("\n")))
            log.write(f"{t:9.1f} {line}")
            log.flush()
    rc = p.wait()
    stop.set()
    th.join()
    summarize(lines, prefix + ".load.tsv")
    sys.exit(rc)


def summarize(lines, load_path):
    load = []
    with open(load_path) as f:
        next(f)
        for row in f:
            t, pct, _ = row.rstrip("\n").split("\t")
            load.append((float(t), float(pct)))
    # measurement windows: from the line before "Iteration   1:" to the last "Iteration   k:" of each benchmark
    windows, name, params, start, end = [], None, "", None, None
    prev_t = 0.0
    for t, line in lines:
        if line.startswith("# Benchmark:"):
            if name and start is not None:
                windows.append((name, params, start, end))
            name, params, start, end = line.split(":", 1)[1].strip().rsplit(".", 2)[-2:], "", None, None
        elif line.startswith("# Parameters:"):
            params = line.split(":", 1)[1].strip()
        elif line.startswith("Iteration"):
            if start is None:
                start = prev_t
            end = t
        prev_t = t
    if name and start is not None:
        windows.append((name, params, start, end))
    print("\nforeign CPU during measurement iterations (% of one core; 2 cores = 200%):")
    for n, params, s, e in windows:
        xs = [p for t, p in load if s <= t <= e + 1]
        if xs:
            print(f"  {'.'.join(n):45s} {params:30s} mean {sum(xs) / len(xs):5.0f}%  max {max(xs):4.0f}%")


if __name__ == "__main__":
    main()

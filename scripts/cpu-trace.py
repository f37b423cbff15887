#!/usr/bin/env python3
"""How many cores a command keeps busy, every tenth of a second.

Usage (from the repository root):

    python3 scripts/cpu-trace.py target/release/verbatim build --quiet \
        --root target/bench/corpus-10000/plain --output /dev/shm/trace

Runs the command and, until it ends, reads its CPU time (user + system, from
/proc/PID/stat) every 100 ms; prints each interval as `seconds:cores`, then
the intervals below 1.5 cores, which are where one core waited. Threads'
time counts toward the process, so 2.0 is both cores of this machine.
Linux only; Python 3 standard library only.
"""

import os
import subprocess
import sys
import time

INTERVAL = 0.1


def cpu_seconds(pid: int) -> float | None:
    """The process's user + system time so far, or None once it is gone."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            # The fields after the command name, which is in parentheses.
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main() -> None:
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    child = subprocess.Popen(sys.argv[1:])
    start = last_time = time.monotonic()
    last_cpu = 0.0
    trace = []
    while child.poll() is None:
        time.sleep(INTERVAL)
        cpu = cpu_seconds(child.pid)
        if cpu is None:
            break
        now = time.monotonic()
        trace.append((now - start, (cpu - last_cpu) / (now - last_time)))
        last_cpu, last_time = cpu, now
    child.wait()
    print(" ".join(f"{t:.1f}:{cores:.1f}" for t, cores in trace))
    idle = [f"{t:.1f}:{cores:.1f}" for t, cores in trace if cores < 1.5]
    print("below 1.5 cores:", " ".join(idle) if idle else "none")
    sys.exit(child.returncode)


if __name__ == "__main__":
    main()

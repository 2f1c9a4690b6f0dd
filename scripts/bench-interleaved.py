#!/usr/bin/env python3
"""Benchmark, not a test (docs/performance.md): the offline audit of bench-offline.sh, run by
two or more smbaudit binaries in turn, RUNS rounds, so that the machine's drift from minute
to minute falls on all of them alike (hyperfine runs one command's runs, then the next's).

  scripts/bench-interleaved.py SYSTEM_HIVE RUNS BINARY [BINARY...]

Prints each binary's median, mean and quartiles in milliseconds."""
import os
import statistics
import subprocess
import sys
import time

if len(sys.argv) < 4:
    sys.exit(__doc__)
system, runs, binaries = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
software = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..",
                        "examples/golden-image/Windows/System32/config/SOFTWARE")


def audit(binary):
    start = time.perf_counter()
    subprocess.run([binary, "audit", "--profile", "strict", "--system", system, "--software", software,
                    "--format", "json"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


for binary in binaries:  # warm-up: page cache, dynamic loader
    for _ in range(5):
        audit(binary)
times = {binary: [] for binary in binaries}
for _ in range(runs):
    for binary in binaries:
        times[binary].append(audit(binary))
for binary, t in times.items():
    q = statistics.quantiles(t, n=4)
    print("%-40s median %6.2f ms  mean %6.2f  p25 %6.2f  p75 %6.2f" %
          (binary, statistics.median(t) * 1e3, statistics.mean(t) * 1e3, q[0] * 1e3, q[2] * 1e3))

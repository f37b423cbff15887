#!/bin/bash
# Two verbatim binaries built against each other on one site, alternating,
# so that both see the same moments of a noisy machine; prints the median
# wall time, CPU time (user + system) and peak memory of each.
#
#   scripts/pair.sh OLD_BINARY NEW_BINARY SITE_DIR [PAIRS]   (default 8 pairs)
#
# Each build writes to a fresh /dev/shm/verbatim-pair (removed before, not
# timed). Used for the "N alternating pairs: X s -> Y s" figures in
# docs/performance.md.
set -euo pipefail
a=$1; b=$2; site=$3; n=${4:-8}
out=/dev/shm/verbatim-pair
for _ in $(seq "$n"); do
  for x in A B; do
    bin=$a; [ "$x" = B ] && bin=$b
    rm -rf "$out"
    /usr/bin/time -f "$x %e %U %S %M" "$bin" build --quiet --root "$site" --output "$out" 2>&1 | grep -E "^$x "
  done
done | python3 -c '
import sys, statistics as s
runs = {}
for line in sys.stdin:
    x, wall, user, system, kib = line.split()
    runs.setdefault(x, []).append((float(wall), float(user) + float(system), int(kib) / 1024))
for x, v in sorted(runs.items()):
    print(x, "wall %.3f s, cpu %.3f s, peak %d MiB (median of %d)" % (
        s.median(r[0] for r in v), s.median(r[1] for r in v), s.median(r[2] for r in v), len(v)))
'
rm -rf "$out"

#!/bin/bash
# Two verbatim binaries built against each other on one site, alternating
# which goes first, so that both see the same moments of a noisy machine; prints the median
# wall time, CPU time (user + system) and peak memory of each.
#
#   scripts/pair.sh OLD_BINARY NEW_BINARY SITE_DIR [PAIRS]   (default 8 pairs)
#
# Each build writes to a fresh /dev/shm/verbatim-pair (removed before, not
# timed). Used for the "N alternating pairs: X s -> Y s" figures in
# docs/performance.md.
set -euo pipefail
site=$3; n=${4:-8}
out=/dev/shm/verbatim-pair
# Both binaries run from fresh copies. The same binary ran 5 to 10% faster
# from a copy made minutes before than from one made an hour before (the
# state of its file in the page cache: 29 November, docs/performance.md),
# which is as large as most changes measured here.
bins=$(mktemp -d)
trap 'rm -rf "$bins"' EXIT
cp "$1" "$bins/a"; cp "$2" "$bins/b"
a=$bins/a; b=$bins/b
# The order goes A B, B A, A B, ...: whatever running first or second does
# falls on both alike.
for i in $(seq "$n"); do
  order="A B"
  [ $((i % 2)) = 0 ] && order="B A"
  for x in $order; do
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

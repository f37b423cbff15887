#!/bin/bash
# What `verbatim serve` itself says a rebuild takes: starts the server on a
# site, appends a line to one transcript six times, 8 s apart, restores the
# file, and prints the server's "rebuilt" lines (the whole-site build, then
# one per save, the restore last). Used for the serve figures in
# docs/performance.md, beside scripts/serve-latency.py (save -> reload as
# a browser sees it).
#
#   scripts/serve-log.sh BINARY SITE_DIR [TRANSCRIPT]   (default transcript-00038)
set -euo pipefail
bin=$1; site=$2; name=${3:-transcript-00038}
file=$site/content/$name.md
backup=$(mktemp)
log=$(mktemp)
cp "$file" "$backup"
"$bin" serve --port 0 --root "$site" > "$log" 2>&1 &
server=$!
restore() { cp "$backup" "$file"; kill "$server" 2>/dev/null || true; rm -f "$backup"; }
trap restore EXIT
# Wait for the whole-site build.
until grep -q 'rebuilt the whole site\|error' "$log"; do sleep 1; done
sleep 5
for i in 1 2 3 4 5 6; do
  printf '\nQ: latency probe %s?\n' "$i" >> "$file"
  sleep 8
done
cp "$backup" "$file"
sleep 6
grep -i 'rebuilt' "$log"
rm -f "$log"

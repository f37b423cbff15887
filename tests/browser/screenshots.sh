#!/usr/bin/env bash
# Rebuilds docs/screenshots/*.png from the repository's own site.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
(cd "$repo" && cargo build --quiet)
[ -d "$here/node_modules/playwright-core" ] || (cd "$here" && npm ci --no-audit --no-fund)
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$repo/target/debug/verbatim" build --quiet --root "$repo" --output "$work/site"
node "$here/screenshots.mjs" "$work/site" "$repo/docs/screenshots"

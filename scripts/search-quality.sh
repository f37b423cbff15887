#!/bin/bash
# Recall and precision of verbatim's search against Pagefind 1.5 on the same
# pages: the repository's interviews and the languages fixture's (English,
# German, Chinese, Arabic) in one site, the queries and their hand-written
# truth in scripts/search-queries.json. Prints the tables of docs/search.md.
#
#   scripts/search-quality.sh [PAGEFIND_BINARY]
#
# Without an argument, Pagefind is the one scripts/bench.py installs
# (pagefind-bin-extended 1.5.2 from PyPI, under target/bench/). Needs the
# browser suite's packages (cd tests/browser && npm ci).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
pagefind=${1:-$(find "$repo/target/bench/hugo-venv" -name pagefind_extended -type f 2>/dev/null | head -1)}
if [ -z "$pagefind" ]; then
  python3 -m venv "$repo/target/bench/hugo-venv"
  "$repo/target/bench/hugo-venv/bin/pip" install -q pagefind-bin-extended==1.5.2
  pagefind=$(find "$repo/target/bench/hugo-venv" -name pagefind_extended -type f | head -1)
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/site/content"
cp "$repo"/content/*.md "$repo"/tests/fixtures/languages/content/*.md "$work/site/content/"
printf 'title = "Search quality"\nbase_url = "https://example.org/"\nsearch = true\n' > "$work/site/site.toml"
(cd "$repo" && cargo build --release --quiet)
"$repo/target/release/verbatim" build --quiet --root "$work/site" --output "$work/verbatim"
# Pagefind indexes the spoken words only, as verbatim does: each exchange of
# a section page is a part of its body.
cp -r "$work/verbatim" "$work/pagefind"
find "$work/pagefind" -path '*/*/*/index.html' -print0 | xargs -0 sed -i 's/<section class="exchange"/<section data-pagefind-body class="exchange"/g'
"$pagefind" --site "$work/pagefind" --silent
node "$repo/tests/browser/search-quality.mjs" "$work/verbatim" "$work/pagefind" "$repo/scripts/search-queries.json"

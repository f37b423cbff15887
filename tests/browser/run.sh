#!/usr/bin/env bash
# Builds fixture sites with verbatim and checks them in Debian's headless
# Chromium (node's test runner): Nu HTML checker, axe-core, end-to-end,
# links under a subpath and from disk, and the hostile fixtures
# (tests/hostile/) with every dialog hooked. Needs: chromium, java (for vnu),
# node, sox, and `npm ci` in this folder (.ci/run does all of that).
#
#   tests/browser/run.sh                      # all checks, with a debug build
#   tests/browser/run.sh e2e.test.mjs         # one file
#   VERBATIM=target/release/verbatim tests/browser/run.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"

# The binary to test: $VERBATIM (cargo test passes the one it built), else
# a fresh debug build, never a stale one.
bin="${VERBATIM:-}"
if [ -z "$bin" ]; then
  (cd "$repo" && cargo build --quiet)
  bin="$repo/target/debug/verbatim"
fi
if [ ! -d "$here/node_modules/playwright-core" ]; then
  (cd "$here" && npm ci --no-audit --no-fund)
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# The fixture: the repository's own site, plus three synthetic transcripts
# from the shared benchmark generator when it is there (several transcripts,
# speakers and tags for the search filters).
mkdir -p "$work/root/content"
cp "$repo/site.toml" "$work/root/"
cp -R "$repo/content/." "$work/root/content/"
gen="$repo/../shared/bench/gen_corpus.py"
if [ -f "$gen" ]; then
  python3 "$gen" --n 3 --out "$work/gen" --layouts plain > /dev/null
  cp "$work/gen/plain/content/"*.md "$work/root/content/"
fi

"$bin" build --quiet --root "$work/root" --output "$work/site" --base-url http://127.0.0.1/
"$bin" build --quiet --root "$work/root" --output "$work/subpath" --base-url https://example.org/interviews/
# The hostile fixtures as they are (hostile.test.mjs); a build that fails
# fails the suite.
"$bin" build --quiet --root "$repo/tests/hostile" --output "$work/hostile"

# The recorded fixture (media.test.mjs): a two-minute tone as its recording,
# made here by sox, served by `verbatim serve` and by a static server.
cp -R "$repo/tests/fixtures/recorded" "$work/recorded"
mkdir -p "$work/recorded/static"
sox -n -r 8000 -c 1 "$work/recorded/static/tone.wav" synth 120 sine 440 vol 0.1
"$bin" build --quiet --root "$work/recorded" --output "$work/recorded-site"
export VERBATIM_RECORDED_ROOT="$work/recorded" VERBATIM_RECORDED_SITE="$work/recorded-site" VERBATIM_BIN="$bin"

# The languages fixture: a German site with German, Chinese and Arabic
# test interviews (every judge, in each language; the right-to-left layout).
"$bin" build --quiet --root "$repo/tests/fixtures/languages" --output "$work/languages"
export VERBATIM_LANGUAGES_SITE="$work/languages"

export VERBATIM_SITE="$work/site" VERBATIM_SUBPATH_SITE="$work/subpath" VERBATIM_HOSTILE_SITE="$work/hostile"
cd "$here"
if [ "$#" -eq 0 ]; then set -- ./*.test.mjs; fi
# The timeout guards against a hang, per test file: the hostile suite opens
# about 50 pages and takes 1 to 2 minutes on a busy two-core machine.
node --test --test-concurrency=1 --test-timeout=600000 "$@"

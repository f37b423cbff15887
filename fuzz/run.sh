#!/usr/bin/env bash
# Runs one fuzz target for a while: fuzz/run.sh TARGET [SECONDS [FLAG...]]
# FLAGs go to libFuzzer after the defaults (e.g. -fork=1 -ignore_crashes=1 to
# keep going after a crash and collect the others).
# Seeds come from ../shared/corpus and ../shared/corpus-next, content/,
# tests/bad-inputs/, tests/hostile/ and site.toml, copied at run time into
# fuzz/corpus/TARGET (gitignored: corpus text is never committed). For the
# TOML targets (site_toml, sidecar) the front matter of each Markdown seed is
# a seed too.
# The log (build, libFuzzer's progress and final stats) goes to
# fuzz/fuzz-TARGET.log as well as to the terminal, so runs of different
# targets never write over each other's log.
# Needs cargo-fuzz (`cargo install cargo-fuzz`); the stable toolchain is made
# to accept cargo-fuzz's nightly flags with RUSTC_BOOTSTRAP=1.
set -euo pipefail
cd "$(dirname "$0")"
target=${1:?usage: fuzz/run.sh TARGET [SECONDS [FLAG...]]}
seconds=${2:-600}
shift $(($# < 2 ? $# : 2))
corpus=corpus/$target
log=fuzz-$target.log
mkdir -p "$corpus"
for dir in ../../shared/corpus ../../shared/corpus-next ../content ../tests/bad-inputs ../tests/hostile ../site.toml; do
    [ -e "$dir" ] || continue
    find "$dir" -type f -size -256k ! -name SOURCES.md ! -name EXPECTED.tsv -print0 |
        while IFS= read -r -d '' f; do
            cp "$f" "$corpus/seed-$(cksum < "$f" | cut -d' ' -f1)"
            case "$target:$f" in
            site_toml:*.md | sidecar:*.md)
                # The TOML between the `+++` lines.
                fm=$(awk 'NR == 1 && $0 != "+++" { exit } NR > 1 && $0 == "+++" { exit } NR > 1 { print }' "$f")
                if [ -n "$fm" ]; then
                    printf '%s\n' "$fm" > "$corpus/seed-fm-$(printf '%s\n' "$fm" | cksum | cut -d' ' -f1)"
                fi
                ;;
            esac
        done
done
export RUSTC_BOOTSTRAP=1
# One process (the machine is shared); libFuzzer's own limits catch hangs
# (-timeout, seconds per input) and runaway memory (-rss_limit_mb). Crashes
# go to artifacts/TARGET/ (cargo-fuzz's -artifact_prefix).
cargo fuzz run -s none "$target" "$corpus" -- \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -max_len=65536 -print_final_stats=1 "$@" 2>&1 | tee "$log"

#!/usr/bin/env bash
# Runs one fuzz target for a while: fuzz/run.sh TARGET [SECONDS]
# Seeds come from ../shared/corpus, content/ and tests/bad-inputs/, copied at
# run time into fuzz/corpus/TARGET (gitignored: corpus text is never committed).
# Needs cargo-fuzz (`cargo install cargo-fuzz`); the stable toolchain is made
# to accept cargo-fuzz's nightly flags with RUSTC_BOOTSTRAP=1.
set -euo pipefail
cd "$(dirname "$0")"
target=${1:?usage: fuzz/run.sh TARGET [SECONDS]}
seconds=${2:-600}
corpus=corpus/$target
mkdir -p "$corpus"
for dir in ../../shared/corpus ../content ../tests/bad-inputs; do
    [ -d "$dir" ] || continue
    find "$dir" -type f -size -256k ! -name SOURCES.md -print0 |
        while IFS= read -r -d '' f; do
            cp "$f" "$corpus/seed-$(cksum < "$f" | cut -d' ' -f1)"
        done
done
export RUSTC_BOOTSTRAP=1
# One process (the machine is shared); libFuzzer's own limits catch hangs
# (-timeout, seconds per input) and runaway memory (-rss_limit_mb).
exec cargo fuzz run -s none "$target" "$corpus" -- \
    -max_total_time="$seconds" -jobs=1 -workers=1 -timeout=10 -rss_limit_mb=2048 \
    -max_len=65536 -print_final_stats=1

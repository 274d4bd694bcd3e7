#!/usr/bin/env bash
# Fuzzes the table decoder (cargo-fuzz, libFuzzer) seeded with the real packed tables.
#   scripts/fuzz.sh [SECONDS]      (default 600 per phase; needs the nightly toolchain)
# Installs cargo-fuzz if absent, then fuzzes in two phases of SECONDS each:
# 1. small inputs (at most 64 KiB): the first 8 and 64 KiB of each packed table and the
#    committed corpus (fuzz/corpus/decode_table) -- hundreds of runs a second, the header,
#    schema and column-framing paths;
# 2. whole tables (tables/*.mfnt, up to 4 MiB) -- a few runs a second, but the only inputs
#    that decode completely, so re-encoding and partial decoding are exercised too.
# Then keeps a minimal set of the smallest inputs (at most 4 KiB each) as the committed
# corpus. A crash stops with the input saved under fuzz/artifacts/ and a non-zero status.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_TO_RUN="${1:-600}"

log() { printf '\033[1m[fuzz]\033[0m %s\n' "$*"; }

rustup toolchain list | grep -q '^nightly' || rustup toolchain install nightly --profile minimal
if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
  log "installing cargo-fuzz"
  cargo +nightly install cargo-fuzz --locked
fi
if ! ls tables/*.mfnt >/dev/null 2>&1; then
  log "no packed tables in tables/: packing them (needs the shared data, MFNAS_DATA)"
  cargo run --release --quiet -- pack --out tables
fi

committed=fuzz/corpus/decode_table
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$committed" "$scratch/small" "$scratch/whole"
for t in tables/*.mfnt; do
  head -c 8192 "$t" >"$scratch/small/$(basename "$t").8k"
  head -c 65536 "$t" >"$scratch/small/$(basename "$t").64k"
done
cp "$committed"/* "$scratch/small"/ 2>/dev/null || true
cp tables/*.mfnt "$scratch/whole"/

log "phase 1: small inputs for ${SECONDS_TO_RUN}s from $(ls "$scratch/small" | wc -l) seeds"
cargo +nightly fuzz run decode_table "$scratch/small" -- \
  -max_total_time="$SECONDS_TO_RUN" -rss_limit_mb=4096 -max_len=65536 -timeout=30
log "phase 2: whole tables for ${SECONDS_TO_RUN}s from $(ls "$scratch/whole" | wc -l) seeds"
cargo +nightly fuzz run decode_table "$scratch/whole" -- \
  -max_total_time="$SECONDS_TO_RUN" -rss_limit_mb=4096 -max_len=4194304 -timeout=30

log "keeping a minimal set of the small inputs in $committed"
small=$(mktemp -d)
find "$scratch" -type f -size -5k -exec cp {} "$small"/ \;
cargo +nightly fuzz cmin decode_table "$small" -- -rss_limit_mb=4096 >/dev/null 2>&1
rm -f "$committed"/*
cp "$small"/* "$committed"/ 2>/dev/null || true
rm -rf "$small"
log "committed corpus: $(ls "$committed" | wc -l) inputs, $(du -sh "$committed" | cut -f1)"

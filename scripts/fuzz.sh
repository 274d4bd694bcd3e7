#!/usr/bin/env bash
# Fuzzes the table decoder (cargo-fuzz, libFuzzer) seeded with the real packed tables.
#   scripts/fuzz.sh [SECONDS]      (default 600; needs the nightly toolchain)
# Installs cargo-fuzz if absent, seeds a scratch corpus with tables/*.mfnt and the small
# committed corpus (fuzz/corpus/decode_table), runs for SECONDS, then merges what is new
# and small (at most 64 KiB per input) back into the committed corpus. A crash stops with
# the input saved under fuzz/artifacts/ and a non-zero status.
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
mkdir -p "$committed"
cp tables/*.mfnt "$scratch"/
cp "$committed"/* "$scratch"/ 2>/dev/null || true

log "fuzzing decode_table for ${SECONDS_TO_RUN}s from $(ls "$scratch" | wc -l) seeds"
cargo +nightly fuzz run decode_table "$scratch" -- \
  -max_total_time="$SECONDS_TO_RUN" -rss_limit_mb=4096 -max_len=4194304 -timeout=30

log "keeping a minimal set of the small inputs in $committed"
small=$(mktemp -d)
find "$scratch" -type f -size -64k -exec cp {} "$small"/ \;
cargo +nightly fuzz cmin decode_table "$small" -- -rss_limit_mb=4096 >/dev/null 2>&1
rm -f "$committed"/*
cp "$small"/* "$committed"/ 2>/dev/null || true
rm -rf "$small"
log "committed corpus: $(ls "$committed" | wc -l) inputs, $(du -sh "$committed" | cut -f1)"

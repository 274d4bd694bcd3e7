#!/usr/bin/env bash
# Runs every test of the project: the Rust core and command line (on the real tables when the
# shared data is there), the native training companion, the wasm face in headless Chromium,
# the page's unit tests and the end-to-end test. CI calls exactly this (after .ci/run has
# installed the tools).
set -euo pipefail
cd "$(dirname "$0")/.."
DATA="${MFNAS_DATA:-../shared/data}"
export MFNAS_DATA="$DATA"

log() { printf '\033[1m[test]\033[0m %s\n' "$*"; }

log "building the release command line"
cargo build --release --locked
if [ -d "$DATA/nb201" ]; then
  log "packing the NB201 tables from $DATA into tables/"
  target/release/mfnas pack --data-dir "$DATA" --out tables
else
  log "no shared data at $DATA: tests that need the real tables will say they skip"
fi

log "Rust tests (core, command line, real-data golden tests)"
cargo test --locked

log "native companion tests (real NB201 networks on CPU)"
companion_tests=$(for f in tests/companion_*.rs; do printf -- '--test %s ' "$(basename "$f" .rs)"; done)
cargo test --locked --features companion --lib companion::
# shellcheck disable=SC2086 # one --test flag per file
cargo test --locked --features companion $companion_tests

log "explorer tests (wasm in Chromium, vitest, end-to-end)"
scripts/test-web.sh

#!/usr/bin/env bash
# Runs every test of the project: the Rust core and command line (on the real tables when the
# shared data is there), the native training companion, the wasm face in headless Chromium,
# the page's unit tests and the end-to-end test. CI calls exactly this (after .ci/run has
# installed the tools).
#
# Tests that need the shared data or the packed tables never pass quietly without them:
# with MFNAS_REQUIRE_DATA=1 (CI) they fail; otherwise each records its skip and this script
# ends with how many tests skipped and why.
set -euo pipefail
cd "$(dirname "$0")/.."
DATA="${MFNAS_DATA:-../shared/data}"
# Absolute, so that tests run from other folders (and links they make) resolve it.
if [ -d "$DATA" ]; then DATA="$(cd "$DATA" && pwd)"; fi
export MFNAS_DATA="$DATA"
mkdir -p target
export MFNAS_SKIP_LOG="$PWD/target/test-skips.log"
: >"$MFNAS_SKIP_LOG"

# Each line carries the clock, so a CI log shows where the time goes.
log() { printf '\033[1m[test %s]\033[0m %s\n' "$(date +%H:%M:%S)" "$*"; }

# Says, at the end (pass or fail), which tests could not run.
report_skips() {
  local n
  n=$(wc -l <"$MFNAS_SKIP_LOG" | tr -d ' ')
  if [ "$n" -eq 0 ]; then
    log "every test ran (none skipped for missing data or tables)"
  else
    log "$n tests SKIPPED because an input was missing (MFNAS_REQUIRE_DATA=1 makes this a failure):"
    cut -f2 "$MFNAS_SKIP_LOG" | sort | uniq -c | sort -rn | sed 's/^/    /'
    log "the skipped tests are listed in $MFNAS_SKIP_LOG"
  fi
}
# The disk the build takes, printed at the end: a fresh machine's disk is not large.
report_disk() {
  log "disk: target/ holds $(du -sh target 2>/dev/null | cut -f1); $(df -h . | awk 'NR==2 {print $4}') free"
}
# The one-node Slurm cluster of the companion tests, stopped however the script ends.
SLURM_STARTED=
stop_slurm() {
  if [ -n "$SLURM_STARTED" ]; then
    scripts/slurm-cluster.sh stop || true
    rm -rf "$MFNAS_SLURM_DIR"
    SLURM_STARTED=
  fi
}
# The lab's wasm package, built in the background (below), stopped if the script ends first.
LAB_PID=
stop_lab_build() {
  if [ -n "$LAB_PID" ]; then
    kill -- -"$LAB_PID" 2>/dev/null || true # its own process group: wasm-pack and cargo too
    LAB_PID=
  fi
}
trap 'stop_lab_build; stop_slurm; report_disk; report_skips' EXIT

log "building the release command line"
cargo build --release --locked
if [ -d "$DATA/nb201" ]; then
  log "packing the NB201 tables from $DATA into tables/"
  target/release/mfnas pack --data-dir "$DATA" --out tables
elif [ "${MFNAS_REQUIRE_DATA:-}" = 1 ]; then
  log "no shared data at $DATA, and MFNAS_REQUIRE_DATA=1 requires it: set MFNAS_DATA"
  exit 1
else
  log "no shared data at $DATA: tests that need the real tables will skip (counted at the end)"
fi

log "Rust tests (core, command line, real-data golden tests)"
cargo test --locked

# The lab's wasm package (burn for wasm32: about 7 minutes on two cores, most of it one crate
# on one core) has a target folder of its own, so it builds while the companion's tests build
# and run; in a fresh-clone CI run that took about 7 minutes off the whole (README, "Build
# cost"). The web tests wait for it.
LAB_LOG="$PWD/target/build-lab-wasm.log"
if wasm-pack --version >/dev/null 2>&1 && rustup target list --installed 2>/dev/null | grep -q '^wasm32-unknown-unknown$'; then
  log "building the lab's wasm package in the background (log: $LAB_LOG)"
  setsid -w scripts/build-lab.sh --wasm-only >"$LAB_LOG" 2>&1 &
  LAB_PID=$!
fi

log "native companion tests (real NB201 networks on CPU and wgpu; live search on a one-node Slurm cluster)"
MFNAS_SLURM_DIR="$(mktemp -d "${TMPDIR:-/tmp}/mfnas-slurm.XXXXXX")"
export MFNAS_SLURM_DIR
SLURM_STARTED=1 # also cleans up after a start that failed half way
if scripts/slurm-cluster.sh start; then
  export SLURM_CONF="$MFNAS_SLURM_DIR/slurm.conf"
else
  log "no Slurm cluster could be started: the Slurm test says why (and fails under MFNAS_REQUIRE_DATA=1)"
fi
# `gpu` = the companion plus burn's wgpu backend: one build serves the CPU tests and the GPU
# ones (tests/companion/gpu.rs), which run on Mesa's lavapipe where there is no GPU.
cargo test --locked --features gpu --lib companion::
cargo test --locked --features gpu --test companion --test companion_determinism
stop_slurm

if [ -n "$LAB_PID" ]; then
  log "waiting for the lab's wasm package"
  lab_status=0
  wait "$LAB_PID" || lab_status=$?
  LAB_PID=
  if [ "$lab_status" -ne 0 ]; then
    log "the lab's wasm package did not build:"
    cat "$LAB_LOG"
    exit 1
  fi
  log "the lab's wasm package is built ($(grep -E 'Finished|Done in' "$LAB_LOG" | tr -s ' ' | paste -sd ';' -))"
fi

log "explorer tests (wasm in Chromium, vitest, end-to-end)"
scripts/test-web.sh

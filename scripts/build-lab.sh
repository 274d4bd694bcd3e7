#!/usr/bin/env bash
# Builds the explorer's lab module (scripts/build-web.sh calls it):
# - the lab image file www/public/lab/cifar10-lab.bin: 2,000 training and 500 held-out
#   CIFAR-10 images at 16x16 and 80 proxy images at 32x32, decoded from the CIFAR-10 JPEG
#   shards of the shared data by the crate's own reader (examples/lab_images.rs); never
#   committed. Without the shards the page's lab panels say what is missing.
# - the second wasm package lab/pkg/ (crate lab/: the companion's NB201 network on burn's
#   flex backend), built with wasm SIMD in its own target folder (target/lab-wasm) so that it
#   never invalidates the explorer's main wasm build.
# With --wasm-only it builds the wasm package alone: scripts/test.sh runs that in the background
# while the companion's tests build, since it shares no target folder with them.
set -euo pipefail
cd "$(dirname "$0")/.."
DATA="${MFNAS_DATA:-../shared/data}"
SHARDS="$DATA/images/cifar10-jpg"
IMAGES=www/public/lab/cifar10-lab.bin

log() { printf '\033[1m[build-lab]\033[0m %s\n' "$*"; }

WASM_ONLY=
case "${1:-}" in
  '') ;;
  --wasm-only) WASM_ONLY=1 ;;
  *) echo "usage: scripts/build-lab.sh [--wasm-only]" >&2; exit 2 ;;
esac

if [ -z "$WASM_ONLY" ] && { [ ! -f "$IMAGES" ] || [ examples/lab_images.rs -nt "$IMAGES" ] || [ src/companion/lab/images.rs -nt "$IMAGES" ]; }; then
  if [ -f "$SHARDS/cifar10_train_jpg.tar.gz" ]; then
    log "extracting the lab's CIFAR-10 images into $IMAGES"
    cargo run --quiet --no-default-features --features images --example lab_images -- \
      --data "$SHARDS" --out "$IMAGES"
  else
    log "no CIFAR-10 JPEG shards under $SHARDS: the page's lab panels will say the images are missing"
  fi
fi

log "building the lab wasm package into lab/pkg/"
export CARGO_TARGET_DIR="$PWD/target/lab-wasm"
# wasm SIMD128 kernels (every current browser runs them).
export RUSTFLAGS="-C target-feature=+simd128"
if wasm-pack --version >/dev/null 2>&1; then
  wasm-pack build lab --target web --release --out-dir pkg
else
  cargo build -p mfnas-lab --lib --target wasm32-unknown-unknown --release
  wasm-bindgen --target web --out-dir lab/pkg "$CARGO_TARGET_DIR/wasm32-unknown-unknown/release/mfnas_lab.wasm"
fi

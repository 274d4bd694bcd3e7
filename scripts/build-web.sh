#!/usr/bin/env bash
# Builds the explorer: the wasm package (pkg/), the packed tables (tables/, when the shared
# data is there), the npm dependencies and the static site (www/dist/, relative paths, so it
# deploys to any static host or sub-path). Installs the pinned tools it lacks (the wasm target,
# wasm-bindgen-cli at the crate's pinned version); works offline once they and the registries'
# packages are there.
set -euo pipefail
cd "$(dirname "$0")/.."
DATA="${MFNAS_DATA:-../shared/data}"
WASM_BINDGEN_VERSION=0.2.130

log() { printf '\033[1m[build-web]\033[0m %s\n' "$*"; }

# --- tools ------------------------------------------------------------------------------
if command -v rustup >/dev/null && ! rustup target list --installed | grep -q '^wasm32-unknown-unknown$'; then
  log "adding the wasm32 target"
  rustup target add wasm32-unknown-unknown
fi
if ! wasm-bindgen --version 2>/dev/null | grep -q " ${WASM_BINDGEN_VERSION}\$"; then
  log "installing wasm-bindgen-cli ${WASM_BINDGEN_VERSION} (must equal the crate version)"
  cargo install wasm-bindgen-cli --version "${WASM_BINDGEN_VERSION}"
fi

# --- wasm -------------------------------------------------------------------------------
# wasm-pack when it is installed (wasm-opt is off in Cargo.toml, so it downloads nothing);
# otherwise the two commands it runs, which give the same files.
log "building the wasm package into pkg/"
if wasm-pack --version >/dev/null 2>&1; then
  # (Its offline warning "failed to get wasm-pack version" is harmless.)
  wasm-pack build --target web --release -- --no-default-features
else
  cargo build --lib --target wasm32-unknown-unknown --release --no-default-features
  wasm-bindgen --target web --out-dir pkg target/wasm32-unknown-unknown/release/mfnas.wasm
fi

# --- tables -----------------------------------------------------------------------------
if [ ! -f tables/nb201-cifar10.mfnt ]; then
  if [ -d "$DATA/nb201" ] && cargo run --release --quiet -- pack --help >/dev/null 2>&1; then
    log "packing the tables from $DATA into tables/"
    cargo run --release --quiet -- pack --data-dir "$DATA" --out tables
  else
    log "no packed tables and no way to pack them here (needs $DATA and 'mfnas pack'): the page will offer the synthetic table"
  fi
fi

scripts/build-lab.sh  # the lab module (second wasm package + lab images), loaded on demand
# --- page -------------------------------------------------------------------------------
cd www
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  log "installing npm dependencies (npm ci)"
  npm ci --no-audit --no-fund
fi
log "building the page into www/dist/"
npm run build

#!/usr/bin/env bash
# Trains one epoch of the full NB201 network (C = 16, N = 5) on CIFAR-10 with `--device gpu`
# and prints images/s and accuracy: the check to run on a machine with a real GPU.
#
#   scripts/gpu-check.sh                       # 45,000 training / 5,000 validation images
#   GPU_CHECK_TRAIN=2000 GPU_CHECK_VAL=500 scripts/gpu-check.sh   # a quick run
#   GPU_CHECK_BIN=target/debug/mfnas ...       # reuse a binary built with --features gpu (e.g.
#                                              # by scripts/test.sh's cargo test) instead of building
#
# MFNAS_DATA: the shared data folder (default ../shared/data). Without a GPU, wgpu runs on a
# software driver (Mesa's lavapipe) if one is installed; the device line says which.
set -euo pipefail
cd "$(dirname "$0")/.."
DATA="${MFNAS_DATA:-../shared/data}"
CIFAR="$DATA/images/cifar10-jpg"
if [ ! -f "$CIFAR/cifar10_train_jpg.tar.gz" ]; then
  echo "gpu-check: no CIFAR-10 JPEG shards under $CIFAR (set MFNAS_DATA)" >&2
  exit 1
fi
TRAIN="${GPU_CHECK_TRAIN:-45000}"
VAL="${GPU_CHECK_VAL:-5000}"
BATCH="${GPU_CHECK_BATCH:-256}"
BIN="${GPU_CHECK_BIN:-}"
if [ -z "$BIN" ]; then
  echo "== building mfnas with --features gpu (release)"
  cargo build --release --locked --features gpu
  BIN=target/release/mfnas
fi

echo "== one epoch of the full NB201 network (#9930) on $TRAIN CIFAR-10 images, batch $BATCH, --device gpu"
start=$(date +%s)
"$BIN" train --device gpu --arch '#9930' --data "$CIFAR" \
  --train-images "$TRAIN" --val-images "$VAL" --channels 16 --cells 5 \
  --epochs 1 --batch-size "$BATCH"
echo "== done in $(($(date +%s) - start)) s (the 'epoch 1' line gives images/s and validation accuracy)"

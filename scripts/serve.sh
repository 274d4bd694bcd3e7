#!/usr/bin/env bash
# Builds everything and serves the explorer on http://127.0.0.1:${PORT:-4173}/ with the
# NB201 cifar10 table as the default. Stop it with Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build-web.sh
cd www
echo
echo "  MF-NAS explorer: http://127.0.0.1:${PORT:-4173}/"
echo
exec npx vite preview --host 127.0.0.1 --port "${PORT:-4173}" --strictPort

#!/usr/bin/env bash
# The explorer's tests: the wasm tests in headless Chromium (a dedicated worker, as the page
# runs the engine), the page's unit tests (vitest) and the end-to-end test (playwright-core
# driving Debian's chromium against the built page). Prints the measured speed figures.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '\033[1m[test-web %s]\033[0m %s\n' "$(date +%H:%M:%S)" "$*"; }

if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null || ! command -v nginx >/dev/null; then
  log "installing Debian's chromium, chromium-driver and nginx-light (the static-hosting test)"
  apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium chromium-driver nginx-light
fi
if ! wasm-pack --version 2>/dev/null | grep -q ' 0.15.1$'; then
  log "installing wasm-pack 0.15.1"
  cargo install wasm-pack --version 0.15.1 --locked
fi

scripts/build-web.sh
# The end-to-end test compares the page with `mfnas run` (release build of the CLI).
log "building the release command line"
cargo build --release --quiet

log "wasm tests in headless Chromium"
wasm-pack test --headless --chrome wasm-tests

cd www
log "unit tests (vitest)"
npm test
log "end-to-end tests (playwright-core + chromium, one file per concern in www/e2e/); screenshots in www/e2e/screenshots/"
# A CI log shows only its beginning and its end, so the failures are printed again at the end.
e2e_log=$(mktemp)
if ! npm run e2e 2>&1 | tee "$e2e_log"; then
  log "end-to-end tests FAILED; each failing test again, with its message:"
  awk '/^not ok / { on = 1; n = 0 } on && n < 60 { print; n++ } on && /^  \.\.\.$/ { on = 0 }' "$e2e_log"
  rm -f "$e2e_log"
  exit 1
fi
rm -f "$e2e_log"

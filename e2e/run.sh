#!/usr/bin/env bash
# End-to-end page tests: headless Chromium (Debian's package) with axe-core.
#
# Installs what is missing (the chromium package when no Chromium is found; the pinned npm
# packages with `npm ci` when e2e/node_modules is missing), builds the `bluelamp` binary
# unless BLUELAMP_BIN names one, then runs the tests. Exits non-zero when any test fails.
#
# Environment: BLUELAMP_BIN (a built bluelamp binary; default: cargo build -p bluelamp-cli
# and target/debug/bluelamp), CHROMIUM_BIN (default /usr/bin/chromium).
set -euo pipefail
e2e="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$e2e/.." && pwd)"
started=$SECONDS

chromium="${CHROMIUM_BIN:-/usr/bin/chromium}"
if [ ! -x "$chromium" ]; then
  echo "e2e: no Chromium at $chromium: installing Debian's chromium package."
  if [ "$(id -u)" = 0 ]; then sudo=(); else sudo=(sudo); fi
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq chromium >/dev/null
  [ -x "$chromium" ] || { echo "e2e: FAIL: $chromium is still missing after installing chromium" >&2; exit 1; }
fi
export CHROMIUM_BIN="$chromium"

command -v node >/dev/null 2>&1 || { echo "e2e: FAIL: node is not installed (Node.js 20 or later is needed)" >&2; exit 1; }

if [ ! -d "$e2e/node_modules/puppeteer-core" ] || [ ! -d "$e2e/node_modules/axe-core" ]; then
  echo "e2e: installing the pinned npm packages (npm ci)."
  # puppeteer-core never downloads a browser; the variables make sure nothing else does.
  (cd "$e2e" && PUPPETEER_SKIP_DOWNLOAD=1 PUPPETEER_SKIP_CHROME_DOWNLOAD=1 \
    npm ci --no-audit --no-fund --ignore-scripts)
fi

if [ -z "${BLUELAMP_BIN:-}" ]; then
  echo "e2e: building bluelamp (cargo build -p bluelamp-cli)."
  (cd "$repo" && cargo build -p bluelamp-cli)
  export BLUELAMP_BIN="${CARGO_TARGET_DIR:-$repo/target}/debug/bluelamp"
fi

rm -rf "$e2e/artifacts"
echo "e2e: $("$chromium" --version 2>/dev/null | head -1), node $(node --version), bluelamp at $BLUELAMP_BIN"
status=0
(cd "$e2e" && node --test --test-concurrency=1 tests/pages.test.js) || status=$?
# On standard error, so that the test runner's own summary stays last on standard output.
echo "e2e: end-to-end browser tests took $((SECONDS - started)) s; $([ "$status" = 0 ] && echo passed || echo "FAILED (see e2e/artifacts/ for screenshots and axe-results.json)")" >&2
exit "$status"

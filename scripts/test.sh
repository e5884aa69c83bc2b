#!/usr/bin/env bash
# `npm test`: the whole suite — static checks, unit + integration (real SQLite files; PostgreSQL
# and Redis when reachable), then Playwright end-to-end in Debian's Chromium against a production
# build. Installs Chromium with apt-get when it is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "typecheck"
npx tsc --noEmit
npx tsc --noEmit -p lib/pwa # the service worker (webworker lib)

step "lint"
npx eslint . --max-warnings 0
npx prettier --check . --log-level warn

step "migrations match the schema"
node scripts/migrate.mjs --check

step "unit + integration (vitest)"
npx vitest run

step "end-to-end (Playwright, Chromium)"
if [ ! -x /usr/bin/chromium ]; then
  echo "Chromium is missing: installing Debian's chromium package"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi
npx playwright test

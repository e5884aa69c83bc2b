#!/usr/bin/env bash
# `npm test`: the whole suite — static checks, unit + integration (real SQLite files; PostgreSQL
# and Redis when reachable; tests/postgres/ + tests/integration/ on PostgreSQL, or a loud SKIPPED line), then Playwright end-to-end in Debian's Chromium against a production
# build. Installs Chromium, and nginx (tests/integration/nginx-deploy.test.ts), with apt-get when missing.
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

step "nginx (for tests/integration/nginx-deploy.test.ts)"
if [ ! -x /usr/sbin/nginx ]; then
  echo "nginx is missing: installing Debian's nginx package"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  # The package would start its service on :80 (taken, or unwanted, on a CI machine or in a
  # container): a policy-rc.d answering 101 tells invoke-rc.d/deb-systemd-invoke not to. Docker
  # images ship one; otherwise ours is there for the install only.
  OWN_POLICY=""
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d >/dev/null
    $SUDO chmod 755 /usr/sbin/policy-rc.d
    OWN_POLICY=1
  fi
  STATUS=0
  { $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq nginx >/dev/null; } || STATUS=$?
  if [ -n "$OWN_POLICY" ]; then $SUDO rm -f /usr/sbin/policy-rc.d; fi
  if [ "$STATUS" -ne 0 ]; then echo "installing nginx failed (exit $STATUS)"; exit "$STATUS"; fi
fi

step "unit + integration (vitest)"
npx vitest run

step "PostgreSQL integration (vitest.postgres.config.mts, TEST_DB=postgres)"
# A node check rather than pg_isready: it also proves that we can log in (TEST_POSTGRES_URL).
if node -e '
  const pg = require("pg");
  const c = new pg.Client({ connectionString: process.env.TEST_POSTGRES_URL || "postgresql://postgres@127.0.0.1:5432/postgres", connectionTimeoutMillis: 3000 });
  c.connect().then(() => c.end()).then(() => process.exit(0), () => process.exit(1));
'; then
  npx vitest run --config vitest.postgres.config.mts
else
  printf '\n\033[1;31m!!! SKIPPED: PostgreSQL not reachable (%s): the PostgreSQL project (tests/postgres/, tests/integration/ on PostgreSQL) did NOT run !!!\033[0m\n\n' \
    "${TEST_POSTGRES_URL:-postgresql://postgres@127.0.0.1:5432/postgres}"
fi

step "end-to-end (Playwright, Chromium)"
if [ ! -x /usr/bin/chromium ]; then
  echo "Chromium is missing: installing Debian's chromium package"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi
npx playwright test

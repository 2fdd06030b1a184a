#!/usr/bin/env bash
# `npm test`: every test — type check, lint, unit and integration tests (Vitest, against a real
# PostgreSQL and the local platform), then the browser tests (Playwright in Debian's Chromium,
# against the running portal and the local platform). Installs and builds whatever is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1

step() { printf '\n\033[1m▸ %s\033[0m\n' "$*"; }
start=$(date +%s)

bash scripts/setup.sh --build
bash scripts/ensure-debian-packages.sh
# npm scripts find the project's Node.js (the `node` devDependency) first on PATH; so does this
# script when started by hand, and so does every process it starts (Vitest's workers, the stack's
# processes, Playwright's web server, the portal and the worker).
export PATH="$PWD/node_modules/.bin:$PATH"
step "Node.js $(node --version) ($(command -v node)), npm $(npm --version)"

step "Type check (tsc)"
npx tsc --noEmit

step "Lint (eslint, prettier)"
npm run --silent lint

step "Local platform (npm run stack -- up, seed, restore): built and seeded the first time"
# CI leaves nothing running behind it; on a workstation the platform stays up for the next run.
if [ "${CI:-}" = "true" ]; then trap 'node --import tsx stack/cli.ts down' EXIT; fi
# Tests start from the seeded demo state, whatever an earlier run (rollbacks, promotions) left.
node --import tsx stack/cli.ts restore

step "Unit and integration tests (vitest)"
# Vitest's exit status cannot be trusted here: embedded-postgres (loaded by the global set-up)
# installs async-exit-hook, which re-exits with 0 after a failed run. The JSON report decides.
report=.data/vitest-report.json
mkdir -p .data && rm -f "$report"
npx vitest run --reporter=default --reporter=json --outputFile="$report" || true
node -e 'const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")); if (!r.success || r.numFailedTests > 0 || r.numTotalTests === 0) { console.error(`vitest: ${r.numFailedTests} of ${r.numTotalTests} tests failed`); process.exit(1); }' "$report"

step "Kubernetes integration tests again, as the Helm chart's service account only (test/helm/sa-pass.ts)"
# The portal's identity is then a TokenRequest token of the chart's ServiceAccount with the chart's
# RBAC, as in a pod; the tests still arrange things as the local platform's admin and demo users.
node --import tsx test/helm/sa-pass.ts

step "Browser tests (playwright)"
npx playwright test

step "All tests passed in $(( $(date +%s) - start )) s"

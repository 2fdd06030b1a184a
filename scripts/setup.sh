#!/usr/bin/env bash
# Brings a checkout to a runnable state, doing only what is missing or stale:
# npm dependencies, the generated Prisma client and (with --build) the Next.js production build.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n\033[1m▸ %s\033[0m\n' "$*"; }
stamp_of() { cat "$@" 2>/dev/null | sha256sum | cut -c1-16; }

if [ ! -x /usr/bin/node ] && ! command -v node >/dev/null; then
  echo "Node.js 20.19+ is required (apt-get install nodejs)" >&2; exit 1
fi

deps_stamp=$(stamp_of package.json package-lock.json)
if [ ! -f node_modules/.deps-stamp ] || [ "$(cat node_modules/.deps-stamp)" != "$deps_stamp" ]; then
  # Not `npm ci`: the registry mirror lacks some other platforms' optional binaries (e.g.
  # @tailwindcss/oxide-android-arm64), which npm leaves out of the lock file and `npm ci` then
  # rejects. `npm install --no-save` installs exactly the locked versions and leaves the lock alone.
  step "Installing npm dependencies (npm install from package-lock.json)"
  npm install --no-save --no-audit --no-fund
  echo "$deps_stamp" > node_modules/.deps-stamp
fi

schema_stamp=$(stamp_of prisma/schema.prisma node_modules/.deps-stamp)
if [ ! -f lib/db/generated/.stamp ] || [ "$(cat lib/db/generated/.stamp)" != "$schema_stamp" ]; then
  step "Generating the Prisma client"
  npm run --silent db:generate
  echo "$schema_stamp" > lib/db/generated/.stamp
fi

if [ "${1:-}" = "--build" ]; then
  source_stamp=$( (git ls-files -co --exclude-standard app components lib public next.config.ts postcss.config.mjs tsconfig.json package-lock.json prisma/schema.prisma | sort | xargs cat) 2>/dev/null | sha256sum | cut -c1-16)
  if [ ! -f .next/BUILD_ID ] || [ ! -f .next/.source-stamp ] || [ "$(cat .next/.source-stamp)" != "$source_stamp" ]; then
    step "Building the portal (next build)"
    npx next build
    echo "$source_stamp" > .next/.source-stamp
  fi
fi

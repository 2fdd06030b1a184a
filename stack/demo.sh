#!/usr/bin/env bash
# `npm run demo`: installs and builds whatever is missing, then starts the portal with its
# database, the development identity provider and demo data.
set -euo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1
bash scripts/setup.sh --build
# The project's Node.js (the `node` devDependency), also when this script is started by hand.
export PATH="$PWD/node_modules/.bin:$PATH"
exec node --import tsx stack/demo.ts

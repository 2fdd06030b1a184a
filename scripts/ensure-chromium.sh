#!/usr/bin/env bash
# The browser tests use Debian's Chromium: browser downloads are not possible here.
set -euo pipefail
if [ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ]; then exit 0; fi
echo "▸ Installing Chromium from Debian's packages (apt-get install chromium)"
if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium fonts-liberation >/dev/null
test -x /usr/bin/chromium || { echo "Chromium could not be installed: /usr/bin/chromium is missing" >&2; exit 1; }

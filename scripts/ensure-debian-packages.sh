#!/usr/bin/env bash
# Installs, in one apt-get call, the Debian packages the tests use and the machine lacks, before
# any test runs (tests that ran apt-get themselves, at the same time, would wait on dpkg's lock):
# Chromium for the browser tests, HAProxy for the scale-out tests, buildah/mmdebstrap/podman/runc
# for the container image and its test.
set -euo pipefail
declare -A wanted=(
  [/usr/bin/chromium]="chromium fonts-liberation"
  [/usr/sbin/haproxy]=haproxy
  [/usr/bin/buildah]=buildah
  [/usr/bin/mmdebstrap]=mmdebstrap
  [/usr/bin/podman]=podman
  [/usr/sbin/runc]=runc
)
missing=()
for path in "${!wanted[@]}"; do [ -x "$path" ] || missing+=(${wanted[$path]}); done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "▸ Installing Debian packages the tests use: ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
$SUDO apt-get -o DPkg::Lock::Timeout=600 update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get -o DPkg::Lock::Timeout=600 install -y -qq "${missing[@]}" >/dev/null
for path in "${!wanted[@]}"; do [ -x "$path" ] || { echo "$path is missing after apt-get install ${wanted[$path]}" >&2; exit 1; }; done

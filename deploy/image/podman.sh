#!/usr/bin/env bash
# Debian's podman as this machine can run it (no container engine, cgroups v1+v2 hybrid, no
# CAP_SYS_RESOURCE): runc instead of crun (crun refuses hybrid cgroups), cgroupfs, no default
# ulimits (raising them is refused), images in .data/image/podman (vfs). Arguments go to podman:
#
#   bash deploy/image/podman.sh load -i .data/image/ml-platform-portal.oci.tar
#   bash deploy/image/podman.sh run --rm --read-only --read-only-tmpfs=false --tmpfs /tmp \
#     --network host -e DATABASE_URL=… localhost/ml-platform-portal:0.1.0
#
# Installs podman and runc with apt-get when they are missing.
set -euo pipefail
cd "$(dirname "$0")/../.."

missing=()
command -v podman >/dev/null || missing+=(podman)
command -v runc >/dev/null || missing+=(runc)
if [ ${#missing[@]} -gt 0 ]; then
  apt-get -o DPkg::Lock::Timeout=600 update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq "${missing[@]}" >/dev/null
fi

mkdir -p .data/image
conf=.data/image/containers.conf
printf '[containers]\ndefault_ulimits = []\n[engine]\ncgroup_manager = "cgroupfs"\n' >"$conf.part"
mv "$conf.part" "$conf"
CONTAINERS_CONF="$PWD/$conf" exec podman --root "$PWD/.data/image/podman" --runroot "/tmp/ml-platform-portal-podman-$(pwd | sha256sum | cut -c1-8)" \
  --storage-driver vfs --runtime "$(command -v runc)" "$@"

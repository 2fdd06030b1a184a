#!/usr/bin/env bash
# `npm run image`: builds the container image ml-platform-portal:<package.json version> as an OCI
# archive, .data/image/ml-platform-portal.oci.tar, on this machine: no container engine, no image
# pulled. It builds deploy/image/Containerfile with Debian's buildah:
#   - the build stage's work runs here (scripts/setup.sh --build, deploy/image/assemble.ts) and is
#     handed to buildah as that stage (--build-context build=.data/image/stage, holding /out);
#   - the runtime base is a root filesystem made by mmdebstrap from Debian 12's packages (glibc,
#     libstdc++, base-files, netbase; no shell, no package manager) plus the user 65532 — the same
#     contents as the Containerfile's default base (distroless cc-debian12:nonroot). It is cached in
#     .data/image/base-<stamp>.tar and in buildah's storage, so only its first build takes time.
# Installs buildah and mmdebstrap with apt-get when they are missing (root, as everywhere here).
set -euo pipefail
cd "$(dirname "$0")/../.."
export PATH="$PWD/node_modules/.bin:$PATH"
export NEXT_TELEMETRY_DISABLED=1

step() { printf '\n\033[1m▸ %s\033[0m\n' "$*"; }
start=$(date +%s)

NAME=ml-platform-portal
DIR=.data/image
ARCHIVE="$DIR/$NAME.oci.tar"
SUITE=bookworm
BASE_PACKAGES=libc6,libgcc-s1,libstdc++6,base-files,netbase

missing=()
command -v buildah >/dev/null || missing+=(buildah)
command -v mmdebstrap >/dev/null || missing+=(mmdebstrap)
if [ ${#missing[@]} -gt 0 ]; then
  step "Installing ${missing[*]} (Debian packages)"
  apt-get -o DPkg::Lock::Timeout=600 update -qq
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq "${missing[@]}" >/dev/null
fi

mkdir -p "$DIR"
# One build at a time in this checkout (two test runs at once share .data/image).
exec 9>"$DIR/.build.lock"
flock 9

bash scripts/setup.sh --build
VERSION=$(node -p 'require("./package.json").version')
REVISION=$(git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)

# buildah keeps its images under .data/image (vfs: works wherever the machine gives no overlay).
buildah() { command buildah --root "$PWD/$DIR/storage" --runroot "/tmp/ml-platform-portal-buildah-$(pwd | sha256sum | cut -c1-8)" --storage-driver vfs "$@"; }

# The base root filesystem: made again only when what goes into it changes.
base_hook='printf "root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n" > "$1/etc/passwd"; printf "root:x:0:\nnonroot:x:65532:\n" > "$1/etc/group"; mkdir -p "$1/home/nonroot" && chown 65532:65532 "$1/home/nonroot"; chmod 1777 "$1/tmp"'
base_stamp=$(printf '%s\n' "$SUITE" "$BASE_PACKAGES" "$base_hook" | sha256sum | cut -c1-12)
BASE_TAR="$DIR/base-$SUITE-$base_stamp.tar"
BASE_IMAGE="localhost/$NAME-base:$SUITE-$base_stamp"

# Up to date when neither the build nor what goes into the image changed since the archive was made.
stamp=$( (cat .next/BUILD_ID && echo "$base_stamp" && git ls-files -co --exclude-standard server.ts scripts/worker.ts \
  scripts/db-migrate.ts prisma/migrations deploy/image package.json | sort | xargs cat 2>/dev/null || true) | sha256sum | cut -c1-16)
if [ -f "$ARCHIVE" ] && [ "$(cat "$DIR/$NAME.stamp" 2>/dev/null)" = "$stamp" ]; then
  step "$ARCHIVE is up to date ($NAME:$VERSION, $(du -m "$ARCHIVE" | cut -f1) MiB)"
  exit 0
fi

if [ ! -f "$BASE_TAR" ]; then
  step "Base root filesystem: Debian $SUITE ($BASE_PACKAGES), mmdebstrap"
  rm -f "$DIR"/base-*.tar
  mmdebstrap --variant=extract --include="$BASE_PACKAGES" --mode=root --format=tar \
    --customize-hook="$base_hook" "$SUITE" "$BASE_TAR.part" >"$DIR/mmdebstrap.log" 2>&1 ||
    { tail -20 "$DIR/mmdebstrap.log" >&2; exit 1; }
  mv "$BASE_TAR.part" "$BASE_TAR"
fi

if ! buildah inspect --type image "$BASE_IMAGE" >/dev/null 2>&1; then
  step "Base image $BASE_IMAGE (buildah)"
  container=$(buildah from scratch)
  buildah add --quiet "$container" "$BASE_TAR" / >/dev/null
  buildah config --os linux --arch amd64 --user 65532:65532 --label "org.opencontainers.image.base.name=debian:$SUITE" "$container"
  buildah commit --quiet --rm "$container" "$BASE_IMAGE" >/dev/null
fi

step "Image files (deploy/image/assemble.ts)"
node --import tsx deploy/image/assemble.ts "$DIR/stage/out"

step "Image $NAME:$VERSION (buildah bud deploy/image/Containerfile)"
buildah bud --quiet --isolation chroot \
  --build-context build="$PWD/$DIR/stage" \
  --build-arg RUNTIME_IMAGE="$BASE_IMAGE" \
  --build-arg VERSION="$VERSION" --build-arg REVISION="$REVISION" \
  -f deploy/image/Containerfile -t "localhost/$NAME:$VERSION" . >/dev/null
rm -f "$ARCHIVE.part"
buildah push --quiet "localhost/$NAME:$VERSION" "oci-archive:$PWD/$ARCHIVE.part:$NAME:$VERSION"
mv "$ARCHIVE.part" "$ARCHIVE"
echo "$stamp" >"$DIR/$NAME.stamp"
# Only the base stays in buildah's storage (vfs keeps whole copies of every layer).
buildah rmi "localhost/$NAME:$VERSION" >/dev/null
buildah rmi --prune >/dev/null 2>&1 || true
rm -rf "$DIR/stage"

size=$(du -m "$ARCHIVE" | cut -f1)
step "$ARCHIVE ($NAME:$VERSION, ${size} MiB, revision $REVISION) in $(($(date +%s) - start)) s"

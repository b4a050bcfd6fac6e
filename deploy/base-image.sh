#!/usr/bin/env bash
# Makes the Debian 12 base image the Dockerfile starts from (debian:bookworm-slim) out of Debian's
# own packages and imports it into podman, for hosts that reach a Debian mirror but no image
# registry. Does nothing when the image is already there.
#
#   deploy/base-image.sh [IMAGE]      (default docker.io/library/debian:bookworm-slim; run as root)
#
# The mirror is the host's (first Debian URI in /etc/apt/sources*), or MPK_DEBIAN_MIRROR.
# Like Debian's slim images it leaves out documentation, manual pages and translations; the rule
# stays in the image, so packages installed later in the Dockerfile leave them out too.
set -euo pipefail
image=${1:-docker.io/library/debian:bookworm-slim}
if podman image exists "$image"; then
  echo "base image $image: present"
  exit 0
fi

mirror=${MPK_DEBIAN_MIRROR:-$(grep -hoE '(https?|file)://[^ ]*/debian/?( |$)' \
  /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources 2>/dev/null | head -n1 | tr -d ' ' || true)}
mirror=${mirror:-http://deb.debian.org/debian}
security=$(grep -hoE '(https?|file)://[^ ]*/debian-security/?( |$)' \
  /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources 2>/dev/null | head -n1 | tr -d ' ' || true)
security=${security:-http://deb.debian.org/debian-security}

tar=$(mktemp --suffix=.tar)
log=$(mktemp --suffix=.log)
trap 'rm -f "$tar" "$log"' EXIT
echo "base image $image: mmdebstrap bookworm from $mirror"
mmdebstrap --variant=minbase \
  --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-include=/usr/share/doc/*/copyright' \
  --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/info/*' \
  --dpkgopt='path-exclude=/usr/share/locale/*' --dpkgopt='path-include=/usr/share/locale/locale.alias' \
  --hook-dir=/usr/share/mmdebstrap/hooks/merged-usr \
  bookworm "$tar" \
  "deb $mirror bookworm main" "deb $mirror bookworm-updates main" "deb $security bookworm-security main" >"$log" 2>&1 || { cat "$log" >&2; exit 1; }
podman import --quiet "$tar" "$image" >/dev/null
echo "base image $image: imported ($(podman image inspect --format '{{.Size}}' "$image" | awk '{printf "%.0f MB", $1/1e6}'))"

#!/usr/bin/env bash
# Installs what the project needs on a fresh Debian 12 machine (run as root). Packages already
# present are skipped, so a second run costs seconds. Why each one is here: see README.md.
set -euo pipefail

packages=(
  build-essential cmake ccache pkg-config            # toolchain
  libcaf-dev                                         # CAF 0.17: actors, supervision, BASP
  libboost-dev                                       # Boost 1.74: Beast/Asio websockets and HTTP
  libsimdjson-dev                                    # JSON in
  libssl-dev                                         # OpenSSL 3: TLS, SHA-256, random
  libpng-dev zlib1g-dev                              # LCD frames as PNG
  catch2                                             # unit tests
  chromium                                           # browser tests (driven by playwright-core)
  fonts-dejavu-core                                  # the font the phone drawing names (reference pictures)
  docker-compose                                     # validates deploy/docker-compose.yml (no engine needed)
  clang libclang-rt-14-dev                           # libFuzzer targets and sanitizers
  curl procps openssl                                      # scripts: health checks, process control
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
command -v node >/dev/null 2>&1 || missing+=(nodejs npm)

if ((${#missing[@]})); then
  echo "installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

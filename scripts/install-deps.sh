#!/usr/bin/env bash
# Installs what the project needs on a fresh Debian 12 machine (run as root). Packages already
# present are skipped, so a second run costs seconds. Why each one is here: see README.md.
#
#   scripts/install-deps.sh [GROUP...]     groups: build, tests, containers, soak (default: build tests)
#     build       compile the product (what scripts/demo.sh needs)
#     tests       everything scripts/test.sh runs besides the build
#     containers  the compose topology in containers (scripts/container-test.sh)
#     soak        the soak's heap readings (mpk_soak --heap-every-minutes; not in CI)
set -euo pipefail

build=(
  build-essential cmake ccache pkg-config            # toolchain
  libcaf-dev                                         # CAF 0.17: actors, supervision, BASP
  libboost-dev                                       # Boost 1.74: Beast/Asio websockets and HTTP
  libsimdjson-dev                                    # JSON in
  libssl-dev                                         # OpenSSL 3: TLS, SHA-256, random
  libpng-dev zlib1g-dev                              # LCD frames as PNG
)
tests=(
  catch2                                             # unit tests
  chromium                                           # browser tests (driven by playwright-core)
  libnss3-tools                                      # certutil: the TLS browser test trusts its CA in an NSS database
  fonts-dejavu-core                                  # the font the phone drawing names (reference pictures)
  docker-compose                                     # validates deploy/docker-compose.yml (no engine needed)
  clang libclang-rt-14-dev                           # libFuzzer targets and sanitizers
  clang-format                                       # format_cpp: the C++ style check (.clang-format)
  curl procps openssl                                # scripts: health checks, process control
)
containers=(
  podman runc catatonit netavark aardvark-dns iptables  # the engine: runc (crun fails on cgroups v1 hosts), init, bridge network with DNS
  podman-compose                                     # runs deploy/docker-compose.yml
  mmdebstrap                                         # the Debian 12 base image without a registry
  catch2 openssl curl                                # the test's client is built with the tests; lab certificates
)
soak=(
  gdb libc6-dbg                                      # mallinfo2() called in a running product process
)

groups=("$@")
((${#groups[@]})) || groups=(build tests)
packages=()
node=0
for g in "${groups[@]}"; do
  case "$g" in
    build) packages+=("${build[@]}") ;;
    tests) packages+=("${tests[@]}"); node=1 ;;
    containers) packages+=("${containers[@]}") ;;
    soak) packages+=("${soak[@]}") ;;
    *) echo "install-deps: unknown group '$g' (build, tests, containers, soak)" >&2; exit 2 ;;
  esac
done

missing=()
for p in $(printf '%s\n' "${packages[@]}" | sort -u); do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
((node)) && ! command -v node >/dev/null 2>&1 && missing+=(nodejs npm)

if ((${#missing[@]})); then
  echo "installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

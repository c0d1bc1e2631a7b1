#!/usr/bin/env bash
# Installs the Debian packages assessflow builds and runs with, if missing.
set -euo pipefail
packages=(
  build-essential cmake pkg-config
  libboost-dev libzmq3-dev cppzmq-dev libsqlite3-dev libcereal-dev catch2
  libcli11-dev libsimdjson-dev nlohmann-json3-dev libfmt-dev libxxhash-dev zlib1g-dev
  libkainjow-mustache-dev
  libcurl4-openssl-dev libsodium-dev libssl-dev
  python3-zmq python3-aiosmtpd sqlite3 librsvg2-bin clang-format-14 curl openssl python3-jsonschema
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}" >&2
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
fi

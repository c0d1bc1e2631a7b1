#!/usr/bin/env bash
# Installs the Debian packages assessflow builds and runs with, if missing.
set -euo pipefail
packages=(
  build-essential cmake pkg-config
  libboost-dev libzmq3-dev cppzmq-dev libsqlite3-dev libcereal-dev catch2
  libcli11-dev libsimdjson-dev nlohmann-json3-dev libfmt-dev libxxhash-dev zlib1g-dev
  libkainjow-mustache-dev
  libcurl4-openssl-dev libsodium-dev libssl-dev prometheus-cpp-dev
  python3-zmq python3-aiosmtpd sqlite3 librsvg2-bin clang-format-14 curl openssl python3-jsonschema prometheus
  chromium python3-websocket fonts-noto-cjk
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
  # The tests need only promtool from the prometheus package: no daemon may
  # start on install (policy-rc.d answering 101 forbids it, see
  # invoke-rc.d(8)), and no recommended exporter comes along.
  made_policy=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' | "${sudo_cmd[@]}" tee /usr/sbin/policy-rc.d >/dev/null
    "${sudo_cmd[@]}" chmod 755 /usr/sbin/policy-rc.d
    made_policy=1
  fi
  quiet_only=()
  others=()
  for p in "${missing[@]}"; do
    if [ "$p" = prometheus ]; then quiet_only+=("$p"); else others+=("$p"); fi
  done
  if ((${#others[@]})); then
    DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq "${others[@]}" >/dev/null
  fi
  if ((${#quiet_only[@]})); then
    DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends \
      "${quiet_only[@]}" >/dev/null
  fi
  if ((made_policy)); then "${sudo_cmd[@]}" rm -f /usr/sbin/policy-rc.d; fi
fi

#!/usr/bin/env bash
# Installs the Debian packages and npm modules s7log needs to build and test.
# Idempotent: quiet and quick when everything is present; uses sudo only when not root.
set -euo pipefail
cd "$(dirname "$0")/.."

pkgs=(cmake ninja-build g++ make pkg-config clang-14 libclang-rt-14-dev clang-format
      libasio-dev libcli11-dev libtomlplusplus-dev libfmt-dev nlohmann-json3-dev
      libgtest-dev libgmock-dev libbenchmark-dev libpcap-dev
      tshark chromium python3
      dpkg-dev file man-db systemd procps
      g++-mingw-w64-x86-64-posix mingw-w64-x86-64-dev googletest wine wine64
      libpq-dev postgresql libmosquitto-dev mosquitto mosquitto-clients openssl
      libprotobuf-c-dev protobuf-c-compiler protobuf-compiler python3-protobuf python3-paho-mqtt)
[ "${S7LOG_SKIP_APT:-}" = 1 ] && pkgs=()

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)

if [ ${#missing[@]} -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}"
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# npm modules (uPlot for the page, nodes7 for interop, playwright-core for browser tests),
# pinned by package-lock.json. Reinstall only when the lock file changed.
for dir in web tests/npm; do
  [ -f "$dir/package-lock.json" ] || continue
  stamp="$dir/node_modules/.s7log-stamp"
  if [ ! -f "$stamp" ] || ! cmp -s "$dir/package-lock.json" "$stamp"; then
    echo "install-deps: npm ci in $dir"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
    cp "$dir/package-lock.json" "$stamp"
  fi
done

#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Installs the Debian packages named on the command line that are missing.
# As root it runs apt-get; otherwise it prints the exact command and fails.
set -eu
missing=""
for p in "$@"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $p"
    fi
done
[ -z "$missing" ] && exit 0
# NAME:arm64 (the control domain's cross-build libraries) needs dpkg to
# know that architecture (multiarch).
foreign=""
case "$missing" in *:arm64*) dpkg --print-foreign-architectures | grep -qx arm64 || foreign=arm64 ;; esac
if [ "$(id -u)" -eq 0 ]; then
    echo "install-deps: installing:$missing"
    export DEBIAN_FRONTEND=noninteractive
    [ -z "$foreign" ] || dpkg --add-architecture "$foreign"
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends $missing >/dev/null
else
    echo "install-deps: missing Debian packages. Run:" >&2
    [ -z "$foreign" ] || echo "  sudo dpkg --add-architecture $foreign && sudo apt-get update" >&2
    echo "  sudo apt-get install -y$missing" >&2
    exit 1
fi

#!/usr/bin/env bash
# The browser the tests drive: Debian's chromium, found by Playwright at
# /usr/bin/chromium (the tests never run `playwright install`, which downloads).
# Also a CJK font, so that screenshots show Chinese names rather than boxes.
# Run as root, or with sudo available; does nothing when both are present.
set -euo pipefail

packages=()
[ -x /usr/bin/chromium ] || packages+=(chromium)
if [ -z "$(fc-list :lang=zh family 2>/dev/null || true)" ]; then
    packages+=(fonts-wqy-microhei)
fi
if [ ${#packages[@]} -eq 0 ]; then
    echo "install-browser: chromium and a CJK font are already installed"
    exit 0
fi

sudo=()
if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "install-browser: need root or sudo to install ${packages[*]}" >&2; exit 1; }
    sudo=(sudo)
fi
echo "install-browser: installing ${packages[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -q
"${sudo[@]}" apt-get install -y -q --no-install-recommends "${packages[@]}"
/usr/bin/chromium --version

#!/usr/bin/env bash
# Makes sure Debian's `chromium` is at /usr/bin/chromium (for the browser test in
# tests/ui, driven by Playwright with executable_path; never `playwright install`).
# Installs it from Debian's packages when missing, as root or with sudo -n.
# Diagnostics go to stderr; prints the path on stdout. Exit 1 if impossible.
set -uo pipefail
BIN=/usr/bin/chromium

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null 2>&1; then sudo -n "$@"; else return 1; fi; }

if [ ! -x "$BIN" ]; then
  if [ "$(id -u)" != 0 ] && ! sudo -n true 2>/dev/null; then
    echo "chromium is missing and this user is neither root nor allowed sudo -n: cannot install it" >&2
    exit 1
  fi
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "chromium is missing and apt-get is not available (not Debian/Ubuntu?)" >&2
    exit 1
  fi
  echo "Installing chromium from Debian's packages..." >&2
  as_root apt-get update -qq >&2 || { echo "apt-get update failed" >&2; exit 1; }
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq chromium >&2 \
    || { echo "apt-get install chromium failed" >&2; exit 1; }
fi
if [ ! -x "$BIN" ]; then
  echo "chromium was installed but $BIN is not there" >&2
  exit 1
fi
# A CJK font, so Chinese text renders in screenshots (best effort: not fatal).
if command -v fc-list >/dev/null 2>&1 && [ -z "$(fc-list :lang=zh 2>/dev/null | head -1)" ]; then
  echo "Installing a CJK font (fonts-wqy-microhei) for Chinese text..." >&2
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq fonts-wqy-microhei >&2 \
    || echo "could not install fonts-wqy-microhei: Chinese text will show as boxes in screenshots" >&2
fi
if ! version=$("$BIN" --version 2>&1); then
  echo "$BIN does not run: $version" >&2
  exit 1
fi
echo "$version" >&2
echo "$BIN"

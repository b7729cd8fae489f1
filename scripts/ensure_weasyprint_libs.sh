#!/usr/bin/env bash
# Makes sure the system libraries WeasyPrint (the sustainability report's PDF engine) loads
# are present: Pango (with HarfBuzz, fontconfig) and a font (DejaVu). Installs them from
# Debian's packages when missing, as root or with sudo -n. Exit 1 if impossible.
set -uo pipefail

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null 2>&1; then sudo -n "$@"; else return 1; fi; }

have_libs() {
  ldconfig -p 2>/dev/null | grep -q 'libpango-1.0.so.0' \
    && ldconfig -p 2>/dev/null | grep -q 'libpangoft2-1.0.so.0' \
    && { [ -n "$(fc-list 2>/dev/null | head -1)" ]; }
}

if have_libs; then
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "Pango/fonts for WeasyPrint are missing and apt-get is not available (not Debian/Ubuntu?)" >&2
  exit 1
fi
echo "Installing Pango and fonts for WeasyPrint from Debian's packages..." >&2
as_root apt-get update -qq >&2 || { echo "apt-get update failed" >&2; exit 1; }
DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 \
  libharfbuzz0b fontconfig fonts-dejavu-core >&2 || { echo "apt-get install (pango, fonts) failed" >&2; exit 1; }
have_libs || { echo "Pango or fonts still missing after install" >&2; exit 1; }

#!/usr/bin/env bash
# Makes sure a C/C++ compiler is there before pip builds llama-cpp-python from source
# (the local SmolLM2 tier). Installs Debian's build-essential when missing, as root or
# with sudo -n. Never fatal: without a compiler the install fails later with pip's own error.
set -uo pipefail
command -v c++ >/dev/null 2>&1 && command -v cc >/dev/null 2>&1 && exit 0
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null 2>&1; then sudo -n "$@"; else return 1; fi; }
if ! command -v apt-get >/dev/null 2>&1; then
  echo "No C/C++ compiler and no apt-get: install one (llama-cpp-python builds from source)" >&2
  exit 0
fi
echo "Installing a C/C++ compiler from Debian's packages (llama-cpp-python builds from source)..." >&2
as_root apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq build-essential >&2 \
  || echo "Could not install build-essential: install a C/C++ compiler by hand" >&2
exit 0

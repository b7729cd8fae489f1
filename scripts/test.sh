#!/usr/bin/env bash
# Runs the test suite. Starts a local PostgreSQL for the store tests (installing
# it from Debian's packages when missing), and treats pytest's exit code 5
# ("no tests collected") as a failure, never as success.
set -uo pipefail
cd "$(dirname "$0")/.."

if url=$(bash scripts/ensure_postgres.sh); then
  export GREENCART_TEST_POSTGRES_URL="$url"
  echo "PostgreSQL for tests: $url"
else
  echo "PostgreSQL could not be started: the postgres tests will skip (they fail under CI)." >&2
fi

# The web UI test drives Debian's chromium (installed here when missing).
bash scripts/ensure_chromium.sh >/dev/null || echo "chromium could not be installed: the browser test will skip (it fails under CI)." >&2

# The sustainability report's PDF engine (WeasyPrint) needs Pango and a font (installed here when missing).
bash scripts/ensure_weasyprint_libs.sh || echo "Pango/fonts could not be installed: the PDF report test will fail." >&2

.venv/bin/python -m pytest "$@"
rc=$?
if [ "$rc" -eq 5 ]; then
  echo "pytest collected no tests: treating as a failure." >&2
  exit 1
fi
exit "$rc"

#!/usr/bin/env bash
# Makes sure a Redis server listens on 127.0.0.1 for the shared-session tests,
# installing Debian's `redis-server` when it is absent. Prints the redis:// URL
# on stdout; diagnostics go to stderr. Exit 1 if impossible.
set -euo pipefail
PORT="${GREENCART_TEST_REDIS_PORT:-6390}"
DIR="${TMPDIR:-/tmp}/greencart-redis-$PORT"

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo -n "$@"; else return 1; fi; }

if ! command -v redis-server >/dev/null 2>&1; then
  echo "Installing Redis from Debian's packages..." >&2
  as_root apt-get update -qq >&2 || { echo "apt-get update failed" >&2; exit 1; }
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq redis-server >&2 \
    || { echo "apt-get install redis-server failed" >&2; exit 1; }
fi
if ! redis-cli -p "$PORT" ping >/dev/null 2>&1; then
  mkdir -p "$DIR"
  # A private, memory-only server on loopback (no persistence, no service manager needed).
  redis-server --port "$PORT" --bind 127.0.0.1 --save '' --appendonly no --dir "$DIR" \
    --daemonize yes --pidfile "$DIR/redis.pid" --logfile "$DIR/redis.log" >&2
  for _ in $(seq 1 50); do redis-cli -p "$PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
fi
redis-cli -p "$PORT" ping >/dev/null 2>&1 || { echo "Redis did not start on port $PORT" >&2; exit 1; }
echo "redis://127.0.0.1:$PORT/0"

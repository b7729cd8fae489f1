#!/usr/bin/env bash
# Makes sure a PostgreSQL server listens on 127.0.0.1 with a greencart test
# database, installing Debian's `postgresql` when it is absent. Prints the
# SQLAlchemy URL on stdout; diagnostics go to stderr. Exit 1 if impossible.
set -euo pipefail
PGPORT="${GREENCART_TEST_PGPORT:-5432}"
DB=greencart_test
ROLE=greencart
PASS=greencart

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo -n "$@"; else return 1; fi; }

if ! command -v pg_ctlcluster >/dev/null 2>&1; then
  echo "Installing PostgreSQL from Debian's packages..." >&2
  as_root apt-get update -qq >&2 || { echo "apt-get update failed" >&2; exit 1; }
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq postgresql >&2 \
    || { echo "apt-get install postgresql failed" >&2; exit 1; }
fi

VER=$(ls /usr/lib/postgresql | sort -n | tail -1)
if ! pg_lsclusters -h 2>/dev/null | awk '{print $1, $2}' | grep -q "^$VER main$"; then
  as_root pg_createcluster "$VER" main -p "$PGPORT" >&2
fi
if ! pg_lsclusters -h | awk -v v="$VER" '$1==v && $2=="main" {print $4}' | grep -q online; then
  as_root pg_ctlcluster "$VER" main start >&2
fi
PORT=$(pg_lsclusters -h | awk -v v="$VER" '$1==v && $2=="main" {print $3}')

psql_admin() { as_root su postgres -c "psql -p $PORT -v ON_ERROR_STOP=1 -qAt $*"; }
for _ in $(seq 1 30); do psql_admin "-c 'select 1'" >/dev/null 2>&1 && break; sleep 0.5; done
if [ "$(psql_admin "-c \"select 1 from pg_roles where rolname='$ROLE'\"")" != 1 ]; then
  psql_admin "-c \"create role $ROLE login createdb password '$PASS'\"" >&2
else
  # Tests create a private database per run (so concurrent runs never collide).
  psql_admin "-c \"alter role $ROLE createdb\"" >&2
fi
if [ "$(psql_admin "-c \"select 1 from pg_database where datname='$DB'\"")" != 1 ]; then
  psql_admin "-c \"create database $DB owner $ROLE\"" >&2
fi
echo "postgresql+psycopg://$ROLE:$PASS@127.0.0.1:$PORT/$DB"

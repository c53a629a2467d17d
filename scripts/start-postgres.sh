#!/usr/bin/env bash
# Starts a throwaway PostgreSQL on 127.0.0.1 for the tests (fsync off: test data only) and prints
#   export EDU_TEST_POSTGRES='…'
# Installs Debian's postgresql when missing. Idempotent; works as root without systemd. No docker.
# Usage: eval "$(bash scripts/start-postgres.sh)"
set -euo pipefail
PORT="${PGPORT_TEST:-55432}"
DIR="${PGDATA_TEST:-/tmp/edu-pg-$PORT}"
if ! ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql) >&2
fi
BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
RUN="env"
if [ "$(id -u)" = 0 ]; then RUN="runuser -u postgres --"; fi
if [ ! -s "$DIR/PG_VERSION" ]; then
  mkdir -p "$DIR"; [ "$(id -u)" = 0 ] && chown postgres:postgres "$DIR"
  $RUN "$BIN/initdb" -D "$DIR" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >&2
fi
if ! $RUN "$BIN/pg_ctl" -D "$DIR" status >/dev/null 2>&1; then
  $RUN "$BIN/pg_ctl" -D "$DIR" -l "$DIR/log" -w -o "-p $PORT -c listen_addresses=127.0.0.1 -k /tmp -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" start >&2
fi
echo "export EDU_TEST_POSTGRES='Host=127.0.0.1;Port=$PORT;Username=postgres;Database=postgres'"

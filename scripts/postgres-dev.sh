#!/usr/bin/env bash
# Installs (if missing) and starts a local PostgreSQL 15 for the store tests, idempotently, and prints the
# connection string to export as LONGHAUL_TEST_POSTGRES. Debian/Ubuntu, run as root (no systemd needed).
set -euo pipefail

password="${LONGHAUL_PG_PASSWORD:-longhaul}"
database="${LONGHAUL_PG_DATABASE:-longhaul_test}"

if ! command -v pg_ctlcluster >/dev/null 2>&1 || [ ! -x /usr/lib/postgresql/15/bin/postgres ]; then
  apt-get update >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends postgresql-15 postgresql-client-15 >&2
fi

if ! pg_lsclusters -h 15 main >/dev/null 2>&1; then
  pg_createcluster 15 main >&2   # installed without its default cluster
fi
if ! pg_lsclusters -h 15 main 2>/dev/null | grep -q online; then
  pg_ctlcluster 15 main start >&2
fi

port=$(pg_lsclusters -h 15 main | awk '{print $3}')
for _ in $(seq 1 60); do
  pg_isready -q -h localhost -p "$port" && break
  sleep 0.5
done
pg_isready -h localhost -p "$port" >&2

runuser -u postgres -- psql -p "$port" -q -v ON_ERROR_STOP=1 -c "ALTER USER postgres PASSWORD '${password}'" >&2
if ! runuser -u postgres -- psql -p "$port" -tAc "SELECT 1 FROM pg_database WHERE datname = '${database}'" | grep -q 1; then
  runuser -u postgres -- createdb -p "$port" "$database" >&2
fi

echo "Host=localhost;Port=${port};Database=${database};Username=postgres;Password=${password}"

#!/usr/bin/env bash
# Set-up of a fresh Debian/Ubuntu machine for this project: the local engines that stand in for AWS
# (PostgreSQL for RDS, pgbouncer for RDS Proxy, redis-server for ElastiCache, HAProxy for the ALB),
# Chromium for the browser tests (driven by playwright-core; never a downloaded browser build), openssl and
# the npm dependencies.
# Idempotent: installs only what is missing. No AWS account, no Docker.
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

need=()
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
command -v haproxy >/dev/null 2>&1 || [ -x /usr/sbin/haproxy ] || need+=(haproxy)
ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || need+=(postgresql)
command -v pgbouncer >/dev/null 2>&1 || [ -x /usr/sbin/pgbouncer ] || need+=(pgbouncer)
command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || need+=(chromium)
# openssl makes the lab HAProxy's self-signed certificate (HTTPS frontend of the browser test).
command -v openssl >/dev/null 2>&1 || need+=(openssl)
if [ ${#need[@]} -gt 0 ]; then
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "bootstrap: missing ${need[*]} and no apt-get here; install them with your package manager" >&2
    exit 1
  fi
  echo "bootstrap: installing ${need[*]} (Debian packages)"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  # Debian may start the packaged services; the harness runs its own instances on free ports.
  for svc in redis-server haproxy postgresql pgbouncer; do $SUDO service "$svc" stop >/dev/null 2>&1 || true; done
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "bootstrap: npm ci"
  npm ci --no-audit --no-fund
fi
echo "bootstrap: ready ($(redis-server --version | cut -d' ' -f3), $(/usr/sbin/haproxy -v | head -1 | cut -d' ' -f1-3), $(ls -d /usr/lib/postgresql/*/ | head -1))"

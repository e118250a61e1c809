#!/usr/bin/env bash
# Installs the system tools the tests use, when missing: openssl (certificates, PKCS#12), curl (mutual
# TLS) and Java 17's keytool (JKS and PKCS#12 keystores) as independent checkers, and PostgreSQL 15's
# server binaries (initdb, pg_ctl: scripts/with-postgres.sh runs a private server for the shared-store
# tests). Debian, as root. Idempotent: does nothing when all are there.
set -euo pipefail

missing=()
command -v openssl >/dev/null || missing+=(openssl)
command -v curl >/dev/null || missing+=(curl)
command -v keytool >/dev/null || missing+=(openjdk-17-jre-headless)
if ! command -v initdb >/dev/null && ! compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null; then
  missing+=(postgresql-15)
fi
if [[ ${#missing[@]} -eq 0 ]]; then
  exit 0
fi
if [[ "$(id -u)" != 0 ]] || ! command -v apt-get >/dev/null; then
  echo "install-system-tools: missing ${missing[*]}; install them with your package manager (Debian: apt-get install ${missing[*]})" >&2
  exit 1
fi
echo "Installing ${missing[*]}..." >&2
apt-get update -qq >&2
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2

#!/usr/bin/env bash
# Installs the real Salesforce CLI (`sf`) once into .cache/sf-cli/ for the end-to-end tests.
# Idempotent: does nothing when the pinned version is already installed there.
#
#   scripts/install-sf-cli.sh          install if needed, print the path of the `sf` binary
#
# The pinned CLI is the newest release that still declares Node 20 support (>=18.6); later ones need
# Node 22. Its dependency @jsforce/jsforce-node >= 3.10.17 needs Node 22 as well and crashes on the
# first request under Node 20, so the cache's package.json pins it to 3.10.16 with an npm override.
set -euo pipefail

SF_CLI_VERSION="2.146.3"
JSFORCE_NODE_VERSION="3.10.16"

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DIR="${LOCALFORCE_SF_CLI_DIR:-$ROOT/.cache/sf-cli}"
STAMP="$DIR/.installed"
WANT="@salesforce/cli@$SF_CLI_VERSION @jsforce/jsforce-node@$JSFORCE_NODE_VERSION"
BIN="$DIR/node_modules/.bin/sf"

installed() { [[ -f "$STAMP" && "$(cat "$STAMP")" == "$WANT" && -x "$BIN" ]]; }
if installed; then
  echo "$BIN"
  exit 0
fi

# One install at a time (two test runs starting together); the second finds the first's work done.
mkdir -p "$(dirname "$DIR")"
if command -v flock >/dev/null; then
  exec 9>"$DIR.lock"
  flock 9
  if installed; then
    echo "$BIN"
    exit 0
  fi
fi

echo "Installing $WANT into $DIR (about 290 MB, one minute or two)..." >&2
rm -rf "$DIR/node_modules" "$DIR/package-lock.json" "$STAMP"
mkdir -p "$DIR"
cat > "$DIR/package.json" <<JSON
{
  "name": "localforce-sf-cli-cache",
  "private": true,
  "description": "The Salesforce CLI for Localforce's end-to-end tests; made by scripts/install-sf-cli.sh",
  "dependencies": {
    "@salesforce/cli": "$SF_CLI_VERSION"
  },
  "overrides": {
    "@jsforce/jsforce-node": "$JSFORCE_NODE_VERSION"
  }
}
JSON
(cd "$DIR" && npm install --no-audit --no-fund --omit=dev --loglevel=error >&2)

# Check what was installed rather than trusting the exit code alone.
got_cli="$(node -p "require('$DIR/node_modules/@salesforce/cli/package.json').version")"
got_jsforce="$(cd "$DIR" && node -p "require(require.resolve('@jsforce/jsforce-node/package.json', { paths: [require.resolve('@salesforce/core')] })).version")"
if [[ "$got_cli" != "$SF_CLI_VERSION" || "$got_jsforce" != "$JSFORCE_NODE_VERSION" ]]; then
  echo "install-sf-cli: expected @salesforce/cli $SF_CLI_VERSION with jsforce-node $JSFORCE_NODE_VERSION, got $got_cli and $got_jsforce" >&2
  exit 1
fi
echo "$WANT" > "$STAMP"
echo "$BIN"

#!/usr/bin/env bash
# The console's browser tests drive Debian's Chromium (playwright cannot download its own browsers
# here). Installs it when it is missing and this runs as root; otherwise says what to do. The tests
# themselves fail, naming the missing browser, if it is still not there.
set -uo pipefail
CHROMIUM=/usr/bin/chromium
[ -x "$CHROMIUM" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "install-chromium: $CHROMIUM is missing; installing Debian's chromium for the console's browser tests"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq chromium >/dev/null
fi
if [ ! -x "$CHROMIUM" ]; then
  echo "install-chromium: $CHROMIUM is still missing: run 'apt-get install -y chromium' as root; the browser tests will fail without it" >&2
fi
exit 0
